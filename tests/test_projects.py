"""Projects: grouping files, naming and sanitising, and the checks across a project's attachments."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from conftest import DATA
from reportlib import batch
from reportlib.projects import safe_name, split_name
from reportlib.schema import Config, load_schema

PROJECTS = DATA / "projects"
SEEDS = {"seed000_乡村振兴": "乡村振兴", "seed001_盲人按摩": "盲人按摩", "seed002_服务状况调查": "服务状况调查",
         "seed003_自治区残疾人事业": "自治区残疾人事业", "seed004_职业技能培训": "职业技能培训"}
ATTACHMENTS = ("指标体系评分表", "资金使用情况表", "问卷统计表")


def seed_inbox(tmp_path: Path, seeds=SEEDS) -> Path:
    inbox = tmp_path / "in"
    inbox.mkdir(exist_ok=True)
    for stem in seeds:
        for kind in ATTACHMENTS:
            shutil.copyfile(DATA / f"{stem}_{kind}.xlsx", inbox / f"{stem}_{kind}.xlsx")
    return inbox


def project_named(result, name):
    return next(p for p in result.projects if p.name == name)


def codes(project, code):
    """(file name, sheet!cell, found, expected) of a project's findings of one code."""
    return [(f.path.name, f"{x.sheet}!{x.cell}", x.found, x.expected) for f in project.files for x in f.findings
            if x.code == code]


# -- grouping and names ---------------------------------------------------------------------------

@pytest.mark.parametrize("name, prefix, kind", [
    ("2022年乡村振兴残疾人帮扶经费绩效评价指标体系评分表", "2022年乡村振兴残疾人帮扶经费", "indicators"),
    ("2022年乡村振兴残疾人帮扶经费使用情况表", "2022年乡村振兴残疾人帮扶经费", "funds"),
    ("2022年乡村振兴残疾人帮扶经费问卷统计表", "2022年乡村振兴残疾人帮扶经费", "questionnaire"),
    ("附件3-1：资金使用情况表", "", "funds"),
    ("seed000_乡村振兴_资金使用情况表", "seed000_乡村振兴", "funds"),
    ("项目材料", None, None),
])
def test_the_name_before_the_attachment_word(name, prefix, kind):
    assert split_name(name, load_schema("project")) == (prefix, kind)


@pytest.mark.parametrize("text, safe", [
    ("..", "未命名项目"), ("../../etc", "_.._etc"), ("A<&>B", "A_&_B"), ("CON", "_CON"), ("lpt1.项目", "_lpt1.项目"),
    ('项目:"一期"|二期?*', "项目_一期_二期_"), ("  。项目 .", "。项目"), ("a\\b/c", "a_b_c"), ("", "未命名项目"),
])
def test_names_from_input_become_safe_folder_names(text, safe):
    assert safe_name(text) == safe


def test_a_flat_folder_of_seeds_is_five_projects_of_three_attachments(tmp_path):
    result = batch.check([seed_inbox(tmp_path)], Config())
    assert sorted(p.name for p in result.projects) == sorted(SEEDS)
    for p in result.projects:
        assert all(p.kinds().values()) and not p.findings and p.named_by == "file-name"
    assert result.summary()["projects"] == 5 and result.summary()["files"] == 15


