"""Formulas saved without results (scripts, openpyxl, Apache POI exports) read as Excel would show them.

The fillable examples re-saved by openpyxl (which drops every cached result) must read cell for cell
like the originals and give the same findings; shared formulas are expanded; chains across sheets and
ranges, blanks, errors, unknown functions and cycles behave as described in
:mod:`reportlib.formats.evaluate`; a workbook with cached results never imports the engine; and
LibreOffice's own recalculation agrees with ours.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from process import cli
from reportlib.formats import read_workbook

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = ROOT / "input_templates" / "examples"
FILLED = sorted(EXAMPLES.glob("示例_按模板填写_*.xlsx"))

SOFFICE = shutil.which("soffice")
#: a LibreOffice profile setting: recalculate every formula of an .xlsx on load
RECALC = ('<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" '
          'oor:op="fuse"><value>0</value></prop></item>')


def resave(src: Path, folder: Path) -> Path:
    """The workbook as openpyxl saves it: formulas kept, every cached result gone."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / src.name
    load_workbook(src).save(out)
    return out


def shown(sheet, pos):
    """A cell as the checks see it: None for blank, else (value, number format); numbers at 10
    significant digits, so 2 and 2.0 or a last-bit difference compare equal.  "" and nothing are both
    blank (``Sheet.parsed`` reads them so): openpyxl drops the examples' empty text cells on saving."""
    value = sheet.values.get(pos)
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = f"{value:.10g}"
    return value, sheet.formats.get(pos, "General")


def assert_same_cells(got, want) -> None:
    assert [s.title for s in got.sheets] == [s.title for s in want.sheets]
    for a, b in zip(got.sheets, want.sheets):
        for pos in sorted(set(a.values) | set(b.values)):
            assert shown(a, pos) == shown(b, pos), (a.title, pos)
        assert a.span_of == b.span_of


def write_package(path: Path, sheet_xml: str) -> Path:
    """A minimal .xlsx written by hand: one sheet, no styles, no shared strings."""
    ns = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
            '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
            'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships {ns}><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.'
            'xml"/></Relationships>'),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="明细" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships {ns}><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
            'sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{sheet_xml}</sheetData></worksheet>'),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path


# --- the fillable examples, re-saved by openpyxl -------------------------------------------------------

@pytest.mark.parametrize("src", FILLED, ids=lambda p: p.stem)
def test_resaved_example_reads_like_the_original(src, tmp_path):
    copy = resave(src, tmp_path)
    want, got = read_workbook(src), read_workbook(copy)
    assert_same_cells(got, want)
    for sheet, original in zip(got.sheets, want.sheets):
        assert sheet.formulas == original.formulas  # the cell's own formula, "=" first
        assert sheet.computed and not sheet.uncomputed, sheet.title
        assert set(sheet.computed) <= set(sheet.formulas)
        assert not original.computed and not original.uncomputed  # the original carries its results


def test_resaved_examples_give_the_originals_findings(tmp_path):
    """``check`` over the re-saved attachments of one project (the 自评表 too) reports what it reports for the
    originals, to the last figure: no finding at all."""
    for src in FILLED:
        resave(src, tmp_path / "copy")
        (tmp_path / "orig").mkdir(exist_ok=True)
        shutil.copyfile(src, tmp_path / "orig" / src.name)
    reports = {}
    for name in ("orig", "copy"):
        run = CliRunner().invoke(cli, ["check", str(tmp_path / name), "--json", "--jobs", "1"])
        assert run.exit_code == 0, run.output  # 0: no error findings
        reports[name] = json.loads(run.stdout.replace(str(tmp_path / name), "<DIR>"))
    assert reports["copy"] == reports["orig"]
    assert reports["copy"]["summary"]["clean"] == len(FILLED) == 4 and _findings(reports["copy"]) == []


