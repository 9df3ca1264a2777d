"""Write the format fixtures: seed tables as the other file formats staff send.

    python tests/data/make_formats.py

Into ``tests/data/formats/`` (committed, so tests need neither LibreOffice nor this script):
- ``.xls`` (BIFF8), ``.ods`` and LibreOffice's HTML, each converted by LibreOffice itself, a real client;
- an ``.xls`` that is Excel's web-page HTML (``x:num``, ``mso-number-format`` classes, the sheet name in
  a conditional comment), encoded in GBK as Chinese offices save it;
- an ``.xls`` that is a web system's export: a GB2312 page with a title row spanning the table, every
  number written as text and ``rowspan`` for merged labels;
- an ``.xls`` that is SpreadsheetML 2003 XML as WPS writes it (``ss:Index`` skips, ``MergeAcross`` /
  ``MergeDown``, named and custom number formats);
- an ``.xlsx`` as WPS saves it with a wrong ``<dimension ref="A1"/>``;
- what cannot be read: an encrypted workbook (msoffcrypto-tool, password 123456), a WPS ``.et``, a
  PDF renamed ``.xlsx``, a Word document renamed ``.xlsx``.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "formats"
sys.path.insert(0, str(HERE.parent.parent))

from reportlib.formats import read_workbook  # noqa: E402

SOURCES = {
    "seed001_问卷统计表": HERE / "seed001_盲人按摩_问卷统计表.xlsx",
    "seed003_资金使用情况表": HERE / "seed003_自治区残疾人事业_资金使用情况表.xlsx",
    "seed002_指标体系评分表": HERE / "seed002_服务状况调查_指标体系评分表.xlsx",
}


def libreoffice(src: Path, stem: str) -> list[Path]:
    """``stem.xls`` (BIFF8), ``stem.ods`` and ``stem_网页.xls`` (LibreOffice's HTML) by LibreOffice."""
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice not found: LibreOffice conversions skipped", file=sys.stderr)
        return []
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp) / f"{stem}.xlsx"
        shutil.copyfile(src, work)
        for target, ext, name in (("xls:MS Excel 97", "xls", f"{stem}.xls"), ("ods", "ods", f"{stem}.ods"),
                                  ("html:HTML (StarCalc)", "html", f"{stem}_LibreOffice网页.xls")):
            subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                            "--convert-to", target, "--outdir", tmp, str(work)],
                           check=True, capture_output=True, timeout=120)
            shutil.copyfile(Path(tmp) / f"{stem}.{ext}", OUT / name)
            written.append(OUT / name)
    return written


def _format_class(fmt: str) -> str:
    escaped = re.sub(r"([.%,\-])", r"\\\1", fmt)
    return f'mso-number-format:"{escaped}";'


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _html_cells(sheet):
    """Per row, the cells of the sheet as an HTML table has them: (rows spanned, columns spanned,
    value, number format, the text the cell shows)."""
    for r in range(1, sheet.max_row + 1):
        row = []
        for c in range(1, sheet.max_col + 1):
            if sheet.is_covered(r, c):
                continue
            bottom, right = sheet.span_of.get((r, c), (r, c))
            value, fmt = sheet.values.get((r, c)), sheet.formats.get((r, c), "General")
            if _is_number(value):
                shown = f"{value * 100:.{_places(fmt)}f}%" if fmt.endswith("%") else (
                    f"{value:.{_places(fmt)}f}" if fmt != "General" else f"{value:g}")
            else:
                shown = "" if value is None else str(value)
            row.append((bottom - r + 1, right - c + 1, value, fmt, shown))
        yield row


def excel_html(src: Path, path: Path) -> None:
    """Excel's "网页" dialect: numbers carry ``x:num``, formats sit in classes, GBK encoded."""
    sheet = read_workbook(src).sheets[0]
    classes: dict[str, str] = {}
    rows = []
    for cells_in_row in _html_cells(sheet):
        cells = []
        for rows_, cols_, value, fmt, shown in cells_in_row:
            attrs = (f" rowspan={rows_}" if rows_ > 1 else "") + (f" colspan={cols_}" if cols_ > 1 else "")
            if _is_number(value):
                name = classes.setdefault(fmt, f"xl{65 + len(classes)}")
                cells.append(f'  <td class={name}{attrs} align=right x:num="{value!r}">{shown}</td>')
            else:
                cells.append(f"  <td{attrs}>{html.escape(shown).replace(chr(10), '<br>')}</td>")
        rows.append(" <tr height=18>\n" + "\n".join(cells) + "\n </tr>")
    style = "\n".join(f".{name}\n\t{{{_format_class(fmt)}}}" for fmt, name in classes.items())
    page = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Excel.Sheet>
<style>
<!--table
\t{{mso-displayed-decimal-separator:"\\.";}}
{style}
-->
</style>
<!--[if gte mso 9]><xml>
 <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>
  <x:Name>{html.escape(sheet.title)}</x:Name>
 </x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
</head>
<body>
<table border=0 cellpadding=0 cellspacing=0 style='border-collapse:collapse'>
{chr(10).join(rows)}
</table>
</body>
</html>
"""
    path.write_bytes(page.encode("gb18030"))


def _places(fmt: str) -> int:
    m = re.search(r"\.(0+)", fmt)
    return len(m.group(1)) if m else 0


def web_export(src: Path, path: Path) -> None:
    """A web system's export: GB2312, the title as a spanning first row, every value as text."""
    sheet = read_workbook(src).sheets[0]
    lines = ['<!DOCTYPE html>', '<html><head><meta charset="gb2312"><title>导出</title></head><body>',
             '<table border="1">']
    for cells_in_row in _html_cells(sheet):
        cells = [f'<td rowspan="{rows_}" colspan="{cols_}">{html.escape(shown)}</td>' if rows_ > 1 or cols_ > 1
                 else f"<td>{html.escape(shown)}</td>" for rows_, cols_, _, _, shown in cells_in_row]
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table></body></html>")
    path.write_bytes("\n".join(lines).encode("gb18030"))


