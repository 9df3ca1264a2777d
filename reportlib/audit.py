"""Auditing one file: read it, find its tables, run each attachment's checks."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from .formats import read_workbook
from .formats.limits import Limits
from .grid import Workbook, WorkbookError
from .kinds import KINDS, READERS, TITLES
from .messages import say
from .results import FAILED, FileResult
from .schema import Config, ConfigError
from .surround import surroundings
from .values import label_key

log = logging.getLogger(__name__)
HINTS = {k.name: k.hint for k in KINDS}


def detect_kind(sheet, kinds: dict) -> str | None:
    """The attachment a sheet looks like by its words, for kinds without a reader yet."""
    text = "".join(label_key(v) for _, v in sheet.texts())
    best, hits = None, 0
    for kind, spec in kinds.items():
        n = sum(1 for w in spec["words"] if label_key(w) in text)
        if n >= spec["min_hits"] and n > hits:
            best, hits = kind, n
    return best


def audit_file(path: Path, config: Config, display_path: str | None = None) -> tuple[FileResult, Workbook | None]:
    """Check one workbook; a file that cannot be read becomes a result with ``status: error``."""
    result = FileResult(path=Path(path), display_path=display_path or str(path))
    try:
        book = read_workbook(path, Limits.from_schema(config.schema("workbook").get("limits")))
    except WorkbookError as exc:
        result.status, result.error = FAILED, f"{result.display_path}：{exc}"
        result.transient = exc.transient
        return result, None
    try:
        check_tables(result, book, config)
    except ConfigError:
        raise
    except Exception as exc:  # a checker's bug on an odd table must not stop the batch
        log.debug("checking %s failed", result.display_path, exc_info=True)
        result.tables, result.status = [], FAILED
        result.transient = isinstance(exc, MemoryError)
        result.error = say("errors.checker-failed", file=result.display_path, error=f"{type(exc).__name__}: {exc}")
        return result, None
    return result, book


def _facts(result: FileResult, book: Workbook, config: Config) -> None:
    """What the info lines above a sheet's tables state and the tables need to say: the project's name
    (``项目名称：…``) as the fact ``project_name``."""
    around = surroundings(config.schema_dir)
    by_sheet = {s.title: s for s in book.sheets}
    for table in result.tables:
        sheet = by_sheet.get(table.sheet)
        if sheet is None or table.facts is None or table.facts.project_name:
            continue
        rows = [r for r in range(1, min(sheet.max_row, 40) + 1) if around.is_info_row(sheet, r)]
        name = around.facts(sheet, rows).get("项目名称") if rows else None
        if name and len(name) >= 4:
            table.establish(replace(table.facts, project_name=name))


def check_tables(result: FileResult, book: Workbook, config: Config) -> None:
    """Find and check every table of a workbook already read, into ``result``."""
    wb_schema = config.schema("workbook")
    own = set(wb_schema["own_sheets"])
    looks_like: list[tuple[str, str]] = []
    rest = [sheet for sheet in book.sheets if sheet.title not in own]
    for reader in READERS:  # a sheet one reader takes is not offered to the next
        found = reader.check_sheets(rest, config)
        result.tables.extend(found)
        taken = {t.sheet for t in found}
        rest = [s for s in rest if s.title not in taken]
    for sheet in rest:
        kind = detect_kind(sheet, wb_schema["kinds"])
        if kind:
            looks_like.append((sheet.title, kind))
    _facts(result, book, config)
    if result.tables:
        result.kind = result.tables[0].kind
    elif looks_like:  # the words of an attachment, but no header its reader understands
        title, kind = looks_like[0]
        result.kind, result.status = kind, FAILED
        result.error = say("errors.no-header", file=result.display_path, sheet=title, kind=TITLES[kind],
                           hint=HINTS[kind])
    else:
        result.status = FAILED
        titles = [k.title for k in READERS]
        result.error = say("errors.no-table", file=result.display_path, kinds="、".join(titles[:-1]), last=titles[-1],
                           hints="，".join(k.hint for k in READERS))
    result.settle_status()
