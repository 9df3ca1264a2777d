"""Reading whatever staff send into the same :class:`~reportlib.grid.Workbook` model.

The format is judged from the file's bytes, not its name: an ``.xls`` that is really an HTML page or
SpreadsheetML 2003 XML (what web systems and WPS export), a BIFF ``.xls``, an ``.ods``, an ``.xlsx``
or ``.xlsm``.  Each becomes sheets of values, number formats and merged ranges with the cell
positions Excel would show for the same file, so findings point at the same A1 cells.  Where a format
stores no number format (HTML without ``mso-number-format``, OpenDocument), the format is taken from
the text the cell displays, ``96.86%`` -> ``0.00%``: the table's own precision.  What cannot be read
raises :class:`WorkbookError` with a one-line Chinese reason that says what to do.
"""

from __future__ import annotations

import html
import re
import zipfile
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from defusedxml import ElementTree
from openpyxl.styles.numbers import is_date_format

from . import xlsx
from .grid import Sheet, Workbook, WorkbookError

#: suffixes read as workbooks when a folder is searched; the content decides how
SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".xlsb", ".numbers", ".htm", ".html", ".xml"}
RESAVE = "请用 Excel 或 WPS 打开后另存为 .xlsx 再提交"


def sniff(path: Path) -> str:
    """The format of a file from its first bytes: ``xlsx``, ``ods``, ``zip``, ``ole``, ``html``,
    ``spreadsheetml``, ``pdf``, ``empty`` or ``unknown``."""
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head:
        return "empty"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and archive.read("mimetype").startswith(
                        b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
                if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except zipfile.BadZipFile:
            return "zip"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    text = _decode_head(head).lstrip("\ufeff \t\r\n").lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in text and "<workbook" in text:
        return "spreadsheetml"
    if re.search(r"<(html|table|!doctype html|meta|head|body)\b", text):
        return "html"
    return "unknown"


def _decode_head(head: bytes) -> str:
    for encoding in ("utf-16", "utf-8") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            continue
    return head.decode("latin-1")


def read_workbook(path: Path) -> Workbook:
    """Every sheet of a workbook in any format staff send; raise :class:`WorkbookError` with the reason."""
    path = Path(path)
    try:
        kind = sniff(path)
    except OSError as exc:
        raise WorkbookError(f"无法打开文件（{exc.strerror or exc}）") from exc
    reader = READERS.get(kind)
    if reader is None:
        raise WorkbookError(_refusal(path, kind))
    try:
        sheets = reader(path)
    except WorkbookError:
        raise
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"文件已损坏或不是有效的 Excel 工作簿；{RESAVE}") from exc
    except Exception as exc:  # every reader raises its own kinds on damaged parts
        raise WorkbookError(_reason(exc)) from exc
    return Workbook(path=path, sheets=sheets, format=kind)


def _refusal(path: Path, kind: str) -> str:
    suffix = path.suffix.lower()
    if kind == "empty":
        return "文件为空（0 字节），请重新保存后提交"
    if kind == "pdf":
        return "文件实际是 PDF，不是 Excel 表格；请提交原始的 .xlsx 表格（不要提交扫描件或打印成的 PDF）"
    if kind == "zip":
        if suffix == ".numbers":
            return "Apple Numbers 文件无法读取；请在 Numbers 中导出为 Excel（.xlsx）后重新提交"
        return f"文件是压缩包或 Word 等其他文档，不是 Excel 工作簿；{RESAVE}"
    if suffix == ".xlsb":
        return f"Excel 二进制工作簿（.xlsb）无法读取；{RESAVE}"
    return f"文件不是能识别的表格格式（不是 .xlsx/.xls/.ods，也不是网页或 XML 表格）；{RESAVE}"


def _reason(exc: BaseException) -> str:
    """A one-line Chinese reason for an exception raised while reading a workbook."""
    chain, seen = [], exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    if any(type(e).__module__.startswith("defusedxml") for e in chain):
        return f"工作簿含有不安全的 XML 内容（实体扩展等），已拒绝读取；{RESAVE}"
    names = "、".join(dict.fromkeys(type(e).__name__ for e in chain))
    return f"工作簿内部结构损坏，无法读取（{names}）；{RESAVE}"


# --- .xlsx / .xlsm -------------------------------------------------------------------------------

def _read_xlsx(path: Path) -> list[Sheet]:
    return xlsx.read_sheets(path, lambda title: Sheet(title=title))


# --- BIFF .xls (Excel 97-2003), and telling encrypted workbooks and WPS .et files apart ------------

