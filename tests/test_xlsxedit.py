"""The corrected workbook made by editing the input's XML: the same content as the openpyxl load and
save it replaces, parts openpyxl would drop kept, and the slower path taken where the editor declines."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook
from openpyxl.comments import Comment

from conftest import DATA, corrected_path
from reportlib import batch, xlsxedit
from reportlib.schema import Config

FORMATS = DATA / "formats"


def xlsx_inbox(base: Path) -> Path:
    """Every .xlsx fixture (seeds, layout variants, LibreOffice and WPS saves), one project each."""
    inbox = base / "in"
    for k, path in enumerate(sorted([*DATA.glob("*.xlsx"), *FORMATS.glob("*.xlsx")])):
        folder = inbox / f"p{k:02d}"
        folder.mkdir(parents=True)
        shutil.copyfile(path, folder / path.name)
    return inbox


def picture(path: Path) -> dict:
    """What a user sees in every non-empty cell, with formulas and with cached values: value, number
    format, fill colour, comment, link target, bold."""
    seen = {}
    for data_only in (False, True):
        book = load_workbook(path, data_only=data_only)
        for ws in book:
            for row in ws.iter_rows():
                for c in row:
                    fill = c.fill.fgColor.rgb[-6:] if c.fill.fill_type == "solid" else None
                    value = None if c.value == "" else c.value  # openpyxl drops an empty string on saving
                    if value is None and c.comment is None and fill is None:
                        continue
                    seen[ws.title, c.coordinate, data_only] = (
                        value, c.number_format, fill, c.comment.text if c.comment else None,
                        c.hyperlink.location if c.hyperlink else None, bool(c.font.b))
            seen[ws.title, "merged"] = sorted(str(r) for r in ws.merged_cells.ranges)
    return seen


def declined(*args, **kwargs):
    raise xlsxedit.Unsupported("forced by the test")


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    base = tmp_path_factory.mktemp("edit")
    inbox = xlsx_inbox(base)
    fast = batch.run(inbox, base / "fast", Config())
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(xlsxedit.Workbook, "__init__", declined)
        slow = batch.run(inbox, base / "slow", Config())
    return base, fast, slow


def test_editing_the_xml_gives_what_openpyxl_gave_for_every_fixture(both):
    base, fast, slow = both
    pairs = [(f.output, s.output) for f, s in zip(fast.files, slow.files) if f.output]
    assert len(pairs) >= 30
    for mine, theirs in pairs:
        assert mine.relative_to(base / "fast") == theirs.relative_to(base / "slow")
        assert picture(mine) == picture(theirs), mine.name
    corrected = [mine for mine, _ in pairs if any(n.startswith("xl/comments") for n in zipfile.ZipFile(mine).namelist())]
    assert len(corrected) >= 15  # the comparison covers real corrections, not only untouched copies


def test_untouched_parts_are_kept_byte_for_byte(both):
    base, fast, _ = both
    f = next(f for f in fast.files if f.path.name == "seed001_盲人按摩_问卷统计表.xlsx")
    with zipfile.ZipFile(f.path) as src, zipfile.ZipFile(f.output) as out:
        for name in ("xl/theme/theme1.xml", "docProps/core.xml", "_rels/.rels"):
            assert out.read(name) == src.read(name)
        assert "xl/comments1.xml" in out.namelist() and "xl/drawings/vmlDrawing1.vml" in out.namelist()


def seed_questionnaire_with(tmp_path: Path, extra) -> Path:
    """seed001's questionnaire re-made by xlsxwriter (shared strings, another writer than the fixtures')
    with something added by ``extra(workbook, worksheet)``."""
    source = load_workbook(DATA / "seed001_盲人按摩_问卷统计表.xlsx")
    ws_in = source.active
    inbox = tmp_path / "in"
    inbox.mkdir()
    path = inbox / "问卷统计表.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = book.add_worksheet(ws_in.title)
    percent = book.add_format({"num_format": "0.00%"})
    for row in ws_in.iter_rows():
        for c in row:
            if c.value is not None:
                ws.write(c.row - 1, c.column - 1, c.value, percent if "%" in c.number_format else None)
    for r in ws_in.merged_cells.ranges:
        ws.merge_range(str(r), ws_in.cell(r.min_row, r.min_col).value)
    extra(book, ws)
    book.close()
    return path


def test_a_chart_in_the_input_survives_the_correction(tmp_path):
    def add_chart(book, ws):
        chart = book.add_chart({"type": "column"})
        chart.add_series({"values": "='问卷统计表'!$D$37:$H$37"})
        ws.insert_chart("K4", chart)
    path = seed_questionnaire_with(tmp_path, add_chart)
    result = batch.run(path.parent, tmp_path / "out", Config())
    (f,) = result.files
    with zipfile.ZipFile(f.output) as out, zipfile.ZipFile(path) as src:
        assert out.read("xl/charts/chart1.xml") == src.read("xl/charts/chart1.xml")
        assert out.read("xl/drawings/drawing1.xml") == src.read("xl/drawings/drawing1.xml")
        assert "xl/sharedStrings.xml" in out.namelist()
    book = load_workbook(f.output)
    assert book["问卷统计表"]["G18"].comment.text.startswith("原值：11.11%")
    assert book["问卷统计表"]["G18"].value == "=IF($I17=0,0,G17/$I17)"  # the share, live
    assert load_workbook(f.output, data_only=True)["问卷统计表"]["G18"].value == 0
    assert book["问题清单"]["I2"].value == f.findings[0].code


def test_a_sheet_with_comments_already_goes_the_openpyxl_way_and_keeps_them(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    book = load_workbook(DATA / "seed001_盲人按摩_问卷统计表.xlsx")
    book.active["G18"].comment = Comment("填表人：此格照抄上一格", "张三")
    book.active["B2"].comment = Comment("标题", "张三")
    book.save(inbox / "问卷统计表.xlsx")
    result = batch.run(inbox, tmp_path / "out", Config())
    out = load_workbook(corrected_path(tmp_path / "out", "问卷统计表"))["问卷统计表"]
    assert out["G18"].comment.text.startswith("填表人：此格照抄上一格\n原值：11.11%")
    assert out["B2"].comment.text == "标题"
    assert out["G18"].fill.fgColor.rgb.endswith("FFFF00")
    assert result.files[0].output is not None


def test_a_macro_enabled_input_becomes_a_plain_xlsx_without_its_macros(tmp_path):
    src = DATA / "seed001_盲人按摩_问卷统计表.xlsx"
    inbox = tmp_path / "in"
    inbox.mkdir()
    target = inbox / "问卷统计表.xlsm"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(target, "w") as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType="application/'
                                    b'vnd.ms-office.vbaProject"/></Types>')
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.microsoft'
                                    b'.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            out.writestr(item, data)
        out.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a macro")
    result = batch.run(inbox, tmp_path / "out", Config())
    (f,) = result.files
    assert f.output.suffix == ".xlsx"
    with zipfile.ZipFile(f.output) as out:
        assert "xl/vbaProject.bin" not in out.namelist()
        assert b"macroEnabled" not in out.read("[Content_Types].xml")
        assert b"vbaProject" not in out.read("xl/_rels/workbook.xml.rels")
    assert load_workbook(f.output, data_only=True)["问卷统计表"]["G18"].value == 0


def minimal(sheet_data: str, extra_parts: dict[str, str] | None = None) -> bytes:
    """A one-sheet package written by hand, the way small generators write them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
                   '.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType='
                   '"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                   'officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   '<sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
                   '</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                   f'2006/main"><sheetData>{sheet_data}</sheetData></worksheet>')
        for name, text in (extra_parts or {}).items():
            z.writestr(name, text)
    return out.getvalue()