def _findings(data) -> list:
    """Every finding in ``check --json`` output, wherever the report nests them."""
    if isinstance(data, dict):
        return [f for k, v in data.items() for f in (v if k == "findings" and isinstance(v, list) else _findings(v))]
    if isinstance(data, list):
        return [f for v in data for f in _findings(v)]
    return []


# --- how formulas are recorded and computed -----------------------------------------------------------

def test_shared_formulas_are_expanded_and_computed(tmp_path):
    rows = "".join(
        f'<row r="{r}"><c r="B{r}"><v>{b}</v></c><c r="C{r}"><v>{c}</v></c>{f}</row>'
        for r, b, c, f in [
            (2, 2, 3, '<c r="D2"><f t="shared" ref="D2:D4" si="0">B2*C2</f></c>'
                      '<c r="E2"><f t="shared" ref="E2:E4" si="1">D2+$B$2</f></c>'),
            (3, 4, 5, '<c r="D3"><f t="shared" si="0"/></c><c r="E3"><f t="shared" si="1"/></c>'),
            (4, 6, 7, '<c r="D4"><f t="shared" si="0"/></c><c r="E4"><f t="shared" si="1"/></c>'),
        ])
    sheet = read_workbook(write_package(tmp_path / "shared.xlsx", rows)).sheets[0]
    assert sheet.formulas == {(2, 4): "=B2*C2", (3, 4): "=B3*C3", (4, 4): "=B4*C4",
                              (2, 5): "=D2+$B$2", (3, 5): "=D3+$B$2", (4, 5): "=D4+$B$2"}
    assert [sheet.values[(r, 4)] for r in (2, 3, 4)] == [6, 20, 42]
    assert [sheet.values[(r, 5)] for r in (2, 3, 4)] == [8, 22, 44]
    assert sheet.computed == set(sheet.formulas) and not sheet.uncomputed


def test_cached_shared_formulas_are_recorded_but_not_computed(tmp_path):
    rows = ('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f t="shared" ref="B1:B2" si="0">A1*10</f><v>20</v></c></row>'
            '<row r="2"><c r="A2"><v>3</v></c><c r="B2"><f t="shared" si="0"/><v>30</v></c></row>')
    sheet = read_workbook(write_package(tmp_path / "cached.xlsx", rows)).sheets[0]
    assert sheet.formulas == {(1, 2): "=A1*10", (2, 2): "=A2*10"}
    assert sheet.values[(2, 2)] == 30 and not sheet.computed and not sheet.uncomputed


def test_array_formula_text_is_recorded(tmp_path):
    rows = ('<row r="1"><c r="A1"><v>2</v></c><c r="B1"><v>3</v></c>'
            '<c r="C1"><f t="array" ref="C1">SUM(A1:A1*B1:B1)</f></c></row>')
    sheet = read_workbook(write_package(tmp_path / "array.xlsx", rows)).sheets[0]
    assert sheet.formulas == {(1, 3): "=SUM(A1:A1*B1:B1)"}
    assert sheet.values[(1, 3)] == 6 and (1, 3) in sheet.computed


