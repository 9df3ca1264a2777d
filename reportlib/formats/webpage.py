"""An HTML page saved as .xls (Excel's "网页" format, web systems' exports) laid out as Excel lays it out:
every table on one sheet, ``rowspan`` / ``colspan`` as merges, text outside tables as rows of its own;
``x:num`` and ``mso-number-format`` used where Excel wrote them, else a number shown as text becomes a
number shown as it was."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..grid import Sheet
from .common import NAMED_FORMATS, add_merges, merge_ref, put, shown_number
from .limits import CellBudget


_CLASS_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}", re.S)
_MSO_FORMAT = re.compile(r"mso-number-format\s*:\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^;]+)", re.I)


def _mso_format(style: str) -> str | None:
    m = _MSO_FORMAT.search(style or "")
    if not m:
        return None
    code = m.group(1).strip().strip("\"'")
    code = re.sub(r"\\(.)", r"\1", code)  # Excel escapes every literal: 0\.00% -> 0.00%
    return NAMED_FORMATS.get(code.lower(), code)


class _Tables(HTMLParser):
    """Rows of text outside tables and the cells of every table, in document order, as Excel lays
    out an HTML page on one sheet: each table's rows below the previous content."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "br", "li"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[dict]] = []  # each row: cells with text, attrs, col/row spans
        self.classes: dict[str, str] = {}
        self.sheet_name: str | None = None
        self._in_table = 0
        self._cell: dict | None = None
        self._row: list[dict] | None = None
        self._loose: list[str] = []
        self._style = False
        self._name_tag = False
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._skip += 1
        if tag == "style":
            self._style = True
        elif tag == "x:name":
            self._name_tag = True
        elif tag == "table":
            self._flush_loose()
            self._in_table += 1
        elif tag == "tr" and self._in_table == 1:
            self._row = []
        elif tag in ("td", "th") and self._in_table == 1 and self._row is not None:
            self._cell = {"text": [], "attrs": a}
        elif tag == "br" and self._cell is not None:
            self._cell["text"].append("\n")
        elif tag in self.BLOCKS and not self._in_table:
            self._flush_loose()

    def handle_endtag(self, tag):
        if tag == "script" and self._skip:
            self._skip -= 1
        if tag == "style":
            self._style = False
        elif tag == "x:name":
            self._name_tag = False
        elif tag == "table" and self._in_table:
            self._in_table -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None and self._in_table == 1:
            if self._cell is not None:
                self._row.append(self._cell)
                self._cell = None
            self.rows.append(self._row)
            self._row = None
        elif tag in self.BLOCKS and not self._in_table:
            self._flush_loose()

    def handle_data(self, data):
        if self._skip:
            return
        if self._style:
            for name, body in _CLASS_RULE.findall(data):
                self.classes[name] = body
        elif self._name_tag:
            self.sheet_name = (self.sheet_name or "") + data.strip()
        elif self._cell is not None:
            self._cell["text"].append(data)
        elif not self._in_table and data.strip():
            self._loose.append(data.strip())

    def handle_comment(self, data):
        if "x:Name" in data or "x:name" in data:  # Excel hides the sheet name in a conditional comment
            m = re.search(r"<x:Name>([^<]*)</x:Name>", data, re.I)
            if m and not self.sheet_name:
                self.sheet_name = html.unescape(m.group(1)).strip()
        for name, body in _CLASS_RULE.findall(data):  # styles are often inside <!-- --> in <style>
            self.classes.setdefault(name, body)

    def _flush_loose(self):
        if self._loose:
            self.rows.append([{"text": [" ".join(self._loose)], "attrs": {}}])
            self._loose = []

    def close(self):
        super().close()
        self._flush_loose()


def read(path: Path) -> list[Sheet]:
    raw = path.read_bytes()
    parser = _Tables()
    parser.feed(_decode_html(raw))
    parser.close()
    sheet = Sheet(title=_sheet_title(parser.sheet_name or path.stem))
    taken: set[tuple[int, int]] = set()  # positions covered by a rowspan from above
    budget = CellBudget()
    merges = []
    for r, cells in enumerate(parser.rows, 1):
        c = 1
        for cell in cells:
            while (r, c) in taken:
                c += 1
            attrs = cell["attrs"]
            rows = _span(attrs.get("rowspan"))
            cols = _span(attrs.get("colspan"))
            value, fmt = _html_value(cell, parser.classes)
            put(sheet, r, c, value, fmt)
            if rows > 1 or cols > 1:
                merges.append(merge_ref(r, c, r + rows - 1, c + cols - 1))
                budget.cover(sheet, rows * cols)
                taken.update((r + i, c + j) for i in range(rows) for j in range(cols))
            c += cols
    budget.check_sheet(sheet, len(sheet.values))
    add_merges(sheet, merges)
    return [sheet]


def _decode_html(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", "replace")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return raw.decode("utf-16", "replace")
    m = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", raw[:4096], re.I)
    declared = m.group(1).decode("ascii", "ignore").lower() if m else None
    for encoding in ([declared] if declared else []) + ["utf-8", "gb18030"]:
        try:
            return raw.decode("gb18030" if encoding in ("gb2312", "gbk") else encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", "replace")


def _span(text: str | None) -> int:
    try:
        return max(1, min(int(str(text).strip()), 10000))
    except (TypeError, ValueError):
        return 1


def _html_value(cell: dict, classes: dict[str, str]) -> tuple[Any, str]:
    text = "".join(cell["text"]).replace("\xa0", " ")
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    attrs = cell["attrs"]
    fmt = _mso_format(attrs.get("style") or "")
    for name in (attrs.get("class") or "").split():
        fmt = fmt or _mso_format(classes.get(name, ""))
    if fmt == "@" or "x:str" in attrs:
        return text, "@"
    number = attrs.get("x:num")
    if number:  # Excel's own HTML keeps the full value beside the text it shows
        try:
            value: Any = float(number)
            value = int(value) if value.is_integer() and "." not in number else value
        except ValueError:
            value = None
        if value is not None:
            return value, fmt or (shown_number(text) or (None, "General"))[1]
    shown = shown_number(text)
    if shown is not None:  # as Excel does when it opens the page: a number, shown as it was
        return shown[0], fmt or shown[1]
    return text, fmt or "General"


def _sheet_title(name: str) -> str:
    name = re.sub(r"[\\/*?:\[\]]", "_", name).strip("'") or "Sheet1"
    return name[:31]
