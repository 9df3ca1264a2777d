"""SpreadsheetML 2003 (XML Spreadsheet), what WPS and web systems save as .xls: ``ss:Index`` skips,
``MergeAcross`` / ``MergeDown`` merges and the styles' number formats."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from ..grid import Sheet
from .common import NAMED_FORMATS, add_merges, merge_ref, put
from .limits import CellBudget


SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def read(path: Path) -> list[Sheet]:
    root = ElementTree.fromstring(path.read_bytes())
    styles = {}
    for style in root.iter(f"{SS}Style"):
        number = style.find(f"{SS}NumberFormat")
        if number is not None and number.get(f"{SS}Format"):
            code = number.get(f"{SS}Format")
            styles[style.get(f"{SS}ID")] = NAMED_FORMATS.get(code.lower(), code)
    sheets: list[Sheet] = []
    budget = CellBudget()
    for ws in root.iter(f"{SS}Worksheet"):
        sheet = Sheet(title=ws.get(f"{SS}Name") or f"Sheet{len(sheets) + 1}")
        merges = []
        table = ws.find(f"{SS}Table")
        r = 0
        for row in (table.iter(f"{SS}Row") if table is not None else []):
            r = int(row.get(f"{SS}Index") or r + 1)
            c = 0
            for cell in row.iter(f"{SS}Cell"):
                c = int(cell.get(f"{SS}Index") or c + 1)
                across, down = int(cell.get(f"{SS}MergeAcross") or 0), int(cell.get(f"{SS}MergeDown") or 0)
                fmt = styles.get(cell.get(f"{SS}StyleID")) or styles.get(row.get(f"{SS}StyleID")) or "General"
                data = cell.find(f"{SS}Data")
                if data is not None:
                    put(sheet, r, c, *_ss_value(data, fmt))
                if across or down:
                    merges.append(merge_ref(r, c, r + down, c + across))
                c += across
        add_merges(sheet, merges)
        budget.check_sheet(sheet, len(sheet.values))
        sheets.append(sheet)
    return sheets


def _ss_value(data, fmt: str) -> tuple[Any, str]:
    text = "".join(data.itertext())
    kind = data.get(f"{SS}Type", "String")
    if kind == "Number":
        try:
            value = float(text)
        except ValueError:
            return text, fmt
        return (int(value) if value.is_integer() and re.fullmatch(r"-?\d+", text.strip()) else value), fmt
    if kind == "Boolean":
        return text.strip() in ("1", "true"), fmt
    if kind == "DateTime":
        try:
            return datetime.fromisoformat(text.strip()[:19]), fmt
        except ValueError:
            return text, fmt
    return text, fmt
