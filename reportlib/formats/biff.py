"""Legacy .xls (BIFF, Excel 97-2003) through xlrd, with number formats and merges; and telling encrypted
workbooks and WPS .et files, which are compound files too, apart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.styles.numbers import is_date_format

from ..grid import Sheet, WorkbookError
from .common import RESAVE, add_merges, merge_ref, put
from .limits import CellBudget


def read(path: Path) -> list[Sheet]:
    with path.open("rb") as fh:
        data = fh.read()
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise WorkbookError("工作簿设置了打开密码（已加密），无法读取；请取消密码保护后另存为 .xlsx 再提交")
    if path.suffix.lower() == ".et":
        raise WorkbookError("WPS 表格格式（.et）无法读取；请在 WPS 中“另存为” Excel 工作簿（.xlsx）后重新提交")
    import xlrd  # only for legacy .xls

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except Exception as exc:  # xlrd raises its own and struct errors on damaged compound files
        if "encrypt" in str(exc).lower():
            raise WorkbookError("工作簿设置了密码（已加密），无法读取；请取消密码保护后另存为 .xlsx 再提交") from exc
        raise WorkbookError("文件是旧版 Office 格式（.xls）或加密的工作簿，但无法解析；如设置了密码请取消密码保护，"
                            f"否则{RESAVE}") from exc
    try:
        budget, sheets = CellBudget(), []
        for i in range(book.nsheets):
            sheets.append(_xls_sheet(book, book.sheet_by_index(i)))
            budget.check_sheet(sheets[-1], len(sheets[-1].values))
        return sheets
    finally:
        book.release_resources()


def _xls_sheet(book, ws) -> Sheet:
    import xlrd

    sheet = Sheet(title=ws.name)
    for r in range(ws.nrows):
        for c in range(ws.ncols):
            cell = ws.cell(r, c)
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                continue
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None else None
            fmt = book.format_map[xf.format_key].format_str if xf is not None and xf.format_key in book.format_map \
                else "General"
            value: Any = cell.value
            if cell.ctype == xlrd.XL_CELL_NUMBER:
                value = int(value) if float(value).is_integer() and abs(value) < 2**53 else value
                if is_date_format(fmt):
                    value = _xls_date(value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_DATE:
                value = _xls_date(value, book.datemode)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#N/A")
            put(sheet, r + 1, c + 1, value, fmt)
    add_merges(sheet, (merge_ref(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells))
    return sheet


def _xls_date(value: float, datemode: int) -> Any:
    import xlrd

    try:
        return xlrd.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return value
