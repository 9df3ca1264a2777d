"""The five seeds' questionnaire tables, transcribed with their real mistakes: exact findings and figures."""

from __future__ import annotations


from conftest import DATA, audit, codes_cells
from reportlib.schema import Config, parse_option_weights

SEED_000 = [
    ("scheme-default", None, None, None),
    ("answers-differ", "H4", "39", "40"),
    ("share-mismatch", "E5", "0.00%", "5.13%"),
    ("share-sum", "C5:G5", "94.87%", "100%"),
    ("score-mismatch", "E6", "0.00", "0.41"),
    ("question-total-mismatch", "H6", "9.33", "9.74"),
    ("total-mismatch", "E36", "0.00", "0.41"),
    ("total-mismatch", "H36", "96.68", "97.09"),
    ("final-score-mismatch", "C37", "96.68", "97.09"),
]

# 5 questions whose D share was copied from the C column (count 0, share 11.11 % / 7.41 %)
SEED_001 = [
    ("share-mismatch", "G18", "11.11%", "0.00%"), ("share-sum", "I18", "111%", "100%"),
    ("score-mismatch", "G19", "0.22", "0.00"), ("question-total-mismatch", "I19", "9.26", "9.04"),
    ("share-mismatch", "G21", "11.11%", "0.00%"), ("share-sum", "I21", "111%", "100%"),
    ("score-mismatch", "G22", "0.22", "0.00"), ("question-total-mismatch", "I22", "9.63", "9.41"),
    ("share-mismatch", "G24", "11.11%", "0.00%"), ("share-sum", "I24", "111%", "100%"),
    ("score-mismatch", "G25", "0.22", "0.00"), ("question-total-mismatch", "I25", "9.41", "9.19"),
    ("share-mismatch", "G27", "7.41%", "0.00%"), ("share-sum", "I27", "107%", "100%"),
    ("score-mismatch", "G28", "0.15", "0.00"), ("question-total-mismatch", "I28", "9.48", "9.33"),
    ("share-mismatch", "G30", "11.11%", "0.00%"), ("share-sum", "I30", "111%", "100%"),
    ("score-mismatch", "G31", "0.22", "0.00"), ("question-total-mismatch", "I31", "9.56", "9.33"),
    ("share-mismatch", "G33", "11.11%", "0.00%"), ("share-sum", "I33", "111%", "100%"),
    ("score-mismatch", "G34", "0.22", "0.00"), ("question-total-mismatch", "I34", "9.33", "9.11"),
    ("total-mismatch", "G37", "1.26", "0.00"),
    ("total-mismatch", "I37", "93.78", "92.52"),
    ("final-score-mismatch", "D38", "93.78", "92.52"),
]

SEED_004 = [
    ("share-mismatch", "G6", "空白", "1.75%"), ("share-sum", "I6", "98%", "100%"),
    ("score-mismatch", "G7", "0.00", "0.04"), ("question-total-mismatch", "I7", "9.67", "9.70"),
    ("share-mismatch", "G9", "16.67%", "0.88%"), ("share-sum", "I9", "116%", "100%"),
    ("score-mismatch", "G10", "0.33", "0.02"), ("question-total-mismatch", "I10", "9.58", "9.26"),
    ("share-mismatch", "G18", "0.88%", "0.00%"), ("share-sum", "I18", "101%", "100%"),
    ("score-mismatch", "G19", "0.02", "0.00"), ("question-total-mismatch", "I19", "9.89", "9.88"),
    ("share-mismatch", "G21", "13.16%", "0.00%"), ("share-sum", "I21", "113%", "100%"),
    ("score-mismatch", "G22", "0.26", "0.00"), ("question-total-mismatch", "I22", "9.74", "9.47"),
    ("share-mismatch", "G30", "1.75%", "0.00%"), ("share-sum", "I30", "102%", "100%"),
    ("score-mismatch", "G31", "0.04", "0.00"), ("question-total-mismatch", "I31", "9.68", "9.65"),
    ("share-mismatch", "G33", "1.75%", "0.88%"), ("share-sum", "I33", "101%", "100%"),
    ("score-mismatch", "G34", "0.04", "0.02"), ("question-total-mismatch", "I34", "9.49", "9.47"),
    # the 合计 row left the D column out: 1136 answers where the questions hold 1140
    ("total-mismatch", "G35", "0", "4"),
    ("total-mismatch", "I35", "1136", "1140"),
    ("total-mismatch", "D36", "89.35%", "89.04%"),
    ("total-mismatch", "E36", "6.95%", "6.93%"),
    ("total-mismatch", "F36", "3.70%", "3.68%"),
    ("total-mismatch", "G36", "0.00%", "0.35%"),
    ("total-mismatch", "G37", "0.68", "0.07"),
    ("total-mismatch", "I37", "97.47", "96.86"),
    ("final-score-mismatch", "D38", "97.47", "96.86"),
]


