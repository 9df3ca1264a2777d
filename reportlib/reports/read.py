"""Reading a submitted report: its body paragraphs, numbered as a reader counts them, and the tables
embedded in it, from ``.docx`` (python-docx), ``.pdf`` with a text layer (pypdf), ``.txt`` / ``.md``,
and ``.doc`` / ``.wps`` converted by LibreOffice when ``soffice`` is there.

A paragraph's number counts the non-empty paragraphs of the body in order (1-based), the headings
included and the tables' cells not: the number a clerk finds by counting down the document.  A cell
is ``(table, row, col)``, all 1-based.  Anything that cannot be read raises :class:`ReportError` with
one Chinese line naming the file.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES = frozenset({".docx", ".pdf", ".txt", ".md", ".doc", ".wps"})
#: a text line of this many tab-separated cells is a table's row (a row copied out of Word); a line of
#: two (a contents line's title and page) stays a paragraph
TABLE_CELLS = 3
MAX_MB = 50  # a report with photographs may be large; a report of 50 MB is not a report
#: a line of a PDF's text that ends its paragraph (a wrapped line does not end with one of these) ...
_PARAGRAPH_END = re.compile(r"[。！？；：:;!?]\s*$")
#: ... and one that begins a new one (a heading: 一、 （一） 1.)
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．]\D)")


class ReportError(Exception):
    """A report that cannot be read; the message is for the person who sent it."""


@dataclass(frozen=True)
class Paragraph:
    n: int  # 1-based among the body's non-empty paragraphs
    text: str


@dataclass
class Report:
    path: Path
    format: str  # docx | pdf | text
    paragraphs: list[Paragraph] = field(default_factory=list)
    #: each embedded table's rows of cell texts (a merged cell's text in every cell it covers)
    tables: list[list[list[str]]] = field(default_factory=list)


def read_report(path: Path, display: str | None = None) -> Report:
    """The report at ``path``; ``display`` names it in messages."""
    path, shown = Path(path), display or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReportError(f"{shown}：不是能读取的报告格式（.docx、.pdf、.txt、.md，或装有 LibreOffice 时的 .doc、.wps）")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReportError(f"{shown}：无法打开（{exc.strerror or exc}）") from exc
    if size > MAX_MB * 1024 * 1024:
        raise ReportError(f"{shown}：文件超过 {MAX_MB} MB，不像是报告正文，未读取")
    if suffix in (".txt", ".md"):
        return _text(path, shown)
    if suffix == ".pdf":
        return _pdf(path, shown)
    if suffix in (".doc", ".wps"):
        return _converted(path, shown)
    return _docx(path, shown)


def _text(path: Path, shown: str) -> Report:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ReportError(f"{shown}：文本编码无法识别，请另存为 UTF-8")
    report = Report(path, "text")
    rows: list[list[str]] = []
    cells: list[str] = []  # a row written one tab-indented cell a line (text copied out of Word or PDF)

    def end_row() -> None:
        nonlocal cells
        if cells:
            rows.append(cells)
        cells = []

    def end_table() -> None:
        nonlocal rows
        end_row()
        if rows:
            report.tables.append(rows)
        rows = []

    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):  # a Markdown table row
            end_row()
            row = [c.strip() for c in stripped.strip("|").split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in row):
                rows.append(row)
            continue
        if line.startswith("\t"):
            cells.append(stripped)
            continue
        if len(split := [c.strip() for c in stripped.split("\t")]) >= TABLE_CELLS:  # a row a line, tab between cells
            end_row()
            rows.append(split)
            continue
        if not stripped:
            end_row()  # a blank line between rows of one table
            continue
        end_table()
        report.paragraphs.append(Paragraph(len(report.paragraphs) + 1, stripped.lstrip("#> ").strip()))
    end_table()
    return report


def _docx(path: Path, shown: str) -> Report:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(path):
        if path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise ReportError(f"{shown}：文件已加密，或是改了扩展名的旧版 .doc；请另存为不加密的 .docx")
        raise ReportError(f"{shown}：不是有效的 .docx 文件（文件损坏或扩展名不对）")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ReportError(f"{shown}：无法读取的 .docx（{exc}）") from exc
    report = Report(path, "docx")
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(_run_text(t) for t in child.iter()).strip()
            if text:
                report.paragraphs.append(Paragraph(len(report.paragraphs) + 1, text))
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            report.tables.append([[cell.text.strip() for cell in row.cells] for row in table.rows])
    return report


def _run_text(element) -> str:
    """A text element's text; a tab as a tab (it parts a contents line or a row typed with tabs)."""
    tag = element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""
    return element.text or "" if tag == "t" else "\t" if tag == "tab" and element.getparent().tag.endswith("}r") else ""


def _pdf(path: Path, shown: str) -> Report:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ReportError(f"{shown}：PDF 已加密，请提供未加密的文件或 .docx 原稿")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReportError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise ReportError(f"{shown}：无法读取的 PDF（{exc}）") from exc
    lines = [line.strip() for page in pages for line in page.splitlines()]
    if sum(len(line) for line in lines) < 20:
        raise ReportError(f"{shown}：PDF 没有文字层（多半是扫描件），无法读取正文；请提供 .docx 原稿或可复制文字的 PDF")
    report, current = Report(path, "pdf"), ""

    def flush() -> None:
        nonlocal current
        if current:
            report.paragraphs.append(Paragraph(len(report.paragraphs) + 1, current))
        current = ""

    for line in lines:
        if not line or re.fullmatch(r"[-—\s]*\d+[-—\s]*", line):  # blank lines and page numbers
            continue
        if _HEADING.match(line):
            flush()
        current += line
        if _PARAGRAPH_END.search(line) or _HEADING.match(line) and len(line) < 40:
            flush()  # a sentence ends its paragraph; a short heading is one of its own
    flush()
    return report


def _converted(path: Path, shown: str) -> Report:
    with as_docx(path, shown) as converted:
        report = _docx(converted, shown)
    report.path = path
    return report


@contextmanager
def as_docx(path: Path, shown: str) -> Iterator[Path]:
    """A ``.docx`` of the report: itself, or a ``.doc`` / ``.wps`` converted by LibreOffice into a
    scratch folder that is gone after the ``with``."""
    if path.suffix.lower() == ".docx":
        yield path
        return
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ReportError(f"{shown}：{path.suffix} 需先另存为 .docx（本机没有 LibreOffice，无法自动转换）")
    with tempfile.TemporaryDirectory() as scratch:
        try:
            subprocess.run([soffice, f"-env:UserInstallation=file://{scratch}/profile", "--headless", "--convert-to",
                            "docx", "--outdir", scratch, str(path)], capture_output=True, timeout=120, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            raise ReportError(f"{shown}：LibreOffice 无法转换此文件（{exc}）；请另存为 .docx") from exc
        converted = Path(scratch) / f"{path.stem}.docx"
        if not converted.exists():
            raise ReportError(f"{shown}：LibreOffice 无法转换此文件；请另存为 .docx")
        yield converted