def test_cells_and_rows_are_added_in_order_and_styles_created_when_there_are_none(tmp_path):
    data = minimal('<row r="2" spans="1:2"><c r="A2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>文字</t></is></c></row>'
                   '<row r="5"><c r="A5"><v>5</v></c></row>')
    book = xlsxedit.Workbook(data)
    book.edit_cells("表", {(2, 2): xlsxedit.CellEdit(2.5, fill="FFFFFF00"),
                          (1, 1): xlsxedit.CellEdit("首行", number_format="@"),
                          (3, 4): xlsxedit.CellEdit(7, formula="=A2+B2*2", number_format="0.0%"),
                          (9, 1): xlsxedit.CellEdit(True),
                          (5, 1): xlsxedit.CellEdit(fill="FFFFC7CE")})
    book.add_comments("表", {(2, 2): "原值：空\n更正为：2.5"}, "绩效表格校核")
    (tmp_path / "x.xlsx").write_bytes(book.save())
    ws = load_workbook(tmp_path / "x.xlsx")["表"]
    assert [ws["A1"].value, ws["A2"].value, ws["B2"].value, ws["D3"].value, ws["A5"].value, ws["A9"].value] == \
        ["首行", 1, 2.5, "=A2+B2*2", 5, True]
    assert ws["A1"].number_format == "@" and ws["D3"].number_format == "0.0%"
    assert ws["B2"].fill.fgColor.rgb == "FFFFFF00" and ws["A5"].fill.fgColor.rgb == "FFFFC7CE"
    assert ws["B2"].comment.text == "原值：空\n更正为：2.5"
    cached = load_workbook(tmp_path / "x.xlsx", data_only=True)["表"]
    assert cached["D3"].value == 7
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert re.findall(r'<row r="(\d+)"', sheet) == ["1", "2", "3", "5", "9"]
        assert re.findall(r'<c r="([A-Z]+2)"', sheet) == ["A2", "B2", "C2"]
        assert "spans" not in sheet
        assert 'fullCalcOnLoad="1"' in z.read("xl/workbook.xml").decode()


@pytest.mark.parametrize("sheet_data, why", [
    ('<row r="1"><c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row>', "master"),
    ('<row><c><v>1</v></c></row>', "without a number"),
    ('<row r="1"><c><v>1</v></c></row>', "without a reference"),
])
def test_what_the_editor_cannot_rewrite_safely_is_declined(sheet_data, why):
    book = xlsxedit.Workbook(minimal(sheet_data))
    with pytest.raises(xlsxedit.Unsupported, match=why):
        book.edit_cells("表", {(1, 1): xlsxedit.CellEdit(3)})


def test_text_xml_cannot_hold_is_escaped_as_excel_does(tmp_path):
    book = xlsxedit.Workbook(minimal(""))
    book.add_sheet(xlsxedit.NewSheet("问题清单", [["响铃\x07字符", "_x0041_ 照原样", "<b>&amp;</b>"]]))
    (tmp_path / "x.xlsx").write_bytes(book.save())
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()
    assert ">响铃_x0007_字符<" in sheet and ">_x005F_x0041_ 照原样<" in sheet and "&lt;b&gt;&amp;amp;&lt;/b&gt;" in sheet
    row = [c.value for c in load_workbook(tmp_path / "x.xlsx")["问题清单"][1]]  # well-formed: it loads
    assert row[2] == "<b>&amp;</b>"