def test_seed000_one_answer_missing_and_a_blanked_share():
    result = audit(DATA / "seed000_乡村振兴_问卷统计表.xlsx")
    assert codes_cells(result) == SEED_000
    fig = result.figures
    assert (fig["respondents"], fig["questions"], fig["satisfaction"], fig["stated_satisfaction"]) == (40, 10, 97.09, 96.68)
    # B = 0.9 is read from the scores; C is open and filled from the preset that agrees (1/0.9/0.8)
    assert fig["option_weights"] == {"A": 1.0, "B": 0.9, "C": 0.8, "D": 0.4, "E": 0.2}
    assert fig["option_weights_preset"] == "kunming-2022-b"
    assert fig["answers"] == [39] + [40] * 9
    assert "常用方案的值 C=0.8" in result.findings[0].message and "kunming" not in result.findings[0].message
    share = result.findings[2]
    assert "2 ÷ 本题人数 39 = 5.13%" in share.message and "故判定占比有误" in share.message


def test_seed001_recomputes_to_92_52_not_the_published_93_78():
    result = audit(DATA / "seed001_盲人按摩_问卷统计表.xlsx")
    assert codes_cells(result) == SEED_001
    fig = result.figures
    assert (fig["satisfaction"], fig["stated_satisfaction"], fig["respondents"]) == (92.52, 93.78, 27)
    assert fig["option_weights"] == {"A": 1.0, "B": 0.8, "C": 0.6, "D": 0.2, "E": 0.0}
    assert fig["option_weights_source"] == "schema+table"  # E never chosen: from the agreeing preset
    copied = result.findings[0]
    assert "疑似从相邻列复制" in copied.message
    assert "按错误的占比 11.11% 算出的" in result.findings[2].message


def test_seed002_question_one_worth_twenty_points_is_clean():
    result = audit(DATA / "seed002_服务状况调查_问卷统计表.xlsx")
    assert codes_cells(result) == []
    assert result.status == "clean"
    fig = result.figures
    assert fig["satisfaction"] == 97.61
    assert fig["question_points"] == [20.0] + [10.0] * 8
    assert fig["question_points_source"] == "notes"
    assert (fig["option_weights"]["B"], fig["option_weights"]["C"]) == (0.9, 0.8)


def test_seed003_yes_no_form():
    result = audit(DATA / "seed003_自治区残疾人事业_问卷统计表.xlsx")
    assert codes_cells(result) == [("answers-differ", "C18", "100", "20"), ("answers-differ", "C20", "100", "20")]
    assert all(f.severity == "info" for f in result.findings)
    fig = result.figures
    assert (fig["form"], fig["questions"], fig["answers"], fig["satisfaction"]) == ("yes-no", 5, [20, 20, 20, 100, 100], 100.0)
    assert fig["satisfaction_questions"] == [3, 4]


def test_seed004_recomputes_to_96_86_not_the_published_97_47():
    result = audit(DATA / "seed004_职业技能培训_问卷统计表.xlsx")
    assert codes_cells(result) == SEED_004
    fig = result.figures
    assert (fig["satisfaction"], fig["stated_satisfaction"], fig["respondents"]) == (96.86, 97.47, 114)
    assert fig["option_counts"] == {"A": 1015, "B": 79, "C": 42, "D": 4, "E": 0}
    assert "合计行漏计了该列" in result.findings[-9].message


def test_override_weights_are_used_and_the_disagreement_is_reported():
    config = Config(option_weights=parse_option_weights("1,0.8,0.6,0.4,0.2"))
    result = audit(DATA / "seed004_职业技能培训_问卷统计表.xlsx", config)
    differ = [f for f in result.findings if f.code == "option-weights-differ"]
    assert len(differ) == 1 and differ[0].found == "D=0.2" and differ[0].expected == "D=0.4"
    assert result.figures["option_weights_source"] == "override"
    # D is worth 0.4 now: 1106 + 2*2 ... recomputed from counts
    assert result.figures["satisfaction"] == 96.93


def test_preset_name_override():
    config = Config(option_weights=parse_option_weights("kunming-2022-b"))
    result = audit(DATA / "seed000_乡村振兴_问卷统计表.xlsx", config)
    assert result.figures["option_weights"] == {"A": 1.0, "B": 0.9, "C": 0.8, "D": 0.4, "E": 0.2}
    assert not [f for f in result.findings if f.code in ("option-weights-differ", "scheme-default")]
    assert result.figures["satisfaction"] == 97.09


def test_question_points_override():
    from decimal import Decimal
    config = Config(question_points=(Decimal(10),))
    result = audit(DATA / "seed002_服务状况调查_问卷统计表.xlsx", config)
    assert [f.code for f in result.findings if f.severity != "error"] == ["question-points-differ"]
    assert result.figures["question_points"] == [10.0] * 9
    # question 1's scores were computed on 20 points, so its A/B scores and totals are now wrong
    assert ("score-mismatch", "C6", "16.11", "8.06") in codes_cells(result)


def test_points_with_a_tiny_full_weight_share_take_the_common_value():
    from fractions import Fraction
    from reportlib.questionnaire.scheme import Observed, infer_points
    from reportlib.values import parse_cell
    # 1 of 147 chose A: 0.07 fits 10 and 11 points; the other questions say 10
    tiny = Observed({"A": Fraction(1, 147)}, {"A": parse_cell(0.07)})
    clear = Observed({"A": Fraction(29, 36)}, {"A": parse_cell(8.06)})
    assert infer_points([clear, tiny, clear], "A") == [10, 10, 10]
    assert infer_points([tiny], "A") in ([10], [11])  # alone it is ambiguous; either fits the cell
