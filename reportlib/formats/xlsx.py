"""A value reader for .xlsx / .xlsm: cached values, number formats and merges, straight from the XML.

It gives exactly what ``openpyxl.load_workbook(data_only=True)`` gives for those three things (ints
stay ints, date formats become datetimes, phonetic runs are left out), at a fraction of the cost,
because it builds no cell or style objects.  It never trusts the ``<dimension>`` record: WPS writes
``A1`` there for whole tables, and a reader that believes it sees one cell.  XML is parsed with
defusedxml, so entity expansion and external entities are refused.

Every formula cell's own formula goes into ``Sheet.formulas`` (shared formulas expanded to each cell).
A formula saved without a result (scripts, openpyxl, Apache POI) is put in ``Sheet.uncomputed`` with
its number format and no value; :mod:`.evaluate` then computes what it can.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from datetime import datetime
from typing import Any

from defusedxml import ElementTree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.cell import column_index_from_string, range_boundaries

from ..grid import Sheet, a1
from ..ooxml import PKG_REL_NS, kind as rel_kind, rels_name, resolve
from .common import add_merges
from .limits import CellBudget, read_part

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = f"{{{PKG_REL_NS}}}"
_REF = re.compile(r"([A-Z]+)([0-9]+)")
_V, _F = f"{MAIN}v", f"{MAIN}f"


def _xml(archive: zipfile.ZipFile, name: str):
    return ElementTree.fromstring(read_part(archive, name))


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part name) for a part, targets resolved against the part's folder."""
    name = rels_name(part)
    if name not in archive.NameToInfo:
        return {}
    out = {}
    for rel in _xml(archive, name).iter(f"{PKG_REL}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        out[rel.get("Id")] = (rel_kind(rel), resolve(posixpath.dirname(part), rel.get("Target", "")))
    return out


def _text(si) -> str:
    """The text of a shared or inline string: its runs, without phonetic (``rPh``) guides."""
    parts = []
    for child in si:
        if child.tag == f"{MAIN}t":
            parts.append(child.text or "")
        elif child.tag == f"{MAIN}r":
            parts.extend(t.text or "" for t in child.iter(f"{MAIN}t"))
    return "".join(parts)


def _formats(archive: zipfile.ZipFile, part: str | None) -> list[str]:
    """Number format code per cell style index (``cellXfs``)."""
    if not part or part not in archive.NameToInfo:
        return []
    root = _xml(archive, part)
    custom = {int(f.get("numFmtId")): f.get("formatCode", "General") for f in root.iter(f"{MAIN}numFmt")}
    xfs = root.find(f"{MAIN}cellXfs")
    codes = []
    for xf in (xfs if xfs is not None else []):
        fid = int(xf.get("numFmtId", 0) or 0)
        codes.append(custom.get(fid) or BUILTIN_FORMATS.get(fid, "General"))
    return codes


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    try:
        return int(text)
    except ValueError:
        return float(text)


def read(path) -> list[Sheet]:
    """Every worksheet of an .xlsx/.xlsm, in workbook order."""
    return load(path)[0]


def load(path) -> tuple[list[Sheet], datetime]:
    """Every worksheet of an .xlsx/.xlsm, and the workbook's date epoch (1900 or 1904), which
    :mod:`.evaluate` needs to turn dates into serial numbers and back."""
    with zipfile.ZipFile(path) as archive:
        root_rels = _rels(archive, "")
        main = next((t for kind, t in root_rels.values() if kind == "officeDocument"), "xl/workbook.xml")
        workbook = _xml(archive, main)
        pr = workbook.find(f"{MAIN}workbookPr")
        epoch = CALENDAR_MAC_1904 if pr is not None and pr.get("date1904") in ("1", "true") else CALENDAR_WINDOWS_1900
        rels = _rels(archive, main)
        by_kind = {kind: target for kind, target in rels.values()}
        strings = []
        if by_kind.get("sharedStrings") in archive.NameToInfo:
            strings = [_text(si) for si in _xml(archive, by_kind["sharedStrings"]).iter(f"{MAIN}si")]
        formats = _formats(archive, by_kind.get("styles"))
        sheets, blanks, cached = [], [], False
        budget = CellBudget()
        for entry in workbook.iter(f"{MAIN}sheet"):
            kind, part = rels.get(entry.get(f"{REL}id"), ("", ""))
            if kind != "worksheet" or part not in archive.NameToInfo:
                continue  # chartsheets and dialog sheets hold no cells
            sheet = Sheet(title=entry.get("name", ""))
            blank, has_cached = _fill(sheet, _xml(archive, part), strings, formats, epoch, budget)
            sheets.append(sheet)
            blanks.append(blank)
            cached = cached or has_cached
        # ``<f>..</f><v></v>`` is what openpyxl writes for every formula (it never has results), and
        # what xlsxwriter writes for a result given as "" (a blank).  In a workbook whose other
        # formulas carry results, the writer computed them, so the empty one is its blank result.
        if not cached:
            for sheet, blank in zip(sheets, blanks):
                for pos, fmt in blank.items():
                    sheet.uncomputed.add(pos)
                    sheet.formats[pos] = fmt
        return sheets, epoch


def _fill(sheet, root, strings: list[str], formats: list[str], epoch, budget: CellBudget) -> tuple[dict, bool]:
    """Put a worksheet's cells on ``sheet``.  Returns the formula cells whose result is an empty
    ``<v>`` (position -> number format), for :func:`load` to judge, and whether any formula
    cell had a result."""
    data = root.find(f"{MAIN}sheetData")
    row_no = 0
    shared: dict[str, Any] = {}  # shared formula id -> (master formula, master cell), later its Translator
    blank: dict = {}
    cached = False
    lim, used = budget.limits, budget.used
    for row in (data if data is not None else []):
        if sheet.max_row > lim.rows or sheet.max_col > lim.columns or used + len(sheet.values) > lim.cells:
            break  # refused below; checked once a row, not once a cell
        row_no = int(row.get("r") or row_no + 1)
        col_no = 0
        for c in row:
            ref = c.get("r")
            if ref:
                m = _REF.match(ref)
                col_no, row_no = column_index_from_string(m.group(1)), int(m.group(2))
            else:
                col_no += 1
            value = _value(c, strings)
            if value is None:
                if len(c):  # not a styled empty cell (the commonest kind): a formula without a result?
                    cached = _no_result(sheet, (row_no, col_no), c, shared, blank, formats) or cached
                elif sheet.uncomputed and (row_no, col_no) in sheet.uncomputed:
                    sheet.formats[(row_no, col_no)] = _style(c, formats)  # a cell of an array range
                continue
            pos = (row_no, col_no)
            if len(c) > 1 and (f := c.find(_F)) is not None:  # a lone <v> is no formula: no second look
                cached = True
                if f.text and f.get("t") is None:  # the common case (not shared, not array), inline for speed
                    sheet.formulas[pos] = "=" + f.text
                else:
                    _record(sheet, pos, f, shared)
            fmt = formats[int(c.get("s"))] if c.get("s") and int(c.get("s")) < len(formats) else "General"
            if isinstance(value, (int, float)) and not isinstance(value, bool) and is_date_format(fmt):
                try:
                    value = from_excel(value, epoch)
                except (ValueError, OverflowError):
                    pass
            sheet.values[pos] = value
            sheet.formats[pos] = fmt
            sheet.max_row = max(sheet.max_row, row_no)
            sheet.max_col = max(sheet.max_col, col_no)
    budget.check_sheet(sheet, len(sheet.values))
    if sheet.uncomputed:
        sheet.uncomputed.difference_update(sheet.values)  # cells of an array range that do have results
    merges = root.find(f"{MAIN}mergeCells")
    add_merges(sheet, (m.get("ref") for m in (merges if merges is not None else []) if m.get("ref")))
    return blank, cached


def _style(c, formats: list[str]) -> str:
    """A cell's number format code from its style index."""
    s = c.get("s")
    return formats[int(s)] if s and int(s) < len(formats) else "General"


def _record(sheet: Sheet, pos, f, shared: dict) -> None:
    """A formula cell's own formula into ``sheet.formulas``: a shared formula's dependent gets the
    master's moved to its cell."""
    text = f.text or ""
    if f.get("t") == "shared" and f.get("si") is not None:
        si = f.get("si")
        if text:
            shared[si] = ("=" + text, a1(*pos))  # the master; Excel writes it first
        elif si in shared:
            text = _shared(shared, si, pos)
    if text:
        sheet.formulas[pos] = text if text.startswith("=") else "=" + text


def _no_result(sheet: Sheet, pos, c, shared: dict, blank: dict, formats: list[str]) -> bool:
    """A cell with children but no value: if it holds a formula, record it, and put it with its
    number format in ``sheet.uncomputed`` (no ``<v>``) or in ``blank`` (an empty ``<v>``).
    Returns whether the cell holds a result after all (Excel's empty string)."""
    f = c.find(_F)
    if f is None:
        if pos in sheet.uncomputed:
            sheet.formats[pos] = _style(c, formats)  # a cell of an array range
        return False
    _record(sheet, pos, f, shared)
    v = c.find(_V)
    if v is not None and c.get("t") == "str":
        return True  # Excel's own empty-string result: ``t="str"`` and an empty ``<v>``, a blank
    if v is not None:
        blank[pos] = _style(c, formats)
        return False
    sheet.uncomputed.add(pos)
    sheet.formats[pos] = _style(c, formats)
    if f.get("t") == "array" and f.get("ref"):
        _array_cells(sheet, f.get("ref"), pos)
    return False


def _shared(shared: dict, si: str, pos) -> str:
    """A dependent's own formula: the master's, moved from the master's cell to this one."""
    from openpyxl.formula.translate import Translator  # only workbooks with shared formulas need it
    try:
        if isinstance(shared[si], tuple):
            master, shared[si] = shared[si], None  # None if the master cannot even be tokenized
            shared[si] = Translator(*master)
        return shared[si].translate_formula(a1(*pos)) if shared[si] is not None else ""
    except Exception:  # a reference moved off the sheet (Excel shows #REF!): no text can be made
        return ""


def _array_cells(sheet: Sheet, ref: str, pos) -> None:
    """The other cells of a multi-cell array formula saved without results are unknown too."""
    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if (max_row - min_row + 1) * (max_col - min_col + 1) > 10_000:
            return  # a hostile ``ref`` must not make the reader list millions of cells
    except (ValueError, TypeError):  # not a range, or whole rows/columns
        return
    sheet.uncomputed.update((r, c) for r in range(min_row, max_row + 1)
                            for c in range(min_col, max_col + 1) if (r, c) != pos)


def _value(c, strings: list[str]) -> Any:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        node = c.find(f"{MAIN}is")
        return _text(node) if node is not None else None
    v = c.find(_V)
    if v is None or v.text is None:
        return None
    text = v.text
    if kind == "s":
        index = int(text)
        return strings[index] if 0 <= index < len(strings) else None
    if kind == "b":
        return text.strip() in ("1", "true")
    if kind in ("str", "e"):
        return text
    if kind == "d":
        return text
    try:
        return _number(text)
    except ValueError:
        return text
