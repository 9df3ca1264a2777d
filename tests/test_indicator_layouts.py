"""Indicator tables in other offices' layouts, and the seeds with faults injected into them."""

from __future__ import annotations

import shutil

from openpyxl import Workbook, load_workbook

from conftest import DATA, audit, codes_cells
from make_indicators import write_summary
from reportlib.schema import Config


def _edit(tmp_path, name, edits, sheet=None):
    """A copy of a fixture with some cells changed, as a clerk's slip would change them."""
    target = tmp_path / name
    shutil.copyfile(DATA / name, target)
    wb = load_workbook(target)
    ws = wb[sheet] if sheet else wb.active
    for ref, value in edits.items():
        ws[ref] = value
    wb.save(target)
    return target


def test_repeated_upper_levels_read_like_merged_ones():
    result = audit(DATA / "variant003_annex_repeated.xlsx")
    assert codes_cells(result) == [("weight-mismatch", "G4", "3", "2"), ("score-out-of-range", "H4", "3", "2")]
    assert result.figures["indicators"] == 27 and result.figures["total_score"] == 98.0


def test_labels_on_the_first_row_only_and_stacked_tables():
    result = audit(DATA / "variant003_tables4_first_row.xlsx")
    assert codes_cells(result) == [("qualitative-unexplained", "G19", "2", None),
                                   ("score-missing", "G45", "空白", "5"), ("score-missing", "G46", "空白", "4"),
                                   ("score-missing", "G47", "空白", "3"), ("score-missing", "G48", "空白", "3")]
    assert [t.figures["total_score"] for t in result.tables] == [15.0, 18.0, 40.0, 25.0]


def test_text_percent_offset_table_and_a_grade_row():
    result = audit(DATA / "variant002_text_percent_grade.xlsx")
    assert codes_cells(result) == [("rate-mismatch", "G7", "99.50%", "93.00%"), ("grade-mismatch", "D10", "良", "优")]


def test_a_total_that_leaves_a_row_out(tmp_path):
    path = _edit(tmp_path, "seed004_职业技能培训_指标体系评分表.xlsx", {"C7": 40})
    assert codes_cells(audit(path)) == [("sum-mismatch", "C7", "40.00", "92.00")]


def test_scores_recomputed_from_target_and_actual(tmp_path):
    path = _edit(tmp_path, "seed003_自治区残疾人事业_指标体系评分表.xlsx",
                 {"F15": "84.27%", "F24": "90人", "F31": "0.025万元"}, sheet="表4 指标得分")
    rules = [(f.cell, f.found, f.expected) for f in audit(path).findings if f.code == "score-rule-mismatch"]
    assert rules == [
        ("G15", "4", "3.37"),  # 预算执行率 in proportion: 84.27 % × 4
        ("G24", "4", "3.60"),  # 90 of 100 people, 10 % short: 90 / 100 × 4
        ("G31", "4", "0.00"),  # cost 0.025 against at most 0.02: 20 % over, no points
    ]


def test_annex_total_that_leaves_a_score_out(tmp_path):
    path = _edit(tmp_path, "variant003_annex_repeated.xlsx", {"G4": 2, "H4": 2, "H33": 96})
    assert codes_cells(audit(path)) == [("sum-mismatch", "H33", "96", "98")]


def test_summary_checked_against_the_full_tables(tmp_path):
    # 17 with a 合计 of 97 that agrees with it: the summary holds together, but not with the full tables
    path = _edit(tmp_path, "seed003_自治区残疾人事业_指标体系评分表.xlsx", {"C6": 17, "F6": 97}, sheet="表3-1")
    result = audit(path)
    cross = [f for f in result.findings if f.code == "summary-detail-mismatch"]
    assert [(f.sheet, f.cell, f.found, f.expected) for f in cross] == [("表3-1", "C6", "17", "18")]
    assert "表4 指标得分" in cross[0].message and "附件1" in cross[0].message


