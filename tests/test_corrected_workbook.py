"""`run` writes corrected workbooks that keep the layout, explain every change and re-check clean."""

from __future__ import annotations

import json
import shutil

import pytest
from openpyxl import load_workbook

from conftest import DATA, audit, sha256, corrected_path
from reportlib import batch
from reportlib.schema import Config


@pytest.fixture
def ran(inbox, tmp_path):
    before = {p.name: sha256(p) for p in inbox.iterdir()}
    out = tmp_path / "out"
    result = batch.run(inbox, out, Config())
    return inbox, out, result, before


def test_inputs_are_never_touched(ran):
    inbox, _, _, before = ran
    assert {p.name: sha256(p) for p in inbox.iterdir()} == before


def test_outputs_and_findings_json(ran):
    inbox, out, result, _ = ran
    names = sorted(p.name for p in out.rglob("*_校核.xlsx"))
    assert names == sorted(p.stem + "_校核.xlsx" for p in inbox.iterdir())
    assert {"findings.json", "汇总.xlsx"} <= {p.name for p in out.iterdir()}
    assert not [p for p in out.rglob("*.tmp")]
    saved = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    assert saved["files"] == [f.to_json() for f in result.files]
    assert result.exit_code == 1


def test_layout_is_kept_and_corrections_are_marked(ran):
    _, out, _, _ = ran
    src = load_workbook(DATA / "seed004_职业技能培训_问卷统计表.xlsx")["问卷统计表"]
    book = load_workbook(corrected_path(out, "seed004_职业技能培训_问卷统计表"))
    ws = book["问卷统计表"]
    assert book.sheetnames == ["问卷统计表", "问题清单"]
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted(map(str, src.merged_cells.ranges))
    assert ws.column_dimensions["B"].width == src.column_dimensions["B"].width
    assert ws["D5"].value == 103 and ws["B5"].value == src["B5"].value and ws["C5"].value == "人数"
    # the copied D share of question 2: formula, highlight, comment with old and new value
    cell = ws["G9"]
    assert cell.value == "=IF($I8=0,0,G8/$I8)"
    assert cell.number_format == "0.00%"
    assert cell.fill.fgColor.rgb.endswith("FFFF00")
    assert "原值：16.67%" in cell.comment.text and "更正为：0.88%" in cell.comment.text
    # a right share is left as the input has it: its typed value, no highlight, no comment
    assert ws["D9"].value == src["D9"].value and ws["D9"].comment is None and ws["D9"].fill.fgColor.rgb == "00000000"
    assert ws["G10"].value == "=G9*0.2*10"
    assert ws["D38"].value == "=I37"


def test_cached_values_are_the_recomputed_results(ran):
    _, out, _, _ = ran
    ws = load_workbook(corrected_path(out, "seed004_职业技能培训_问卷统计表"), data_only=True)["问卷统计表"]
    assert ws["G9"].value == pytest.approx(1 / 114)
    assert ws["I35"].value == 1140
    assert round(ws["D38"].value, 2) == 96.86
    assert ws["G35"].value == 4


def test_issue_list_sheet_links_to_cells(ran):
    _, out, result, _ = ran
    ws = load_workbook(corrected_path(out, "seed001_盲人按摩_问卷统计表"))["问题清单"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    expected = [f for f in result.files if "seed001" in f.display_path][0].findings
    assert len(rows) == len(expected)
    assert [c.value for c in ws[1]] == ["序号", "问题", "级别", "工作表", "单元格", "原值", "应为", "说明", "代码"]
    assert rows[0][1:3] == ("占比与人数不符", "错误") and rows[0][4] == "G18" and rows[0][8] == "share-mismatch"
    assert ws["E2"].hyperlink.location == "'问卷统计表'!G18"
    assert ws.freeze_panes == "A2"
    # fit to print and to read: a box round every cell, 说明 wrapped, widths from the content, A4 landscape
    assert all(ws.cell(r, c).border.left.style == "thin" for r in (1, 2) for c in range(1, 10))
    assert ws["H2"].alignment.wrap_text and ws.column_dimensions["H"].width == 70
    assert ws.column_dimensions["E"].width == 8  # "单元格" (6) and "G18" fit in 8
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.paperSize) == ("landscape", 1, 9)
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_rechecking_a_corrected_workbook_gives_no_error(ran):
    _, out, _, _ = ran
    for path in sorted(out.glob("*.xlsx")):
        result = audit(path)
        assert [f.code for f in result.findings if f.severity == "error"] == [], path.name
        assert result.status in ("clean", "findings")


