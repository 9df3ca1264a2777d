"""Write the questionnaire fixtures: the seeds' tables in the layouts different offices use.

Run ``python tests/data/make_fixtures.py`` to regenerate; the .xlsx files are committed so tests
do not depend on this script.  The workbooks are written with openpyxl (not the tool's own
writer) and vary what real files vary: title rows, offsets, merged / repeated / first-row-only
question labels, percent as numbers or as text, fractions, full- and half-width brackets, line
breaks and spaces inside labels, extra columns and notes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import seeds  # noqa: E402

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass
class Layout:
    sheet: str = "问卷统计表"
    top: int = 1  # row of the title
    left: int = 1  # column of the question text
    labels: str = "merged"  # merged | repeated | first | own-row
    headers: tuple = ("A（非常满意）", "B（满意）", "C（一般）", "D（不满意）", "E（很不满意）")
    question_header: str = "问卷题目及选项"
    kind_header: str = "项目"
    total_header: str | None = "合计人数"
    score_word: str = "分数"
    total_word: str = "合计"
    percent_as_text: bool = False
    extra_left: str | None = None  # an extra column (序号) before the questions
    extra_right: str | None = None  # an extra column (备注) after the table
    title_rows: int = 2


def _put(ws, row, col, value, fmt=None, bold=False):
    cell = ws.cell(row, col, value)
    cell.border = BOX
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def _share(ws, row, col, value, style, as_text):
    if value is None:
        return _put(ws, row, col, None)
    if style == "fraction":
        return _put(ws, row, col, value)
    if as_text:
        return _put(ws, row, col, f"{value:.2f}%")
    return _put(ws, row, col, round(value / 100, 6), "0.00%")


def write_ae(path: Path, data: dict, layout: Layout) -> None:
    """One A–E questionnaire table, with the seed's values exactly as printed."""
    wb = Workbook()
    ws = wb.active
    ws.title = layout.sheet
    style = data["share_style"]
    q_col = layout.left + (1 if layout.extra_left else 0)
    k_col = q_col + 1
    opt0 = k_col + 1
    last = opt0 + 4
    tot_col = last + 1 if layout.total_header else None
    right = (tot_col or last) + 1 if layout.extra_right else None
    row = layout.top
    ws.cell(row, q_col, data["title"]).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=row, start_column=q_col, end_row=row, end_column=tot_col or last)
    row += layout.title_rows
    header = row
    if layout.extra_left:
        _put(ws, header, layout.left, layout.extra_left, bold=True)
    _put(ws, header, q_col, layout.question_header, bold=True)
    _put(ws, header, k_col, layout.kind_header, bold=True)
    for i, h in enumerate(layout.headers):
        _put(ws, header, opt0 + i, h, bold=True)
    if tot_col:
        _put(ws, header, tot_col, layout.total_header, bold=True)
    if right:
        _put(ws, header, right, layout.extra_right, bold=True)
    row = header + 1
    blocks = list(data["questions"]) + [(layout.total_word,) + tuple(data["total"])]
    for number, (label, counts, n, shares, share_total, scores, q_total) in enumerate(blocks, 1):
        if layout.labels == "own-row":
            _put(ws, row, q_col, label)
            row += 1
        first = row
        kinds = [("人数", counts, n), ("占比", shares, share_total), (layout.score_word, scores, q_total)]
        for offset, (kind, values, total) in enumerate(kinds):
            r = first + offset
            if layout.extra_left and offset == 0 and number <= len(data["questions"]):
                _put(ws, r, layout.left, number)
            if layout.labels == "repeated" or (layout.labels in ("merged", "first") and offset == 0):
                _put(ws, r, q_col, label)
            elif layout.labels != "own-row":
                _put(ws, r, q_col, None)
            _put(ws, r, k_col, kind)
            if isinstance(values, str) and values.startswith("merged:"):
                _put(ws, r, opt0, float(values.split(":")[1]), "0.00")
                ws.merge_cells(start_row=r, start_column=opt0, end_row=r, end_column=last)
            else:
                for i, v in enumerate(values):
                    if kind == "人数":
                        _put(ws, r, opt0 + i, v)
                    elif kind == "占比":
                        _share(ws, r, opt0 + i, v, style, layout.percent_as_text)
                    else:
                        _put(ws, r, opt0 + i, v, "0.00_ " if style == "percent" else None)
            if tot_col:
                if kind == "人数":
                    _put(ws, r, tot_col, total)
                elif kind == "占比":
                    if layout.percent_as_text and total is not None:
                        _put(ws, r, tot_col, f"{total}%")
                    else:
                        _put(ws, r, tot_col, None if total is None else total / 100, "0%")
                else:
                    _put(ws, r, tot_col, total, "0.00_ ")
        if layout.labels == "merged":
            ws.merge_cells(start_row=first, start_column=q_col, end_row=first + 2, end_column=q_col)
        row = first + 3
    if data.get("final") is not None:
        _put(ws, row, q_col, "最终得分")
        _put(ws, row, k_col, "权重")
        _put(ws, row, opt0, data["final"], "0.00_ ")
        ws.merge_cells(start_row=row, start_column=opt0, end_row=row, end_column=tot_col or last)
        row += 1
    for note in data.get("notes", []):
        ws.cell(row, q_col, note)
        row += 1
    ws.column_dimensions[ws.cell(1, q_col).column_letter].width = 48
    wb.save(path)


