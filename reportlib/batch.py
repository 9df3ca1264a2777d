"""Batches: which files a path stands for, checking them, and writing the outputs of ``run``."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__
from .audit import audit_file
from .corrected import atomic_write, write_corrected
from .results import FAILED, SKIPPED, FileResult
from .schema import Config

log = logging.getLogger(__name__)

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
#: formats staff send that this version cannot read yet: reported, not silently ignored
UNSUPPORTED_SUFFIXES = {".xls", ".et", ".ods", ".numbers", ".xlsb"}
CORRECTED_SUFFIX = "_校核"


def is_temporary(path: Path) -> bool:
    """Office lock and temporary files (``~$报表.xlsx``, ``.~报表.xlsx``) and hidden files."""
    name = path.name
    return name.startswith(("~$", ".~", ".")) or name.lower().endswith(".tmp")


@dataclass
class Batch:
    """What a run found and did; the JSON contract is :meth:`to_json`."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0: no error findings; 1: error findings; 2: a file could not be read (2 wins)."""
        if any(f.status == FAILED for f in self.files):
            return 2
        return 1 if any(f.errors for f in self.files) else 0

    def summary(self) -> dict:
        return {
            "files": len(self.files),
            "clean": sum(f.status == "clean" for f in self.files),
            "with_findings": sum(f.status == "findings" for f in self.files),
            "unreadable": sum(f.status == FAILED for f in self.files),
            "skipped": sum(f.status == SKIPPED for f in self.files),
            "errors": sum(f.errors for f in self.files),
            "warnings": sum(f.warnings for f in self.files),
        }

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "summary": self.summary(), "tool_version": __version__}


def iter_inputs(paths: Iterable[Path], exclude: Path | None = None) -> Iterator[tuple[Path, str, Path]]:
    """(file, path to show, base folder) for every workbook a path names, folders recursively and sorted."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if exclude is not None and _inside(file, exclude):
                    continue
                suffix = file.suffix.lower()
                if suffix in WORKBOOK_SUFFIXES or suffix in UNSUPPORTED_SUFFIXES:
                    yield file, str(file), path
        else:
            yield path, str(path), path.parent


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _precheck(file: Path, shown: str) -> FileResult | None:
    """A result for files that are not read at all: missing, temporary, or in a format not supported."""
    if not file.exists():
        return FileResult(file, shown, status=FAILED, error=f"{shown}：文件或文件夹不存在")
    if is_temporary(file):
        return FileResult(file, shown, status=SKIPPED, error=f"{shown}：Office 临时文件或隐藏文件，已跳过")
    if file.suffix.lower() in UNSUPPORTED_SUFFIXES:
        return FileResult(file, shown, status=FAILED,
                          error=f"{shown}：本版本暂不能读取 {file.suffix} 格式，请用 Excel 或 WPS 另存为 .xlsx 后重新提交")
    return None


def check(paths: Iterable[Path], config: Config) -> Batch:
    """Audit files and folders; nothing is written."""
    batch = Batch()
    for file, shown, _ in iter_inputs(paths):
        result = _precheck(file, shown)
        if result is None:
            result, _book = audit_file(file, config, shown)
        log.info("%s\t%s", shown, result.status)
        batch.files.append(result)
    return batch


def corrected_name(file: Path) -> str:
    return f"{file.stem}{CORRECTED_SUFFIX}.xlsx"


def run(inbox: Path, output: Path, config: Config) -> Batch:
    """Check every workbook under ``inbox`` and write corrected copies and ``findings.json``."""
    batch = Batch()
    inbox, output = Path(inbox), Path(output)
    for file, shown, base in iter_inputs([inbox], exclude=output):
        result = _precheck(file, shown)
        if result is None:
            result, book = audit_file(file, config, shown)
            if book is not None and result.tables:
                relative = file.relative_to(base) if file != base else Path(file.name)
                target = output / relative.parent / corrected_name(file)
                try:
                    write_corrected(file, target, book, [x for t in result.tables for x in t.fixes],
                                    result.findings)
                    result.output = target
                except Exception as exc:  # one bad file must not stop the batch
                    result.status = FAILED
                    result.error = f"{shown}：写出校核后的工作簿失败（{type(exc).__name__}: {exc}）"
        log.info("%s\t%s", shown, result.status)
        batch.files.append(result)
    atomic_write(output / "findings.json",
                 json.dumps(batch.to_json(), ensure_ascii=False, indent=2).encode("utf-8"))
    return batch
