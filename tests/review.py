"""What a corrected workbook left for a person: its pink cells, which a re-check still flags."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

PINK = "FFC7CE"


def review_cells(path: Path) -> set[tuple[str, str]]:
    """(sheet, A1) of every cell the tool marked for review (pink) in a corrected workbook."""
    book = load_workbook(path)
    return {(ws.title, cell.coordinate) for ws in book.worksheets for row in ws.iter_rows() for cell in row
            if cell.fill is not None and cell.fill.fgColor is not None and str(cell.fill.fgColor.rgb).endswith(PINK)}


def unexplained_errors(again, first, path: Path) -> list[tuple[str, str | None]]:
    """Errors a re-check of a corrected workbook finds that are not the first run's findings left for
    review at a pink cell (or about a whole table, as before)."""
    pink = review_cells(path)
    before = {(f.code, f.sheet, f.cell) for f in first.findings}
    return [(f.code, f.cell) for f in again.findings if f.severity == "error"
            and not ((f.code, f.sheet, f.cell) in before and ((f.sheet, f.cell) in pink or f.cell is None))]
