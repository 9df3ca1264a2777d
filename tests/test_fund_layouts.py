"""Fund tables laid out the way other offices lay them out, and faults injected into the seeds."""

from __future__ import annotations

from openpyxl import Workbook

from conftest import DATA, audit, codes_cells


def test_transposed_digits_blame_the_cell_that_mends_its_row_and_its_column():
    result = audit(DATA / "variant004_funds_typos.xlsx")
    assert codes_cells(result) == [
        ("amount-inconsistent", "D8", "17.477534", "17.477354"),
        ("balance-mismatch", "E6", "4.2795", "4.2975"),
    ]
    spent, balance = result.findings
    assert "本行结余算式（E8 8.522646）、本列合计（D9 82.050854）、本列合计（E9 15.310146）都与它矛盾" in spent.message
    assert "5.271 − 0.9735" in balance.message and "本行结余算式与本列合计都相符" in balance.message
    # the totals were right all along and the figures are the seed's
    assert (result.figures["spent"], result.figures["balance"]) == (82.050854, 15.310146)


def test_a_row_left_out_of_a_total_written_first_with_text_amounts():
    result = audit(DATA / "variant002_funds_total_first_text.xlsx")
    assert codes_cells(result) == [("sum-mismatch", "C3", "276", "331")]
    assert "相差 55，正好是第14行“禄劝县”的数，合计可能漏加了该行" in result.findings[0].message
    # the unit stood only in the header: 对下资金（万元）
    assert (result.figures["budget"], result.figures["unit"], result.figures["items"]) == (331.0, "万元", 16)


def test_subtotals_under_headings_and_a_subtotal_with_swapped_digits():
    result = audit(DATA / "variant002_funds_subtotals.xlsx")
    assert codes_cells(result) == [("sum-mismatch", "C20", "205", "250")]
    assert "本组小计与本列合计都相符" in result.findings[0].message
    assert (result.figures["budget"], result.figures["items"]) == (331.0, 16)


def test_sources_that_do_not_add_up_to_their_total_with_unmerged_group_labels():
    result = audit(DATA / "variant003_funds_sources.xlsx")
    assert codes_cells(result) == [("source-sum-mismatch", "C10", "6.50", "6.30")]
    assert "上级财政资金 + 本级财政资金 + 财政资金以外的其他资金（5.00 + 1.30 + 0.00）" in result.findings[0].message
    fig = result.figures
    assert (fig["budget"], fig["arrived"], fig["spent"], fig["balance"]) == (45.7, 45.7, 42.2, 3.5)
    assert (fig["execution_rate"], fig["execution_rate_basis"], fig["arrival_rate"]) == (92.34, "arrived", 100.0)


def test_county_count_on_the_first_row_only_is_checked_against_the_rows_of_its_county():
    result = audit(DATA / "variant001_funds_first_row_only.xlsx")
    assert codes_cells(result) == [("overspent", "D4", "24", "16"), ("group-count-mismatch", "F11", "3", "4")]
    assert "F11:F14" in result.findings[1].message


def test_text_in_an_amount_cell_is_flagged_and_a_negative_balance_is_an_error():
    result = audit(DATA / "variant004_funds_text_negative.xlsx")
    assert codes_cells(result) == [
        ("not-a-number", "D7", "待核实", "63.6"),
        ("overspent", "D5", "1.8", "1.56"),
        ("negative-balance", "E5", "-0.24", "≥0"),
    ]
    assert [f.severity for f in result.findings] == ["error", "warning", "error"]
    # the row's own 备注 is quoted, so a reviewer sees whether it explains the overspending
    assert "表中备注：“该项目使用办公经费，未使用此项目经费。”，请确认其已说明超支原因" in result.findings[1].message
    assert result.figures["spent"] == 83.850854


