"""Batches: checking projects, and writing the outputs of ``run`` (which files a path stands for is
:mod:`.inputs`)."""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .audit import audit_file
from .reports import is_report
from .reports.annotate import annotate_report
from .reports.audit import read_submitted
from .reports.compare import compare_report
from .batchjson import BatchFile
from .corrected import write_corrected
from .crosscheck import check_project
from .draft import write_drafts
from .findings import ERROR, WARNING
from .fsio import atomic_write
from .grid import Workbook
from .inputs import is_skipped, plan, precheck
from .manifest import Manifest, file_hash
from .outdir import OutputError, OutputFolder, describe
from .projects import RESERVED, Project, claim_folder, project_json, restore_project, safe_name, title_name
from .recheck import settle
from .results import FAILED, SKIPPED, FileResult
from .schema import Config
from .summary import SUMMARY_NAME, SummaryRows, summary_row, write_summary
from .workers import in_order

log = logging.getLogger(__name__)

CORRECTED_SUFFIX = "_校核"


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
        self.notes: list[str] = []  # outputs of the whole batch that could not be written

    def unwritten(self, note: str) -> None:
        """An output of the batch (its findings.json, 汇总.xlsx, the manifest) could not be written."""
        self.counts["unwritten"] += 1
        self.notes.append(note)
        log.error("%s", note)

    def add(self, project: Project) -> None:
        c = self.counts
        c["projects"] += 1
        c["unchanged"] += project.restored
        for f in project.files:
            c["files"] += 1
            c[{"clean": "clean", "findings": "with_findings", FAILED: "unreadable", SKIPPED: "skipped"}[f.status]] += 1
            c["errors"] += f.errors
            c["warnings"] += f.warnings
        c["unwritten"] += not project.written
        c["errors"] += sum(x.severity == ERROR for x in project.findings)
        c["warnings"] += sum(x.severity == WARNING for x in project.findings)
        for listener in self.listeners:
            listener(project)
        if self.keep:
            self.projects.append(project)
            self.files.extend(project.files)

    @property
    def exit_code(self) -> int:
        """0: no error findings; 1: error findings; 2: a file could not be read or an output could not
        be written (2 wins)."""
        return 2 if self.counts["unreadable"] or self.counts["unwritten"] else 1 if self.counts["errors"] else 0

    def summary(self) -> dict:
        keys = ("files", "clean", "with_findings", "unreadable", "skipped", "errors", "warnings", "projects")
        return {**{k: self.counts[k] for k in keys}, "unchanged": self.counts["unchanged"],
                "unwritten": self.counts["unwritten"]}

    def to_json(self) -> dict:
        return {"files": [f.to_json() for f in self.files], "projects": [project_json(p) for p in self.projects],
                "summary": self.summary(), "tool_version": __version__}


def _audit(project: Project, members: list, config: Config) -> dict[Path, Workbook]:
    """Read and check a project's files; the workbooks read, by file, for writing corrected copies."""
    books: dict[Path, Workbook] = {}
    reports = []
    for file, shown, _ in members:
        result = precheck(file, shown)
        if result is None and is_report(file, config.schema_dir):
            result, stated = read_submitted(file, shown, config)
            if stated is not None:
                reports.append((result, stated))
        elif result is None:
            result, book = audit_file(file, config, shown)
            if book is not None and result.tables:
                books[file] = book
        log.debug("%s\t%s", shown, result.status)
        project.files.append(result)
    finish_project(project, config)
    for result, stated in reports:  # the text against the tables, once they are checked
        result.tables[0].findings = compare_report(stated, project, config)
    for result in project.files:
        result.settle_status()
    return books


def finish_project(project: Project, config: Config) -> None:
    """Name a project by its titles where its files could not; then the project's own checks."""
    schema = config.schema("project")
    project.full_name = title_name(project.files, schema)
    if project.named_by in ("file", "title") and project.full_name:  # "title": grouped by its tables' titles
        project.name = safe_name(project.full_name)
        project.folder = project.folder.parent / project.name if project.folder.name else Path(project.name)
        project.named_by = "title"
    check_project(project, config)