def test_shared_name_parts_group_and_a_missing_attachment_is_reported(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    stem = "2022年乡村振兴残疾人帮扶经费"
    shutil.copyfile(DATA / "seed000_乡村振兴_指标体系评分表.xlsx", inbox / f"{stem}绩效评价指标体系评分表.xlsx")
    shutil.copyfile(DATA / "seed000_乡村振兴_资金使用情况表.xlsx", inbox / f"{stem}使用情况表.xlsx")
    shutil.copyfile(DATA / "seed000_乡村振兴_问卷统计表.xlsx", inbox / f"{stem}问卷统计表.xlsx")
    shutil.copyfile(DATA / "seed001_盲人按摩_问卷统计表.xlsx", inbox / "盲人按摩经费_问卷统计表.xlsx")
    result = batch.check([inbox], Config())
    assert [(p.name, len(p.files)) for p in result.projects] == [(stem, 3), ("盲人按摩经费", 1)]
    missing = project_named(result, "盲人按摩经费").findings
    assert [(x.code, x.severity, x.expected) for x in missing] == [
        ("attachment-missing", "warning", "指标体系评分表、资金使用情况表")]
    assert not project_named(result, stem).findings


def test_a_project_folder_and_a_single_workbook_named_by_its_titles():
    result = batch.check([PROJECTS], Config())
    folder, book = result.projects
    assert (folder.name, folder.named_by, str(folder.folder)) == ("2022年“乡村振兴”残疾人帮扶项目", "folder",
                                                                  "2022年“乡村振兴”残疾人帮扶项目")
    assert [f.path.name for f in folder.files] == ["附件1 绩效评价指标体系评分表.xlsx",
                                                   "附件2 社会公众满意度调查问卷统计表.xlsx", "附件3 资金使用情况表.xlsx"]
    assert (book.name, book.named_by) == ("昆明市残疾人综合服务中心2022年残疾人职业技能培训及就业服务项目", "title")
    assert len(book.files) == 1 and all(book.kinds().values())


def test_a_folder_holding_project_folders_is_a_container(tmp_path):
    inbox = tmp_path / "in"
    shutil.copytree(PROJECTS, inbox / "县区A")
    result = batch.check([inbox], Config())
    assert sorted((str(p.folder), p.named_by) for p in result.projects) == [
        ("县区A/2022年“乡村振兴”残疾人帮扶项目", "folder"),
        ("县区A/昆明市残疾人综合服务中心2022年残疾人职业技能培训及就业服务项目", "title")]


def test_hostile_folder_names_stay_inside_the_output(tmp_path):
    inbox = tmp_path / "in"
    for name in ("A<&>B", "CON", "..项目.."):
        (inbox / "县" / name).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / "seed002_服务状况调查_问卷统计表.xlsx", inbox / "县" / name / "问卷统计表.xlsx")
    out = tmp_path / "out"
    result = batch.run(inbox, out, Config())
    folders = sorted(str(p.folder) for p in result.projects)
    assert folders == sorted(["县/_CON", "县/A_&_B", "县/项目"])
    for p in result.projects:
        assert (out / p.folder).resolve().is_relative_to(out.resolve())
        assert list((out / p.folder).glob("*_校核.xlsx"))


# -- cross-checks ----------------------------------------------------------------------------------

def test_seed000_satisfaction_indicator_copied_the_wrong_survey_total():
    result = batch.check([PROJECTS / "2022年“乡村振兴”残疾人帮扶项目"], Config())
    (project,) = result.projects
    assert codes(project, "satisfaction-indicator-mismatch") == [
        ("附件1 绩效评价指标体系评分表.xlsx", "项目绩效!F7", "96.68%", "97.09%")]
    x = next(x for f in project.files for x in f.findings if x.code == "satisfaction-indicator-mismatch")
    assert x.related == [{"path": str(PROJECTS / "2022年“乡村振兴”残疾人帮扶项目" / "附件2 社会公众满意度调查问卷统计表.xlsx"),
                          "sheet": "问卷统计表", "cell": "C37", "value": 97.09}]
    assert "最终得分 96.68 相同" in x.message
    # the rule (>=80%) is met either way, the amount 110万元 agrees with the fund table: nothing else
    assert not codes(project, "indicator-score-mismatch") and not codes(project, "amount-cross-mismatch")
    assert not project.findings


def test_seed004_workbook_satisfaction_target_text_against_the_survey():
    result = batch.check([PROJECTS / "2022年残疾人职业技能培训及就业服务项目附件.xlsx"], Config())
    (project,) = result.projects
    assert codes(project, "satisfaction-indicator-mismatch") == [
        ("2022年残疾人职业技能培训及就业服务项目附件.xlsx", "绩效目标!F14", "97.47%", "96.86%")]
    assert project.files[0].to_json()["findings"][-1]["related"][0]["cell"] == "D38"


def test_seed003_satisfaction_indicators_against_the_yes_no_survey(tmp_path):
    result = batch.check([seed_inbox(tmp_path, ["seed003_自治区残疾人事业"])], Config())
    (project,) = result.projects
    found = codes(project, "satisfaction-indicator-mismatch")
    assert [c for _, c, _, _ in found] == ["表4 指标得分!F44", "表4 指标得分!F45", "表4 指标得分!F46"]
    assert {(f, e) for _, _, f, e in found} == {("95%", "100%")}
    assert not codes(project, "rate-indicator-mismatch")  # B11 / B12 say 100%, as the fund table does


