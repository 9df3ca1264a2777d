"""The five seeds' fund tables, transcribed as printed: exact findings and recomputed figures."""

from __future__ import annotations

from conftest import DATA, audit, codes_cells


def _tables(result):
    return [t.figures for t in result.tables]


def test_seed000_allocation_and_project_are_clean_and_the_project_line_is_the_main_figure():
    result = audit(DATA / "seed000_乡村振兴_资金使用情况表.xlsx")
    assert (result.kind, result.status, result.findings) == ("funds", "clean", [])
    allocation, project = _tables(result)
    assert (allocation["budget"], allocation["items"], allocation["unit"], allocation["spent"]) == (110.0, 8, "万元", None)
    assert result.figures is project
    assert {k: project[k] for k in ("budget", "arrived", "spent", "balance", "execution_rate", "arrival_rate")} == \
        {"budget": 110.0, "arrived": 110.0, "spent": 110.0, "balance": 0.0, "execution_rate": 100.0, "arrival_rate": 100.0}


def test_seed001_spending_150_percent_of_the_budget_is_a_warning_not_an_error():
    result = audit(DATA / "seed001_盲人按摩_资金使用情况表.xlsx")
    assert codes_cells(result) == [("overspent", "D4", "24", "16")]
    finding = result.findings[0]
    assert (finding.severity, finding.sheet) == ("warning", "资金使用情况")
    assert "实际支出 24 超过到位资金 16、预算 16" in finding.message and "150%" in finding.message
    fig = result.figures
    assert (fig["budget"], fig["arrived"], fig["spent"], fig["balance"], fig["execution_rate"]) == (16.0, 16.0, 24.0, -8.0, 150.0)
    institutions = _tables(result)[1]
    # 县区机构数 / 县区资金合计 merged per county agree with the rows they span and with the 合计 row
    assert (institutions["items"], institutions["amount"], institutions["unit"]) == (12, 24.0, "万元")


def test_seed002_allocation_with_decimals_adds_up_to_331():
    result = audit(DATA / "seed002_服务状况调查_资金使用情况表.xlsx")
    assert (result.status, result.findings) == ("clean", [])
    assert (result.figures["budget"], result.figures["items"], result.figures["unit"]) == (331.0, 16, "万元")


def test_seed003_two_row_header_with_dashes_is_clean():
    result = audit(DATA / "seed003_自治区残疾人事业_资金使用情况表.xlsx")
    assert (result.status, result.findings) == ("clean", [])
    fig = result.figures
    assert (fig["title"], fig["unit"]) == ("资金使用情况明细表", "万元")
    assert (fig["budget"], fig["arrived"], fig["spent"], fig["balance"]) == (25.4, 25.4, 25.4, 0.0)
    assert (fig["execution_rate"], fig["execution_rate_basis"], fig["arrival_rate"]) == (100.0, "arrived", 100.0)


def test_seed003_header_columns_get_composite_names():
    from reportlib.funds.locate import Aliases, find_fund_tables
    from reportlib.formats import read_workbook
    from reportlib.schema import load_schema
    from reportlib.surround import surroundings
    sheet = read_workbook(DATA / "seed003_自治区残疾人事业_资金使用情况表.xlsx").sheets[0]
    table, = find_fund_tables(sheet, Aliases(load_schema("funds"), surroundings()))
    names = [(c.name, c.role, c.part) for c in table.columns]
    assert names[2:6] == [("预算(调整后)资金/合计", "budget", "total"), ("预算(调整后)资金/上级财政资金", "budget", "source"),
                          ("预算(调整后)资金/本级财政资金", "budget", "source"),
                          ("预算(调整后)资金/财政资金以外的其他资金", "budget", "source")]
    assert names[10] == ("实际支出", "spent", None)
    assert names[1] == ("年度", None, None)  # 2022 is never an amount
    assert names[11:14] == [("剩余资金/合计", "balance", "total"), ("剩余资金/结余资金", "balance", "source"),
                            ("剩余资金/调整资金", "balance", "source")]
    assert (table.items, table.total_row, table.unit_pos) == ([8], 9, (5, 1))


def test_seed004_six_decimals_are_exact_and_the_rate_is_on_the_budget():
    result = audit(DATA / "seed004_职业技能培训_资金使用情况表.xlsx")
    assert (result.status, result.findings) == ("clean", [])
    fig = result.figures
    assert (fig["budget"], fig["spent"], fig["balance"]) == (97.361, 82.050854, 15.310146)
    assert (fig["arrived"], fig["execution_rate"], fig["execution_rate_basis"]) == (None, 84.27, "budget")
