"""OpenDocument spreadsheets (.ods): repeated rows and cells, spans as merges, and the number format
taken from the text each cell displays."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from ..grid import Sheet
from .common import add_merges, merge_ref, put, shown_number
from .limits import CellBudget, read_part


TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ROW_GROUPS = {f"{TABLE}table-header-rows", f"{TABLE}table-rows", f"{TABLE}table-row-group"}
_CELLS = {f"{TABLE}table-cell", f"{TABLE}covered-table-cell"}


def read(path: Path) -> list[Sheet]:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(read_part(archive, "content.xml"))
    sheets: list[Sheet] = []
    budget = CellBudget()
    for table in root.iter(f"{TABLE}table"):
        sheet = Sheet(title=table.get(f"{TABLE}name") or f"Sheet{len(sheets) + 1}")
        merges: list[str] = []
        r = 0
        for row in _ods_rows(table):
            repeat = min(int(row.get(f"{TABLE}number-rows-repeated") or 1), 1_048_576)
            has_content = any(_ods_has_value(c) or c.get(f"{TABLE}number-columns-spanned")
                              or c.get(f"{TABLE}number-rows-spanned") for c in row if c.tag in _CELLS)
            for _ in range(repeat if has_content else 1):
                r += 1
                _ods_row(sheet, row, r, merges, budget)
            if not has_content:
                r += repeat - 1
        add_merges(sheet, merges)
        sheets.append(sheet)
    return sheets


def _ods_rows(node):
    for child in node:
        if child.tag == f"{TABLE}table-row":
            yield child
        elif child.tag in _ROW_GROUPS:
            yield from _ods_rows(child)


def _ods_has_value(cell) -> bool:
    return cell.get(f"{OFFICE}value-type") is not None or cell.find(f"{TEXT}p") is not None


def _ods_row(sheet: Sheet, row, r: int, merges: list[str], budget: CellBudget) -> None:
    c = 0
    for cell in row:
        if cell.tag not in _CELLS:
            continue
        repeat = min(int(cell.get(f"{TABLE}number-columns-repeated") or 1), 16_384)
        if not _ods_has_value(cell) or cell.tag != f"{TABLE}table-cell":
            c += repeat
            continue
        for _ in range(repeat):
            c += 1
            value, fmt = _ods_value(cell)
            put(sheet, r, c, value, fmt)
            budget.check(sheet, r, c)  # a row repeated 10^6 times is refused, not expanded
            cols = int(cell.get(f"{TABLE}number-columns-spanned") or 1)
            rows = int(cell.get(f"{TABLE}number-rows-spanned") or 1)
            if cols > 1 or rows > 1:
                merges.append(merge_ref(r, c, r + rows - 1, c + cols - 1))


def _ods_value(cell) -> tuple[Any, str]:
    text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{TEXT}p"))
    kind = cell.get(f"{OFFICE}value-type")
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(f"{OFFICE}value") or "0"
        value: Any = float(raw)
        if value.is_integer() and re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        shown = shown_number(text.replace("¥", "").replace("￥", ""))
        return value, shown[1] if shown else ("0.00%" if kind == "percentage" else "General")
    if kind == "boolean":
        return cell.get(f"{OFFICE}boolean-value") == "true", "General"
    if kind == "date":
        try:
            return datetime.fromisoformat(cell.get(f"{OFFICE}date-value", "")[:19]), "yyyy-mm-dd"
        except ValueError:
            return text, "General"
    return text, "General"
