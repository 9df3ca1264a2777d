"""Batches: which files a path stands for, checking them, and writing the outputs of ``run``."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
from collections import Counter
from contextlib import closing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from .audit import KIND_NAMES, audit_file
from .batchjson import BatchJson
from .corrected import atomic_stream, atomic_write, write_corrected
from .crosscheck import cross_check
from .draft import write_drafts
from .findings import ERROR, WARNING, Finding, finding
from .manifest import Manifest, file_hash
from .recheck import settle
from .projects import (RESERVED, Project, claim_folder, group_files, project_json, restore_project, safe_name,
                       title_name)
from .results import FAILED, SKIPPED, FileResult
from .schema import Config
from .summary import SUMMARY_NAME, SummaryRows, summary_row, write_summary

log = logging.getLogger(__name__)

#: what a folder search picks up: the formats read, and those staff send that get a message saying what
#: to do (.et, .xlsb, .numbers); the file's content, not its name, decides how it is read
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".xlsb", ".numbers"}
CORRECTED_SUFFIX = "_校核"


def is_temporary(path: Path) -> bool:
    """Office lock and temporary files (``~$报表.xlsx``, ``.~报表.xlsx``) and hidden files."""
    name = path.name
    return name.startswith(("~$", ".~", ".")) or name.lower().endswith(".tmp")


class Batch:
    """What a batch found and did, project by project in input order.

    It keeps counts for the summary and exit code; with ``keep`` (the default, for library callers and
    tests) also every project and file.  Listeners are called with each project as it is added, which is
    how the CLI prints and how ``findings.json`` and ``汇总.xlsx`` are written without holding a monthly
    batch of thousands of projects in memory.  The JSON contract is :meth:`to_json`.
    """

    def __init__(self, keep: bool = True, listeners: Iterable[Callable[[Project], None]] = ()) -> None:
        self.keep = keep
        self.listeners = list(listeners)
        self.files: list[FileResult] = []
        self.projects: list[Project] = []
        self.counts: Counter = Counter()
        self.planned = 0  # projects this batch will hold, once the inputs are grouped

    def add(self, project: Project) -> None:
        c = self.counts
        c["projects"] += 1
        c["unchanged"] += project.restored
        for f in project.files:
            c["files"] += 1
            c[{"clean": "clean", "findings": "with_findings", FAILED: "unreadable", SKIPPED: "skipped"}[f.status]] += 1
            c["errors"] += f.errors
            c["warnings"] += f.warnings
        c["errors"] += sum(x.severity == ERROR for x in project.findings)
        c["warnings"] += sum(x.severity == WARNING for x in project.findings)
        for listener in self.listeners:
            listener(project)
        if self.keep:
            self.projects.append(project)
            self.files.extend(project.files)

    @property
    def project_findings(self) -> list[Finding]:
        return [x for p in self.projects for x in p.findings]

    @property
    def exit_code(self) -> int:
        """0: no error findings; 1: error findings; 2: a file could not be read (2 wins)."""
        return 2 if self.counts["unreadable"] else 1 if self.counts["errors"] else 0

    def summary(self) -> dict:
        keys = ("files", "clean", "with_findings", "unreadable", "skipped", "errors", "warnings", "projects")
        return {**{k: self.counts[k] for k in keys}, "unchanged": self.counts["unchanged"]}

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "projects": [project_json(p) for p in self.projects],
                "summary": self.summary(), "tool_version": __version__}


def iter_inputs(paths: Iterable[Path], exclude: Path | None = None) -> Iterator[tuple[Path, str, Path]]:
    """(file, path to show, base folder) for every workbook a path names, folders recursively and sorted."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            skip = exclude.resolve() if exclude is not None else None
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if skip is not None and _inside(file, skip):
                    continue
                suffix = file.suffix.lower()
                if suffix in WORKBOOK_SUFFIXES:
                    yield file, str(file), path
        else:
            yield path, str(path), path.parent


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies in ``folder`` (resolved already: it is asked once per file)."""
    try:
        path.resolve().relative_to(folder)
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
        log.debug("%s\t%s", shown, result.status)
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
        project.folder = project.folder.parent / project.name if project.folder.name else Path(project.name)
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


def _settled(project: Project) -> Project:
    """Drop what only the checks needed (the checkers and their grids), so results stay small and can
    travel back from a worker process."""
    for f in project.files:
        for t in f.tables:
            t.checker = None
            t.fixes = []
    return project


def _check_one(project: Project, members: list, config: Config) -> Project:
    _audit(project, members, config)
    return _settled(project)


def _run_one(project: Project, members: list, config: Config, staging: Path, template_dir: Path | None) -> Project:
    """Check a project and write its outputs into ``staging`` (its final folder is known only in order)."""
    books = _audit(project, members, config)
    taken: set[str] = set()
    for result in sorted(project.files, key=lambda r: r.path.suffix.lower() != ".xlsx"):
        book = books.get(result.path)
        if book is None:
            continue
        target = staging / corrected_name(result.path, taken)
        try:
            write_corrected(result.path, target, book, settle(result, book, config), result.findings)
            result.output = target
        except Exception as exc:  # one bad file must not stop the batch
            log.debug("writing %s failed", target, exc_info=True)
            result.status = FAILED
            result.error = f"{result.display_path}：写出校核后的工作簿失败（{type(exc).__name__}: {exc}）"
    books.clear()
    if any(f.tables for f in project.files):
        try:
            write_drafts(project, staging, config, template_dir)
        except Exception as exc:  # a draft that cannot be written must not stop the batch
            log.debug("drafting %s failed", project.name, exc_info=True)
            project.notes.append(f"项目“{project.name}”：报告草稿未能写出（{type(exc).__name__}: {exc}）")
            log.warning("%s", project.notes[-1])
    return _settled(project)


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def _in_order(tasks: list, work: Callable, jobs: int) -> Iterator:
    """``work(*task)`` for every task, yielded in task order; in ``jobs`` worker processes when > 1.
    A task that is None is passed through (a project restored from the manifest).  Each task is dropped
    from ``tasks`` once it is handed out, so a batch of thousands does not keep what it has done."""
    pending = sum(1 for t in tasks if t is not None)
    if jobs <= 1 or pending <= 1:
        for n, task in enumerate(tasks):
            tasks[n] = None
            yield None if task is None else work(*task)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    ahead = 4 * jobs  # tasks submitted beyond the one awaited: workers stay busy, results do not pile up
    with ProcessPoolExecutor(max_workers=min(jobs, pending), mp_context=context) as pool:
        futures: dict[int, object] = {}
        submitted = 0
        try:
            for n in range(len(tasks)):
                while submitted < len(tasks) and submitted <= n + ahead:
                    if tasks[submitted] is not None:
                        futures[submitted] = pool.submit(work, *tasks[submitted])
                        tasks[submitted] = None
                    submitted += 1
                yield None if n not in futures else futures.pop(n).result()
        except BaseException:
            for future in futures.values():
                future.cancel()
            raise


def check(paths: Iterable[Path], config: Config, jobs: int = 1, batch: Batch | None = None) -> Batch:
    """Audit files and folders, project by project; nothing is written."""
    batch, used = batch or Batch(), set(RESERVED)
    tasks = [(p, m, config) for p, m in plan(paths, config)]
    batch.planned = len(tasks)
    for project in _in_order(tasks, _check_one, jobs):
        claim_folder(project, used)
        batch.add(project)
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


STAGING = ".staging"


def run(inbox: Path, output: Path, config: Config, template_dir: Path | None = None, *, jobs: int = 1,
        force: bool = False, batch: Batch | None = None) -> Batch:
    """Check every project under ``inbox`` and write, per project, corrected workbooks, the report
    draft and its findings; then ``findings.json`` and ``汇总.xlsx`` for the whole batch.

    Projects whose inputs, tool, schemas and options are unchanged since the last run (see
    :mod:`reportlib.manifest`) are restored, not redone, unless ``force``.  With ``jobs`` > 1 projects
    are processed in worker processes; their outputs are staged under ``OUTPUT/.staging`` and moved into
    place in input order, so folders, findings and the summary are the same as with one job.
    """
    inbox, output = Path(inbox), Path(output)
    output.mkdir(parents=True, exist_ok=True)
    staging = output / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted run left behind
    manifest = Manifest(output, config, template_dir)
    batch = batch or Batch()
    rows = SummaryRows()  # what 汇总.xlsx shows of each project
    batch.listeners.append(lambda project: rows.add(summary_row(project, output)))
    used = set(RESERVED)
    planned = plan([inbox], config, exclude=output)
    batch.planned = len(planned)
    root = inbox.resolve()
    inputs = [{_under(root, f): file_hash(f) for f, _, _ in members} for _, members in planned]
    reuse = [None if force else manifest.unchanged(i) for i in inputs]
    tasks = [None if r is not None else (p, m, config, staging / str(n), template_dir)
             for n, ((p, m), r) in enumerate(zip(planned, reuse))]
    try:
        with atomic_stream(output / "findings.json") as fh:
            found = BatchJson(lambda text: fh.write(text.encode("utf-8")))
            batch.listeners.append(found.add)
            for n, done in enumerate(_in_order(tasks, _run_one, jobs)):
                project, members = planned[n]
                base = str(project.folder)
                restored = _restore(project, members, reuse[n], output, used) if done is None else None
                if done is None and restored is None:  # its folder is taken now: redo it
                    done = _run_one(project, members, config, staging / str(n), template_dir)
                if restored is not None:
                    project = restored
                else:
                    project = done
                    claim_folder(project, used)
                    _place(project, staging / str(n), output / project.folder)
                manifest.record(inputs[n], base, str(project.folder),
                                {"status": project.status, "errors": project.count("error"),
                                 "warnings": project.count("warning")})
                batch.add(project)
                planned[n] = (None, members)  # the project is in the outputs now: keep nothing of it
            found.close(batch.summary())
    finally:
        manifest.save()
        shutil.rmtree(staging, ignore_errors=True)
    with closing(rows):
        if rows.hash() != manifest.summary or not (output / SUMMARY_NAME).is_file():
            write_summary(rows, output / SUMMARY_NAME, output)
            manifest.summary = rows.hash()
            manifest.save()
    return batch


def _under(root: Path, file: Path) -> str:
    """The file's path under the (resolved) inbox, as the manifest knows it."""
    try:
        return file.resolve().relative_to(root).as_posix()
    except ValueError:
        return file.as_posix()


