"""What every format reader shares: putting a value and a merge on a sheet, and the number format of a
number that is only shown as text."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Iterable

from openpyxl.utils.cell import range_boundaries

from ..grid import Sheet, WorkbookError, a1
from .limits import active

RESAVE = "请用 Excel 或 WPS 打开后另存为 .xlsx 再提交"
#: number formats by the names Excel's HTML and SpreadsheetML use for them
NAMED_FORMATS = {"percent": "0.00%", "fixed": "0.00", "standard": "#,##0.00", "general number": "General",
                 "general": "General", "@": "@", "\\@": "@"}


def merge_ref(top: int, left: int, bottom: int, right: int) -> str:
    return f"{a1(top, left)}:{a1(bottom, right)}"


def put(sheet: Sheet, row: int, col: int, value: Any, fmt: str = "General") -> None:
    """A non-blank value and its number format at a 1-based position, extending the sheet."""
    if value is None or value == "":
        return
    sheet.values[(row, col)] = value
    sheet.formats[(row, col)] = fmt
    sheet.max_row = max(sheet.max_row, row)
    sheet.max_col = max(sheet.max_col, col)


def add_merges(sheet: Sheet, refs: Iterable[str]) -> None:
    """Record merged ranges (``A1:C2``) on a sheet: anchors, covered cells, and the extent."""
    lim = active()
    covered = 0
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_row is None or min_col is None:
            continue
        # a merge reaching past the last row or column a table may have is cut there (a merged
        # whole column is 10^6 cells); all merges together cover no more cells than a sheet may hold
        max_row, max_col = min(max_row, max(min_row, lim.rows)), min(max_col, max(min_col, lim.columns))
        covered += (max_row - min_row + 1) * (max_col - min_col + 1)
        if covered > lim.cells:
            raise WorkbookError(f"工作表“{sheet.title}”的合并单元格共覆盖 {covered:,} 个以上的单元格，超过可读取的上限"
                                f" {lim.cells:,} 个；这不是正常的附件，请检查后重新保存再提交")
        anchor = (min_row, min_col)
        sheet.span_of[anchor] = (max_row, max_col)
        for r in range(min_row, max_row + 1):
            for col in range(min_col, max_col + 1):
                if (r, col) != anchor:
                    sheet.anchor_of[(r, col)] = anchor
        sheet.max_row = max(sheet.max_row, max_row)
        sheet.max_col = max(sheet.max_col, max_col)


_SHOWN_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(%?)$")


def shown_number(text: str) -> tuple[int | float, str] | None:
    """A number displayed as ``text`` and the number format that displays it so (``96.86%`` ->
    ``(0.9686, "0.00%")``, ``1,234.50`` -> ``(1234.5, "#,##0.00")``); None for other text."""
    m = _SHOWN_NUMBER.match(text.strip())
    if not m:
        return None
    sign, whole, decimals, percent = m.groups()
    digits = f"{sign}{whole.replace(',', '')}" + (f".{decimals}" if decimals else "")
    value: int | float = float(digits) if decimals else int(digits)
    places = "." + "0" * len(decimals) if decimals else ""
    grouping = "#,##" if "," in whole else ""
    if percent:
        return float(Decimal(digits) / 100), f"0{places}%"
    if not decimals and not grouping:
        return value, "General"
    return value, f"{grouping}0{places}"
