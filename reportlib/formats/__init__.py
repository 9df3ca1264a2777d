"""Reading whatever staff send into the same :class:`~reportlib.grid.Workbook` model.

The format is judged from the file's bytes, not its name: an ``.xls`` that is really an HTML page or
SpreadsheetML 2003 XML (what web systems and WPS export), a BIFF ``.xls``, an ``.ods``, an ``.xlsx``
or ``.xlsm``.  Each becomes sheets of values, number formats and merged ranges with the cell
positions Excel would show for the same file, so findings point at the same A1 cells.  Where a format
stores no number format (HTML without ``mso-number-format``, OpenDocument), the format is taken from
the text the cell displays, ``96.86%`` -> ``0.00%``: the table's own precision.  An .xlsx whose
formulas were saved without results (scripts, openpyxl, Apache POI) gets them computed
(:mod:`.evaluate`); the other formats always carry results.  What cannot be read raises
:class:`WorkbookError` with a one-line Chinese reason that says what to do.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..grid import Sheet, Workbook, WorkbookError
from . import biff, ods, webpage, xlsx, xml2003
from .common import RESAVE, shown_number
from .limits import Limits, applied, check_file, read_part

__all__ = ["SUFFIXES", "SNIFFED_SUFFIXES", "READERS", "is_workbook", "read_workbook", "shown_number", "sniff"]

#: what a folder search picks up by name: the formats read, and those staff send that get a message
#: saying what to do (.et, .xlsb, .numbers); the file's content, not its name, decides how it is read
SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".et", ".xlsb", ".numbers"}
#: picked up when their content is a table a web system or WPS exported (HTML, SpreadsheetML 2003):
#: a folder's other web pages and XML files are no attachments
SNIFFED_SUFFIXES = {".htm", ".html", ".xml"}


def is_workbook(path: Path) -> bool:
    """Whether a folder search takes this file: by its suffix, or by its content for .htm/.html/.xml."""
    suffix = path.suffix.lower()
    if suffix in SUFFIXES:
        return True
    if suffix not in SNIFFED_SUFFIXES:
        return False
    try:
        return sniff(path) in ("html", "spreadsheetml") and _has_table(path)
    except OSError:
        return False


def _has_table(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(1 << 16).lower()
    return b"<table" in head or b"<ss:table" in head or b"<worksheet" in head or b":worksheet" in head


def sniff(path: Path) -> str:
    """The format of a file from its first bytes: ``xlsx``, ``ods``, ``zip``, ``damaged`` (a zip cut
    off), ``ole``, ``html``, ``spreadsheetml``, ``pdf``, ``empty`` or ``unknown``."""
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head:
        return "empty"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
                if "mimetype" in names and read_part(archive, "mimetype").startswith(
                        b"application/vnd.oasis.opendocument.spreadsheet"):
                    return "ods"
                if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
                    return "xlsx"
        except zipfile.BadZipFile:
            return "damaged"  # a zip whose directory is missing: cut off in a download or a copy
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


def read_workbook(path: Path, limits: Limits | None = None) -> Workbook:
    """Every sheet of a workbook in any format staff send; raise :class:`WorkbookError` with the reason.
    ``limits`` bound what a file may cost (:mod:`.limits`)."""
    path = Path(path)
    with applied(limits):
        return _read(path)


def _read(path: Path) -> Workbook:
    try:
        kind = sniff(path)
        if kind in READ_WHOLE:  # zip-based workbooks are bounded part by part: pictures in them cost nothing
            check_file(path)
    except OSError as exc:
        raise WorkbookError(f"无法打开文件（{exc.strerror or exc}）", transient=True) from exc
    reader = READERS.get(kind)
    if reader is None:
        raise WorkbookError(_refusal(path, kind))
    try:
        sheets = reader(path)
    except WorkbookError:
        raise
    except MemoryError as exc:
        raise WorkbookError(f"文件太大，读取时内存不足；{RESAVE}", transient=True) from exc
    except zipfile.BadZipFile as exc:
        raise WorkbookError(f"文件已损坏或不是有效的 Excel 工作簿；{RESAVE}") from exc
    except OSError as exc:  # the file went away or the share failed while it was read
        raise WorkbookError(f"读取文件时出错（{exc.strerror or exc}）", transient=True) from exc
    except Exception as exc:  # every reader raises its own kinds on damaged parts
        raise WorkbookError(_reason(exc)) from exc
    return Workbook(path=path, sheets=sheets, format=kind)


def _refusal(path: Path, kind: str) -> str:
    suffix = path.suffix.lower()
    if kind == "empty":
        return "文件为空（0 字节），请重新保存后提交"
    if kind == "pdf":
        return "文件实际是 PDF，不是 Excel 表格；请提交原始的 .xlsx 表格（不要提交扫描件或打印成的 PDF）"
    if kind == "damaged":
        return ("文件已损坏（内容不完整，可能在下载、复制或保存时中断），无法读取；"
                "请重新从原处下载或复制，或用 Excel、WPS 打开后另存为 .xlsx 再提交")
    if kind == "zip":
        if suffix == ".numbers":
            return "Apple Numbers 文件无法读取；请在 Numbers 中导出为 Excel（.xlsx）后重新提交"
        return f"文件是压缩包或 Word 等其他文档，不是 Excel 工作簿；{RESAVE}"
    if suffix == ".xlsb":
        return f"Excel 二进制工作簿（.xlsb）无法读取；{RESAVE}"
    return f"文件不是能识别的表格格式（不是 .xlsx/.xls/.ods，也不是网页或 XML 表格）；{RESAVE}"


def _reason(exc: BaseException) -> str:
    """A one-line Chinese reason for an exception raised while reading a workbook."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    if any(type(e).__module__.startswith("defusedxml") for e in chain):
        return f"工作簿含有不安全的 XML 内容（实体扩展等），已拒绝读取；{RESAVE}"
    names = "、".join(dict.fromkeys(type(e).__name__ for e in chain))
    return f"工作簿内部结构损坏，无法读取（{names}）；{RESAVE}"


def _read_xlsx(path: Path) -> list[Sheet]:
    """The .xlsx reader, then the results of the formulas saved without them."""
    sheets, epoch = xlsx.load(path)
    if any(sheet.uncomputed for sheet in sheets):
        from . import evaluate  # imported only for such workbooks: most carry their results
        evaluate.compute(sheets, epoch)
    return sheets


#: formats whose reader takes the whole file into memory
READ_WHOLE = {"ole", "html", "spreadsheetml"}
READERS = {"xlsx": _read_xlsx, "ole": biff.read, "html": webpage.read, "spreadsheetml": xml2003.read,
           "ods": ods.read}