def _restore(planned: Project, members: list, entry: dict | None, output: Path, used: set[str]) -> Project | None:
    """The project as the last run left it, if its folder is still the one this run gives it and its
    outputs are all there; else None."""
    if entry is None:
        return None
    folder = output / entry["folder"]
    try:
        data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        shown = {f.name: (f, s) for f, s, _ in members}  # a project's files share one folder
        files = []
        for item in data["files"]:
            path, display = shown[Path(item["path"]).name]
            out = folder / Path(item["output"]).name if item.get("output") else None
            if out is not None and not out.exists():
                return None
            files.append(FileResult.from_json(item, path, display, out))
        project = restore_project(data["project"], files, output)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(not p.exists() for p in project.outputs.values()) or len(files) != len(members):
        return None
    project.folder, project.restored = Path(entry["base_folder"]), True
    claim_folder(project, used)
    if str(project.folder) != entry["folder"]:
        used.discard(str(project.folder).casefold())
        return None
    return project


def _place(project: Project, staged: Path, folder: Path) -> None:
    """Move a project's staged outputs into its folder (each file by an atomic rename) and write its
    ``findings.json``.  A project of lock and temporary files only gets no folder."""
    if project.status == SKIPPED:
        return
    folder.mkdir(parents=True, exist_ok=True)
    moved = {}
    if staged.is_dir():
        for item in sorted(staged.iterdir()):
            os.replace(item, folder / item.name)
            moved[item] = folder / item.name
    for result in project.files:
        if result.output is not None:
            result.output = moved.get(result.output, folder / result.output.name)
    project.outputs = {k: moved.get(v, folder / v.name) for k, v in project.outputs.items()}
    shutil.rmtree(staged, ignore_errors=True)
    atomic_write(folder / "findings.json", _json_bytes(
        {"project": project_json(project), "files": [f.to_json() for f in project.files],
         "tool_version": __version__}))


def _json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
