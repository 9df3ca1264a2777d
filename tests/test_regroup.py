"""Grouping a flat folder by what the tables say where the file names do not: the five seeds' fifteen
attachments under names that share nothing.  No project mixes two seeds; every attachment whose tables
name their project joins it; the two 指标体系评分表 whose tables name no project (their titles are
"项目绩效指标体系得分情况") and whose file names share four characters with it stay projects of their own
rather than be guessed into one."""

from __future__ import annotations

import shutil

from conftest import DATA
from reportlib import batch
from reportlib.schema import Config

#: each seed's attachments under names that group nothing by their prefixes (the word before the
#: attachment word differs in every file), as offices send them
NAMES = {
    "seed000_乡村振兴": ("帮扶项目指标表", "补助经费资金使用情况表", "社会公众问卷统计表"),
    "seed001_盲人按摩": ("按摩机构指标表", "量化等级资金明细表", "规范化建设满意度调查"),
    "seed002_服务状况调查": ("残疾人服务状况调查指标表", "2022年服务状况需求调查对下补助经费分配明细表", "需求调查问卷统计表"),
    "seed003_自治区残疾人事业": ("事业发展指标表", "自治区财政资金使用情况表", "塔县问卷统计表"),
    "seed004_职业技能培训": ("职业技能培训指标表", "就业服务项目支出明细表", "培训满意度问卷"),
}
KINDS = ("指标体系评分表", "资金使用情况表", "问卷统计表")


def test_five_seeds_under_unrelated_names_are_five_projects_by_their_titles(tmp_path):
    inbox = tmp_path / "收件"
    inbox.mkdir()
    origin = {}
    for seed, names in NAMES.items():
        for kind, name in zip(KINDS, names):
            target = inbox / f"{name}.xlsx"
            shutil.copy(DATA / f"{seed}_{kind}.xlsx", target)
            origin[target.name] = seed
    result = batch.check([inbox], Config(), jobs=1)
    groups = sorted(sorted(origin[f.path.name] for f in p.files) for p in result.projects)
    assert all(len(set(g)) == 1 for g in groups), groups  # never two seeds in one project
    whole = {g[0] for g in groups if len(g) == 3}
    assert whole == {"seed002_服务状况调查", "seed003_自治区残疾人事业", "seed004_职业技能培训"}, groups
    assert sorted(g for g in groups if g[0] in ("seed000_乡村振兴", "seed001_盲人按摩")) == [
        ["seed000_乡村振兴"], ["seed000_乡村振兴", "seed000_乡村振兴"], ["seed001_盲人按摩"],
        ["seed001_盲人按摩", "seed001_盲人按摩"]]
    named = {p.name: p.named_by for p in result.projects}
    assert named.get("昆明市残联2022年残疾人服务状况和需求调查（对下）补助经费") == "title", named


def test_a_folder_the_names_group_completely_is_not_read_twice(tmp_path, monkeypatch):
    from reportlib import regroup
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for kind in KINDS:
        shutil.copy(DATA / f"seed000_乡村振兴_{kind}.xlsx", inbox / f"乡村振兴_{kind}.xlsx")
    reads = []
    monkeypatch.setattr(regroup, "read_workbook", lambda *a, **k: reads.append(a) or None)
    result = batch.check([inbox], Config(), jobs=1)
    assert len(result.projects) == 1 and reads == []


def test_names_alike_in_letters_and_digits_are_no_evidence(tmp_path):
    """seed001_问卷统计表, seed002_指标体系评分表, seed003_资金使用情况表: three projects, not one."""
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for seed, kind in (("seed001_盲人按摩", "问卷统计表"), ("seed002_服务状况调查", "指标体系评分表"),
                       ("seed003_自治区残疾人事业", "资金使用情况表")):
        shutil.copy(DATA / f"{seed}_{kind}.xlsx", inbox / f"{seed[:7]}_{kind}.xlsx")
    result = batch.check([inbox], Config(), jobs=1)
    assert sorted(len(p.files) for p in result.projects) == [1, 1, 1]


def test_an_indicator_table_naming_no_project_joins_the_survey_whose_satisfaction_it_states(tmp_path):
    """The filled template's 指标体系评分表 names no project in its titles, but its satisfaction
    indicator states 96.93 % (the survey's recomputed satisfaction) and its execution-rate indicator
    92.34 % (the fund table's): under unrelated names the three are one project again, beside seed 004."""
    examples = DATA.parent.parent / "input_templates" / "examples"
    inbox = tmp_path / "收件"
    inbox.mkdir()
    for kind, name in zip(KINDS, ("综合评分附表甲", "项目经费支出明细表", "群众满意度问卷")):
        shutil.copy(examples / f"示例_按模板填写_{kind}.xlsx", inbox / f"{name}.xlsx")
    for kind, name in zip(KINDS, NAMES["seed004_职业技能培训"]):
        shutil.copy(DATA / f"seed004_职业技能培训_{kind}.xlsx", inbox / f"{name}.xlsx")
    result = batch.check([inbox], Config(), jobs=1)
    groups = sorted(sorted(f.path.name for f in p.files) for p in result.projects)
    assert ["综合评分附表甲.xlsx", "群众满意度问卷.xlsx", "项目经费支出明细表.xlsx"] in groups, groups
    assert all(len(g) == 3 for g in groups), groups


def test_a_project_joined_through_another_keeps_every_file(monkeypatch):
    """a takes d; b takes c; then a+d matches b+c by what d and b share: one project of all four files,
    c not lost on the way (it joined a through b)."""
    from pathlib import Path

    from reportlib import regroup as module
    from reportlib.schema import Config

    schema = Config().schema("project")
    one, two, three = "乡村振兴残疾人帮扶项目经费", "盲人按摩机构规范化建设经费", "残疾人职业技能培训就业服务"
    names = {"a.xlsx": ({one}, {"indicators"}), "b.xlsx": ({two, three}, {"funds"}),
             "c.xlsx": ({two}, {"report"}), "d.xlsx": ({one, three}, {"questionnaire"})}
    monkeypatch.setattr(module, "_read", lambda entries, *_: names[entries[0][0].name])
    folder = Path("收件")
    groups = [(n[0], folder, "file-name", [(folder / n, n, folder)]) for n in names]
    out = module.regroup(groups, schema, None)
    assert [sorted(e[1] for e in g[3]) for g in out] == [["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsx"]]
    assert out[0][2] == "title"