def write_ae_question_score_column(path: Path, data: dict) -> None:
    """Seed 002's own layout: a 各题得分 column merged over each question's three rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.cell(1, 1, data["title"])
    ws.merge_cells("A1:H1")
    heads = ["问卷题目及选项", "项目", "A（非常\n满意）", "B（满意）", "C（一般）", "D（不满意）", "E（很不\n满意）", "各题得分"]
    for c, h in enumerate(heads, 1):
        _put(ws, 3, c, h, bold=True)
    row = 4
    blocks = list(data["questions"]) + [("合 计",) + tuple(data["total"])]
    for label, counts, _n, shares, _st, scores, q_total in blocks:
        _put(ws, row, 1, label)
        ws.merge_cells(start_row=row, start_column=1, end_row=row + 2, end_column=1)
        for offset, (kind, values) in enumerate((("人数", counts), ("占比", shares), ("得分", scores))):
            _put(ws, row + offset, 2, kind)
            if isinstance(values, str):
                _put(ws, row + offset, 3, float(values.split(":")[1]))
                ws.merge_cells(start_row=row + offset, start_column=3, end_row=row + offset, end_column=7)
            else:
                for i, v in enumerate(values):
                    _put(ws, row + offset, 3 + i, v)
        _put(ws, row, 8, q_total)
        ws.merge_cells(start_row=row, start_column=8, end_row=row + 2, end_column=8)
        row += 3
    for note in data["notes"]:
        ws.cell(row, 1, note)
        row += 1
    wb.save(path)


def write_yes_no(path: Path, data: dict) -> None:
    """Seed 003 附件2: 序号 | 问题 | 回应情况 (回应1 | 回应2) | 比例 回应1占比情况%."""
    wb = Workbook()
    ws = wb.active
    ws.title = "附件2"
    ws.cell(1, 1, "附件2:")
    ws.cell(3, 1, data["title"])
    ws.cell(5, 1, data["intro"])
    ws.cell(7, 1, "主要反馈如下：")
    _put(ws, 9, 1, "序号")
    _put(ws, 9, 2, "问题")
    _put(ws, 9, 3, "回应情况")
    ws.merge_cells("C9:D9")
    _put(ws, 9, 5, "比例 回应1占比情况%")
    _put(ws, 10, 3, "回应1")
    _put(ws, 10, 4, "回应2")
    for c in (1, 2, 5):
        ws.merge_cells(start_row=9, start_column=c, end_row=10, end_column=c)
    row = 11
    for number, (question, names, counts, share) in enumerate(data["questions"], 1):
        _put(ws, row, 1, number)
        _put(ws, row, 2, question)
        ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
        ws.merge_cells(start_row=row, start_column=2, end_row=row + 1, end_column=2)
        _put(ws, row, 3, names[0])
        _put(ws, row, 4, names[1])
        _put(ws, row + 1, 3, counts[0])
        _put(ws, row + 1, 4, counts[1])
        _put(ws, row + 1, 5, share)
        row += 2
    ws.cell(row + 1, 1, "上述结果显示，塔什库尔干塔吉克县20名受益对象对项目实施情况总体是满意的。")
    wb.save(path)


def build(out: Path) -> list[Path]:
    """Every fixture into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(name, writer, *args):
        path = out / name
        writer(path, *args)
        written.append(path)

    # the seeds, each in a layout an office really uses
    save("seed000_乡村振兴_问卷统计表.xlsx", write_ae, seeds.KUNMING_000, Layout())
    save("seed001_盲人按摩_问卷统计表.xlsx", write_ae, seeds.KUNMING_001,
         Layout(labels="repeated", percent_as_text=True, top=2, left=2, extra_right="备注"))
    save("seed002_服务状况调查_问卷统计表.xlsx", write_ae_question_score_column, seeds.KUNMING_002)
    save("seed003_自治区残疾人事业_问卷统计表.xlsx", write_yes_no, seeds.XINJIANG_003_YES_NO)
    save("seed004_职业技能培训_问卷统计表.xlsx", write_ae, seeds.KUNMING_004,
         Layout(labels="first", headers=("A(非常满意)", "B(满意)", "C(一般)", "D(不满意)", "E(很不满意)"),
                total_word="合 计", extra_left="序号", title_rows=3))
    # layout variants of the same data
    save("variant004_question_own_row.xlsx", write_ae, seeds.KUNMING_004,
         Layout(labels="own-row", headers=("非常满意", "满意", "一般", "不满意", "很不满意"), score_word="得分",
                question_header="题目", kind_header="类别", sheet="调查结果"))
    save("variant000_offset_text_percent.xlsx", write_ae, seeds.KUNMING_000,
         Layout(top=4, left=3, percent_as_text=True, headers=("A 非常满意", "B 满意", "C 一般", "D 不满意", "E 很不满意")))
    return written


