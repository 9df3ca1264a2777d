"""The figures the five seed reports state about their attachments, with their paragraph and sentence
(issue 18, second step): the ones the issue names, found where the reports say them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import DATA
from reportlib.reports import read_report
from reportlib.reports.stated import stated_figures


def figures(seed: str):
    report = read_report(DATA / "reports" / f"seed{seed}.txt")
    return report, stated_figures(report)


def values(found, kind, **attrs):
    return [f.value for f in found if f.kind == kind and all(getattr(f, k) == v for k, v in attrs.items())]


def test_seed000_states_94_then_a_copied_96_and_40_questionnaires():
    report, found = figures("000")
    totals = [f for f in found if f.kind == "total_score"]
    assert [t.value for t in totals] == [Decimal(94), Decimal(96)]
    first, copied = totals
    assert "最终自评得分94分" in first.quote and "残疾人医疗保险补助经费" in report.paragraphs[copied.paragraph - 1].text
    assert report.paragraphs[first.paragraph - 1].text.count(first.quote) == 1
    assert values(found, "questionnaires") == [Decimal(40)]
    assert values(found, "satisfaction") == [Decimal("96.68")] and values(found, "indicators") == [Decimal(n) for n in (28, 8, 17, 28, 28)]  # 二级指标8项，三级指标17项，四级指标28项
    assert values(found, "grade") == ["优", "优"]


def test_seed001_states_a_satisfaction_of_94_percent():
    _, found = figures("001")
    satisfaction = [f for f in found if f.kind == "satisfaction"]
    assert [(f.value, f.unit, f.decimals) for f in satisfaction] == [(Decimal(94), "%", 0)]
    assert values(found, "questionnaires") == [Decimal(27)] and set(values(found, "total_score")) == {Decimal(96)}


def test_seed002_states_its_score_as_96_6_and_96_60():
    _, found = figures("002")
    totals = [f for f in found if f.kind == "total_score"]
    assert [(t.shown, t.decimals) for t in totals] == [("96.6", 1), ("96.60", 2)]
    assert Decimal(100) in values(found, "rate", role="execution_rate")


def test_seed003_states_each_category_with_its_weight_score_and_rate():
    _, found = figures("003")
    process = {f.measure: f.value for f in found if f.kind == "category" and f.category == "项目过程"}
    assert process == {"weight": Decimal(20), "score": Decimal(18), "rate": Decimal(90)}
    assert values(found, "total_score")[0] == Decimal(98) and values(found, "grade")[0] == "优"
    assert Decimal(27) in values(found, "indicators")
    arrival = [f for f in found if f.kind == "rate" and f.role == "arrival_rate"]
    assert arrival and (arrival[0].shown, arrival[0].decimals) == ("100.00", 2)


def test_seed004_states_its_amounts_satisfaction_and_questionnaires():
    _, found = figures("004")
    # "实际满意度97.47%" in the indicators' account, "满意度综合得分为97.47分" in the survey's
    assert [(f.value, f.unit) for f in found if f.kind == "satisfaction"] == [(Decimal("97.47"), "%"),
                                                                             (Decimal("97.47"), "分")]
    assert values(found, "questionnaires") == [Decimal(114)]
    amounts = {(f.role, f.shown) for f in found if f.kind == "amount"}
    assert {("budget", "97.361"), ("spent", "82.050854"), ("balance", "15.310146")} <= amounts, amounts


def test_full_width_digits_are_read_and_numbers_in_characters_are_not():
    from reportlib.reports.read import Paragraph, Report
    report = Report(DATA, "text", [Paragraph(1, "最终自评得分９４．５分，评定等级为优。"), Paragraph(2, "最终自评得分九十六分。")])
    found = stated_figures(report)
    assert [(f.kind, f.value, f.shown, f.paragraph) for f in found] == [
        ("total_score", Decimal("94.5"), "94.5", 1), ("grade", "优", "优", 1)]
    assert found[0].quote == "最终自评得分９４．５分，评定等级为优。"


def test_a_row_run_together_and_an_indicator_table_by_level_state_no_figure():
    """"B11. 资金到位率4100%100%4" is a table row whose cells lost their tabs (weight 4, target 100%,
    actual 100%, score 4), not a rate of 4100%; a table listing indicators by level has the lower
    levels' 权重 and 得分 beside the level-1 name, not the level-1 category's."""
    from reportlib.reports.read import Paragraph, Report
    report = Report(DATA, "text", [Paragraph(1, "B11. 资金到位率4100%100%4"), Paragraph(2, "资金到位率\t4\t100%"),
                                   Paragraph(3, "资金到位率100%，执行率为 98.5%。")],
                    tables=[[["一级指标", "二级指标", "权重", "得分"], ["B. 项目管理(20分)", "B1 资金管理", "4", "4"]]])
    assert [(f.kind, f.role, f.shown, f.paragraph) for f in stated_figures(report)] == [
        ("rate", "arrival_rate", "100", 3), ("rate", "execution_rate", "98.5", 3)]


#: sentences as published reports write them (the seeds, government pages found by a probe of the
#: patterns) and the figures they state; a target, a bound, a scoring rule, a carry-over or a list of
#: grades states none
PHRASINGS = [
    ("本项目共完成预算资金89.97万元。", [("amount", "spent", "89.97")]),  # spent, not budget
    ("绩效目标：预算执行率达到95%以上，服务对象满意度达到90%以上。", []),
    ("预算执行率为100%的，得满分。", []),
    ("综合得分90分（含）以上为优。", []),
    ("社会公众满意度调查综合得分为96.68分。", []),  # a survey's score is not the total score
    ("服务对象满意度得分9.5分（满分10分）。", []),  # an indicator's score, not the satisfaction
    ("上年结余资金5万元。", []),
    ("回收问卷118份，其中有效问卷115份。", [("questionnaires", None, "115")]),
    ("最终评分得分为98分，属于“优”。", [("total_score", None, "98"), ("grade", None, "优")]),  # seed 003
    ("1.项目决策（满分20分，评价得分20分）", [("category", None, "20"), ("category", None, "20")]),  # seeds 000-004
    ("实际支出82.050854万元，为预算金额的84.28%。",  # seed 004
     [("rate", "execution_rate", "84.28"), ("amount", "spent", "82.050854")]),
    ("对绩效评价结果为“优秀”和“良好”的项目予以通报。", []),
    ("选择“非常满意”的占65.2%。", [("option_share", "非常满意", "65.2")]),
    ("二级指标8项，三级指标17项，四级指标28项。", [("indicators", "二", "8"), ("indicators", "三", "17"),
                                                ("indicators", "四", "28")]),
]


@pytest.mark.parametrize("sentence, expected", PHRASINGS)
def test_published_phrasings(sentence, expected):
    from reportlib.reports.read import Paragraph, Report
    found = stated_figures(Report(DATA, "text", [Paragraph(1, sentence)]))
    assert [(f.kind, f.role, f.shown) for f in found] == expected
