"""The blank fillable 项目支出绩效自评表 for staff (财预〔2020〕10号 附件's layout): inputs yellow, the rest
formulas — 年度资金总额 = Σ its 其中 rows, 执行率 = 全年执行数 ÷ 全年预算数, 资金得分 = 执行率 × 分值 (at most
分值), the 总分's 分值 and 得分 = Σ, the grade from the national bands — with validation on the inputs
(amounts ≥ 0, a score between 0 and its 分值).  Build with ``python -m reportlib.template_selfeval``.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from .indicators.grades import preset
from .schema import SCHEMA_DIR, load_schema
from .template import open_template, save_template

SHEET = "项目支出绩效自评表"
FUND_HEAD = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
ITEMS = ("其中：当年财政拨款", "上年结转资金", "其他资金")
IND_HEAD = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
#: the national template's indicator rows: (一级, 二级) and how many 三级 rows each gets
LAYOUT = (("产出指标", "数量指标", 2), ("产出指标", "质量指标", 2), ("产出指标", "时效指标", 1), ("产出指标", "成本指标", 1),
          ("效益指标", "经济效益指标", 1), ("效益指标", "社会效益指标", 2), ("效益指标", "生态效益指标", 1),
          ("效益指标", "可持续影响指标", 1), ("满意度指标", "服务对象满意度指标", 1))


def build_selfeval(path: Path, head: Sequence[str] = ("", "", ""), funds: Sequence[Sequence] | None = None,
                   indicators: Sequence[Sequence] | None = None, year: int | None = None,
                   schema_dir: Path = SCHEMA_DIR) -> None:
    """Write the form: ``head`` is (项目名称, 主管部门, 实施单位); ``funds`` the 其中 rows' (年初预算数,
    全年预算数, 全年执行数); ``indicators`` rows of (三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因) in
    :data:`LAYOUT` order (blank rows where None)."""
    spec = load_schema("selfeval", schema_dir)
    grades = load_schema("indicators", schema_dir)
    bands = preset(grades, grades["grades"]["default"])
    weights = spec["indicators"]["weights"]
    buffer, wb, ws = open_template(SHEET)
    base = {"border": 1, "valign": "vcenter", "font_name": "宋体", "font_size": 10, "text_wrap": True}
    f = {
        "title": wb.add_format({"bold": True, "font_size": 16, "align": "center", "font_name": "宋体"}),
        "year": wb.add_format({"align": "center", "font_name": "宋体", "font_size": 11}),
        "label": wb.add_format({**base, "align": "center"}),
        "head": wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        "text": wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False}),
        "input": wb.add_format({**base, "num_format": "0.00", "align": "right", "bg_color": "#FFF2CC", "locked": False}),
        "num": wb.add_format({**base, "num_format": "0.00", "align": "right"}),
        "rate": wb.add_format({**base, "num_format": "0.00%", "align": "right"}),
        "dash": wb.add_format({**base, "align": "center"}),
        "note": wb.add_format({"font_name": "宋体", "font_size": 9, "text_wrap": True, "valign": "top"}),
    }
    ws.merge_range(0, 0, 0, 8, "项目支出绩效自评表", f["title"])
    ws.merge_range(1, 0, 1, 8, f"（{year or '    '}年度）", f["year"])
    ws.write_string(2, 0, "项目名称", f["label"])
    ws.merge_range(2, 1, 2, 8, head[0], f["text"])
    ws.write_string(3, 0, "主管部门", f["label"])
    ws.merge_range(3, 1, 3, 4, head[1], f["text"])
    ws.write_string(3, 5, "实施单位", f["label"])
    ws.merge_range(3, 6, 3, 8, head[2], f["text"])
    top = 4  # 项目资金 header (0-based)
    ws.merge_range(top, 0, top + 4, 0, "项目资金（万元）", f["label"])
    ws.write_blank(top, 1, None, f["head"])
    for c, name in enumerate(FUND_HEAD, 2):
        ws.write_string(top, c, name, f["head"])
    total, rows = top + 1, [top + 2 + i for i in range(len(ITEMS))]
    ws.write_string(total, 1, "年度资金总额", f["label"])
    funds = list(funds or [])
    sums = [0.0, 0.0, 0.0]
    for i, r in enumerate(rows):
        ws.write_string(r, 1, ITEMS[i], f["label"])
        values = list(funds[i]) if i < len(funds) else [None, None, None]
        for k in range(3):
            value = values[k] if k < len(values) else None
            if value is None:
                ws.write_blank(r, 2 + k, None, f["input"])
            else:
                ws.write_number(r, 2 + k, float(value), f["input"])
                sums[k] += float(value)
        for c in (5, 7):
            ws.write_string(r, c, "—", f["dash"])
        ws.write_blank(r, 6, None, f["dash"])
    for k in range(3):
        ws.write_formula(total, 2 + k, f"=SUM({cell(rows[0], 2 + k)}:{cell(rows[-1], 2 + k)})", f["num"], sums[k])
    weight = spec["funds"]["default_weight"]
    ws.write_number(total, 5, weight, f["input"])
    rate = sums[2] / sums[1] if sums[1] else 0.0
    d, e, fw, g = cell(total, 3), cell(total, 4), cell(total, 5), cell(total, 6)
    ws.write_formula(total, 6, f'=IF(N({d})=0,"",{e}/{d})', f["rate"], rate if sums[1] else "")
    ws.write_formula(total, 7, f'=IF({g}="","",MIN({g},1)*{fw})', f["num"], min(rate, 1) * weight if sums[1] else "")
    goals = top + 5
    ws.merge_range(goals, 0, goals + 1, 0, "年度总体目标", f["label"])
    ws.merge_range(goals, 1, goals, 4, "预期目标", f["head"])
    ws.merge_range(goals, 5, goals, 8, "实际完成情况", f["head"])
    ws.merge_range(goals + 1, 1, goals + 1, 4, "", f["text"])
    ws.merge_range(goals + 1, 5, goals + 1, 8, "", f["text"])
    ws.set_row(goals + 1, 60)
    head_row = goals + 2
    n_rows = sum(n for _, _, n in LAYOUT)
    ws.merge_range(head_row, 0, head_row + n_rows, 0, "绩效指标", f["label"])
    for c, name in enumerate(IND_HEAD, 1):
        ws.write_string(head_row, c, name, f["head"])
    r = head_row + 1
    indicators = list(indicators or [])
    scores, weights_sum, k = 0.0, 0.0, 0
    for level1 in dict.fromkeys(x[0] for x in LAYOUT):
        span = sum(n for l1, _, n in LAYOUT if l1 == level1)
        label = f"{level1}({weights[level1]}分)" if level1 in weights else level1
        if span > 1:
            ws.merge_range(r, 1, r + span - 1, 1, label, f["label"])
        else:
            ws.write_string(r, 1, label, f["label"])
        for _, level2, n in (x for x in LAYOUT if x[0] == level1):
            if n > 1:
                ws.merge_range(r, 2, r + n - 1, 2, level2, f["label"])
            else:
                ws.write_string(r, 2, level2, f["label"])
            for _ in range(n):
                values = list(indicators[k]) if k < len(indicators) and indicators[k] else [None] * 6
                k += 1
                for c, value in zip((3, 4, 5, 8), (values[0], values[1], values[2], values[5])):
                    ws.write_string(r, c, "" if value is None else str(value), f["text"])
                for c, value in ((6, values[3]), (7, values[4])):
                    if value is None:
                        ws.write_blank(r, c, None, f["input"])
                    else:
                        ws.write_number(r, c, float(value), f["input"])
                weights_sum += float(values[3] or 0)
                scores += float(values[4] or 0)
                ws.data_validation(r, 7, r, 7, {"validate": "custom", "value": f"=AND({cell(r, 7)}>=0,{cell(r, 7)}<={cell(r, 6)})",
                                                "error_title": "得分超出分值", "error_message": "得分应在 0 到本行分值之间"})
                r += 1
    first, last = head_row + 1, r - 1
    ws.data_validation(first, 6, last, 6, {"validate": "decimal", "criteria": ">=", "value": 0,
                                           "error_message": "分值应为不小于 0 的数"})
    ws.data_validation(rows[0], 2, rows[-1], 4, {"validate": "decimal", "criteria": ">=", "value": 0,
                                                 "error_message": "金额应为不小于 0 的数"})
    ws.merge_range(r, 0, r, 5, "总分", f["label"])
    ws.write_formula(r, 6, f"=SUM({cell(first, 6)}:{cell(last, 6)})+{fw}", f["num"], weights_sum + weight)
    h = cell(total, 7)
    ws.write_formula(r, 7, f"=SUM({cell(first, 7)}:{cell(last, 7)})+N({h})", f["num"],
                     scores + (min(rate, 1) * weight if sums[1] else 0))
    ws.write_string(r + 1, 5, "评价等级", f["label"])
    total_score = scores + (min(rate, 1) * weight if sums[1] else 0)
    ws.write_formula(r + 1, 7, "=" + bands.formula(cell(r, 7)), f["label"],
                     bands.grade(Fraction(total_score)) if (scores or sums[1]) else "")
    ws.write_string(r + 3, 0, "注：只填写黄色格。年度资金总额、执行率（全年执行数 ÷ 全年预算数）、资金得分（执行率 × 分值，最多得满分）、"
                    "总分和评价等级由公式计算；各指标得分在 0 到分值之间，未得满分的须填写偏差原因分析及改进措施。", f["note"])
    ws.write_string(r + 5, 0, "填报人：", f["note"])
    ws.write_string(r + 5, 3, "联系电话：", f["note"])
    ws.write_string(r + 5, 6, "填报日期：", f["note"])
    ws.set_column(0, 0, 10)
    ws.set_column(1, 2, 14)
    ws.set_column(3, 3, 24)
    ws.set_column(4, 5, 12)
    ws.set_column(6, 7, 9)
    ws.set_column(8, 8, 22)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    save_template(buffer, wb, path)


if __name__ == "__main__":
    from .resources import TEMPLATES as out  # the checkout's folder: these write the bundled templates
    build_selfeval(out / "项目支出绩效自评表.xlsx")
    print(out / "项目支出绩效自评表.xlsx")
