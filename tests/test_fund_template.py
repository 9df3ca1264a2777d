"""The blank 资金使用情况表 staff fill in (seed 003's columns), and the filled example built from it."""

from __future__ import annotations

import make_funds
from openpyxl import load_workbook

from conftest import ROOT, audit, codes_cells
from reportlib.template_funds import build_funds

TEMPLATE = ROOT / "input_templates" / "资金使用情况表.xlsx"
EXAMPLE = ROOT / "input_templates" / "examples" / "示例_按模板填写_资金使用情况表.xlsx"


def test_blank_template_is_recognised_as_not_filled_in():
    result = audit(TEMPLATE)
    assert (result.kind, codes_cells(result)) == ("funds", [("empty-table", "A6", None, None)])
    assert (result.figures["title"], result.figures["unit"], result.figures["items"]) == ("资金使用情况明细表", "万元", 0)


def test_template_inputs_are_yellow_and_totals_balances_and_rates_are_formulas():
    ws = load_workbook(TEMPLATE).active
    assert (ws["A4"].value, ws["C6"].value, ws["G6"].value, ws["K6"].value, ws["L6"].value) == \
        ("单位：万元", "预算（调整后）资金", "资金到位情况", "实际支出", "剩余资金")
    assert [ws.cell(7, c).value for c in (3, 4, 12, 13, 14)] == ["合计", "上级财政资金", "合计", "结余资金", "调整资金"]
    assert ws["D8"].value is None and ws["D8"].fill.fgColor.rgb.endswith("FFF2CC")
    assert ws["C8"].value == '=IF(COUNT(D8:F8)=0,"",SUM(D8:F8))'
    assert ws["L8"].value == '=IF(G8="","",G8-N(K8))'
    assert (ws["O8"].value, ws["P8"].value) == ('=IF(N(C8)=0,"",N(G8)/C8)', '=IF(N(G8)=0,"",N(K8)/G8)')
    assert (ws["A18"].value, ws["C18"].value, ws["L18"].value) == ("合计", "=SUM(C8:C17)", "=SUM(L8:L17)")
    validation = [v for v in ws.data_validations.dataValidation if "D8" in {str(r) for r in v.sqref.ranges}]
    assert validation and validation[0].type == "custom"


def test_filled_example_is_clean_with_the_units_figures():
    result = audit(EXAMPLE)
    assert (result.status, result.findings) == ("clean", [])
    fig = result.figures
    assert (fig["budget"], fig["arrived"], fig["spent"], fig["balance"]) == (45.7, 45.7, 42.2, 3.5)
    assert (fig["execution_rate"], fig["arrival_rate"], fig["items"]) == (92.34, 100.0, 4)


def test_a_clerk_typing_a_wrong_balance_part_into_the_template_is_told(tmp_path):
    rows = [list(r) for r in make_funds.FILLED_TEMPLATE]
    rows[1][9] = 1.05  # 结余资金 of 康复中心: its balance is 1.50
    path = tmp_path / "填写.xlsx"
    build_funds(path, rows=rows)
    result = audit(path)
    assert [(f.code, f.cell, f.range) for f in result.findings] == [("source-sum-mismatch", "M9", "M9:N9")]
    assert "各部分之和为 1.05" in result.findings[0].message and "结余重算为 1.50" in result.findings[0].message