def uncached_book(path: Path) -> Path:
    """A workbook as a script writes it with openpyxl: formulas, no results."""
    wb = Workbook()
    data = wb.active
    data.title = "数据"
    for row, value in enumerate([10, 20.5, 30], 1):
        data.cell(row, 1, value)
    data["B1"] = "=SUM(A1:A3)"
    data["C1"] = "='汇总 表'!A1+1"  # a chain back and forth across sheets, no cycle
    summary = wb.create_sheet("汇总 表")
    summary["A1"] = "=数据!B1*2"
    summary["A2"] = "=SUM(数据!A1:B3)"  # a range holding another uncached formula
    summary["A3"] = "=SUM(数据!A:A)"
    summary["A4"] = "=ROUND(A2/3,2)"
    summary["A5"] = "=ROW()*10"
    score = wb.create_sheet("评分")
    score["D4"] = 5
    score["H4"] = '=IF(G4="","",D4-G4)'
    score["I4"] = '=IF(G4="","",G4/D4)'
    score["I4"].number_format = "0.00%"
    score["J4"] = '=H4&"分"'  # "" joins as ""
    score["K4"] = "=COUNT(D4:I4)"  # COUNT skips the blank and the "" results
    score["L4"] = "=H4+1"  # but "" is text, not a blank: #VALUE!, as in Excel
    score["M4"] = "=ISBLANK(H4)"
    score["N4"] = "=ISBLANK(G4)"
    score["D5"] = 4
    score["G5"] = 3
    score["H5"] = '=IF(G5="","",D5-G5)'
    score["I5"] = '=IF(G5="","",G5/D5)'
    score["I5"].number_format = "0.00%"
    score["A7"] = "=1/0"
    score["B7"] = "=A7+1"  # an error travels
    score["C7"] = "=IFERROR(A7,0)"
    score["D7"] = '=D4>3'
    score["E7"] = '=IF(D4>3,"优","差")'
    score["F7"] = "=DATE(2024,3,1)+D4"
    score["F7"].number_format = "yyyy-mm-dd"
    funcs = wb.create_sheet("函数")  # what these tables use
    for row, (a, b) in enumerate([(90, "优"), (85.5, "良"), (72, "中"), (None, None), (59, "差")], 1):
        funcs.cell(row, 1, a)
        funcs.cell(row, 2, b)
    for col, formula in enumerate([
            "=SUMPRODUCT(A1:A5,A1:A5)", "=AVERAGE(A1:A5)", "=MAX(A1:A5)-MIN(A1:A5)", '=COUNTIF(B1:B5,"优")',
            '=SUMIF(A1:A5,">80")', "=VLOOKUP(72,A1:B5,2,FALSE)", '=TEXT(A2/A1,"0.00%")', "=ROUNDUP(A2/7,2)",
            "=ABS(A5-A1)", '=IF(AND(A1>=90,A2>=80),"达标","未达标")', "=COUNTA(A1:B5)", "=COUNTBLANK(A1:B5)",
            "=INDEX(B1:B5,MATCH(85.5,A1:A5,0))", "=SUM(A1:A5)/COUNT(A1:A5)", "=MOD(A2,7)", "=INT(A2)",
            '=A1&"/"&B1', "=LEN(B2)", "=A4", "=B4"], 3):
        funcs.cell(1, col, formula)
    odd = wb.create_sheet("异常")
    odd["A1"] = "=B1+1"  # a cycle
    odd["B1"] = "=A1+1"
    odd["C1"] = "=A1*2"  # reads the cycle
    odd["A2"] = "=FOOBAR(1)"  # a function no engine knows
    odd["B2"] = "=A2+1"
    odd["A3"] = "=[1]Sheet1!A1"  # another workbook
    odd["A4"] = "=SUM(未定义名称)"  # a defined name that is not there
    odd["A5"] = "=A5+1"  # itself
    odd["A6"] = "=" + "+".join(["1"] * 5000)  # longer than Excel allows (8,192 characters)
    odd["A7"] = "=SUM(A8:B9"  # not a formula at all
    odd["A8"] = "=A1:A3"  # an array in one cell
    wb.save(path)
    return path