def test_units_mixed_within_a_table_and_across_tables():
    result = audit(DATA / "variant004_funds_mixed_units.xlsx")
    assert [(f.code, f.sheet, f.cell, f.found, f.expected) for f in result.findings] == [
        ("unit-mixed", "明细（元）", "E3", "万元", "元"),
        ("unit-mixed", "明细（元）", "F2", "元", "万元"),
    ]
    first, second = (t.figures for t in result.tables)
    assert (first["unit"], first["budget"], second["unit"], second["budget"]) == ("万元", 97.361, "元", 973610.0)


def _book(tmp_path, rows, name="t.xlsx", unit="单位：万元"):
    wb = Workbook()
    ws = wb.active
    if unit:
        ws["A1"] = unit
    for r, values in enumerate(rows, 2):
        for c, v in enumerate(values, 1):
            if v is not None:
                ws.cell(r, c, v)
    path = tmp_path / name
    wb.save(path)
    return path


def test_rate_in_points_and_the_budget_basis_read_from_the_stated_rates(tmp_path):
    path = _book(tmp_path, [
        ["项目", "预算数", "到位数", "支出数", "执行率(%)"],
        ["甲", 100, 80, 60, 60],  # 60 / 100: the table measures spending against the budget
        ["乙", 50, 50, 40, 80],
        ["合计", 150, 130, 100, 66.67],
    ])
    result = audit(path)
    assert result.findings == []
    assert (result.figures["execution_rate"], result.figures["execution_rate_basis"]) == (66.67, "budget")


def test_a_wrong_rate_is_flagged_at_its_displayed_precision(tmp_path):
    path = _book(tmp_path, [
        ["项目", "预算数", "到位数", "支出数", "资金到位率", "预算执行率"],
        ["甲", 60, 60, 58, "100%", "97%"],  # 58/60 = 96.67 %, shown as 97 %: right
        ["乙", 40, 30, 30, "80%", "100%"],  # 30/40 = 75 %
        ["合计", 100, 90, 88, "90%", "97.78%"],
    ])
    result = audit(path)
    assert codes_cells(result) == [("arrival-rate-mismatch", "E4", "80%", "75%")]


def test_dashes_blanks_and_zeros_are_zero_and_no_unit_is_noted(tmp_path):
    path = _book(tmp_path, [
        ["单位名称", "预算资金", "实际支出", "结余资金"],
        ["甲", 10, "—", 10],
        ["乙", 5, None, "-"],
        ["丙", 0, 0, 0],
        ["合计", 15, "-", 15],
    ], unit=None)
    result = audit(path)
    # 乙 spent nothing (blank) so its balance "-" should be 5; the 合计 of 15 agrees with 5 there
    assert codes_cells(result) == [("balance-mismatch", "D4", "-", "5"), ("unit-missing", "B2", None, "万元/元")]
    assert "本行结余算式与本列合计都相符" in result.findings[0].message
    assert (result.figures["spent"], result.figures["balance"], result.figures["unit"]) == (0.0, 15.0, None)


def test_amounts_formatted_with_optional_decimals_are_quoted_as_shown(tmp_path):
    """A WPS-style ``0.######`` amount is quoted "4.2795", "5.271 − 0.9735", never "4.279500"."""
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["资金使用情况表"])
    ws.append(["单位：万元"])
    ws.append(["序号", "项目", "下达金额", "使用经费", "结余经费"])
    for row in [(1, "甲", 110, 100, 10), (2, "乙", 5.271, 0.9735, 4.2795), (None, "合计", 115.271, 100.9735, 14.2975)]:
        ws.append(list(row))
    for row in ws.iter_rows(min_row=4, max_row=6, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = "0.######"
    wb.save(tmp_path / "t.xlsx")
    result = audit(tmp_path / "t.xlsx")
    assert codes_cells(result) == [("balance-mismatch", "E5", "4.2795", "4.2975")]
    assert "（5.271 − 0.9735）；改为 4.2975 后" in result.findings[0].message
    assert "000" not in result.findings[0].message