def test_a_summary_score_its_totals_contradict_is_corrected_not_the_totals(tmp_path):
    # 17 typed for 18: the 合计 score 98 and the 合计 rate 98% both say 18, so C6 is wrong, not F6
    path = _edit(tmp_path, "seed003_自治区残疾人事业_指标体系评分表.xlsx", {"C6": 17}, sheet="表3-1")
    result = audit(path)
    found = [f for f in codes_cells(result) if f[1] in ("C6", "F6", "F7")]
    assert found == [("score-inconsistent", "C6", "17.00", "18.00")]
    assert not [f for f in result.findings if f.code == "summary-detail-mismatch"]


def _own_row_table(path, title_grade="良"):
    wb = Workbook()
    ws = wb.active
    ws.title = "评分"
    ws["A1"] = f"某项目绩效评价指标体系评分表（评价等级：{title_grade}）"
    for c, h in enumerate(["一级指标", "二级指标", "三级指标", "四级指标", "得分", "扣分原因"], 1):
        ws.cell(2, c, h)
    rows = [
        ("A项目决策(20分)", None, None, None, 20, None),
        (None, "A1项目立项(10分)", None, None, None, None),
        (None, None, "A11立项依据(6分)", "A111政策相符性(3分)", 3, None),
        (None, None, None, "A112职责相符性(3分)", 3, None),
        (None, None, "A12立项程序(4分)", None, 4, None),
        (None, "A2绩效目标(10分)", "A21目标明确性(10分)", None, 9, "目标部分未细化，扣1分"),
        ("B项目管理(20分)", "B1资金管理(20分)", "B11资金到位率(20分)", None, 20, None),
        ("C项目绩效(60分)", "C1产出(60分)", "C11完成数量(55分)", None, 55, None),
        ("合计", None, None, None, 94, None),
    ]
    for r, values in enumerate(rows, 3):
        for c, v in enumerate(values, 1):
            ws.cell(r, c, v)
    wb.save(path)


def test_four_levels_own_rows_and_weights_only_in_labels(tmp_path):
    path = tmp_path / "四级.xlsx"
    _own_row_table(path)
    result = audit(path)
    assert sorted(codes_cells(result)) == sorted([
        ("sum-mismatch", "E3", "20", "19"),  # A's own row: 3 + 3 + 4 + 9
        ("weight-sum-mismatch", "B10", "60", "55"),  # C1产出(60分) over C11 (55分)
        ("grade-mismatch", "A1", "良", "优"),  # the title's grade against 94
    ])
    fig = result.figures
    assert (fig["total_weight"], fig["total_score"], fig["indicators"]) == (100.0, 94.0, 6)
    assert [(x["code"], x["weight"], x["score"]) for x in fig["level1"]] == \
        [("A", 20.0, 19.0), ("B", 20.0, 20.0), ("C", 60.0, 55.0)]


def _low_total(path, grade):
    data = {"title": "项目绩效指标体系得分情况", "header": ("一级指标", "权重分", "得分"),
            "rows": [("A项目决策", 20, 20), ("B项目管理", 20, 20), ("C项目绩效", 60, 25), ("合计", 100, 65)]}
    wb = Workbook()
    write_summary(wb.active, data, grade=grade)
    wb.save(path)


def test_grade_bands_are_configuration(tmp_path):
    path = tmp_path / "低分.xlsx"
    _low_total(path, "中")
    assert audit(path).findings == []  # 65 is 中 under the national bands
    result = audit(path, Config(grade_bands="xinjiang-2022"))
    assert codes_cells(result) == [("grade-mismatch", "B7", "中", "差")]
    assert "70" in result.findings[0].message
    assert codes_cells(audit(path, Config(grade_bands="优秀:85,良好:75,合格:65"))) == []
    assert audit(path, Config(grade_bands="优秀:85,良好:75,合格:66")).findings[0].expected == "差"


def test_grade_bands_stated_in_a_note(tmp_path):
    path = tmp_path / "说明.xlsx"
    _low_total(path, "中")
    wb = load_workbook(path)
    wb.active["A10"] = "注：总分90分（含）以上为优，80分（含）至90分为良，70分（含）至80分为中，70分以下为差。"
    wb.save(path)
    result = audit(path)
    assert codes_cells(result) == [("grade-mismatch", "B7", "中", "差")]
    assert result.figures["grade_bands_source"] == "表内说明"
