"""项目支出绩效自评表 as published (``tests/selfeval_forms.py`` cites each page): every finding each raises,
by code, cell, found and expected, and what is written back — and the same findings whatever an office
puts around the form (the layout zoo)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import audit
from process import cli
from selfeval_forms import FORMS, Around, write

#: each form's findings: (code, cell, found, expected)
EXPECTED = {
    # 215457.6 ÷ 250000 = 86.18%, printed 86.19%; the rest agrees (8.62, 98.62)
    "putuo": [("execution-rate-mismatch", "G5", "86.19%", "86.18%")],
    # 资金到位及时率 met yet 7 of 10; 政策知晓率 98 % of 100 % scored 9 (9.8 in proportion); no reasons
    "yongde": [("score-rule-mismatch", "J14", "7", "10"), ("reason-missing", "K14", None, None),
               ("score-rule-mismatch", "J17", "9", "9.8"), ("reason-missing", "K17", None, None),
               # no weights stated: 40 / 30 / 20, not the national 50 / 30 / 10 (information)
               ("weight-default-differs", "B12", "40", "50"), ("weight-default-differs", "B19", "20", "10")],
    # 资金得分 9 for 99.10 % × 10 = 9.91 (the 总分 94 then agrees: 93.91); 8676 of 8755 scored 13 of 15
    # (14.86); two targets met scored 27 of 30 and 9 of 10 without a reason
    "jishan": [("funds-score-mismatch", "H5", "9", "10"), ("score-rule-mismatch", "H12", "13", "14.86"),
               ("score-rule-mismatch", "H16", "27", "30"), ("reason-missing", "I16", None, None),
               ("score-rule-mismatch", "H17", "9", "10"), ("reason-missing", "I17", None, None)],
    # weights 70 + 20 + 10 and 10 for the funds: 110 under a 总分 of 100, scored 100
    "zhongjiang": [("sum-mismatch", "H20", "100", "110"), ("weight-total-mismatch", "E20", "110", "100")],
    # the 年度资金总额 row never summed: 0 0 0 10 0 0 over 本年财政拨款 90 / 89.974 / 89.974
    "chizhou": [("sum-mismatch", "C5", "0", "90"), ("sum-mismatch", "D5", "0", "89.974"),
                ("sum-mismatch", "E5", "0", "89.974"), ("execution-rate-mismatch", "G5", "0", "100%"),
                ("funds-score-mismatch", "H5", "0", "10")],
}
#: what is written back: cell -> yellow (fix) or pink (review)
MARKS = {
    "putuo": {"G5": "fix"},
    "yongde": {"J14": "review", "J17": "review"},
    "jishan": {"H5": "fix", "H12": "review", "H16": "review", "H17": "review"},
    "zhongjiang": {"H20": "review", "E20": "review"},
    "chizhou": {"C5": "fix", "D5": "fix", "E5": "fix", "G5": "fix", "H5": "fix"},
}


def found(result) -> list[tuple]:
    return [(f.code, f.cell, f.found, f.expected) for f in result.findings]


def marks(result) -> dict[str, str]:
    from reportlib.grid import a1
    return {a1(*x.pos): x.mark for t in result.tables for x in t.fixes if x.mark}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_each_published_form_raises_exactly_its_findings(tmp_path, name):
    result = audit(write(tmp_path / f"{name}_项目支出绩效自评表.xlsx", FORMS[name]))
    assert result.kind == "self-evaluation" and result.error is None
    assert found(result) == EXPECTED[name], [f.message for f in result.findings]
    assert marks(result) == MARKS[name]


def test_the_contract_figures(tmp_path):
    """check --json: the figures carry the names the other kinds use where they mean the same."""
    path = write(tmp_path / "putuo_项目支出绩效自评表.xlsx", FORMS["putuo"])
    data = json.loads(CliRunner().invoke(cli, ["check", "--json", str(path)]).stdout)
    [entry] = data["files"]
    fig = entry["figures"]
    assert entry["kind"] == "self-evaluation"
    assert (fig["budget"], fig["budget_initial"], fig["spent"], fig["unit"]) == (250000.0, 250000.0, 215457.6, "元")
    assert fig["execution_rate"] == 86.183 and fig["funds_score"] == 8.618304 and fig["funds_weight"] == 10.0
    assert (fig["total_score"], fig["stated_total_score"], fig["grade"]) == (98.618304, 98.62, "优")
    assert fig["level1"] == [{"name": "产出指标", "weight": 50.0, "score": 50.0},
                             {"name": "效益指标", "weight": 30.0, "score": 30.0},
                             {"name": "满意度指标", "weight": 10.0, "score": 10.0}]
    assert fig["indicators"] == 5 and fig["project_name"] == "普陀体育中心与委托运营方结算费用"
    assert fig["department"] == "上海市普陀区体育局" and fig["year"] == 2022


def test_a_form_without_a_budget_column_has_none():
    """永德 prints no 年初预算数: its figure is null, not 0."""
    import tempfile
    with tempfile.TemporaryDirectory() as scratch:
        result = audit(write(Path(scratch) / "永德_项目支出绩效自评表.xlsx", FORMS["yongde"]))
    assert result.figures["budget_initial"] is None and result.figures["budget"] == 387664.62


ZOO = {
    "annex": Around(annex=True),
    "info-line": Around(info_line=True),
    "signatures": Around(signatures=True),
    "code-column": Around(code_column=True),
    "shifted": Around(shift=(3, 2)),
    "text-numbers": Around(text_numbers=True),
    "placeholders": Around(blank_placeholders=True),
    "percent-numbers": Around(percent_numbers=True),
    "everything": Around(annex=True, info_line=True, signatures=True, code_column=True, shift=(2, 1)),
}


def moved(cell: str | None, rows: int, cols: int) -> str | None:
    from openpyxl.utils.cell import coordinate_to_tuple

    from reportlib.grid import a1
    if cell is None:
        return None
    row, col = coordinate_to_tuple(cell)
    return a1(row + rows, col + cols)


@pytest.mark.parametrize("layout", sorted(ZOO))
@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_layout_zoo_reads_every_form_the_same(tmp_path, name, layout):
    """What offices put around a form moves its cells, never its findings."""
    around = ZOO[layout]
    result = audit(write(tmp_path / f"{name}_项目支出绩效自评表.xlsx", FORMS[name], around))
    rows = around.shift[0] + around.annex + around.info_line
    cols = around.shift[1] + around.code_column
    expected = [(c, moved(cell, rows, cols), f, e) for c, cell, f, e in EXPECTED[name]]
    got = found(result)
    if around.blank_placeholders:  # every indicator row is followed by its 指标2 placeholder
        assert [(c, f, e) for c, _, f, e in got] == [(c, f, e) for c, _, f, e in expected]
        return
    assert got == expected, [f.message for f in result.findings]


@pytest.mark.parametrize("name, at_least", [("putuo", 1), ("chizhou", 5)])
def test_the_corrected_form_recalculates_in_libreoffice_to_its_cached_values(tmp_path, name, at_least):
    """The sums, 执行率, 资金得分, 总分 and grade written back as formulas give, recalculated by a real
    client, the values the corrected copy caches."""
    import shutil

    from openpyxl import load_workbook

    from conftest import corrected_path
    from reportlib import batch
    from reportlib.schema import Config
    if shutil.which("soffice") is None:
        pytest.skip("needs LibreOffice")
    from test_libreoffice import _convert
    inbox = tmp_path / "in"
    inbox.mkdir()
    write(inbox / f"{name}_项目支出绩效自评表.xlsx", FORMS[name])
    batch.run(inbox, tmp_path / "out", Config())
    ours = corrected_path(tmp_path / "out", f"{name}_项目支出绩效自评表")
    lo = _recalculating_profile(tmp_path)
    again = load_workbook(_convert(ours, tmp_path / "conv", lo), data_only=True)["自评表"]
    formulas, cached = load_workbook(ours)["自评表"], load_workbook(ours, data_only=True)["自评表"]
    checked = 0
    for row in formulas.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                mine, theirs = cached[cell.coordinate].value, again[cell.coordinate].value
                assert theirs == (mine if isinstance(mine, str) else pytest.approx(mine, abs=1e-9)), cell.coordinate
                checked += 1
    assert checked >= at_least


def _recalculating_profile(tmp_path: Path) -> Path:
    import xlsxwriter

    from test_libreoffice import RECALC, _convert
    profile, seed = tmp_path / "profile", tmp_path / "seed.xlsx"
    wb = xlsxwriter.Workbook(seed)
    wb.add_worksheet().write_number(0, 0, 1)
    wb.close()
    _convert(seed, tmp_path / "warm", profile)
    xcu = profile / "user" / "registrymodifications.xcu"
    xcu.write_text(xcu.read_text(encoding="utf-8").replace("</oor:items>", RECALC + "</oor:items>"), encoding="utf-8")
    return profile


def example_with_selfeval(tmp_path: Path, funds, indicators):
    """The example project's three attachments with a 自评表 of these 其中 amounts and indicators (the
    example's head), checked as one project; the 自评表's result."""
    import shutil

    import make_fixtures

    from conftest import ROOT
    from reportlib import batch
    from reportlib.schema import Config
    from reportlib.template_selfeval import build_selfeval
    inbox = tmp_path / "收件" / "示例"
    inbox.mkdir(parents=True)
    for kind in ("指标体系评分表", "资金使用情况表", "问卷统计表"):
        shutil.copyfile(ROOT / "input_templates" / "examples" / f"示例_按模板填写_{kind}.xlsx", inbox / f"示例_{kind}.xlsx")
    build_selfeval(inbox / "示例_项目支出绩效自评表.xlsx", make_fixtures.FILLED_SELFEVAL[0], funds, indicators, year=2022)
    result = batch.check([inbox], Config())
    [own] = [f for p in result.projects for f in p.files if f.kind == "self-evaluation"]
    return own


def test_the_form_against_its_projects_fund_table_survey_and_indicator_table(tmp_path):
    """The example project with its 自评表 stating 42.30 spent (the fund table: 42.20) and a satisfaction
    of 95% (the survey: 96.93): both marked on the form with the other side named; its 总分 97.22 (42.30
    spent raises the 资金得分) beside the indicator table's 97.19 is a warning."""
    import make_fixtures
    indicators = [list(i) for i in make_fixtures.FILLED_SELFEVAL[2]]
    indicators[-1][2] = "95%"
    own = example_with_selfeval(tmp_path, [(45.7, 45.7, 42.3)], indicators)
    cross = [(f.code, f.cell, f.found, f.expected, f.severity) for f in own.findings
             if f.code in ("amount-cross-mismatch", "satisfaction-indicator-mismatch", "grade-cross-mismatch")]
    assert cross == [("amount-cross-mismatch", "E6", "42.3万元", "42.20万元", "error"),
                     ("satisfaction-indicator-mismatch", "F24", "95%", "96.93%", "error"),
                     ("grade-cross-mismatch", "H25", "97.22", "97.19", "warning")], [f.message for f in own.findings]
    spent = next(f for f in own.findings if f.code == "amount-cross-mismatch")
    assert spent.related[0]["path"].endswith("示例_资金使用情况表.xlsx") and "实际支出" in spent.message


