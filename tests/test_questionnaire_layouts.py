"""The same tables in the layouts other offices use must give the same judgements."""

from __future__ import annotations

import copy

from openpyxl import Workbook, load_workbook

import make_fixtures as mf
import seeds
from conftest import DATA, audit, codes_cells
from test_questionnaire_seeds import SEED_000, SEED_004


def judgements(result):
    return [(f.code, f.found, f.expected) for f in result.findings]


def test_offset_table_with_text_percentages_and_spaced_headers():
    result = audit(DATA / "variant000_offset_text_percent.xlsx")
    assert judgements(result) == [(c, f, e) for c, _, f, e in SEED_000]
    # title at row 4, table from column C: every cell moves by 2 columns and 3 rows
    assert [f.cell or f.range for f in result.findings][1:4] == ["J7", "G8", "E8:I8"]
    assert result.figures["satisfaction"] == 97.09


def test_question_on_its_own_row_headers_without_letters():
    result = audit(DATA / "variant004_question_own_row.xlsx")
    assert judgements(result) == [(c, f, e) for c, _, f, e in SEED_004]
    assert result.findings[0].sheet == "调查结果"
    assert result.figures["satisfaction"] == 96.86


def test_labels_written_once_and_serial_number_column(tmp_path):
    # seed004 fixture itself: 序号 column, question text on the first row only, "合 计" spaced
    result = audit(DATA / "seed004_职业技能培训_问卷统计表.xlsx")
    assert result.figures["questions"] == 10


def test_a_transposed_count_is_blamed_when_its_row_and_column_totals_agree(tmp_path):
    data = copy.deepcopy(seeds.KUNMING_000)
    label, counts, *rest = data["questions"][2]
    data["questions"][2] = (label, [82, 12, 0, 0, 0], *rest)  # 28 typed as 82
    path = tmp_path / "typo.xlsx"
    mf.write_ae(path, data, mf.Layout())
    result = audit(path)
    found = codes_cells(result)
    assert ("count-mismatch", "C10", "82", "28") in found
    message = result.findings[[f.code for f in result.findings].index("count-mismatch")].message
    assert message.startswith("C10 为 82，应为 28：第3题选项A的人数：本题合计人数 H10（40）、合计行人数 C34"), message
    assert "改为 28 后这些单元格都相符" in message
    # with the count restored nothing else about question 3 is wrong
    assert [f for f in found if f[1] and f[1][1:] in ("10", "11", "12") and f[0] != "count-mismatch"] == []
    assert result.figures["satisfaction"] == 97.09


def test_a_question_total_that_disagrees_with_its_counts_only_is_the_total(tmp_path):
    data = copy.deepcopy(seeds.KUNMING_000)
    label, counts, n, *rest = data["questions"][4]
    data["questions"][4] = (label, counts, 41, *rest)
    path = tmp_path / "total.xlsx"
    mf.write_ae(path, data, mf.Layout())
    found = codes_cells(audit(path))
    assert ("count-total-mismatch", "H16", "41", "40") in found


def _sheet_with(rows, merges=(), title="问卷"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(r, c, value)
    for m in merges:
        ws.merge_cells(m)
    return wb


def test_full_width_digits_dashes_and_fractions(tmp_path):
    rows = [
        ["满意度调查统计"],
        [],
        ["题目", "项目", "非常满意", "满意", "一般", "不满意", "很不满意", "合计"],
        ["1.总体评价", "人数", "１８", "２", "-", "—", 0, 20],
        [None, "占比", "90%", "10%", "-", "-", "0.00%", "100%"],
        [None, "得分", 9, 0.8, "-", "-", 0, 9.8],
        ["2.服务态度", "人数", 10, 10, 0, 0, 0, 20],
        [None, "占比", 0.5, 0.5, 0, 0, 0, 1],
        [None, "得分", 5, 4, 0, 0, 0, 9],
        ["合计", "人数", 28, 12, 0, 0, 0, 40],
        [None, "占比", 0.7, 0.3, 0, 0, 0, 1],
        [None, "得分", 14, 4.8, 0, 0, 0, 18.8],
        ["最终得分", None, 94],
    ]
    path = tmp_path / "widths.xlsx"
    _sheet_with(rows, ["A4:A6", "A7:A9", "A10:A12"]).save(path)
    result = audit(path)
    assert codes_cells(result) == []
    fig = result.figures
    assert (fig["respondents"], fig["questions"], fig["satisfaction"]) == (20, 2, 94.0)
    assert fig["question_points"] == [10.0, 10.0] and fig["option_weights"]["B"] == 0.8


def test_table_on_second_sheet_after_a_cover_sheet(tmp_path):
    wb = load_workbook(DATA / "seed002_服务状况调查_问卷统计表.xlsx")
    cover = wb.create_sheet("封面", 0)
    cover["A1"] = "附件4：问卷统计表"
    cover["A3"] = '=HYPERLINK("http://example.invalid","点击")'
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    result = audit(path)
    assert result.status == "clean" and result.figures["sheet"] == "Sheet1"


def test_text_in_a_count_cell_is_flagged_not_dropped(tmp_path):
    data = copy.deepcopy(seeds.KUNMING_002)
    path = tmp_path / "text_count.xlsx"
    mf.write_ae_question_score_column(path, data)
    wb = load_workbook(path)
    wb.active["D7"] = "五"
    wb.save(path)
    found = codes_cells(audit(path))
    assert found[0] == ("not-a-number", "D7", "五", None)


def test_a_final_score_on_the_tables_own_scale_is_consistent(tmp_path):
    """4 questions of 10 points: a 最终得分 of 37.70 is the sum of the question scores, so it is right on
    its own scale; the tool says so (info) and gives the 0-100 figure, 94.25, without an error."""
    from openpyxl import Workbook
    weights = [1, 0.8, 0.6, 0.2, 0]
    questions = [(16, 4, 0, 0, 0), (15, 5, 0, 0, 0), (15, 4, 1, 0, 0), (14, 4, 2, 0, 0)]
    wb = Workbook()
    ws = wb.active
    ws.append(["满意度调查问卷统计表"])
    ws.append(["问卷题目及选项", "项目", "A（非常满意）", "B（满意）", "C（一般）", "D（不满意）", "E（很不满意）", "合计"])
    for q, counts in enumerate(questions, 1):
        n = sum(counts)
        shares = [c / n for c in counts]
        scores = [s * w * 10 for s, w in zip(shares, weights)]
        ws.append([f"{q}.问题{q}", "人数", *counts, n])
        ws.append([None, "占比", *shares, 1])
        ws.append([None, "分数", *scores, round(sum(scores), 2)])
    ws.append(["最终得分", None, 37.70])
    for row in ws.iter_rows(min_row=3):
        for cell in row[2:]:
            if row[1].value == "占比":
                cell.number_format = "0.00%"
            elif row[1].value == "分数" or row[0].value == "最终得分":
                cell.number_format = "0.00"
    wb.save(tmp_path / "q.xlsx")
    result = audit(tmp_path / "q.xlsx")
    assert [(f.code, f.severity, f.cell, f.found, f.expected) for f in result.findings] == [
        ("final-score-scale", "info", "C15", "37.70", "94.25")]
    assert (result.figures["satisfaction"], result.figures["stated_satisfaction"]) == (94.25, 37.7)
