"""The blank fillable 问卷统计表 for staff: counts are typed in, everything else is a formula.

The scheme (option weights, question points) comes from ``schemas/questionnaire.yaml`` and is
written into the note under the table, so the tool reads it back from the table itself.
Build with ``python -m reportlib.template``.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell as cell

from .fsio import atomic_write
from .schema import SCHEMA_DIR, load_schema
from .values import formula_number as _num

HEADERS = ["问卷题目及选项", "项目", "A（非常满意）", "B（满意）", "C（一般）", "D（不满意）", "E（很不满意）", "合计人数"]
FIXED_DATE = datetime.datetime(2024, 1, 1)  # reproducible files: the same input gives the same bytes


def open_template(sheet: str) -> tuple[io.BytesIO, xlsxwriter.Workbook, Any]:
    """A template workbook built in memory (fixed properties, so a rebuild gives the same bytes) and its
    first sheet, named ``sheet``; :func:`save_template` writes it."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    wb.set_properties({"title": sheet, "created": FIXED_DATE, "author": "绩效表格校核"})
    return buffer, wb, wb.add_worksheet(sheet)


def save_template(buffer: io.BytesIO, wb: xlsxwriter.Workbook, path: Path) -> None:
    """Close a template workbook and write it to ``path`` whole (never half a file)."""
    wb.close()
    atomic_write(Path(path), buffer.getvalue())


