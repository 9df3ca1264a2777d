"""The blank fillable 指标体系评分表 for staff: scores are typed in, sums, 扣分, 得分率 and the grade
are formulas.

The framework (sections, indicators, weights) and the grade bands come from
``schemas/indicators.yaml``; the bands are written into the note above the table, so the tool
reads them back from the table itself.  A second sheet holds the level-1 summary as formulas over
the first.  Build with ``python -m reportlib.template_indicators``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from .indicators.grades import preset
from .schema import SCHEMA_DIR, load_schema
from .template import open_template, save_template
from .values import formula_number as _num

HEADERS = ["一级指标", "二级指标", "三级指标", "权重", "指标值", "实际完成值", "得分", "扣分", "得分率", "评分标准", "扣分原因"]
WIDTHS = [12, 14, 22, 7, 11, 11, 8, 8, 9, 36, 28]
W, TARGET, ACTUAL, S, D, R = 3, 4, 5, 6, 7, 8  # column indexes
DETAIL, SUMMARY = "指标体系评分表", "一级指标汇总"


def _bands_note(bands) -> str:
    parts, upper = [], None
    for name, lower in bands.bounds:
        if lower == 0:
            parts.append(f"{_num(upper)}分以下为“{name}”")
        elif upper is None:
            parts.append(f"{_num(lower)}分（含）以上为“{name}”")
        else:
            parts.append(f"{_num(lower)}分（含）至{_num(upper)}分为“{name}”")
        upper = lower
    return "评价等级：" + "、".join(parts) + "。"


def build_indicators(path: Path, scores: dict[str, object] | None = None, schema_dir: Path = SCHEMA_DIR,
                     title: str | None = None) -> None:
    """Write the template; ``scores`` maps a leaf name to its score, or to (score, target, actual, reason)."""
    schema = load_schema("indicators", schema_dir)
    frame = schema["template"]
    bands = preset(schema, schema["grades"]["default"])
    scores = scores or {}
    buffer, wb, ws = open_template(DETAIL)
    base = {"border": 1, "valign": "vcenter", "font_name": "宋体", "font_size": 10, "text_wrap": True}
    f_title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": "宋体"})
    f_note = wb.add_format({"font_name": "宋体", "font_size": 9, "text_wrap": True, "valign": "top"})
    f_head = wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"})
    f_text = wb.add_format(base)
    f_num = wb.add_format({**base, "num_format": "0.00", "align": "center"})
    f_input = wb.add_format({**base, "num_format": "0.00", "align": "center", "bg_color": "#FFF2CC", "locked": False})
    f_free = wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False})
    f_rate = wb.add_format({**base, "num_format": "0.00%", "align": "center"})
    ws.merge_range(0, 0, 0, len(HEADERS) - 1, title or frame["title"], f_title)
    ws.merge_range(1, 0, 1, len(HEADERS) - 1,
                   "注：只需填写黄色格（得分、指标值、实际完成值、扣分原因）；权重可按本项目调整，合计、扣分、得分率和评价等级由公式计算。"
                   + _bands_note(bands), f_note)
    ws.set_row(1, 30)
    for c, (h, width) in enumerate(zip(HEADERS, WIDTHS)):
        ws.write_string(2, c, h, f_head)
        ws.set_column(c, c, width)
    r = 3
    section_rows: list[tuple[str, list[int], Fraction, Fraction | None]] = []
    total_w, total_s, filled = Fraction(0), Fraction(0), False
    for section in frame["sections"]:
        first, rows, sec_w, sec_s = r, [], Fraction(0), Fraction(0)
        for group in section["groups"]:
            g_first = r
            g_w = sum((Fraction(Decimal(str(w))) for _, w in group["leaves"]), Fraction(0))
            for name, weight in group["leaves"]:
                w = Fraction(Decimal(str(weight)))
                given = scores.get(name)
                score, target, actual, reason = (given if isinstance(given, tuple) else (given, None, None, None))
                ws.write_string(r, 2, name, f_text)
                ws.write_number(r, W, float(w), f_num)
                _write_text(ws, r, TARGET, target, f_free)
                _write_text(ws, r, ACTUAL, actual, f_free)
                g, wref = cell(r, S), cell(r, W)
                if score is None:
                    ws.write_blank(r, S, None, f_input)
                    ws.write_formula(r, D, f'=IF({g}="","",{wref}-{g})', f_num, "")
                    ws.write_formula(r, R, f'=IF({g}="","",{g}/{wref})', f_rate, "")
                else:
                    s = Fraction(Decimal(str(score)))
                    filled = True
                    sec_s += s
                    ws.write_number(r, S, float(s), f_input)
                    ws.write_formula(r, D, f'=IF({g}="","",{wref}-{g})', f_num, float(w - s))
                    ws.write_formula(r, R, f'=IF({g}="","",{g}/{wref})', f_rate, float(s / w))
                ws.data_validation(r, S, r, S, {"validate": "decimal", "criteria": "between", "minimum": 0,
                                                "maximum": f"={wref}", "error_title": "得分超出范围",
                                                "error_message": "得分应在 0 到本指标权重之间"})
                ws.write_string(r, 9, "", f_text)
                _write_text(ws, r, 10, reason, f_free)
                rows.append(r)
                r += 1
            sec_w += g_w
            _label(ws, g_first, r - 1, 1, f"{group['name']}({_num(g_w)}分)", f_text)
        _label(ws, first, r - 1, 0, f"{section['name']}({_num(sec_w)}分)", f_text)
        section_rows.append((section["name"], rows, sec_w, sec_s))
        total_w += sec_w
        total_s += sec_s
    leaf_rows = [x for _, rows, _, _ in section_rows for x in rows]
    ws.merge_range(r, 0, r, 2, "合计", f_head)
    ws.write_formula(r, W, f"=SUM({cell(leaf_rows[0], W)}:{cell(leaf_rows[-1], W)})", f_num, float(total_w))
    g_range = f"{cell(leaf_rows[0], S)}:{cell(leaf_rows[-1], S)}"
    total = cell(r, S)
    ws.write_formula(r, S, f'=IF(COUNT({g_range})=0,"",SUM({g_range}))', f_num, float(total_s) if filled else "")
    ws.write_formula(r, D, f'=IF({total}="","",{cell(r, W)}-{total})', f_num, float(total_w - total_s) if filled else "")
    ws.write_formula(r, R, f'=IF({total}="","",{total}/{cell(r, W)})', f_rate, float(total_s / total_w) if filled else "")
    ws.merge_range(r + 1, 0, r + 1, 2, "评价等级", f_head)
    ws.write_formula(r + 1, W, f'=IF({total}="","",{bands.formula(total)})', f_head, bands.grade(total_s) if filled else "")
    ws.freeze_panes(3, 3)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    _summary(wb, section_rows, total_w, total_s if filled else None, f_head, f_text, f_num, f_rate, f_title)
    save_template(buffer, wb, path)


def _write_text(ws, r, c, value, fmt):
    if value is None:
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _label(ws, top, bottom, col, text, fmt):
    if bottom > top:
        ws.merge_range(top, col, bottom, col, text, fmt)
    else:
        ws.write_string(top, col, text, fmt)


def _summary(wb, section_rows, total_w, total_s, f_head, f_text, f_num, f_rate, f_title) -> None:
    """The level-1 summary as formulas over the detail sheet."""
    ws = wb.add_worksheet(SUMMARY)
    ws.merge_range(0, 0, 0, 4, "项目绩效指标体系得分情况", f_title)
    for c, h in enumerate(["一级指标", "权重分", "得分", "扣分", "得分率"]):
        ws.write_string(1, c, h, f_head)
        ws.set_column(c, c, 12 if c else 16)
    sheet = f"'{DETAIL}'!"
    r = 2
    for name, rows, w, s in section_rows:
        w_range = f"{sheet}{cell(rows[0], W)}:{cell(rows[-1], W)}"
        s_range = f"{sheet}{cell(rows[0], S)}:{cell(rows[-1], S)}"
        score = cell(r, 2)
        ws.write_string(r, 0, name, f_text)
        ws.write_formula(r, 1, f"=SUM({w_range})", f_num, float(w))
        ws.write_formula(r, 2, f'=IF(COUNT({s_range})=0,"",SUM({s_range}))', f_num, "" if total_s is None else float(s))
        ws.write_formula(r, 3, f'=IF({score}="","",{cell(r, 1)}-{score})', f_num, "" if total_s is None else float(w - s))
        ws.write_formula(r, 4, f'=IF({score}="","",{score}/{cell(r, 1)})', f_rate, "" if total_s is None else float(s / w))
        r += 1
    score = cell(r, 2)
    ws.write_string(r, 0, "合计", f_head)
    ws.write_formula(r, 1, f"=SUM({cell(2, 1)}:{cell(r - 1, 1)})", f_num, float(total_w))
    ws.write_formula(r, 2, f'=IF(COUNT({cell(2, 2)}:{cell(r - 1, 2)})=0,"",SUM({cell(2, 2)}:{cell(r - 1, 2)}))', f_num,
                     "" if total_s is None else float(total_s))
    ws.write_formula(r, 3, f'=IF({score}="","",{cell(r, 1)}-{score})', f_num,
                     "" if total_s is None else float(total_w - total_s))
    ws.write_formula(r, 4, f'=IF({score}="","",{score}/{cell(r, 1)})', f_rate,
                     "" if total_s is None else float(total_s / total_w))


if __name__ == "__main__":
    from .resources import TEMPLATES as out  # the checkout's folder: these write the bundled templates
    build_indicators(out / "指标体系评分表.xlsx")
    print(out / "指标体系评分表.xlsx")
