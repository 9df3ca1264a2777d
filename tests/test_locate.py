"""The locate toolkit every kind shares: the title above a header by each kind's layout rule, the notes
below a table, a merged header's bottom, blank rows."""

from __future__ import annotations

import pytest

from reportlib.grid import Sheet
from reportlib.locate import Aliases, merged_bottom, row_blank
from reportlib.schema import load_schema
from reportlib.surround import surroundings


def sheet(rows: dict[int, list]) -> Sheet:
    s = Sheet("表1")
    for r, values in rows.items():
        for c, v in enumerate(values, 1):
            if v is not None:
                s.values[(r, c)] = v
    s.max_row = max(rows)
    s.max_col = max(len(v) for v in rows.values())
    return s


def aliases(kind: str) -> Aliases:
    return Aliases(load_schema(kind), surroundings())


ABOVE = {
    1: ["附件3", None, None],
    2: ["2022年残疾人服务状况和需求调查（对下）补助经费分配明细表", None, None],
    3: ["项目名称：残疾人服务状况调查", None, "单位：万元"],
    4: ["序号", "县区", "下达金额"],
}


def test_a_fund_title_is_the_longest_text_of_the_nearest_row_as_written():
    title = aliases("funds").title_above(sheet(ABOVE), 4)
    assert title == ("2022年残疾人服务状况和需求调查（对下）补助经费分配明细表", (2, 1))  # full-width kept


def test_an_indicator_title_is_a_rows_only_text_and_never_a_note():
    s = sheet({1: ["表4-1：项目决策指标得分情况", None], 2: ["注：权重单位为分", None], 3: ["一级指标", "二级指标"]})
    assert aliases("indicators").title_above(s, 3) == ("表4-1：项目决策指标得分情况", (1, 1))
    two = sheet({1: ["指标得分表", "（第二稿）"], 2: ["一级指标", "二级指标"]})
    assert aliases("indicators").title_above(two, 2) is None  # two texts in the row: no single title


def test_a_questionnaire_title_is_the_nearest_text_of_six_characters_at_any_distance():
    s = sheet({1: ["昆明市残联2022年盲人按摩项目满意度调查问卷"]} | {r: [None] for r in range(2, 12)}
              | {12: ["调查时间：2022年12月"], 13: ["问卷"], 14: ["题目"]})
    assert aliases("questionnaire").title_above(s, 14) == ("昆明市残联2022年盲人按摩项目满意度调查问卷", (1, 1))


def test_a_title_over_two_lines_is_one_line():
    s = sheet({1: ["资金使用情况\n  明细表", None], 2: ["项目", "预算"]})
    assert aliases("funds").title_above(s, 2)[0] == "资金使用情况 明细表"


@pytest.mark.parametrize("kind, rows", [("funds", 4), ("indicators", 8), ("questionnaire", 30)])
def test_notes_are_the_layouts_rows_below_without_signature_lines(kind, rows):
    s = sheet({1: ["合计", 1]} | {r: [f"注{r}：说明", None] for r in range(2, 31)} | {31: ["填表人：张三", None]})
    notes = aliases(kind).notes_below(s, 1)
    assert notes == [f"注{r}:说明" for r in range(2, 2 + rows)][:30 - 1]
    assert not any("填表人" in n for n in notes)


def test_a_merged_header_ends_at_its_deepest_merge_and_blank_rows_are_blank():
    s = sheet({1: ["一级指标", "权重"], 2: [None, None], 3: [" ", ""]})
    s.span_of[(1, 1)] = (2, 1)
    s.anchor_of[(2, 1)] = (1, 1)
    assert merged_bottom(s, 1) == 2 and row_blank(s, 3) and not row_blank(s, 1)


def test_a_questionnaire_title_is_never_a_sentence():
    """Seed 003: the title, then an intro sentence ending in 。, then 主要反馈如下： right above the header."""
    s = sheet({1: ["2022年自治区残疾人事业发展补助资金项目绩效评价调查问卷统计表"],
               2: ["为真实反映项目支出绩效，对100名群众及20名受益对象进行问卷调查，回收有效问卷共计120份。"],
               3: ["主要反馈如下："], 4: ["问题"]})
    assert aliases("questionnaire").title_above(s, 4)[0] == "2022年自治区残疾人事业发展补助资金项目绩效评价调查问卷统计表"
