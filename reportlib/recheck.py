"""Do no harm: a corrected workbook is checked again, in memory, before it is written.

The corrections of a file are applied to a copy of what was read, and the copy is checked as the
input was.  Every error the copy still shows must be a finding of the first check left for a person
(a pink cell, or a finding about a whole table).  When a sheet's corrections leave an error the first
check did not leave for review, or bring a new one, none of that sheet's corrections is written:
each becomes a review item with its evidence, and the sheet comes back as it was, marked.  So a
corrected workbook that its own check rejects never leaves the tool.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from .fixes import FIX, REVIEW, CellFix
from .grid import Workbook
from .messages import say
from .results import FileResult
from .schema import Config

log = logging.getLogger(__name__)

HELD = say("held.recheck")


def corrected_copy(book: Workbook, fixes: list[CellFix]) -> Workbook:
    """What the corrected workbook will show: the read values with every correction applied."""
    changed: dict[str, list[CellFix]] = {}
    for fix in fixes:
        if fix.mark == FIX:
            changed.setdefault(fix.sheet, []).append(fix)
    sheets = []
    for sheet in book.sheets:
        mine = changed.get(sheet.title)
        if not mine:
            sheets.append(sheet)
            continue
        copy = replace(sheet, values=dict(sheet.values), formats=dict(sheet.formats))
        for fix in mine:
            copy.values[fix.pos] = fix.value
            if fix.number_format:
                copy.formats[fix.pos] = fix.number_format
        sheets.append(copy)
    return Workbook(book.path, sheets, book.format)


def settle(result: FileResult, book: Workbook, config: Config) -> list[CellFix]:
    """The file's fixes after the re-check: corrections the copy does not bear out become review items."""
    from .audit import check_tables  # the re-check is the same check as the first

    fixes = [x for t in result.tables for x in t.fixes]
    if not any(x.mark == FIX for x in fixes):
        return fixes
    again = FileResult(path=result.path, display_path=result.display_path)
    try:
        check_tables(again, corrected_copy(book, fixes), config)
    except Exception:  # a re-check that cannot run proves nothing: keep nothing unproven
        log.debug("re-checking %s failed", result.display_path, exc_info=True)
        return _hold(fixes, {x.sheet for x in fixes})
    corrected = {(x.sheet, x.pos) for x in fixes if x.mark == FIX}
    held = {(x.sheet, x.pos) for x in fixes if x.mark == REVIEW}
    left = {(f.code, f.sheet, f.cell) for f in result.findings}
    refused: set[str | None] = set()
    for f in again.findings:
        if f.severity != "error":
            continue
        pos = _pos(f.cell)
        if (f.code, f.sheet, f.cell) in left and (pos is None or (f.sheet, pos) not in corrected):
            continue  # what the first check left for a person, found again
        refused.add(f.sheet)
        log.debug("%s: re-check of the corrected copy finds %s at %s!%s", result.display_path, f.code, f.sheet, f.cell)
    found_again = {(f.code, f.sheet, f.cell) for f in again.findings}
    for f in result.findings:  # a cell left for a person must still say so when checked again
        if f.severity == "error" and (f.sheet, _pos(f.cell)) in held and (f.code, f.sheet, f.cell) not in found_again:
            refused.add(f.sheet)
            log.debug("%s: the corrected copy no longer shows %s at %s!%s", result.display_path, f.code, f.sheet, f.cell)
    for table, other in zip(result.tables, again.tables):
        if table.sheet == other.sheet and _figures(table.figures) != _figures(other.figures):
            refused.add(table.sheet)
    return _hold(fixes, refused) if refused else fixes


FIGURES = ("satisfaction", "respondents", "total_score", "grade", "budget", "arrived", "spent", "balance")


def _figures(figures: dict) -> tuple:
    return tuple(figures.get(k) for k in FIGURES)


def _hold(fixes: list[CellFix], sheets: set[str | None]) -> list[CellFix]:
    """Turn the corrections of these sheets back into review items, their values kept (in place, so
    the draft's list of corrections sees it too)."""
    for fix in fixes:
        if fix.mark == FIX and fix.sheet in sheets:
            fix.mark = REVIEW
            fix.note = say("note.review", note=f"{HELD}\n{fix.note}" if fix.note else HELD)
    return fixes


def _pos(cell: str | None):
    if not cell:
        return None
    from openpyxl.utils.cell import coordinate_to_tuple
    try:
        return coordinate_to_tuple(cell)
    except ValueError:
        return None
