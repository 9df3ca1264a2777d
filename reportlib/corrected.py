"""Writing the corrected workbook: the input's own layout, live formulas with cached values,
highlighted corrections with comments, and a 问题清单 sheet.

An .xlsx/.xlsm input is edited in its own XML (:mod:`.xlsxedit`): every part the corrections do not
touch is kept byte for byte, pictures and charts included, in a tenth of the time of a load and save.
Where that editor declines (see ``xlsxedit.Unsupported``) and for inputs of other formats, openpyxl
builds the copy: it keeps the input's sheets, merges, widths, styles and validations, and writes
formulas without cached values, so those are put into the sheet XML afterwards.  Either way any
reader (pandas, this tool, a viewer that does not recalculate) sees the numbers.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import warnings
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook as OpenpyxlWorkbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.hyperlink import Hyperlink

from . import xlsxedit
from .findings import CATALOGUE, Finding
from .fsio import atomic_write
from .ooxml import relationships, resolve, unescape
from .fixes import FIX, REVIEW, CellFix, kept_range
from .grid import Workbook, a1
from .labels import SEVERITY
from .messages import say

log = logging.getLogger(__name__)

ISSUES_SHEET = "问题清单"
AUTHOR = "绩效表格校核"
COLOURS = {FIX: "FFFFFF00", REVIEW: "FFFFC7CE"}  # yellow: corrected; pink: to be looked at
#: the 问题清单 columns and the widest each may grow to fit its content (longer texts wrap);
#: the code, for those who filter or look it up, last
HEADERS = ["序号", "问题", "级别", "工作表", "单元格", "原值", "应为", "说明", "代码"]
WIDEST = [6, 30, 6, 16, 10, 14, 14, 70, 26]
CELL_COL = 5  # 1-based: the 单元格 column links to the cell
SEVERITY_ZH = SEVERITY


def set_text(cell, text: Any) -> None:
    """Write input text as text: a value like ``=HYPERLINK(...)`` must never become a formula."""
    cell.value = None if text is None else str(text)
    if text is not None:
        cell.data_type = "s"


def write_corrected(source: Path, target: Path, grid: Workbook, fixes: list[CellFix],
                    findings: list[Finding]) -> None:
    """Write the corrected copy of ``source`` to ``target`` atomically; ``source`` is never touched."""
    data = None
    if grid.format == "xlsx":
        try:
            data = _edited(Path(source).read_bytes(), fixes, findings, grid)
        except xlsxedit.Unsupported as exc:
            log.debug("%s: editing the XML in place declined (%s); loading it with openpyxl", source, exc)
    atomic_write(target, data if data is not None else _rebuilt(source, grid, fixes, findings))


def _cell_edits(fixes: list[CellFix], grid: Workbook | None = None) -> tuple[dict, dict]:
    """What the fixes do to each cell, by sheet and position: the value (a later fix wins), its fill and
    number format, and the comment (notes of several fixes to one cell joined).

    Only a corrected cell (yellow) gets a new value; a cell for review (pink) keeps its value, and a
    derived cell that agrees is not touched at all, so the input's own formulas stay as they were.  A
    formula written over a cell that held one never sums fewer cells than the input's did."""
    sheets = {s.title: s for s in grid.sheets} if grid is not None else {}
    edits: dict[str, dict[tuple[int, int], xlsxedit.CellEdit]] = {}
    notes: dict[str, dict[tuple[int, int], str]] = {}
    for fix in fixes:
        if fix.mark is None and not fix.note:
            continue
        edit = edits.setdefault(fix.sheet, {}).setdefault(fix.pos, xlsxedit.CellEdit())
        note = fix.note
        if fix.mark == FIX:
            formula = fix.formula
            sheet = sheets.get(fix.sheet)
            if formula is not None and sheet is not None and fix.pos in sheet.formulas:
                formula = kept_range(sheet.formulas[fix.pos], formula, lambda pos: sheet.raw(*pos) in (None, ""))
                if formula is None:  # the input sums cells the correction leaves out: nothing safe to write
                    fix.mark, note = REVIEW, say("note.formula-range", formula=sheet.formulas[fix.pos], note=fix.note)
            if fix.mark == FIX:
                edit.value, edit.formula = fix.value, formula
                if fix.number_format:
                    edit.number_format = fix.number_format
        if fix.mark:
            edit.fill = COLOURS[fix.mark]
        if note:
            cell_notes = notes.setdefault(fix.sheet, {})
            cell_notes[fix.pos] = f"{cell_notes[fix.pos]}\n{note}" if fix.pos in cell_notes else note
    return edits, notes


