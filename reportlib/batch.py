"""Batches: which files a path stands for, checking them, and writing the outputs of ``run``."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from . import __version__
from .audit import KIND_NAMES, audit_file
from .corrected import atomic_write, write_corrected
from .crosscheck import cross_check
from .draft import write_drafts
from .findings import ERROR, WARNING, Finding, finding
from .projects import RESERVED, Project, claim_folder, group_files, project_json, safe_name, title_name
from .results import FAILED, SKIPPED, FileResult
from .schema import Config
from .summary import SUMMARY_NAME, write_summary

log = logging.getLogger(__name__)

#: what a folder search picks up: the formats read, and those staff send that get a message saying what
#: to do (.et, .xlsb, .numbers); the file's content, not its name, decides how it is read
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".xlsb", ".numbers"}
CORRECTED_SUFFIX = "_校核"


def is_temporary(path: Path) -> bool:
    """Office lock and temporary files (``~$报表.xlsx``, ``.~报表.xlsx``) and hidden files."""
    name = path.name
    return name.startswith(("~$", ".~", ".")) or name.lower().endswith(".tmp")


@dataclass
class Batch:
    """What a run found and did; the JSON contract is :meth:`to_json`."""

    files: list[FileResult] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)

    @property
    def project_findings(self) -> list[Finding]:
        return [x for p in self.projects for x in p.findings]

    @property
    def exit_code(self) -> int:
        """0: no error findings; 1: error findings; 2: a file could not be read (2 wins)."""
        if any(f.status == FAILED for f in self.files):
            return 2
        errors = any(f.errors for f in self.files) or any(x.severity == ERROR for x in self.project_findings)
        return 1 if errors else 0

    def summary(self) -> dict:
        extra = self.project_findings
        return {
            "files": len(self.files),
            "clean": sum(f.status == "clean" for f in self.files),
            "with_findings": sum(f.status == "findings" for f in self.files),
            "unreadable": sum(f.status == FAILED for f in self.files),
            "skipped": sum(f.status == SKIPPED for f in self.files),
            "errors": sum(f.errors for f in self.files) + sum(x.severity == ERROR for x in extra),
            "warnings": sum(f.warnings for f in self.files) + sum(x.severity == WARNING for x in extra),
            "projects": len(self.projects),
        }

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "projects": [project_json(p) for p in self.projects],
                "summary": self.summary(), "tool_version": __version__}


def iter_inputs(paths: Iterable[Path], exclude: Path | None = None) -> Iterator[tuple[Path, str, Path]]:
    """(file, path to show, base folder) for every workbook a path names, folders recursively and sorted."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if exclude is not None and _inside(file, exclude):
                    continue
                suffix = file.suffix.lower()
                if suffix in WORKBOOK_SUFFIXES:
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
    """A result for files that are not read at all: missing, or temporary."""
    if not file.exists():
        return FileResult(file, shown, status=FAILED, error=f"{shown}：文件或文件夹不存在")
    if is_temporary(file):
        return FileResult(file, shown, status=SKIPPED, error=f"{shown}：Office 临时文件或隐藏文件，已跳过")
    return None


def plan(paths: Iterable[Path], config: Config, exclude: Path | None = None) -> list[tuple[Project, list]]:
    """The projects the paths hold, each with its ``(file, shown, base)`` entries, in input order.
    Folders are made distinct once each project is read and named (:func:`claim_folder`)."""
    entries = list(iter_inputs(paths, exclude))
    planned = []
    for name, folder, named_by, members in group_files(entries, config.schema("project")):
        if name is None:  # named after its tables' titles once they are read; the file name until then
            name = members[0][0].stem
        label = safe_name(name)
        target = folder if named_by == "folder" else folder / label
        planned.append((Project(name=label, folder=target, named_by=named_by), members))
    return planned


