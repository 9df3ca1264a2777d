"""The blank 指标体系评分表 staff fill in, and the filled example built from it."""

from __future__ import annotations

from openpyxl import load_workbook

from conftest import ROOT, audit

TEMPLATE = ROOT / "input_templates" / "指标体系评分表.xlsx"
EXAMPLE = ROOT / "input_templates" / "examples" / "示例_按模板填写_指标体系评分表.xlsx"


def test_blank_template_is_recognised_as_not_filled_in():
    result = audit(TEMPLATE)
    assert [(f.code, f.severity, f.sheet) for f in result.findings] == [
        ("empty-table", "info", "指标体系评分表"), ("empty-table", "info", "一级指标汇总")]
    fig = result.figures
    assert (fig["total_weight"], fig["indicators"], fig["grade_bands_source"]) == (100.0, 19, "表内说明")
    assert [(x["code"], x["weight"]) for x in fig["level1"]] == [("A", 15.0), ("B", 20.0), ("C", 40.0), ("D", 25.0)]


def test_template_scores_are_inputs_and_the_rest_are_formulas():
    wb = load_workbook(TEMPLATE)
    ws = wb["指标体系评分表"]
    assert ws["A4"].value == "A决策(15分)" and ws["B4"].value == "A1项目立项(5分)"
    assert ws["G4"].value is None and ws["G4"].fill.fgColor.rgb.endswith("FFF2CC")
    assert ws["H4"].value == '=IF(G4="","",D4-G4)' and ws["I4"].value == '=IF(G4="","",G4/D4)'
    validation = [v for v in ws.data_validations.dataValidation if "G4" in {str(r) for r in v.sqref.ranges}]
    assert validation and validation[0].type == "decimal" and validation[0].formula2 == "D4"
    assert ws["D23"].value == "=SUM(D4:D22)" and ws["G23"].value.endswith("SUM(G4:G22))")
    assert ws["D24"].value.startswith('=IF(G23="","",IF(G23>=90,"优"')
    summary = wb["一级指标汇总"]
    assert summary["B3"].value == "=SUM('指标体系评分表'!D4:D9)"


def test_filled_example_is_clean_and_its_rule_scores_agree():
    result = audit(EXAMPLE)
    assert result.status == "clean"
    fig = result.figures
    assert (fig["total_score"], fig["grade"], fig["title"]) == (97.19, "优", "示例：按模板填写的项目支出绩效评价指标体系及评分表")  # as written
    assert [x["score"] for x in fig["level1"]] == [15.0, 17.69, 39.5, 25.0]
    # the summary sheet is checked against the detail sheet and agrees
    assert [t.figures["total_score"] for t in result.tables] == [97.19, 97.19]