def _issue_rows(findings: list[Finding], sheets) -> list[tuple[list, str | None]]:
    """The 问题清单 rows under the header: (values, the cell the 单元格 column links to, if it is in ``sheets``)."""
    rows = []
    for n, f in enumerate(findings, 1):
        target = f.cell or (f.range.split(":")[0] if f.range else None)
        values = [n, CATALOGUE[f.code][1], SEVERITY_ZH.get(f.severity, f.severity), f.sheet, f.cell or f.range,
                  None if f.found is None else str(f.found), None if f.expected is None else str(f.expected),
                  f.message, f.code]
        rows.append((values, f"{_quoted(f.sheet)}!{target}" if target and f.sheet in sheets else None))
    return rows


def _edited(data: bytes, fixes: list[CellFix], findings: list[Finding], grid: Workbook | None = None) -> bytes:
    """The corrected copy made by editing the input package's XML."""
    book = xlsxedit.Workbook(data)
    edits, notes = _cell_edits(fixes, grid)
    for title, cells in edits.items():
        book.edit_cells(title, cells)
    for title, cells in notes.items():
        book.add_comments(title, cells, AUTHOR)
    issues = _issue_rows(findings, book.sheets)
    rows: list[list] = [[xlsxedit.CellEdit(h, font="bold", border=True) for h in HEADERS]]
    links = {}
    for values, link in issues:
        cells = [xlsxedit.CellEdit(v, border=True, wrap=True) for v in values]
        if link:
            cells[CELL_COL - 1].font = "link"
            links[f"{get_column_letter(CELL_COL)}{len(rows) + 1}"] = link
        rows.append(cells)
    widths = _widths([v for v, _ in issues])
    book.add_sheet(xlsxedit.NewSheet(ISSUES_SHEET, rows, widths, freeze_header=True, auto_filter=bool(findings),
                                     links=links, fit_width=True, heights=_heights([v for v, _ in issues], widths)))
    return book.save()


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _rebuilt(source: Path, grid: Workbook, fixes: list[CellFix], findings: list[Finding]) -> bytes:
    """The corrected copy made by openpyxl: a load (or, for other formats, a new workbook from what was
    read) and a save."""
    book = _editable(source, grid)
    cached: dict[str, dict[str, Any]] = {}
    for sheet in grid.sheets:  # keep the input's own cached results for formulas we leave alone
        if sheet.title in book.sheetnames:
            ws = book[sheet.title]
            cached[sheet.title] = {
                a1(*pos): value for pos, value in sheet.values.items()
                if isinstance(ws.cell(*pos).value, str) and ws.cell(*pos).data_type == "f"
            }
    edits, notes = _cell_edits(fixes, grid)
    for title, cells in edits.items():
        ws = book[title]
        for pos, edit in cells.items():
            cell = ws.cell(*pos)
            if edit.formula is not None:
                cell.value = edit.formula
                cached.setdefault(title, {})[a1(*pos)] = edit.value
            elif edit.value is not xlsxedit.KEEP:
                cell.value = edit.value
                cached.get(title, {}).pop(a1(*pos), None)
            if edit.number_format:
                cell.number_format = edit.number_format
            if edit.fill:
                cell.fill = PatternFill("solid", fgColor=edit.fill)
    for title, cells in notes.items():
        for pos, note in cells.items():
            cell = book[title].cell(*pos)
            comment = Comment(note if cell.comment is None else f"{cell.comment.text}\n{note}", AUTHOR)
            comment.width, comment.height = 320, 140
            cell.comment = comment
    if ISSUES_SHEET in book.sheetnames:
        del book[ISSUES_SHEET]
    _issues_sheet(book, findings)
    buffer = io.BytesIO()
    book.save(buffer)
    return _inject_cached(buffer.getvalue(), cached)


