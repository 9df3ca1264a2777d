"""The batch as one JSON object (the ``check --json`` contract), written while projects arrive.

File entries go straight to the writer; project entries are spooled to a temporary file until the
end, where they follow the files with the summary and tool version.  ``check --json`` writes to stdout and
``run`` to ``findings.json`` with the same code, so a monthly batch never holds its findings in memory.
"""

from __future__ import annotations

import json
import tempfile
from typing import Callable

from . import __version__
from .projects import Project, project_json


def indented(data: dict, prefix: str = "    ") -> str:
    """A JSON entry as it sits inside the batch object's lists."""
    return "\n".join(prefix + line for line in json.dumps(data, ensure_ascii=False, indent=2).split("\n"))


class BatchJson:
    def __init__(self, write: Callable[[str], object]) -> None:
        self.write = write
        self.first = True
        self.projects = tempfile.TemporaryFile("w+", encoding="utf-8")  # entries spooled until the end
        self.spooled = 0
        write('{\n  "files": [\n')

    def add(self, project: Project) -> None:
        for f in project.files:
            self.write(("" if self.first else ",\n") + indented(f.to_json()))
            self.first = False
        self.projects.write(("" if not self.spooled else ",\n") + indented(project_json(project)))
        self.spooled += 1

    def close(self, summary: dict) -> None:
        self.write('\n  ],\n  "projects": [\n')
        self.projects.seek(0)
        for block in iter(lambda: self.projects.read(1 << 16), ""):
            self.write(block)
        self.projects.close()
        self.write("\n  ],\n"
                   f'  "summary": {json.dumps(summary, ensure_ascii=False)},\n'
                   f'  "tool_version": {json.dumps(__version__)}\n}}\n')