def _read_ole(path: Path) -> list[Sheet]:
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
        return [_xls_sheet(book, book.sheet_by_index(i)) for i in range(book.nsheets)]
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
            _put(sheet, r + 1, c + 1, value, fmt)
    xlsx.add_merges(sheet, (_ref(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in ws.merged_cells))
    return sheet


def _xls_date(value: float, datemode: int) -> Any:
    import xlrd

    try:
        return xlrd.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, xlrd.xldate.XLDateError):
        return value


def _ref(top: int, left: int, bottom: int, right: int) -> str:
    from .grid import a1
    return f"{a1(top, left)}:{a1(bottom, right)}"


def _put(sheet: Sheet, row: int, col: int, value: Any, fmt: str = "General") -> None:
    if value is None or value == "":
        return
    sheet.values[(row, col)] = value
    sheet.formats[(row, col)] = fmt
    sheet.max_row = max(sheet.max_row, row)
    sheet.max_col = max(sheet.max_col, col)


# --- numbers written as text: the format is what the cell shows -------------------------------------

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
        from decimal import Decimal
        return float(Decimal(digits) / 100), f"0{places}%"
    if not decimals and not grouping:
        return value, "General"
    return value, f"{grouping}0{places}"


# --- HTML tables saved as .xls (web systems, Excel's "网页" format) ---------------------------------

_CLASS_RULE = re.compile(r"\.([\w-]+)\s*\{([^}]*)\}", re.S)
_MSO_FORMAT = re.compile(r"mso-number-format\s*:\s*(\"(?:[^\"\\]|\\.)*\"|'[^']*'|[^;]+)", re.I)
_NAMED_FORMATS = {"percent": "0.00%", "fixed": "0.00", "standard": "#,##0.00", "general number": "General",
                  "general": "General", "@": "@", "\\@": "@"}


def _mso_format(style: str) -> str | None:
    m = _MSO_FORMAT.search(style or "")
    if not m:
        return None
    code = m.group(1).strip().strip("\"'")
    code = re.sub(r"\\(.)", r"\1", code)  # Excel escapes every literal: 0\.00% -> 0.00%
    return _NAMED_FORMATS.get(code.lower(), code)


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


def _read_html(path: Path) -> list[Sheet]:
    raw = path.read_bytes()
    parser = _Tables()
    parser.feed(_decode_html(raw))
    parser.close()
    sheet = Sheet(title=_sheet_title(parser.sheet_name or path.stem))
    taken: set[tuple[int, int]] = set()  # positions covered by a rowspan from above
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
            _put(sheet, r, c, value, fmt)
            if rows > 1 or cols > 1:
                merges.append(_ref(r, c, r + rows - 1, c + cols - 1))
                taken.update((r + i, c + j) for i in range(rows) for j in range(cols))
            c += cols
    xlsx.add_merges(sheet, merges)
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


# --- SpreadsheetML 2003 (XML Spreadsheet, what WPS and web systems save as .xls) -------------------

SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _read_spreadsheetml(path: Path) -> list[Sheet]:
    root = ElementTree.fromstring(path.read_bytes())
    styles = {}
    for style in root.iter(f"{SS}Style"):
        number = style.find(f"{SS}NumberFormat")
        if number is not None and number.get(f"{SS}Format"):
            code = number.get(f"{SS}Format")
            styles[style.get(f"{SS}ID")] = _NAMED_FORMATS.get(code.lower(), code)
    sheets = []
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
                    _put(sheet, r, c, *_ss_value(data, fmt))
                if across or down:
                    merges.append(_ref(r, c, r + down, c + across))
                c += across
        xlsx.add_merges(sheet, merges)
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


# --- OpenDocument spreadsheet (.ods) ----------------------------------------------------------------

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ROW_GROUPS = {f"{TABLE}table-header-rows", f"{TABLE}table-rows", f"{TABLE}table-row-group"}
_CELLS = {f"{TABLE}table-cell", f"{TABLE}covered-table-cell"}


def _read_ods(path: Path) -> list[Sheet]:
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    sheets = []
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
                _ods_row(sheet, row, r, merges)
            if not has_content:
                r += repeat - 1
        xlsx.add_merges(sheet, merges)
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


def _ods_row(sheet: Sheet, row, r: int, merges: list[str]) -> None:
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
            _put(sheet, r, c, value, fmt)
            cols = int(cell.get(f"{TABLE}number-columns-spanned") or 1)
            rows = int(cell.get(f"{TABLE}number-rows-spanned") or 1)
            if cols > 1 or rows > 1:
                merges.append(_ref(r, c, r + rows - 1, c + cols - 1))


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


READERS = {"xlsx": _read_xlsx, "ole": _read_ole, "html": _read_html, "spreadsheetml": _read_spreadsheetml,
           "ods": _read_ods}