def _editable(source: Path, grid: Workbook):
    """The input as an openpyxl workbook to correct: the file itself when it is an .xlsx/.xlsm (its
    styles, widths and validations kept), else a new workbook holding the values, number formats and
    merges that were read from it (.xls, HTML, SpreadsheetML, .ods), so the copy is always .xlsx."""
    if grid.format == "xlsx":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # from bytes: openpyxl refuses a path whose suffix is not .xlsx/.xlsm, and an .xlsx may be misnamed
            return load_workbook(io.BytesIO(Path(source).read_bytes()))
    book = OpenpyxlWorkbook()
    book.remove(book.active)
    for sheet in grid.sheets:
        ws = book.create_sheet(sheet.title)
        for (row, col), value in sheet.values.items():
            cell = ws.cell(row, col)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
            fmt = sheet.formats.get((row, col))
            if fmt and fmt != "General":
                cell.number_format = fmt
        for (top, left), (bottom, right) in sheet.span_of.items():
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    if not book.sheetnames:
        book.create_sheet("Sheet1")
    return book


def _width(value) -> int:
    """How wide a text shows, in the units of a column width: a CJK character is two."""
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(rows: list[list]) -> list[float]:
    """Column widths that fit the headers and the values, up to ``WIDEST``."""
    return [min(widest, max(_width(v) for v in [header] + [r[c] for r in rows]) + 2)
            for c, (header, widest) in enumerate(zip(HEADERS, WIDEST))]


def _heights(rows: list[list], widths: list[float]) -> dict[int, float]:
    """Row heights (points) that show every line of the wrapped cells, for the rows that need more than
    one (a spreadsheet does not grow a row it did not lay out itself)."""
    out = {}
    for n, values in enumerate(rows, 2):
        lines = max(-(-_width(v) // max(1, int(w) - 2)) for v, w in zip(values, widths))
        if lines > 1:
            out[n] = 15.0 * lines
    return out


def _issues_sheet(book, findings: list[Finding]) -> None:
    ws = book.create_sheet(ISSUES_SHEET)
    issues = _issue_rows(findings, book.sheetnames)
    line = Side(style="thin")
    box = Border(left=line, right=line, top=line, bottom=line)
    widths = _widths([v for v, _ in issues])
    heights = _heights([v for v, _ in issues], widths)
    for col, (header, width) in enumerate(zip(HEADERS, widths), 1):
        cell = ws.cell(1, col)
        set_text(cell, header)
        cell.font, cell.border = Font(bold=True), box
        ws.column_dimensions[cell.column_letter].width = width
    for row, (values, link) in enumerate(issues, 2):
        ws.cell(row, 1).value = values[0]
        for col, value in enumerate(values[1:], 2):
            set_text(ws.cell(row, col), value)
        for col in range(1, len(HEADERS) + 1):
            ws.cell(row, col).border = box
        if link:
            cell = ws.cell(row, CELL_COL)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link)
            cell.font = Font(color="0563C1", underline="single")
        for col in range(1, len(HEADERS) + 1):
            ws.cell(row, col).alignment = Alignment(wrap_text=True, vertical="top")
        if row in heights:
            ws.row_dimensions[row].height = heights[row]
    ws.freeze_panes = "A2"
    ws.page_setup.paperSize, ws.page_setup.orientation = 9, "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if findings:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{len(findings) + 1}"


_SHEET_TAG = re.compile(r'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
# openpyxl leaves the value empty: ``<v/>`` with the standard library's writer, ``<v></v>`` with lxml's
_FORMULA_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)?</c>', re.S)


def _inject_cached(data: bytes, cached: dict[str, dict[str, Any]]) -> bytes:
    """Put cached values into formula cells of the saved workbook (openpyxl leaves ``<v/>``)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    workbook_xml = src.read("xl/workbook.xml").decode("utf-8")
    rels_xml = src.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    targets = {r["Id"]: resolve("xl", unescape(r.get("Target", ""))) for r in relationships(rels_xml) if "Id" in r}
    parts = {targets[rid]: unescape(name) for name, rid in _SHEET_TAG.findall(workbook_xml) if rid in targets}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            values = cached.get(parts.get(item.filename, ""), {})
            if values:
                body = _FORMULA_CELL.sub(lambda m: _with_value(m, values), body.decode("utf-8")).encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def _with_value(match: re.Match, values: dict[str, Any]) -> str:
    ref, attrs, formula = match.groups()
    value = values.get(ref)
    if value is None:
        return match.group(0)
    attrs = re.sub(r'\s+t="[^"]*"', "", attrs)
    if isinstance(value, bool):
        return f'<c r="{ref}"{attrs} t="b"><f>{formula}</f><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{attrs}><f>{formula}</f><v>{repr(float(value)) if isinstance(value, float) else value}</v></c>'
    return f'<c r="{ref}"{attrs} t="str"><f>{formula}</f><v>{escape(str(value))}</v></c>'