def _seed003_project(tmp_path, spent=None, unit=None) -> Path:
    inbox = seed_inbox(tmp_path, ["seed003_自治区残疾人事业"])
    funds = inbox / "seed003_自治区残疾人事业_资金使用情况表.xlsx"
    wb = load_workbook(funds)
    ws = wb.worksheets[0]
    if spent is not None:
        for row in (8, 9):
            ws[f"K{row}"] = spent
            ws[f"L{row}"] = ws[f"M{row}"] = round(25.4 - spent, 2)
    if unit is not None:
        ws["A5"] = unit
    wb.save(funds)
    return inbox


def test_execution_rate_indicator_against_the_fund_table(tmp_path):
    result = batch.check([_seed003_project(tmp_path, spent=25)], Config())
    (project,) = result.projects
    assert codes(project, "rate-indicator-mismatch") == [
        ("seed003_自治区残疾人事业_指标体系评分表.xlsx", "表4 指标得分!F15", "100%", "98%")]
    assert codes(project, "indicator-score-mismatch") == [
        ("seed003_自治区残疾人事业_指标体系评分表.xlsx", "表4 指标得分!G15", "4", "3.94")]
    x = next(x for f in project.files for x in f.findings if x.code == "rate-indicator-mismatch")
    assert x.related[0]["cell"] == "K9" and "支出 ÷ 到位 = 98.43%" in x.message


def test_an_amount_in_yuan_where_the_fund_table_says_wanyuan(tmp_path):
    inbox = _seed003_project(tmp_path)
    wb = Workbook()
    ws = wb.active
    ws.title = "资金指标"
    ws.append(["一级指标", "二级指标", "三级指标", "权重", "指标值", "实际完成值", "得分"])
    ws.append(["B过程(8分)", "B1资金管理(8分)", "B11项目预算资金", 4, "25.4万元", "25.40元", 4])
    ws.append([None, None, "B12实际支出资金", 4, "25.4万元", "254000元", 4])
    wb.save(inbox / "seed003_自治区残疾人事业_资金指标体系.xlsx")
    result = batch.check([inbox], Config())
    (project,) = result.projects
    assert codes(project, "unit-mixed") == [("seed003_自治区残疾人事业_资金指标体系.xlsx", "资金指标!F2", "25.40元", "25.4万元")]
    assert not codes(project, "amount-cross-mismatch")  # 254000元 is 25.4万元


def test_fund_tables_of_two_files_in_different_units(tmp_path):
    inbox = _seed003_project(tmp_path)
    other = inbox / "seed003_自治区残疾人事业_资金分配表.xlsx"
    shutil.copyfile(inbox / "seed003_自治区残疾人事业_资金使用情况表.xlsx", other)
    wb = load_workbook(other)
    wb.worksheets[0]["A5"] = "单位：元"
    wb.save(other)
    result = batch.check([inbox], Config())
    (project,) = result.projects
    mixed = codes(project, "unit-mixed")
    assert ("seed003_自治区残疾人事业_资金分配表.xlsx", "资金使用情况明细!A5", "元", "万元") in mixed or \
        [m for m in mixed if m[0] == "seed003_自治区残疾人事业_资金分配表.xlsx" and m[2:] == ("元", "万元")]
    amounts = codes(project, "amount-cross-mismatch")
    assert {a[0] for a in amounts} == {"seed003_自治区残疾人事业_资金分配表.xlsx"}
    assert {a[2] for a in amounts} == {"25.4元"}