def test_the_blank_template_and_the_filled_example():
    from conftest import ROOT
    blank = audit(ROOT / "input_templates" / "项目支出绩效自评表.xlsx")
    assert [(f.code, f.severity) for f in blank.findings] == [("empty-table", "info")]
    assert blank.figures["total_score"] is None and blank.figures["grade"] is None
    example = audit(ROOT / "input_templates" / "examples" / "示例_按模板填写_项目支出绩效自评表.xlsx")
    assert example.findings == [] and example.figures["grade"] == "优"
    assert (example.figures["budget"], example.figures["spent"]) == (45.7, 42.2)


def test_the_template_computes_what_it_asks_for():
    from openpyxl import load_workbook

    from conftest import ROOT
    ws = load_workbook(ROOT / "input_templates" / "项目支出绩效自评表.xlsx").active
    assert (ws["A1"].value, ws["C5"].value, ws["B6"].value) == ("项目支出绩效自评表", "年初预算数", "年度资金总额")
    assert ws["D6"].value == "=SUM(D7:D9)" and ws["G6"].value == '=IF(N(D6)=0,"",E6/D6)'
    assert ws["H6"].value == '=IF(G6="","",MIN(G6,1)*F6)'
    assert ws["H25"].value == "=SUM(H13:H24)+N(H6)" and ws["G25"].value == "=SUM(G13:G24)+F6"
    assert ws["D7"].fill.fgColor.rgb.endswith("FFF2CC") and ws["H13"].fill.fgColor.rgb.endswith("FFF2CC")
    rules = {str(v.sqref): v for v in ws.data_validations.dataValidation}
    assert rules["H13"].formula1 == "AND(H13>=0,H13<=G13)"