def spreadsheetml(src: Path, path: Path) -> None:
    """SpreadsheetML 2003 as WPS writes it: ``ss:Index`` where cells are skipped, merges as
    ``MergeAcross`` / ``MergeDown``, ``Percent`` as a named format and custom codes elsewhere."""
    book = read_workbook(src)
    styles: dict[str, str] = {}
    sheets = []
    for sheet in book.sheets:
        rows = []
        for r in range(1, sheet.max_row + 1):
            cells, expect = [], 1
            for c in range(1, sheet.max_col + 1):
                if sheet.is_covered(r, c):
                    continue
                value = sheet.values.get((r, c))
                span = sheet.span_of.get((r, c))
                if value is None and not span:
                    continue
                attrs = f' ss:Index="{c}"' if c != expect else ""
                if span:
                    across, down = span[1] - c, span[0] - r
                    attrs += (f' ss:MergeAcross="{across}"' if across else "") + (
                        f' ss:MergeDown="{down}"' if down else "")
                fmt = sheet.formats.get((r, c), "General")
                if fmt != "General" and value is not None:
                    sid = styles.setdefault(fmt, f"s{62 + len(styles)}")
                    attrs += f' ss:StyleID="{sid}"'
                if value is None:
                    cells.append(f"<Cell{attrs}/>")
                elif _is_number(value):
                    cells.append(f'<Cell{attrs}><Data ss:Type="Number">{value!r}</Data></Cell>')
                else:
                    cells.append(f'<Cell{attrs}><Data ss:Type="String">{html.escape(str(value))}</Data></Cell>')
                expect = c + 1 + (span[1] - c if span else 0)
            if cells:
                rows.append(f'   <Row ss:Index="{r}">' + "".join(cells) + "</Row>")
        sheets.append(f' <Worksheet ss:Name="{html.escape(sheet.title)}">\n  <Table>\n'
                      + "\n".join(rows) + "\n  </Table>\n </Worksheet>")
    named = {"0.00%": "Percent", "0.00": "Fixed"}
    style_xml = "\n".join(f'  <Style ss:ID="{sid}"><NumberFormat ss:Format="{html.escape(named.get(fmt, fmt))}"/></Style>'
                          for fmt, sid in styles.items())
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:html="http://www.w3.org/TR/REC-html40">
 <Styles>
  <Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/></Style>
{style_xml}
 </Styles>
{chr(10).join(sheets)}
</Workbook>
"""
    path.write_text(doc, encoding="utf-8")


def wrong_dimension(src: Path, path: Path) -> None:
    """The .xlsx as WPS sometimes saves it: ``<dimension ref="A1"/>`` over a whole table."""
    data = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = body.decode("utf-8")
                text, n = re.subn(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1"/>', text)
                if not n:
                    text = text.replace("<sheetViews>", '<dimension ref="A1"/><sheetViews>', 1)
                body = text.encode("utf-8")
            zout.writestr(item, body)
    path.write_bytes(data.getvalue())


def unreadable() -> list[Path]:
    written = []
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
        with SOURCES["seed001_问卷统计表"].open("rb") as fh:
            out = io.BytesIO()
            OOXMLFile(fh).encrypt("123456", out)
        (OUT / "加密的问卷统计表.xlsx").write_bytes(out.getvalue())
        written.append(OUT / "加密的问卷统计表.xlsx")
    except ImportError:
        print("msoffcrypto-tool not installed: encrypted fixture skipped", file=sys.stderr)
    if (OUT / "seed001_问卷统计表.xls").exists():  # a WPS .et is a compound file too
        shutil.copyfile(OUT / "seed001_问卷统计表.xls", OUT / "WPS表格.et")
        written.append(OUT / "WPS表格.et")
    (OUT / "其实是PDF.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    (OUT / "其实是Word.xlsx").write_bytes(docx.getvalue())
    return written + [OUT / "其实是PDF.xlsx", OUT / "其实是Word.xlsx"]


def build() -> list[Path]:
    OUT.mkdir(exist_ok=True)
    written = []
    for stem, src in SOURCES.items():
        written += libreoffice(src, stem)
    excel_html(SOURCES["seed001_问卷统计表"], OUT / "seed001_问卷统计表_Excel网页.xls")
    web_export(SOURCES["seed003_资金使用情况表"], OUT / "seed003_资金使用情况表_网页导出.xls")
    spreadsheetml(SOURCES["seed002_指标体系评分表"], OUT / "seed002_指标体系评分表_WPS.xls")
    spreadsheetml(SOURCES["seed001_问卷统计表"], OUT / "seed001_问卷统计表_XML2003.xls")
    wrong_dimension(SOURCES["seed001_问卷统计表"], OUT / "seed001_问卷统计表_WPS维度错误.xlsx")
    written += [OUT / n for n in ("seed001_问卷统计表_Excel网页.xls", "seed003_资金使用情况表_网页导出.xls",
                                  "seed002_指标体系评分表_WPS.xls", "seed001_问卷统计表_XML2003.xls",
                                  "seed001_问卷统计表_WPS维度错误.xlsx")]
    return written + unreadable()


if __name__ == "__main__":
    for p in build():
        print(p.relative_to(HERE))
