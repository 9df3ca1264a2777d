"""A value reader for .xlsx / .xlsm: cached values, number formats and merges, straight from the XML.

It gives exactly what ``openpyxl.load_workbook(data_only=True)`` gives for those three things (ints
stay ints, date formats become datetimes, phonetic runs are left out), at a fraction of the cost,
because it builds no cell or style objects.  It never trusts the ``<dimension>`` record: WPS writes
``A1`` there for whole tables, and a reader that believes it sees one cell.  XML is parsed with
defusedxml, so entity expansion and external entities are refused.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from typing import Any

from defusedxml import ElementTree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.cell import column_index_from_string

from ..grid import Sheet
from .common import add_merges

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"([A-Z]+)([0-9]+)")


def _xml(archive: zipfile.ZipFile, name: str):
    return ElementTree.fromstring(archive.read(name))


def _rels(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, part name) for a part, targets resolved against the part's folder."""
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if name not in archive.NameToInfo:
        return {}
    out = {}
    for rel in _xml(archive, name).iter(f"{PKG_REL}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External":
            continue
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
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
        sheets = []
        for entry in workbook.iter(f"{MAIN}sheet"):
            kind, part = rels.get(entry.get(f"{REL}id"), ("", ""))
            if kind != "worksheet" or part not in archive.NameToInfo:
                continue  # chartsheets and dialog sheets hold no cells
            sheet = Sheet(title=entry.get("name", ""))
            _fill(sheet, _xml(archive, part), strings, formats, epoch)
            sheets.append(sheet)
        return sheets


def _fill(sheet, root, strings: list[str], formats: list[str], epoch) -> None:
    data = root.find(f"{MAIN}sheetData")
    row_no = 0
    for row in (data if data is not None else []):
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
                continue
            fmt = formats[int(c.get("s"))] if c.get("s") and int(c.get("s")) < len(formats) else "General"
            if isinstance(value, (int, float)) and not isinstance(value, bool) and is_date_format(fmt):
                try:
                    value = from_excel(value, epoch)
                except (ValueError, OverflowError):
                    pass
            pos = (row_no, col_no)
            sheet.values[pos] = value
            sheet.formats[pos] = fmt
            sheet.max_row = max(sheet.max_row, row_no)
            sheet.max_col = max(sheet.max_col, col_no)
    merges = root.find(f"{MAIN}mergeCells")
    add_merges(sheet, (m.get("ref") for m in (merges if merges is not None else []) if m.get("ref")))


def _value(c, strings: list[str]) -> Any:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        node = c.find(f"{MAIN}is")
        return _text(node) if node is not None else None
    v = c.find(f"{MAIN}v")
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
