"""The corrected indicator workbook: live formulas, marked corrections, and a clean re-check."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from conftest import DATA, audit, corrected, corrected_path

NAMES = ["seed000_乡村振兴_指标体系评分表", "seed002_服务状况调查_指标体系评分表",
         "seed003_自治区残疾人事业_指标体系评分表", "variant002_text_percent_grade", "variant003_annex_repeated"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    return corrected(tmp_path_factory.mktemp("ind"), NAMES)


def test_seed000_corrected_cells_and_formulas(outputs):
    out, _ = outputs
    path = corrected_path(out, "seed000_乡村振兴_指标体系评分表")
    ws = load_workbook(path)["指标得分"]
    assert ws["C5"].value == 55 and ws["C5"].fill.fgColor.rgb.endswith("FFFF00")
    assert "原值：57.00" in ws["C5"].comment.text and "更正为：55.00" in ws["C5"].comment.text
    # 扣分, 得分率 and the 合计 row agreed with 55 all along: they stay as typed
    src = load_workbook(DATA / "seed000_乡村振兴_指标体系评分表.xlsx")["指标得分"]
    for ref in ("D5", "E5", "B6", "C6", "D6", "E6"):
        assert ws[ref].value == src[ref].value and ws[ref].comment is None, ref
    assert (ws["C6"].value, ws["D5"].value, round(ws["E5"].value, 4)) == (94, 5, 0.9167)
    issues = load_workbook(path)["问题清单"]
    assert issues["I2"].value == "score-inconsistent" and issues["E2"].value == "C5"


def test_seed003_corrections_across_sheets(outputs):
    out, _ = outputs
    wb = load_workbook(corrected_path(out, "seed003_自治区残疾人事业_指标体系评分表"))
    annex, t31, t4 = wb["附件1"], wb["表3-1"], wb["表4 指标得分"]
    assert (annex["G4"].value, annex["H4"].value) == (2, 2)
    assert (annex["G33"].value, annex["H33"].value) == (100, 98)  # the right 合计 stays as typed
    assert t31["C7"].value == "=C6/C5" and t31["E7"].value == "=E6/E5" and t31["E7"].number_format == "0.00%"
    assert t31["F5"].value == 100
    assert [t4[f"G{r}"].value for r in (43, 44, 45, 46)] == [5, 4, 3, 3]
    assert t4["G47"].value == 25  # the 小计 the filled-in scores now add up to
    # the yellow score-missing cells carry the evidence
    assert "正好等于未填得分" in t4["G44"].comment.text


def test_grade_cell_becomes_a_formula(outputs):
    out, _ = outputs
    path = corrected_path(out, "variant002_text_percent_grade")
    ws = load_workbook(path)["汇总"]
    assert ws["D10"].value == '=IF(E9>=90,"优",IF(E9>=80,"良",IF(E9>=60,"中","差")))'
    assert load_workbook(path, data_only=True)["汇总"]["D10"].value == "优"
    assert ws["G7"].value == "=E7/D7" and ws["G7"].number_format == "0.00%"


def test_recheck_of_corrected_workbooks_has_no_errors(outputs):
    out, result = outputs
    assert all(f.output for f in result.files)
    for f in result.files:
        again = audit(f.output)
        assert [x.code for x in again.findings if x.severity != "info"] == [], f.output
        assert again.figures["total_score"] == f.figures["total_score"]
        assert again.figures["grade"] == f.figures["grade"]


def test_findings_json_carries_indicator_figures(outputs):
    out, _ = outputs
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
    seed000 = by_name["seed000_乡村振兴_指标体系评分表.xlsx"]
    assert (seed000["kind"], seed000["figures"]["total_score"], seed000["figures"]["grade"]) == ("indicators", 94.0, "优")
    assert [x["score"] for x in seed000["figures"]["level1"]] == [20.0, 19.0, 55.0]
    assert len(by_name["seed003_自治区残疾人事业_指标体系评分表.xlsx"]["tables"]) == 6  # 3-1, 4-1…4-4, 附件1