# a filled indicator template: leaf -> score, or (score, 指标值, 实际完成值, 扣分原因)
FILLED_INDICATORS = {
    "A11立项依据充分性": 2, "A12立项程序规范性": 3, "A21绩效目标合理性": 3, "A22绩效指标明确性": 2,
    "A31预算编制科学性": 3, "A32资金分配合理性": 2,
    "B11资金到位率": (4, "100%", "100%", None), "B12预算执行率": (3.69, "100%", "92.34%", None),
    "B13资金使用合规性": 4, "B21管理制度健全性": (2, None, None, "业务管理制度不健全，扣2分"), "B22制度执行有效性": 4,
    "C11实际完成率": (9.5, ">=100人", "95人", None), "C21质量达标率": (10, ">=95%", "98%", None),
    "C31完成及时性": 10, "C41成本节约率": 10,
    "D11社会效益指标": 5, "D12经济效益指标": 5, "D13可持续影响指标": 5,
    "D21服务对象满意度": (10, ">=90%", "96.93%", None),
}

SEED_FILES = ("seed000", "seed001", "seed002", "seed003", "seed004")


def build_examples(out: Path) -> list[Path]:
    """The bundled sample inbox: the seeds' tables, real mistakes kept, plus a filled template."""
    import shutil
    sys.path.insert(0, str(HERE.parent.parent))
    from reportlib.template import build_questionnaire
    from reportlib.template_indicators import build_indicators
    from reportlib.template_funds import build_funds
    import make_funds

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(HERE.glob("seed00*.xlsx")):
        target = out / path.name.split("_", 1)[1]
        shutil.copyfile(path, target)
        written.append(target)
    indicators = out / "示例_按模板填写_指标体系评分表.xlsx"
    build_indicators(indicators, scores=FILLED_INDICATORS, title="示例：按模板填写的项目支出绩效评价指标体系及评分表")
    written.append(indicators)
    filled = out / "示例_按模板填写_问卷统计表.xlsx"
    build_questionnaire(filled, counts=[q[1] for q in seeds.KUNMING_004["questions"]],
                        title="示例：按模板填写的社会公众满意度调查问卷统计表",
                        labels=[q[0] for q in seeds.KUNMING_004["questions"]])
    written.append(filled)
    funds = out / "示例_按模板填写_资金使用情况表.xlsx"
    build_funds(funds, rows=make_funds.FILLED_TEMPLATE, project="2022年自治区财政残疾人事业发展补助资金项目")
    written.append(funds)
    from reportlib.template_selfeval import build_selfeval
    own = out / "示例_按模板填写_项目支出绩效自评表.xlsx"
    build_selfeval(own, *FILLED_SELFEVAL, year=2022)
    written.append(own)
    return written


