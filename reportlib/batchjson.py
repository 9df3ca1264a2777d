"""The batch as one JSON object (the ``check --json`` contract), written while projects arrive.

File entries go straight to the writer; project entries, which are small, are kept until the end,
where they follow the files with the summary and tool version.  ``check --json`` writes to stdout and
``run`` to ``findings.json`` with the same code, so a monthly batch never holds its findings in memory.
"""

from __future__ import annotations

import json
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
        self.projects: list[str] = []
        write('{\n  "files": [\n')

    def add(self, project: Project) -> None:
        for f in project.files:
            self.write(("" if self.first else ",\n") + indented(f.to_json()))
            self.first = False
        self.projects.append(indented(project_json(project)))

    def close(self, summary: dict) -> None:
        self.write('\n  ],\n  "projects": [\n' + ",\n".join(self.projects) + "\n  ],\n"
                   f'  "summary": {json.dumps(summary, ensure_ascii=False)},\n'
                   f'  "tool_version": {json.dumps(__version__)}\n}}\n')
