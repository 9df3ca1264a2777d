"""The formats staff send: .xls (BIFF), HTML and SpreadsheetML saved as .xls, .ods, WPS .xlsx with a
wrong dimension, and what cannot be read.  The BIFF, .ods and LibreOffice-HTML fixtures were converted
by LibreOffice from the seed workbooks (see tests/data/make_formats.py); each must give the very
findings, cells and figures the .xlsx gives."""

from __future__ import annotations

import json
from pathlib import Path
import shutil
import warnings

import pytest
from openpyxl import load_workbook

from conftest import DATA, invoke
from reportlib.audit import audit_file
from reportlib.formats import read_workbook, shown_number, sniff
from reportlib.schema import Config

FORMATS = DATA / "formats"
SEED = {
    "seed001": DATA / "seed001_盲人按摩_问卷统计表.xlsx",
    "seed002": DATA / "seed002_服务状况调查_指标体系评分表.xlsx",
    "seed003": DATA / "seed003_自治区残疾人事业_资金使用情况表.xlsx",
}
SAME_LAYOUT = [
    ("seed001_问卷统计表.xls", "ole"), ("seed001_问卷统计表.ods", "ods"),
    ("seed001_问卷统计表_Excel网页.xls", "html"), ("seed001_问卷统计表_XML2003.xls", "spreadsheetml"),
    ("seed001_问卷统计表_WPS维度错误.xlsx", "xlsx"),
    ("seed002_指标体系评分表.xls", "ole"), ("seed002_指标体系评分表.ods", "ods"),
    ("seed002_指标体系评分表_WPS.xls", "spreadsheetml"),
    ("seed003_资金使用情况表.xls", "ole"), ("seed003_资金使用情况表.ods", "ods"),
    ("seed003_资金使用情况表_网页导出.xls", "html"), ("seed003_资金使用情况表_LibreOffice网页.xls", "html"),
]


def _findings(result):
    return [(f.code, f.sheet, f.cell, f.found, f.expected) for f in result.findings]


@pytest.mark.parametrize("name,fmt", SAME_LAYOUT)
def test_each_format_gives_the_findings_and_figures_of_the_xlsx(name, fmt):
    path = FORMATS / name
    assert sniff(path) == fmt
    got, _ = audit_file(path, Config())
    want, _ = audit_file(SEED[name[:7]], Config())
    assert got.status == want.status and got.kind == want.kind
    if fmt == "html" and "Excel" not in name:  # a page has no sheet name: Excel names the sheet after the file
        assert {f.sheet for f in got.findings} <= {path.stem}
        assert [x[:1] + x[2:] for x in _findings(got)] == [x[:1] + x[2:] for x in _findings(want)]
    else:
        assert _findings(got) == _findings(want)
    for key in ("satisfaction", "respondents", "option_weights", "total_score", "grade", "budget", "spent",
                "execution_rate", "unit", "items"):
        assert got.figures.get(key) == want.figures.get(key), key


def test_real_values_from_the_old_formats():
    """Seed 001's copied share column (11.11% where nobody chose D) and its 92.52 recomputed."""
    got, _ = audit_file(FORMATS / "seed001_问卷统计表.xls", Config())
    assert ("share-mismatch", "问卷统计表", "G18", "11.11%", "0.00%") in _findings(got)
    assert got.figures["satisfaction"] == 92.52
    ods, _ = audit_file(FORMATS / "seed002_指标体系评分表.ods", Config())
    assert ("rate-mismatch", "得分情况", "E4", "99.50%", "93.00%") in _findings(ods)
    web, _ = audit_file(FORMATS / "seed003_资金使用情况表_网页导出.xls", Config())
    assert web.status == "clean" and web.figures["budget"] == 25.4 and web.figures["unit"] == "万元"


def test_libreoffice_html_keeps_its_own_cell_positions():
    """LibreOffice's HTML starts at the first used cell, so Excel opens it one row and column up:
    findings point where the person opening that file sees the cell."""
    got, _ = audit_file(FORMATS / "seed001_问卷统计表_LibreOffice网页.xls", Config())
    assert ("share-mismatch", "seed001_问卷统计表_LibreOffice网页", "F17", "11.11%", "0.00%") in _findings(got)
    assert got.figures["satisfaction"] == 92.52


def test_wps_dimension_is_not_trusted():
    path = FORMATS / "seed001_问卷统计表_WPS维度错误.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ro = load_workbook(path, read_only=True, data_only=True)
        assert ro.worksheets[0].max_row == 1 and ro.worksheets[0].max_column == 1  # the trap is real
        ro.close()
    sheet = read_workbook(path).sheets[0]
    assert sheet.max_row > 20 and sheet.max_col >= 9


