"""The corrected fund workbook: live formulas with cached values, marked corrections, a clean re-check."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from conftest import DATA, audit, corrected, corrected_path
from review import unexplained_errors

NAMES = ["seed001_盲人按摩_资金使用情况表", "seed003_自治区残疾人事业_资金使用情况表", "variant003_funds_sources",
         "variant004_funds_typos", "variant004_funds_text_negative", "variant002_funds_subtotals",
         "variant002_funds_total_first_text", "variant001_funds_first_row_only"]
FACTS = {"overspent", "negative-balance"}  # what no correction can make go away


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    return corrected(tmp_path_factory.mktemp("funds"), NAMES)


def _cells(out, name, sheet=0):
    path = corrected_path(out, f"{name}")
    return load_workbook(path).worksheets[sheet], load_workbook(path, data_only=True).worksheets[sheet]


def test_blamed_balance_becomes_its_formula_and_blamed_spending_its_value(outputs):
    ws, cached = _cells(outputs[0], "variant004_funds_typos")
    assert ws["E6"].value == "=C6-D6" and cached["E6"].value == pytest.approx(4.2975, abs=1e-12)
    assert ws["E6"].fill.fgColor.rgb.endswith("FFFF00") and "原值：4.2795" in ws["E6"].comment.text
    assert ws["D8"].value == 17.477354 and "原值：17.477534" in ws["D8"].comment.text
    # the totals were right: left as typed, not marked, and the corrected cells now agree with them
    assert (ws["C9"].value, ws["D9"].value, ws["E9"].value) == (97.361, 82.050854, 15.310146)
    assert ws["E9"].fill.fill_type is None and ws["E9"].comment is None
    assert ws["E6"].number_format == "General"  # every decimal of the amount shows


def test_sources_total_dashes_and_rates_in_the_two_row_header(outputs):
    ws, cached = _cells(outputs[0], "variant003_funds_sources")
    assert ws["C10"].value == "=SUM(D10:F10)" and cached["C10"].value == pytest.approx(6.3)
    assert ws["C10"].fill.fgColor.rgb.endswith("FFFF00") and "原值：6.50" in ws["C10"].comment.text
    # every cell that agrees is left as typed: "-" for nothing spent, the balances, totals and rates
    src = load_workbook(DATA / "variant003_funds_sources.xlsx").active
    for ref in ("L8", "K11", "L11", "P11", "C12", "O12", "P12"):
        assert ws[ref].value == src[ref].value and ws[ref].comment is None, ref
    assert ws["K11"].value == "-"


def test_merged_county_cells_keep_their_merges_and_the_total_sums_them(outputs):
    ws, cached = _cells(outputs[0], "seed001_盲人按摩_资金使用情况表", 1)
    assert "F4:F5" in {str(r) for r in ws.merged_cells.ranges}
    assert (ws["F16"].value, ws["G16"].value) == (12, 24)  # right totals stay as typed
    assert (cached["F16"].value, cached["G16"].value) == (12, 24)


def test_a_corrected_count_and_inferred_text_are_constants_with_comments(outputs):
    ws, _ = _cells(outputs[0], "variant001_funds_first_row_only", 1)
    assert ws["F11"].value == 4 and "原值：3" in ws["F11"].comment.text
    ws, cached = _cells(outputs[0], "variant004_funds_text_negative")
    assert ws["D7"].value == 63.6 and "原值：待核实" in ws["D7"].comment.text
    assert ws["E7"].value == 0.93 and ws["E7"].comment is None  # the balance agrees with the inferred 63.6
    assert ws["D5"].fill.fgColor.rgb.endswith("FFC7CE")  # overspending: pink, for a person's look
    assert "请核对" in ws["E5"].comment.text


def test_recheck_of_corrected_fund_workbooks_leaves_only_facts(outputs):
    """A re-check finds nothing but facts (overspending) and what was left for a person (pink)."""
    out, result = outputs
    for f in result.files:
        again = audit(f.output)
        assert unexplained_errors(again, f, f.output) == [], f.output
        assert {x.code for x in again.findings if x.severity == "warning"} <= FACTS, f.output
        for key in ("budget", "arrived", "spent", "balance", "execution_rate"):
            assert again.figures[key] == f.figures[key], (f.output, key)


def test_findings_json_carries_fund_figures(outputs):
    out, _ = outputs
    data = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
    typos = by_name["variant004_funds_typos.xlsx"]
    assert (typos["kind"], typos["figures"]["spent"], typos["figures"]["unit"]) == ("funds", 82.050854, "万元")
    assert [(x["code"], x["cell"]) for x in typos["findings"]] == [("amount-inconsistent", "D8"), ("balance-mismatch", "E6")]
    assert len(by_name["seed001_盲人按摩_资金使用情况表.xlsx"]["tables"]) == 2
