"""Which files a path stands for, and the projects they make: folders searched recursively, lock
files and dangling links set aside (listed, never grouped or named), files grouped into projects."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from .formats import SNIFFED_SUFFIXES, SUFFIXES, is_workbook
from .formats.limits import Limits
from .projects import Project, group_files, safe_name
from .regroup import regroup
from .reports import is_report
from .results import FAILED, SKIPPED, FileResult
from .schema import Config
from .surround import surroundings

WORKBOOK_SUFFIXES = SUFFIXES | SNIFFED_SUFFIXES  # what the watch waits for; the search looks closer


def is_temporary(path: Path) -> bool:
    """Office lock and temporary files (``~$报表.xlsx``, ``.~报表.xlsx``) and hidden files."""
    name = path.name
    return name.startswith(("~$", ".~", ".")) or name.lower().endswith(".tmp")


def is_dangling(path: Path) -> bool:
    """A link whose target is gone."""
    return path.is_symlink() and not path.exists()


def is_skipped(path: Path) -> bool:
    """Files listed as skipped, which take no part in grouping, naming or the manifest."""
    return is_temporary(path) or is_dangling(path)


def iter_inputs(paths: Iterable[Path], exclude: Path | None = None) -> Iterator[tuple[Path, str, Path]]:
    """(file, path to show, base folder) for every workbook a path names, folders recursively and sorted."""
    for path in paths:
        path = Path(path)
        if path.is_dir():
            skip = exclude.resolve() if exclude is not None else None
            for file in sorted(p for p in path.rglob("*") if p.is_file() or is_dangling(p)):
                if skip is not None and inside(file, skip):
                    continue
                if is_workbook(file) or is_report(file):  # a dangling .xlsx too (by its name): listed as skipped
                    yield file, str(file), path
        else:
            yield path, str(path), path.parent


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies in ``folder`` (resolved already: it is asked once per file)."""
    try:
        path.resolve().relative_to(folder)
        return True
    except ValueError:
        return False


def precheck(file: Path, shown: str) -> FileResult | None:
    """A result for files that are not read at all: missing, temporary, or a link to nothing."""
    if is_dangling(file):
        return FileResult(file, shown, status=SKIPPED, error=f"{shown}：快捷方式（链接）指向的文件不存在，已跳过")
    if not file.exists():
        return FileResult(file, shown, status=FAILED, transient=True, error=f"{shown}：文件或文件夹不存在")
    if is_temporary(file):
        return FileResult(file, shown, status=SKIPPED, error=f"{shown}：Office 临时文件或隐藏文件，已跳过")
    return None


def plan(paths: Iterable[Path], config: Config, exclude: Path | None = None) -> list[tuple[Project, list]]:
    """The projects the paths hold, each with its ``(file, shown, base)`` entries, in input order.
    Folders are made distinct once each project is read and named (:func:`claim_folder`)."""
    entries: list[tuple] = []
    skipped: list[tuple] = []
    for entry in iter_inputs(paths, exclude):
        (skipped if is_skipped(entry[0]) else entries).append(entry)
    planned: list[tuple[Project, list]] = []

    def add(groups) -> None:
        for name, folder, named_by, members in groups:
            # without a name the tables' titles give one once they are read; the file name until then
            label = safe_name(name or members[0][0].stem)
            planned.append((Project(name=label, folder=folder if named_by == "folder" else folder / label,
                                    named_by=named_by), members))

    schema = config.schema("project")
    limits = Limits.from_schema(config.schema("workbook").get("limits"))
    add(regroup(group_files(entries, schema), schema, surroundings(config.schema_dir), limits, config))
    # a lock file beside no workbook of its folder is a project of its own: listed, given no folder
    add(group_files([entry for entry in skipped if not _attach(entry, planned)], schema))
    return planned


def _attach(entry: tuple, planned: list) -> bool:
    """List a skipped file with the project of its folder whose file names it shares most of."""
    file = entry[0]
    stem = file.name.lstrip("~$.")
    best, shared = None, -1
    for _, members in planned:
        for other, _, _ in members:
            if other.parent == file.parent:
                n = len(os.path.commonprefix([stem, other.name]))
                if n > shared:
                    best, shared = members, n
    if best is None:
        return False
    best.append(entry)
    return True