def _settled(project: Project) -> Project:
    """Drop what only the checks, the corrected copies and the drafts needed (facts, fixes, the
    templates and parameters of the findings' messages), so results stay small, travel back from a
    worker process quickly and a batch of thousands keeps little: the rest reads figures and messages."""
    for f in project.files:
        for t in f.tables:
            t.facts, t.fixes = None, []
            for x in t.findings:
                x.template = x.params = None
    for x in project.findings:
        x.template = x.params = None
    return project


def _lost(project: Project, members: list, *_) -> Project:
    """A project whose worker process died twice while checking it: each file's error."""
    for file, shown, _ in members:
        project.files.append(FileResult(file, shown, status=FAILED, transient=True, error=(
            f"{shown}：处理这个项目时本工具的工作进程意外退出（多半是文件过大、结构异常，内存不足）；"
            "其他项目不受影响。请检查此文件，或把它发给维护人员")))
    return project


def _worker_memory(config: Config) -> int | None:
    return (config.schema("workbook").get("limits") or {}).get("worker_memory_mb")


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
        except OSError as exc:  # a full disk: the file was read and checked, its copy is missing
            project.unwritten(f"{result.display_path}：校核后的工作簿未能写出：{describe(exc, staging)}")
        except Exception as exc:  # one bad file must not stop the batch
            log.debug("writing %s failed", target, exc_info=True)
            project.unwritten(f"{result.display_path}：写出校核后的工作簿失败（{type(exc).__name__}: {exc}）")
    books.clear()
    for result in project.files:  # a Word report with its figures that disagree commented
        if result.kind == "report" and result.findings:
            annotate_report(result, project, staging / corrected_name(result.path, taken).replace(".xlsx", ".docx"))
    if any(f.tables and f.kind != "report" for f in project.files) and not project.only_optional:
        try:
            write_drafts(project, staging, config, template_dir)
        except Exception as exc:  # a draft that cannot be written must not stop the batch
            log.debug("drafting %s failed", project.name, exc_info=True)
            reason = describe(exc, staging) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
            project.unwritten(f"项目“{project.name}”：报告草稿未能写出（{reason}）")
    return _settled(project)


def check(paths: Iterable[Path], config: Config, jobs: int = 1, batch: Batch | None = None) -> Batch:
    """Audit files and folders, project by project; nothing is written."""
    batch, used = batch or Batch(), set(RESERVED)
    tasks = [(p, m, config) for p, m in plan(paths, config)]
    batch.planned = len(tasks)
    for project in in_order(tasks, _check_one, jobs, _lost, _worker_memory(config)):
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


def run(inbox: Path, output: Path, config: Config, template_dir: Path | None = None, *, jobs: int = 1,
        force: bool = False, batch: Batch | None = None, wait: float = 0.0) -> Batch:
    """Check every project under ``inbox`` and write, per project, corrected workbooks, the report
    draft and its findings; then ``findings.json`` and ``汇总.xlsx`` for the whole batch.

    Projects whose inputs, tool, schemas and options are unchanged since the last run (see
    :mod:`reportlib.manifest`) are restored, not redone, unless ``force``.  With ``jobs`` > 1 projects
    are processed in worker processes; their outputs are staged in this run's own folder under
    ``OUTPUT/.staging`` and moved into place in input order, so folders, findings and the summary are
    the same as with one job.  One run holds OUTPUT at a time (:mod:`reportlib.outdir`; a second one
    waits ``wait`` seconds, then raises :class:`OutputError`).  An output that cannot be written is
    that project's note, and the batch goes on.
    """
    inbox, output = Path(inbox), Path(output)
    if output.resolve() == inbox.resolve():
        raise OutputError(f"输出文件夹不能就是要处理的文件夹“{inbox}”；请用 -o 另指定一个（可以是它里面的子文件夹）")
    batch = batch or Batch()
    with OutputFolder(output, wait) as held:
        _run(inbox, output, held.staging, config, template_dir, jobs, force, batch)
    return batch


