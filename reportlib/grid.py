"""Reading a workbook into plain grids: values, number formats and merged ranges per sheet.

Every attachment reader works on these grids, so they all see merged labels, A1 references and
display precision the same way.  Reading is defensive: defusedxml is imported so openpyxl refuses
XML bombs, and every failure becomes a :class:`WorkbookError` with a Chinese reason.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import defusedxml  # noqa: F401  -- openpyxl switches to defused parsing when it is installed
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .values import Parsed, label_key, normalise_text, parse_cell

Pos = tuple[int, int]  # (row, column), 1-based like Excel


class WorkbookError(Exception):
    """A workbook that cannot be read; the message is for the person who sent it."""


def a1(row: int, col: int) -> str:
    """``(12, 3)`` -> ``C12``."""
    return f"{get_column_letter(col)}{row}"


def a1_range(top: Pos, bottom: Pos) -> str:
    return a1(*top) if top == bottom else f"{a1(*top)}:{a1(*bottom)}"


@dataclass
class Sheet:
    """One worksheet's cell values (cached results for formulas) and layout facts."""

    title: str
    values: dict[Pos, Any] = field(default_factory=dict)
    formats: dict[Pos, str] = field(default_factory=dict)
    anchor_of: dict[Pos, Pos] = field(default_factory=dict)  # covered cell -> merge anchor
    span_of: dict[Pos, Pos] = field(default_factory=dict)  # merge anchor -> bottom-right
    max_row: int = 0
    max_col: int = 0

    def raw(self, row: int, col: int) -> Any:
        """The value stored in this very cell (``None`` for cells covered by a merge)."""
        return self.values.get((row, col))

    def shown(self, row: int, col: int) -> Any:
        """The value a reader sees at this position: a merged range shows its anchor's value."""
        pos = self.anchor_of.get((row, col), (row, col))
        return self.values.get(pos)

    def parsed(self, row: int, col: int) -> Parsed:
        """This cell's own value parsed with its number format."""
        return parse_cell(self.values.get((row, col)), self.formats.get((row, col)))

    def label(self, row: int, col: int) -> str:
        """The normalised label shown at a position (merged ranges included)."""
        value = self.shown(row, col)
        return label_key(value) if isinstance(value, str) else ""

    def is_covered(self, row: int, col: int) -> bool:
        return (row, col) in self.anchor_of

    def merge_of(self, row: int, col: int) -> tuple[Pos, Pos] | None:
        """The merged range containing a position, as (anchor, bottom-right), if any."""
        anchor = self.anchor_of.get((row, col), (row, col))
        if anchor in self.span_of:
            return anchor, self.span_of[anchor]
        return None

    def texts(self) -> Iterator[tuple[Pos, str]]:
        """Every text cell, in reading order."""
        for pos in sorted(self.values):
            value = self.values[pos]
            if isinstance(value, str) and value.strip():
                yield pos, value


def scan_tables(sheet: Sheet, read_at: Callable[[int], Any]) -> list[Any]:
    """Tables top to bottom: ``read_at(row)`` returns a table starting at that row (with a
    ``last_row``) or None; the scan goes on below each table found."""
    tables, row = [], 1
    while row <= sheet.max_row:
        table = read_at(row)
        if table is None:
            row += 1
        else:
            tables.append(table)
            row = max(row, table.last_row) + 1
    return tables


def text_below(sheet: Sheet, row: int, rows: int = 8) -> list[str]:
    """The text of the rows just below a table (its notes), normalised, in reading order."""
    notes = []
    for r in range(row + 1, min(sheet.max_row, row + rows) + 1):
        notes.extend(normalise_text(v) for c in range(1, sheet.max_col + 1)
                     if isinstance(v := sheet.raw(r, c), str) and v.strip())
    return notes


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]


def read_workbook(path: Path) -> Workbook:
    """Read every sheet's cached values, formats and merges; raise :class:`WorkbookError`."""
    path = Path(path)
    reason = _sniff(path)
    if reason:
        raise WorkbookError(reason)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, data_only=True)
    except zipfile.BadZipFile as exc:
        raise WorkbookError("文件已损坏或不是有效的 Excel 工作簿，请重新导出为 .xlsx 后提交") from exc
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise WorkbookError(_reason(exc)) from exc
    sheets = []
    for ws in book.worksheets:
        sheet = Sheet(title=ws.title)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                pos = (cell.row, cell.column)
                sheet.values[pos] = cell.value
                sheet.formats[pos] = cell.number_format
                sheet.max_row = max(sheet.max_row, cell.row)
                sheet.max_col = max(sheet.max_col, cell.column)
        for merged in ws.merged_cells.ranges:
            anchor = (merged.min_row, merged.min_col)
            sheet.span_of[anchor] = (merged.max_row, merged.max_col)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col, merged.max_col + 1):
                    if (r, c) != anchor:
                        sheet.anchor_of[(r, c)] = anchor
            sheet.max_row = max(sheet.max_row, merged.max_row)
            sheet.max_col = max(sheet.max_col, merged.max_col)
        sheets.append(sheet)
    book.close()
    return Workbook(path=path, sheets=sheets)


def _reason(exc: BaseException) -> str:
    """A one-line Chinese reason for an exception raised while opening a workbook."""
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    if any(type(e).__module__.startswith("defusedxml") for e in chain):
        return "工作簿含有不安全的 XML 内容（实体扩展等），已拒绝读取；请用 Excel 或 WPS 打开后另存为 .xlsx 再提交"
    names = "、".join(dict.fromkeys(type(e).__name__ for e in chain))
    return f"工作簿内部结构损坏，无法读取（{names}）；请用 Excel 或 WPS 打开后另存为 .xlsx 再提交"


def _sniff(path: Path) -> str | None:
    """A reason the file is not an .xlsx workbook, judged from its first bytes, or None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return f"无法打开文件（{exc.strerror or exc}）"
    if not head:
        return "文件为空（0 字节），请重新保存后提交"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("文件是加密的工作簿或旧版 .xls/.et 格式，本工具无法读取；"
                "请取消密码保护，或用 Excel/WPS 另存为 .xlsx 后重新提交")
    if head.startswith(b"%PDF"):
        return "文件实际是 PDF，不是 Excel 工作簿；请提交原始 .xlsx 表格"
    if not head.startswith(b"PK"):
        return "文件不是 Excel 工作簿（.xlsx）；请用 Excel 或 WPS 另存为 .xlsx 后重新提交"
    return None