@pytest.mark.parametrize("suffix", ["xls", "ods", "html"])
def test_a_form_saved_by_libreoffice_as_xls_ods_or_html_reads_the_same(tmp_path, suffix):
    import shutil
    import subprocess
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("needs LibreOffice")
    source = write(tmp_path / "jishan_项目支出绩效自评表.xlsx", FORMS["jishan"])
    out = tmp_path / "conv"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                    suffix, "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    converted = audit(out / f"jishan_项目支出绩效自评表.{suffix}")
    assert converted.kind == "self-evaluation" and found(converted) == EXPECTED["jishan"]


def test_a_provinces_rules_are_a_schemas_folder_away(tmp_path):
    """``--schemas DIR``: a copy of the rules with the 资金得分 rounded to whole points (河北, 山西 forms)
    makes 普陀's 8.62 a finding; a folder missing a rule file is refused before any file is read."""
    import shutil

    from conftest import ROOT
    rules = tmp_path / "规则"
    shutil.copytree(ROOT / "schemas", rules)
    spec = (rules / "selfeval.yaml").read_text(encoding="utf-8")
    (rules / "selfeval.yaml").write_text(spec.replace("score_rule: proportional", "score_rule: whole-points"),
                                         encoding="utf-8")
    form = write(tmp_path / "putuo_项目支出绩效自评表.xlsx", FORMS["putuo"])
    res = CliRunner().invoke(cli, ["check", "--json", "--schemas", str(rules), str(form)])
    codes = [(f["code"], f["cell"], f["found"], f["expected"]) for f in json.loads(res.stdout)["files"][0]["findings"]]
    assert ("funds-score-mismatch", "H5", "8.62", "9.00") in codes, codes
    (rules / "funds.yaml").unlink()
    res = CliRunner().invoke(cli, ["check", "--schemas", str(rules), str(form)])
    assert res.exit_code == 2 and "缺少 funds.yaml" in res.output