def _run(inbox: Path, output: Path, staging: Path, config: Config, template_dir: Path | None, jobs: int,
         force: bool, batch: Batch) -> None:
    manifest = Manifest(output, config, template_dir)
    rows = SummaryRows()  # what 汇总.xlsx shows of each project
    batch.listeners.append(lambda project: rows.add(summary_row(project, output)))
    used = set(RESERVED)
    planned = plan([inbox], config, exclude=output)
    batch.planned = len(planned)
    root = inbox.resolve()
    inputs = [{_under(root, f): file_hash(f) for f, _, _ in members if not is_skipped(f)} for _, members in planned]
    reuse = [None if force else manifest.unchanged(i) for i in inputs]
    tasks = [None if r is not None else (p, m, config, staging / str(n), template_dir)
             for n, ((p, m), r) in enumerate(zip(planned, reuse))]
    found, finished = BatchFile(output / "findings.json", batch), False
    batch.listeners.append(found.add)
    try:
        for n, done in enumerate(in_order(tasks, _run_one, jobs, _lost, _worker_memory(config))):
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
            if project.complete:  # an output missing, or a failure that may not come back: redone next run
                manifest.record(inputs[n], base, str(project.folder),
                                {"status": project.status, "errors": project.count("error"),
                                 "warnings": project.count("warning")})
            batch.add(project)
            try:
                manifest.save_now_and_then()  # a killed run resumes from the projects it finished
            except OSError:
                pass  # said once, at the end
            planned[n] = (None, members)  # the project is in the outputs now: keep nothing of it
        found.close(batch.summary())
        finished = True
    finally:
        found.discard()
        _save(manifest, batch, output, final=finished)
    with closing(rows):
        if rows.hash() != manifest.summary or not (output / SUMMARY_NAME).is_file():
            try:
                write_summary(rows, output / SUMMARY_NAME, output)
                manifest.summary = rows.hash()
            except OSError as exc:
                batch.unwritten(f"汇总.xlsx 未能写出：{describe(exc, output / SUMMARY_NAME)}")
            _save(manifest, batch, output)


def _save(manifest: Manifest, batch: Batch, output: Path, final: bool = True) -> None:
    try:
        manifest.save(final)
    except OSError as exc:  # the next run redoes everything: slower, never wrong
        batch.unwritten(f"运行记录未能写出，下次运行将全部重做：{describe(exc, output)}")


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
    read = [(f, s) for f, s, _ in members if not is_skipped(f)]
    try:
        data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        shown = {f.name: (f, s) for f, s in read}  # a project's files share one folder
        files = []
        for item in data["files"]:
            if item.get("status") == SKIPPED:
                continue  # lock files come and go: listed as they are now
            path, display = shown[Path(item["path"]).name]
            out = folder / Path(item["output"]).name if item.get("output") else None
            if out is not None and not out.exists():
                return None
            files.append(FileResult.from_json(item, path, display, out))
        project = restore_project(data["project"], files, output)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if any(not p.exists() for p in project.outputs.values()) or len(files) != len(read):
        return None
    project.files.extend(precheck(f, s) for f, s, _ in members if is_skipped(f))
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
    moved = {}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if staged.is_dir():
            for item in sorted(staged.iterdir()):
                os.replace(item, folder / item.name)
                moved[item] = folder / item.name
    except OSError as exc:  # this project's folder is not writable: its note; the batch goes on
        project.unwritten(f"项目“{project.name}”的输出未能放入文件夹：{describe(exc, folder)}")
    for result in project.files:
        if result.output is not None:
            result.output = moved.get(result.output)
    project.outputs = {k: moved[v] for k, v in project.outputs.items() if v in moved}
    shutil.rmtree(staged, ignore_errors=True)
    try:
        atomic_write(folder / "findings.json", _json_bytes(
            {"project": project_json(project), "files": [f.to_json() for f in project.files],
             "tool_version": __version__}))
    except OSError as exc:
        project.unwritten(f"项目“{project.name}”的 findings.json 未能写出：{describe(exc, folder)}")


def _json_bytes(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