@pytest.mark.parametrize("name,words", [
    ("加密的问卷统计表.xlsx", ["密码", "取消密码保护", ".xlsx"]),
    ("WPS表格.et", ["WPS", "另存为", ".xlsx"]),
    ("其实是PDF.xlsx", ["PDF", ".xlsx"]),
    ("其实是Word.xlsx", ["不是 Excel 工作簿", "另存为 .xlsx"]),
])
def test_unreadable_files_get_one_line_saying_what_to_do(tmp_path, name, words):
    shutil.copyfile(FORMATS / name, tmp_path / name)
    shutil.copyfile(FORMATS / "seed001_问卷统计表.xls", tmp_path / "好的问卷统计表.xls")
    res = invoke("check", "--json", tmp_path)
    assert res.exit_code == 2
    files = {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(res.stdout)["files"]}
    error = files[name]["error"]
    assert files[name]["status"] == "error" and "\n" not in error and name in error
    assert all(w in error for w in words), error
    assert files["好的问卷统计表.xls"]["status"] == "findings"  # the batch went on


def test_run_writes_xlsx_corrected_copies_of_other_formats(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    shutil.copyfile(FORMATS / "seed001_问卷统计表.xls", inbox / "盲人按摩问卷统计表.xls")
    shutil.copyfile(FORMATS / "seed001_问卷统计表.ods", inbox / "盲人按摩问卷统计表.ods")
    shutil.copyfile(FORMATS / "seed002_指标体系评分表_WPS.xls", inbox / "盲人按摩指标体系评分表.xls")
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    res = invoke("run", inbox, "-o", out)
    assert res.exit_code == 1, res.output
    assert {p.name: p.read_bytes() for p in inbox.iterdir()} == before  # inputs untouched
    folder = out / "盲人按摩"
    names = sorted(p.name for p in folder.glob("*.xlsx"))
    assert names == ["盲人按摩指标体系评分表_校核.xlsx", "盲人按摩问卷统计表_xls_校核.xlsx", "盲人按摩问卷统计表_校核.xlsx"]
    book = load_workbook(folder / "盲人按摩问卷统计表_校核.xlsx")
    ws = book["问卷统计表"]
    assert ws["G18"].fill.fgColor.rgb.endswith("FFFF00") and "11.11%" in ws["G18"].comment.text
    assert ws["G18"].value.startswith("=")  # a live formula over the counts
    assert "问题清单" in book.sheetnames
    for corrected in folder.glob("*_校核.xlsx"):  # the corrected copies check clean of errors
        again, _ = audit_file(corrected, Config())
        assert again.errors == 0, (corrected.name, _findings(again))


def test_html_text_stays_text_in_the_corrected_copy(tmp_path):
    page = ("<html><head><meta charset='utf-8'></head><body><table>"
            "<tr><td colspan=3>=HYPERLINK(\"http://x\",\"点我\")</td></tr>"
            "<tr><td>单位</td><td>预算资金</td><td>实际支出</td></tr>"
            "<tr><td>甲</td><td>10.00</td><td>8.00</td></tr>"
            "<tr><td>合计</td><td>10.00</td><td>9.00</td></tr></table></body></html>")
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "网页资金使用情况表.xls").write_text(page, encoding="utf-8")
    res = invoke("run", inbox, "-o", out)
    assert res.exit_code == 1, res.output
    corrected = next(out.rglob("*_校核.xlsx"))
    ws = load_workbook(corrected).worksheets[0]
    assert ws["A1"].value == '=HYPERLINK("http://x","点我")' and ws["A1"].data_type == "s"
    # one item and its 合计 disagree: either could be wrong, so nothing is changed and both are named
    assert ws["C4"].value == 9 and "9.00" in ws["C4"].comment.text and "C3" in ws["C4"].comment.text
    assert ws["C4"].fill.fgColor.rgb.endswith("FFC7CE")


@pytest.mark.parametrize("text,value,fmt", [
    ("96.86%", 0.9686, "0.00%"), ("97%", 0.97, "0%"), ("1,234.50", 1234.5, "#,##0.00"), ("25.40", 25.4, "0.00"),
    ("12", 12, "General"), ("-3.5", -3.5, "0.0"),
])
def test_a_number_shown_as_text_keeps_its_precision(text, value, fmt):
    assert shown_number(text) == (value, fmt)


@pytest.mark.parametrize("text", ["12a", "1,23", "", "合计", "1.2.3", "3%%"])
def test_other_text_is_not_a_number(text):
    assert shown_number(text) is None


def test_a_folder_search_takes_xml_and_html_tables_by_their_content(tmp_path):
    """check DIR reads the SpreadsheetML .xml and the HTML .htm that check DIR/q.xml reads, and leaves
    the folder's other XML and web pages alone."""
    import shutil
    shutil.copyfile(FORMATS / "seed001_问卷统计表_XML2003.xls", tmp_path / "问卷统计表.xml")
    shutil.copyfile(FORMATS / "seed003_资金使用情况表_网页导出.xls", tmp_path / "资金使用情况表.htm")
    (tmp_path / "config.xml").write_text("<?xml version='1.0'?><settings><a>1</a></settings>", encoding="utf-8")
    (tmp_path / "说明.html").write_text("<html><body><p>填报说明</p></body></html>", encoding="utf-8")
    data = json.loads(invoke("check", "--json", tmp_path).stdout)
    assert sorted(Path(f["path"]).name for f in data["files"]) == ["资金使用情况表.htm", "问卷统计表.xml"]
    assert {f["kind"] for f in data["files"]} == {"questionnaire", "funds"}
