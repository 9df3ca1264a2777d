"""The five seeds' indicator tables, transcribed with their real mistakes: exact findings and figures."""

from __future__ import annotations

from conftest import DATA, audit, codes_cells
from reportlib.schema import Config

SEED_003_TABLES_4 = [
    ("qualitative-unexplained", "G17", "2", None),
    ("score-missing", "G43", "空白", "5"),
    ("score-missing", "G44", "空白", "4"),
    ("score-missing", "G45", "空白", "3"),
    ("score-missing", "G46", "空白", "3"),
]
SEED_003_ANNEX = [
    ("weight-mismatch", "G4", "3", "2"),
    ("score-out-of-range", "H4", "3", "2"),
]


def _level1(result, key="score"):
    return [(x["code"], x[key]) for x in result.figures["level1"]]


def test_seed000_score_blamed_by_deduction_rate_and_total():
    result = audit(DATA / "seed000_乡村振兴_指标体系评分表.xlsx")
    assert codes_cells(result) == [("score-inconsistent", "C5", "57.00", "55.00")]
    message = result.findings[0].message
    assert "扣分 5.00 与得分率 91.67% 都表明得分应为 55（60 − 5.00），而不是 57" in message
    assert "合计得分 94.00、合计扣分 6.00、合计得分率 94.00% 也与更正后的数相符" in message
    fig = result.figures
    assert (fig["form"], fig["total_score"], fig["stated_total_score"], fig["grade"]) == ("summary", 94.0, 94.0, "优")
    assert _level1(result) == [("A", 20.0), ("B", 19.0), ("C", 55.0)]
    assert [x["rate"] for x in fig["level1"]] == [100.0, 95.0, 91.67]


def test_seed001_and_seed004_are_clean():
    for name, total in (("seed001_盲人按摩_指标体系评分表.xlsx", 96.0), ("seed004_职业技能培训_指标体系评分表.xlsx", 92.0)):
        result = audit(DATA / name)
        assert (result.status, result.findings) == ("clean", []), name
        assert (result.figures["total_score"], result.figures["total_weight"], result.figures["grade"]) == \
            (total, 100.0, "优")


def test_seed002_rate_flagged_at_displayed_precision():
    result = audit(DATA / "seed002_服务状况调查_指标体系评分表.xlsx")
    # 99.50 % for 18.6 / 20 is wrong; 97 % for 58 / 60 (96.67 %) is right as shown; "-" is a zero 扣分
    assert codes_cells(result) == [("rate-mismatch", "E4", "99.50%", "93.00%")]
    assert result.figures["total_score"] == 96.6
    assert _level1(result, "deduction") == [("A", 0.0), ("B", 1.4), ("C", 2.0)]


def test_seed003_every_table_of_the_workbook():
    result = audit(DATA / "seed003_自治区残疾人事业_指标体系评分表.xlsx")
    by_sheet = {}
    for f in result.findings:
        by_sheet.setdefault(f.sheet, []).append((f.code, f.cell, f.found, f.expected))
    # table 3-1: 98.00 % for 18 / 20, and 100.00 printed without its percent sign
    assert by_sheet["表3-1"] == [("rate-mismatch", "C7", "98.00%", "90.00%"),
                                 ("percent-missing", "E7", "100.00", "100.00%")]
    assert by_sheet["表4 指标得分"] == SEED_003_TABLES_4
    assert by_sheet["附件1"] == SEED_003_ANNEX
    assert "合计得分 98（H33）比各项之和少 1" in result.findings[-1].message
    # no summary-detail mismatch: 3-1's 15 / 18 / 40 / 25 match tables 4-1…4-4 and 附件1
    assert "summary-detail-mismatch" not in {f.code for f in result.findings}
    fig = result.figures
    assert (fig["sheet"], fig["primary"], fig["total_score"], fig["total_weight"], fig["indicators"]) == \
        ("附件1", True, 98.0, 100.0, 27)
    assert _level1(result) == [("A", 15.0), ("B", 18.0), ("C", 40.0), ("D", 25.0)]
    # the report's own band rule (中 from 70) is read from the sheet's note
    assert fig["grade"] == "优" and fig["grade_bands"]["中"] == 70.0
    assert {t.figures["grade_bands_source"] for t in result.tables} == {"表内说明"}
    partial = [t.figures for t in result.tables if t.sheet == "表4 指标得分"]
    assert [(f["total_weight"], f["total_score"], f["grade"]) for f in partial] == \
        [(15.0, 15.0, None), (20.0, 18.0, None), (40.0, 40.0, None), (25.0, 25.0, None)]


def test_grade_bands_override():
    result = audit(DATA / "seed003_自治区残疾人事业_指标体系评分表.xlsx", Config(grade_bands="national"))
    assert result.figures["grade_bands"]["中"] == 60.0
    assert result.figures["grade_bands_source"] == "--grade-bands national"