def test_chain_blanks_errors_and_what_cannot_be_computed(tmp_path):
    book = read_workbook(uncached_book(tmp_path / "script.xlsx"))  # must not raise
    data, summary, score, funcs, odd = book.sheets
    assert data.values[(1, 2)] == 60.5
    assert summary.values[(1, 1)] == 121
    assert data.values[(1, 3)] == 122
    assert summary.values[(2, 1)] == 60.5 * 2
    assert summary.values[(3, 1)] == 60.5
    assert summary.values[(4, 1)] == 40.33
    assert summary.values[(5, 1)] == 50
    # blank G4: "" is stored like Excel's cached empty string, i.e. the cell reads blank
    assert (4, 8) not in score.values and (4, 9) not in score.values
    assert score.parsed(4, 8) is None and score.shown(4, 9) is None and score.label(4, 8) == ""
    assert {(4, 8), (4, 9)} <= score.computed
    assert score.values[(4, 10)] == "分" and score.values[(4, 11)] == 1
    assert score.values[(4, 12)] == "#VALUE!" and score.values[(4, 13)] is False and score.values[(4, 14)] is True
    assert score.values[(5, 8)] == 1 and score.values[(5, 9)] == 0.75
    assert score.formats[(5, 9)] == "0.00%" and score.parsed(5, 9).display() == "75.00%"
    assert score.values[(7, 1)] == "#DIV/0!" and score.values[(7, 2)] == "#DIV/0!"
    assert score.values[(7, 3)] == 0 and score.values[(7, 4)] is True and score.values[(7, 5)] == "优"
    assert score.values[(7, 6)] == datetime(2024, 3, 6)
    assert funcs.computed == {(1, c) for c in range(3, 23)} and not funcs.uncomputed
    assert [funcs.values.get((1, c)) for c in (8, 9, 21, 22)] == ["中", "95.00%", 0, 0]
    assert odd.uncomputed == {(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (3, 1), (4, 1), (5, 1), (6, 1), (7, 1), (8, 1)}
    assert not odd.computed and not odd.values
    for sheet in book.sheets:
        assert not sheet.computed & sheet.uncomputed
        assert sheet.computed | sheet.uncomputed == set(sheet.formulas)


def test_without_the_engine_the_cells_stay_unknown(tmp_path, monkeypatch):
    from reportlib.formats import evaluate

    def missing():
        raise ImportError("No module named 'formulas'")
    monkeypatch.setattr(evaluate, "_load_engine", missing)
    book = read_workbook(resave(FILLED[2], tmp_path))
    assert all(s.uncomputed == set(s.formulas) and not s.computed for s in book.sheets)


def test_budget_leaves_the_rest_unknown(tmp_path, monkeypatch):
    from reportlib.formats import evaluate
    wb = Workbook()
    ws = wb.active
    ws["A1"] = 1
    for row in range(2, 12):
        ws.cell(row, 1, f"=A{row - 1}+1")
    wb.save(tmp_path / "long.xlsx")
    monkeypatch.setattr(evaluate, "MAX_CELLS", 4)
    sheet = read_workbook(tmp_path / "long.xlsx").sheets[0]
    assert [sheet.values.get((r, 1)) for r in range(1, 7)] == [1, 2, 3, 4, 5, None]
    assert len(sheet.computed) == 4 and len(sheet.uncomputed) == 6


def test_a_long_chain_is_not_recursion(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = 1
    for row in range(2, 3002):
        ws.cell(row, 1, f"=A{row - 1}+1")
    ws["B1"] = "=A3001"  # read first, so the whole chain below it is resolved from here
    wb.save(tmp_path / "chain.xlsx")
    sheet = read_workbook(tmp_path / "chain.xlsx").sheets[0]
    assert sheet.values[(1, 2)] == 3001 and not sheet.uncomputed


# --- the fast path ---------------------------------------------------------------------------------------

def test_cached_workbooks_do_not_import_the_engine(tmp_path):
    """Reading workbooks whose formulas have results (Excel's, xlsxwriter's with a "" result, shared
    formulas with values) leaves ``formulas`` unimported; reading an uncached one imports it."""
    cached = write_package(tmp_path / "cached.xlsx", '<row r="1"><c r="A1"><v>2</v></c><c r="B1"><f t="shared" '
                           'ref="B1:B2" si="0">A1*10</f><v>20</v></c><c r="C1" t="str"><f>""</f><v></v></c></row>')
    uncached = resave(FILLED[0], tmp_path / "copy")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
            "from reportlib.formats import read_workbook\n"
            "for p in sys.argv[2:-1]: read_workbook(Path(p))\n"
            "print('formulas' in sys.modules, 'reportlib.formats.evaluate' in sys.modules)\n"
            "read_workbook(Path(sys.argv[-1])); print('formulas' in sys.modules)")
    args = [sys.executable, "-c", code, str(ROOT), *map(str, FILLED), str(cached), str(uncached)]
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=120).stdout.split()
    assert out == ["False", "False", "True"]