def test_corrected_figures_match_the_check(ran):
    _, out, result, _ = ran
    for f in result.files:
        again = audit(f.output)
        assert again.figures["satisfaction"] == f.figures["satisfaction"]


def test_input_text_that_looks_like_a_formula_stays_text(tmp_path):
    wb = load_workbook(DATA / "seed000_乡村振兴_问卷统计表.xlsx")
    ws = wb.active
    ws["A4"] = '=HYPERLINK("http://example.invalid","1.点我")'
    ws["A4"].data_type = "s"
    inbox = tmp_path / "in"
    inbox.mkdir()
    wb.save(inbox / "link.xlsx")
    batch.run(inbox, tmp_path / "out", Config())
    out = load_workbook(corrected_path(tmp_path / "out", "link"))
    cell = out.active["A4"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_output_inside_inbox_is_not_read_back(inbox):
    out = inbox / "output"
    first = batch.run(inbox, out, Config())
    second = batch.run(inbox, out, Config())
    assert len(first.files) == len(second.files) == 5


def test_corrected_projects_recheck_only_to_what_was_left_for_a_person(tmp_path):
    """The bundled examples, run, then their corrected copies checked again as projects: every error
    that remains (cross-attachment disagreements included) is a finding of the first run, at a cell the
    corrected workbook marks pink for a person."""
    from review import review_cells
    from conftest import ROOT
    out = tmp_path / "out"
    first = batch.run(ROOT / "input_templates" / "examples", out, Config())
    again_in = tmp_path / "again"
    for copy in out.rglob("*_校核.xlsx"):
        (again_in / copy.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(copy, again_in / copy.parent.name / copy.name)
    again = batch.check([again_in], Config())
    before = {(f.path.name, x.code, x.sheet, x.cell) for f in first.files for x in f.findings}
    pink = {(p.name, sheet, cell) for p in again_in.rglob("*_校核.xlsx") for sheet, cell in review_cells(p)}
    remaining = [(f.path.name, x.code, x.sheet, x.cell) for f in again.files for x in f.findings if x.severity == "error"]
    assert remaining, "the examples hold mistakes a person must settle"
    for name, code, sheet, cell in remaining:
        assert (name.replace("_校核", ""), code, sheet, cell) in before, (name, code, cell)
        assert cell is None or (name, sheet, cell) in pink, (name, code, cell)


def test_a_filled_template_comes_back_with_its_own_formulas(tmp_path):
    """The filled templates have no finding: their copies keep every formula exactly, blank-safe guards
    (``=IF(…="","",…)``) and ``SUM`` ranges over blank rows included, and every value."""
    from conftest import ROOT
    inbox = tmp_path / "in" / "示例"
    inbox.mkdir(parents=True)
    for src in (ROOT / "input_templates" / "examples").glob("示例_*.xlsx"):
        shutil.copyfile(src, inbox / src.name)
    batch.run(tmp_path / "in", tmp_path / "out", Config())
    checked = 0
    for src in sorted(inbox.glob("*.xlsx")):
        before = load_workbook(src)
        after = load_workbook(next((tmp_path / "out").rglob(f"{src.stem}_校核.xlsx")))
        for ws in before.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert after[ws.title][cell.coordinate].value == cell.value, (src.name, cell.coordinate)
                    checked += cell.data_type == "f"
    assert checked >= 200


def test_a_formula_over_the_inputs_range_never_sums_fewer_cells():
    from reportlib.fixes import kept_range
    blank = {(r, 3) for r in range(13, 18)}
    # the input's SUM over blank template rows is kept; a SUM that leaves a row out is replaced
    assert kept_range("=SUM(C8:C17)", "=SUM(C8:C12)", lambda pos: pos in blank) == "=SUM(C8:C17)"
    assert kept_range("=SUM(C8:C11)", "=SUM(C8:C12)", lambda pos: True) == "=SUM(C8:C12)"
    # a SUM over cells the correction does not count, and that are not blank: nothing is safe to write
    assert kept_range("=SUM(C8:C17)", "=SUM(C8:C12)", lambda pos: False) is None