#: the filled 自评表 of the example project: its funds as its fund table (45.70 budget, 42.20 spent), its
#: indicators in the template's rows, the targets missed scored by the rules (实际 ÷ 目标 × 分值; a cap
#: exceeded by 6 % keeps 94 %) with their reasons, its 总分 97.19 as the indicator table's, its
#: satisfaction 96.93 % as the survey's
FILLED_SELFEVAL = (
    ("2022年自治区财政残疾人事业发展补助资金项目", "自治区残疾人联合会", "塔什库尔干塔吉克自治县残疾人联合会"),
    [(45.7, 45.7, 42.2)],
    [("培训残疾人人次", "≥120人次", "114人次", 10, 9.5, "部分学员因病未能参加，下年度提前摸底报名"),
     ("发放辅助器具数量", "≥60件", "62件", 10, 10, ""),
     ("培训合格率", "≥90%", "82.8%", 8, 7.36, "两期培训考核偏难，下年度分层教学"),
     ("辅助器具适配率", "≥95%", "93.1%", 8, 7.84, "偏远乡镇适配评估未全覆盖"),
     ("资金下达及时性", "及时", "及时", 7, 7, ""),
     ("人均培训成本", "≤0.3万元", "0.318万元", 7, 6.58, "交通和食宿价格上涨"),
     ("带动残疾人就业增收", "效果明显", "达成预期指标", 6, 6, ""),
     ("残疾人基本公共服务覆盖率", "≥90%", "85.2%", 6, 5.68, "新增人员信息未及时录入"),
     ("残疾人社会参与程度", "有所提高", "达成预期指标", 6, 6, ""),
     ("对环境的影响", "无不良影响", "达成预期指标", 6, 6, ""),
     ("服务机制长效运行", "长期", "达成预期指标", 6, 6, ""),
     ("服务对象满意度", "≥90%", "96.93%", 10, 10, "")],
)


if __name__ == "__main__":
    for p in build(HERE):
        print(p)
    sys.path.insert(0, str(HERE.parent.parent))
    from reportlib.template import build_questionnaire
    build_questionnaire(HERE / "template_filled_seed004.xlsx",
                        counts=[q[1] for q in seeds.KUNMING_004["questions"]],
                        labels=[q[0] for q in seeds.KUNMING_004["questions"]])
    build_questionnaire(HERE.parent.parent / "input_templates" / "问卷统计表.xlsx")
    import make_indicators
    from reportlib.template_indicators import build_indicators
    for p in make_indicators.build(HERE):
        print(p)
    build_indicators(HERE.parent.parent / "input_templates" / "指标体系评分表.xlsx")
    import make_funds
    from reportlib.template_funds import build_funds
    for p in make_funds.build(HERE):
        print(p)
    build_funds(HERE.parent.parent / "input_templates" / "资金使用情况表.xlsx")
    for p in build_examples(HERE.parent.parent / "input_templates" / "examples"):
        print(p)
    import make_projects  # after the seeds: project fixtures copy and combine them
    for p in make_projects.build(HERE):
        print(p)
    from reportlib.template_report import build as build_report_template
    from reportlib.draft import DOCX_TEMPLATE, TEMPLATE_DIR
    build_report_template(TEMPLATE_DIR / DOCX_TEMPLATE)
