"""The batch as one JSON object (the ``check --json`` contract), written while projects arrive.

File entries go straight to the writer; project entries are spooled to a temporary file until the
end, where they follow the files with the summary and tool version.  ``check --json`` writes to stdout and
``run`` to ``findings.json`` with the same code, so a monthly batch never holds its findings in memory.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Callable

from . import __version__
from .fsio import AtomicFile
from .outdir import describe
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

    def close(self, summary: dict, error: str | None = None) -> None:
        """The end of the object; ``error`` (an ``"error"`` key) when the batch stopped early."""
        self.write('\n  ],\n  "projects": [\n')
        self.projects.seek(0)
        for block in iter(lambda: self.projects.read(1 << 16), ""):
            self.write(block)
        self.projects.close()
        self.write("\n  ],\n"
                   f'  "summary": {json.dumps(summary, ensure_ascii=False)},\n'
                   + (f'  "error": {json.dumps(error, ensure_ascii=False)},\n' if error else "") +
                   f'  "tool_version": {json.dumps(__version__)}\n}}\n')


class BatchFile:
    """The batch's ``findings.json``, streamed as projects finish; a write that fails (a full disk) is
    the batch's note and the projects go on."""

    def __init__(self, target: Path, batch) -> None:
        self.batch, self.target = batch, target
        self.file: AtomicFile | None = None
        self.json: BatchJson | None = None
        try:
            self.file = file = AtomicFile(target)
            self.json = BatchJson(lambda text: file.write(text.encode("utf-8")))
        except OSError as exc:
            self._failed(exc)

    def add(self, project: Project) -> None:
        self._guard(lambda json: json.add(project))

    def close(self, summary: dict) -> None:
        if self._guard(lambda json: json.close(summary)):
            file, self.file = self.file, None
            try:
                if file is not None:
                    file.commit()
            except OSError as exc:
                self._failed(exc)

    def _guard(self, write) -> bool:
        if self.json is None:
            return False
        try:
            write(self.json)
            return True
        except OSError as exc:
            self._failed(exc)
            return False

    def _failed(self, exc: OSError) -> None:
        self.batch.unwritten(f"总的 findings.json 未能写出：{describe(exc, self.target)}")
        self.json = None
        self.discard()

    def discard(self) -> None:
        """Remove the temporary file of a findings.json not closed (interrupted or failed)."""
        file, self.file = self.file, None
        if file is not None:
            file.discard()