def build_questionnaire(path: Path, questions: int = 10, counts: list[list[int]] | None = None,
                        title: str = "XXXX年XX项目社会公众满意度调查问卷统计表",
                        labels: list[str] | None = None, schema_dir: Path = SCHEMA_DIR) -> None:
    """Write the template; with ``counts`` it is a filled example whose formulas carry cached values."""
    scheme = load_schema("questionnaire", schema_dir)["scheme"]
    weights = [Fraction(Decimal(str(w))) for w in scheme["default_option_weights"].values()]
    points = Fraction(Decimal(str(scheme["default_total_points"]))) / questions
    buffer, wb, ws = open_template("问卷统计表")
    base = {"border": 1, "valign": "vcenter", "font_name": "宋体", "font_size": 10}
    f_title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": "宋体"})
    f_head = wb.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "bg_color": "#D9E1F2"})
    f_text = wb.add_format({**base, "text_wrap": True})
    f_kind = wb.add_format({**base, "align": "center"})
    f_count = wb.add_format({**base, "num_format": "0", "bg_color": "#FFF2CC", "locked": False})
    f_share = wb.add_format({**base, "num_format": "0.00%"})
    f_score = wb.add_format({**base, "num_format": "0.00"})
    f_note = wb.add_format({"font_name": "宋体", "font_size": 10, "text_wrap": True})
    ws.set_column(0, 0, 46)
    ws.set_column(1, 1, 6)
    ws.set_column(2, 7, 11)
    ws.merge_range(0, 0, 0, 7, title, f_title)
    for c, h in enumerate(HEADERS):
        ws.write_string(2, c, h, f_head)
    totals: dict[str, list] = {"count": [], "share": [], "score": []}
    first_row = 3
    all_scores: list[Fraction] = []
    question_total_cells = []
    for q in range(questions):
        r = first_row + 3 * q
        label = labels[q] if labels and q < len(labels) else f"{q + 1}.（请填写第{q + 1}题题目）"
        ws.merge_range(r, 0, r + 2, 0, label, f_text)
        for offset, kind in enumerate(("人数", "占比", "分数")):
            ws.write_string(r + offset, 1, kind, f_kind)
        row_counts = counts[q] if counts else [None] * 5
        n = sum(c or 0 for c in row_counts)
        n_ref = "$" + cell(r, 7)
        q_scores = []
        for k in range(5):
            c_ref = cell(r, 2 + k)
            if row_counts[k] is None:
                ws.write_blank(r, 2 + k, None, f_count)
            else:
                ws.write_number(r, 2 + k, row_counts[k], f_count)
            share = Fraction(row_counts[k] or 0, n) if n else Fraction(0)
            ws.write_formula(r + 1, 2 + k, f"=IF({n_ref}=0,0,{c_ref}/{n_ref})", f_share, float(share))
            score = share * weights[k] * points
            q_scores.append(score)
            ws.write_formula(r + 2, 2 + k, f"={cell(r + 1, 2 + k)}*{_num(weights[k])}*{_num(points)}", f_score,
                             float(score))
        ws.write_formula(r, 7, f"=SUM({cell(r, 2)}:{cell(r, 6)})", f_kind, n)
        ws.write_formula(r + 1, 7, f"=SUM({cell(r + 1, 2)}:{cell(r + 1, 6)})", f_share, 1.0 if n else 0.0)
        ws.write_formula(r + 2, 7, f"=SUM({cell(r + 2, 2)}:{cell(r + 2, 6)})", f_score, float(sum(q_scores)))
        ws.data_validation(r, 2, r, 6, {
            "validate": "integer", "criteria": ">=", "value": 0,
            "error_title": "人数应为非负整数", "error_message": "请填写选择该选项的人数（0 或正整数）。"})
        for kind in totals:
            totals[kind].append(r + {"count": 0, "share": 1, "score": 2}[kind])
        all_scores.append(sum(q_scores, Fraction(0)))
        question_total_cells.append(cell(r + 2, 7))
    r = first_row + 3 * questions
    ws.merge_range(r, 0, r + 2, 0, "合计", f_text)
    all_n = sum(sum(c or 0 for c in row) for row in counts) if counts else 0
    for offset, kind in enumerate(("人数", "占比", "分数")):
        ws.write_string(r + offset, 1, kind, f_kind)
    for k in range(5):
        col_n = sum(row[k] or 0 for row in counts) if counts else 0
        ws.write_formula(r, 2 + k, "=SUM(" + ",".join(cell(x, 2 + k) for x in totals["count"]) + ")", f_kind, col_n)
        ws.write_formula(r + 1, 2 + k, f"=IF($H${r + 1}=0,0,{cell(r, 2 + k)}/$H${r + 1})", f_share,
                         float(Fraction(col_n, all_n)) if all_n else 0.0)
        col_score = sum((Fraction(row[k] or 0, sum(c or 0 for c in row)) * weights[k] * points
                         for row in (counts or []) if sum(c or 0 for c in row)), Fraction(0))
        ws.write_formula(r + 2, 2 + k, "=SUM(" + ",".join(cell(x, 2 + k) for x in totals["score"]) + ")", f_score,
                         float(col_score))
    grand = sum(all_scores, Fraction(0))
    ws.write_formula(r, 7, f"=SUM({cell(r, 2)}:{cell(r, 6)})", f_kind, all_n)
    ws.write_formula(r + 1, 7, f"=SUM({cell(r + 1, 2)}:{cell(r + 1, 6)})", f_share, 1.0 if all_n else 0.0)
    ws.write_formula(r + 2, 7, f"=SUM({cell(r + 2, 2)}:{cell(r + 2, 6)})", f_score, float(grand))
    ws.write_string(r + 3, 0, "最终得分", f_text)
    ws.write_string(r + 3, 1, "", f_kind)
    ws.merge_range(r + 3, 2, r + 3, 7, "", f_score)
    total_points = points * questions
    final = cell(r + 2, 7) if total_points == 100 else f"{cell(r + 2, 7)}*100/{_num(total_points)}"
    ws.write_formula(r + 3, 2, "=" + final, f_score, float(grand * 100 / total_points))
    letters = "ABCDE"
    scheme_text = "、".join(f"{letters[k]}={_num(weights[k])}" for k in range(5))
    ws.merge_range(r + 5, 0, r + 5, 7,
                   f"注：1、只需填写黄色的“人数”格，占比、分数、合计和最终得分由公式计算。"
                   f"2、选项权重 {scheme_text}；每题{_num(points)}分。如本单位规则不同，请同时修改分数公式和本说明。",
                   f_note)
    ws.set_row(r + 5, 42)
    ws.freeze_panes(3, 2)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    save_template(buffer, wb, path)


if __name__ == "__main__":
    from .resources import TEMPLATES as out  # the checkout's folder: these write the bundled templates
    build_questionnaire(out / "问卷统计表.xlsx")
    print(out / "问卷统计表.xlsx")