def test_a_summary_in_one_file_against_the_full_table_in_another(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    source = load_workbook(DATA / "seed003_自治区残疾人事业_指标体系评分表.xlsx")
    del source["附件1"]
    del source["表4 指标得分"]
    source["表3-1"]["C6"] = 17  # 过程 scored 17 in the summary, 18 in the full table
    source["表3-1"]["F6"] = 97
    source.save(inbox / "附件0 一级指标汇总表.xlsx")
    full = load_workbook(DATA / "seed003_自治区残疾人事业_指标体系评分表.xlsx")
    del full["表3-1"]
    del full["表4 指标得分"]
    full.save(inbox / "附件1 指标体系评分表.xlsx")
    result = batch.check([inbox], Config())
    (project,) = result.projects
    found = [(x.sheet, x.cell, x.found, x.expected, x.message) for f in project.files for x in f.findings
             if x.code == "summary-detail-mismatch"]
    assert [(s, c, f, e) for s, c, f, e, _ in found] == [("表3-1", "C6", "17", "18")]
    assert "附件1 指标体系评分表.xlsx“附件1”表" in found[0][4]


def test_check_json_lists_projects(tmp_path):
    from click.testing import CliRunner
    from process import cli
    res = CliRunner().invoke(cli, ["check", "--json", str(PROJECTS)])
    data = json.loads(res.stdout)
    first = data["projects"][0]
    assert first["attachments"] == {
        "indicators": str(PROJECTS / "2022年“乡村振兴”残疾人帮扶项目" / "附件1 绩效评价指标体系评分表.xlsx"),
        "funds": str(PROJECTS / "2022年“乡村振兴”残疾人帮扶项目" / "附件3 资金使用情况表.xlsx"),
        "questionnaire": str(PROJECTS / "2022年“乡村振兴”残疾人帮扶项目" / "附件2 社会公众满意度调查问卷统计表.xlsx")}
    assert first["missing"] == [] and first["figures"]["total_score"] == 94 and first["figures"]["satisfaction"] == 97.09
    assert first["figures"]["budget"] == 110 and first["figures"]["execution_rate"] == 100
    assert data["summary"]["projects"] == 2
    assert "共 2 个项目、4 个文件" in CliRunner().invoke(cli, ["check", str(PROJECTS)]).output


def test_the_filled_templates_make_a_coherent_project():
    """The filled templates agree with each other: satisfaction, rates, amounts, the 自评表's 总分."""
    from conftest import ROOT
    examples = ROOT / "input_templates" / "examples"
    result = batch.check(sorted(examples.glob("示例_按模板填写_*.xlsx")), Config())
    (project,) = result.projects
    assert project.name == "示例_按模板填写" and all(project.kinds().values())
    assert project.count("error") == project.count("warning") == 0


def test_checking_corrected_copies_named_by_their_attachment_only(tmp_path):
    """``check $(find OUT -name '*_校核.xlsx') --json`` after a run: files named only by their
    attachment (附件1 评分表), given one by one from two folders, once crashed the naming with
    "PosixPath('.') has an empty name" dressed as a usage error."""
    from click.testing import CliRunner
    from process import cli
    inbox = tmp_path / "in"
    for project in ("甲项目", "乙项目"):
        (inbox / project).mkdir(parents=True)
        shutil.copyfile(DATA / "seed000_乡村振兴_指标体系评分表.xlsx", inbox / project / "附件1 评分表.xlsx")
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["run", str(inbox), "-o", str(out), "--jobs", "1", "--quiet"]).exit_code == 1
    copies = sorted(str(p) for p in out.rglob("*_校核.xlsx"))
    assert len(copies) == 2
    res = CliRunner().invoke(cli, ["check", "--json", "--jobs", "1", *copies])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert sorted(p["folder"] for p in data["projects"]) == sorted(["甲项目", "乙项目"])
    assert [f["status"] for f in data["files"]] == ["clean", "clean"]  # the corrected copies hold together


def test_a_name_from_titles_keeps_its_full_width_brackets_and_is_never_a_generic_heading():
    from reportlib.projects import title_name
    from reportlib.results import FileResult, TableResult
    schema = load_schema("project")

    def result(*titles):
        return FileResult(Path("x.xlsx"), "x.xlsx", tables=[TableResult("s", "funds", figures={"title": t}) for t in titles])

    assert title_name([result("2022年残疾人服务状况和需求调查（对下）补助经费资金使用情况表")], schema) == \
        "2022年残疾人服务状况和需求调查（对下）补助经费"
    assert title_name([result("项目绩效指标体系得分情况")], schema) is None
    blank = FileResult(Path("x.xlsx"), "x.xlsx", tables=[TableResult("s", "funds", figures={"project_name": "XXXX年XX项目"})])
    assert title_name([blank], schema) is None