def _audit(project: Project, members: list, config: Config) -> dict[Path, object]:
    """Read and check a project's files; the workbooks read, by file, for writing corrected copies."""
    books = {}
    for file, shown, _ in members:
        result = _precheck(file, shown)
        if result is None:
            result, book = audit_file(file, config, shown)
            if book is not None and result.tables:
                books[file] = book
        log.info("%s\t%s", shown, result.status)
        project.files.append(result)
    finish_project(project, config)
    for result in project.files:
        result.settle_status()
    return books


def finish_project(project: Project, config: Config) -> None:
    """Name a project by its titles where its files could not, report missing attachments, cross-check."""
    schema = config.schema("project")
    project.full_name = title_name(project.files, schema)
    if project.named_by == "file" and project.full_name:
        project.name = safe_name(project.full_name)
        project.folder = project.folder.with_name(project.name)
        project.named_by = "title"
    if any(f.tables for f in project.files):
        found = project.kinds()
        missing = [KIND_NAMES[k] for k in schema["required"] if not found.get(k)]
        if missing:
            project.findings.append(finding(
                "attachment-missing", None, None,
                f"项目“{project.name}”缺少{'、'.join(missing)}；其余附件照常校核，缺少的附件请补交",
                None, "、".join(missing)))
    cross_check(project, config)


def check(paths: Iterable[Path], config: Config) -> Batch:
    """Audit files and folders, project by project; nothing is written."""
    batch, used = Batch(), set(RESERVED)
    for project, members in plan(paths, config):
        _audit(project, members, config)
        claim_folder(project, used)
        batch.projects.append(project)
        batch.files.extend(project.files)
    return batch


def corrected_name(file: Path, taken: set[str] | None = None) -> str:
    """``X_校核.xlsx`` for ``X.xlsx`` / ``X.xls`` / ``X.ods``; ``X_xls_校核.xlsx`` when a file of the same stem
    in the project already took the plain name."""
    stem = safe_name(file.stem, "workbook")
    name = f"{stem}{CORRECTED_SUFFIX}.xlsx"
    if taken is not None:
        if name in taken:
            name = f"{stem}_{safe_name(file.suffix.lstrip('.').lower(), 'file')}{CORRECTED_SUFFIX}.xlsx"
        taken.add(name)
    return name


def run(inbox: Path, output: Path, config: Config, template_dir: Path | None = None) -> Batch:
    """Check every project under ``inbox`` and write, per project, corrected workbooks, the report
    draft and its findings; then ``findings.json`` and ``汇总.xlsx`` for the whole batch."""
    batch, used = Batch(), set(RESERVED)
    inbox, output = Path(inbox), Path(output)
    for project, members in plan([inbox], config, exclude=output):
        books = _audit(project, members, config)
        claim_folder(project, used)
        batch.projects.append(project)
        batch.files.extend(project.files)
        folder = output / project.folder
        taken: set[str] = set()
        for result in sorted(project.files, key=lambda r: r.path.suffix.lower() != ".xlsx"):
            book = books.get(result.path)
            if book is None:
                continue
            target = folder / corrected_name(result.path, taken)
            try:
                write_corrected(result.path, target, book, [x for t in result.tables for x in t.fixes],
                                result.findings)
                result.output = target
            except Exception as exc:  # one bad file must not stop the batch
                log.debug("writing %s failed", target, exc_info=True)
                result.status = FAILED
                result.error = f"{result.display_path}：写出校核后的工作簿失败（{type(exc).__name__}: {exc}）"
        books.clear()
        if any(f.tables for f in project.files):
            try:
                write_drafts(project, folder, config, template_dir)
            except Exception as exc:  # a draft that cannot be written must not stop the batch
                log.debug("drafting %s failed", project.name, exc_info=True)
                project.notes.append(f"项目“{project.name}”：报告草稿未能写出（{type(exc).__name__}: {exc}）")
                log.warning("%s", project.notes[-1])
        atomic_write(folder / "findings.json", _json_bytes(
            {"project": project_json(project), "files": [f.to_json() for f in project.files],
             "tool_version": __version__}))
    atomic_write(output / "findings.json", _json_bytes(batch.to_json()))
    write_summary(batch, output / SUMMARY_NAME, output)
    return batch


def _json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