# --- LibreOffice agrees ----------------------------------------------------------------------------------

@pytest.mark.skipif(not SOFFICE, reason="LibreOffice not installed (apt-get install libreoffice-calc)")
def test_libreoffice_recalculation_agrees(tmp_path):
    src = tmp_path / "uncached.xlsx"
    wb = load_workbook(uncached_book(tmp_path / "script.xlsx"))
    del wb["异常"]  # what we leave unknown, LibreOffice shows as errors of its own
    wb.save(src)
    for example in FILLED:  # and the examples' own formulas, each in a workbook of its own
        resave(example, tmp_path / "in")
    profile = tmp_path / "profile"
    warm = write_package(tmp_path / "warm.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>')
    _soffice(warm, tmp_path / "warm", profile)  # the first start creates the profile
    xcu = profile / "user" / "registrymodifications.xcu"
    xcu.write_text(xcu.read_text(encoding="utf-8").replace("</oor:items>", RECALC + "</oor:items>"), encoding="utf-8")
    for ours in [src, *sorted((tmp_path / "in").iterdir())]:
        theirs = _soffice(ours, tmp_path / "lo", profile)
        got, want = read_workbook(ours), read_workbook(theirs)
        assert not any(s.computed or s.uncomputed for s in want.sheets)  # LibreOffice wrote every result
        assert sum(len(s.computed) for s in got.sheets) > 5
        for a, b in zip(got.sheets, want.sheets):
            assert a.title == b.title
            for pos in sorted(a.computed):  # LibreOffice writes ``yyyy-mm-dd`` as ``yyyy\-mm\-dd``
                assert _unescaped(shown(a, pos)) == _unescaped(shown(b, pos)), (ours.name, a.title, pos)


def _unescaped(cell):
    return cell if cell is None else (cell[0], cell[1].replace("\\", ""))


def _soffice(src: Path, outdir: Path, profile: Path) -> Path:
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(profile.parent)})
    return outdir / (src.stem + ".xlsx")


def test_a_formula_that_cannot_be_computed_is_unknown_not_blank(tmp_path):
    """A 合计 whose formula was saved without a result and that the engine cannot compute either (an
    unknown function) is an info finding, never "C6 为空白" with a correction written over it."""
    import openpyxl
    from reportlib.audit import audit_file
    from reportlib.schema import Config
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["资金使用情况表"])
    ws.append(["单位：万元"])
    ws.append(["序号", "单位", "下达金额", "使用经费", "结余经费"])
    ws.append([1, "甲", 10, 8, 2])
    ws.append([2, "乙", 5.5, 5.5, 0])
    ws.append([None, "合计", "=SUM(C4:C5)+FOOBAR(0)", "=SUM(D4:D5)", "=SUM(E4:E5)"])
    wb.save(tmp_path / "资金.xlsx")  # openpyxl stores formulas without results
    result, book = audit_file(tmp_path / "资金.xlsx", Config())
    assert [(f.code, f.severity, f.cell) for f in result.findings] == [("formula-uncomputed", "info", "C6")]
    assert "=SUM(C4:C5)+FOOBAR(0)" in result.findings[0].message
    assert (result.figures["budget"], result.figures["spent"], result.figures["balance"]) == (15.5, 13.5, 2.0)
    assert not [x for t in result.tables for x in t.fixes if x.mark]