def test_the_satisfaction_indicator_is_scored_by_the_survey(tmp_path):
    """A form whose result (98%) meets its target (≥98%) where the survey's 96.93 does not: the result is
    marked, and the score by the survey is 96.93 ÷ 98 × 10 = 9.89, not the 10.00 the form gives."""
    import make_fixtures
    indicators = [list(i) for i in make_fixtures.FILLED_SELFEVAL[2]]
    indicators[-1][1:3] = ["≥98%", "98%"]  # the form's own result meets its target; the survey's does not
    own = example_with_selfeval(tmp_path, make_fixtures.FILLED_SELFEVAL[1], indicators)
    found_here = [(f.code, f.cell, f.found, f.expected) for f in own.findings]
    assert [x for x in found_here if x[1] in ("F24", "H24")] == [
        ("satisfaction-indicator-mismatch", "F24", "98%", "96.93%"), ("score-rule-mismatch", "H24", "10.00", "9.89")], \
        [f.message for f in own.findings]


@pytest.mark.parametrize("rule, expected, formula", [
    ("whole-points", "9.00", "ROUND(MIN(G5,1)*F5,0)"),
    ("thresholds-90-60", "8.62", "IF(G5>=0.9,F5,IF(G5<0.6,0,MIN(G5,1)*F5))"),
])
def test_a_score_rule_preset_scores_and_writes_its_formula(tmp_path, rule, expected, formula):
    """普陀's 86.18 % under the whole-points rule is 9 (its 8.62 a finding, the cell's formula rounds);
    under thresholds of 90 % and 60 % it is in proportion, 8.62, as the form has it."""
    import shutil

    from conftest import ROOT
    from reportlib.audit import audit_file
    from reportlib.schema import Config
    rules = tmp_path / "规则"
    shutil.copytree(ROOT / "schemas", rules)
    spec = (rules / "selfeval.yaml").read_text(encoding="utf-8")
    (rules / "selfeval.yaml").write_text(spec.replace("score_rule: proportional", f"score_rule: {rule}"),
                                         encoding="utf-8")
    result, _ = audit_file(write(tmp_path / "putuo_项目支出绩效自评表.xlsx", FORMS["putuo"]), Config(schema_dir=rules))
    score = [f for f in result.findings if f.code == "funds-score-mismatch"]
    assert [(f.cell, f.expected) for f in score] == ([("H5", expected)] if expected != "8.62" else [])
    fix = next(x for t in result.tables for x in t.fixes if x.pos == (5, 8))
    assert fix.formula == "=" + formula  # the cell's formula is the rule's, so a spreadsheet recomputes the same
