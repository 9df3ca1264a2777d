"""The blank fillable 资金使用情况表 for staff: seed 003's 附件3 columns, inputs yellow, the rest formulas.

Sources of the budget and of the funds arrived, spending and the split of the balance (结余资金 /
调整资金) are typed in; each group's 合计, the balance (到位 − 支出), the 合计 row and the rates are
formulas.  The column groups come from ``template:`` in ``schemas/funds.yaml``.  Build with
``python -m reportlib.template_funds``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell as cell

from .schema import SCHEMA_DIR, load_schema
from .template import open_template, save_template

TOP = 5  # first header row (0-based): title, 项目名称, 截止日, 单位, note above it
SHEET = "资金使用情况表"


def build_funds(path: Path, rows: Sequence[Sequence] | None = None, project: str = "", title: str | None = None,
                schema_dir: Path = SCHEMA_DIR) -> None:
    """Write the template; each of ``rows`` is (单位名称, 年度, budget sources…, arrived sources…,
    spent, balance parts…, 备注) in the schema's column order, blanks as None."""
    frame = load_schema("funds", schema_dir)["template"]
    groups = frame["groups"]
    buffer, wb, ws = open_template(SHEET)
    base = {"border": 1, "valign": "vcenter", "font_name": "宋体", "font_size": 10, "text_wrap": True}
    f = {
        "title": wb.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": "宋体"}),
        "line": wb.add_format({"font_name": "宋体", "font_size": 10}),
        "note": wb.add_format({"font_name": "宋体", "font_size": 9, "text_wrap": True, "valign": "top"}),
        "head": wb.add_format({**base, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        "text": wb.add_format({**base, "bg_color": "#FFF2CC", "locked": False}),
        "input": wb.add_format({**base, "num_format": "0.00", "align": "right", "bg_color": "#FFF2CC", "locked": False}),
        "num": wb.add_format({**base, "num_format": "0.00", "align": "right"}),
        "rate": wb.add_format({**base, "num_format": "0.00%", "align": "right"}),
        "total": wb.add_format({**base, "bold": True, "align": "center"}),
    }
    # columns: name, year, then each group's parts (or the group itself), the rates, 备注
    layout, col = [], 2
    for group in groups:
        parts = group["parts"] or [None]
        layout.append((group["label"], [(col + i, p) for i, p in enumerate(parts)]))
        col += len(parts)
    rate_cols = {name: col + i for i, name in enumerate(frame["rates"])}
    note_col = col + len(rate_cols)
    width = note_col + 1
    ws.merge_range(0, 0, 0, width - 1, title or frame["title"], f["title"])
    ws.write_string(1, 0, "项目名称：" + project, f["line"])
    ws.write_string(2, 0, "截止日：    年  月  日", f["line"])
    ws.write_string(3, 0, "单位：" + frame["unit"], f["line"])
    ws.merge_range(3, 2, 3, width - 1, "注：只填写黄色格，没有的金额填 0 或“-”；各“合计”、剩余资金合计（到位合计 − 实际支出）、"
                   "合计行、资金到位率和预算执行率由公式计算。结余资金与调整资金之和应等于剩余资金合计。", f["note"])
    ws.set_row(3, 28)
    _header(ws, layout, rate_cols, note_col, f)
    first = TOP + 2
    rows = list(rows or [])
    count = max(frame["rows"], len(rows))
    where = {label: cols for label, cols in layout}
    budget, arrived = where[groups[0]["label"]], where[groups[1]["label"]]
    spent, balance = where[groups[2]["label"]][0][0], where[groups[3]["label"]]
    computed: list[dict[int, Decimal]] = []
    for i in range(count):
        values = list(rows[i]) if i < len(rows) else []
        computed.append(_row(ws, first + i, values, layout, rate_cols, note_col, f, budget, arrived, spent, balance))
    total = first + count
    totals: dict[int, Decimal] = {}
    for amounts in computed:
        for c, v in amounts.items():
            totals[c] = totals.get(c, Decimal(0)) + v
    ws.merge_range(total, 0, total, 1, "合计", f["total"])
    for _, cols in layout:
        for c, _part in cols:
            ws.write_formula(total, c, f"=SUM({cell(first, c)}:{cell(total - 1, c)})", f["num"], float(totals.get(c, 0)))
    _rates(ws, total, rate_cols, budget[0][0], arrived[0][0], spent, f, totals)
    ws.write_blank(total, note_col, None, f["head"])
    ws.write_string(total + 2, 0, "填表说明：预算（调整后）资金、资金到位情况的合计为各来源之和；剩余资金合计 = 资金到位合计 − 实际支出；"
                    "资金到位率 = 资金到位合计 ÷ 预算合计；预算执行率 = 实际支出 ÷ 资金到位合计。", f["note"])
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 7)
    ws.set_column(2, note_col - 1, 11)
    ws.set_column(note_col, note_col, 18)
    ws.freeze_panes(first, 1)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    save_template(buffer, wb, path)


def _header(ws, layout, rate_cols, note_col, f) -> None:
    for c, label in ((0, "实施单位名称"), (1, "年度"), (note_col, "备注")):
        ws.merge_range(TOP, c, TOP + 1, c, label, f["head"])
    for label, cols in layout:
        if cols[0][1] is None:
            ws.merge_range(TOP, cols[0][0], TOP + 1, cols[0][0], label, f["head"])
            continue
        ws.merge_range(TOP, cols[0][0], TOP, cols[-1][0], label, f["head"])
        for c, part in cols:
            ws.write_string(TOP + 1, c, part, f["head"])
    for name, c in rate_cols.items():
        ws.merge_range(TOP, c, TOP + 1, c, name, f["head"])


def _number(value) -> Decimal:
    return Decimal(0) if value is None or value == "-" else Decimal(str(value))


def _row(ws, r, values, layout, rate_cols, note_col, f, budget, arrived, spent, balance) -> dict[int, Decimal]:
    """One unit's row; returns its amounts by column (empty for an unfilled row)."""
    it = iter(values)
    name, year = next(it, None), next(it, None)
    ws.write_string(r, 0, "" if name is None else str(name), f["text"])
    if year is None:
        ws.write_blank(r, 1, None, f["text"])
    else:
        ws.write_number(r, 1, int(year), f["text"])
    amounts: dict[int, Decimal] = {}
    for _label, cols in layout:
        for c, part in cols:
            if part == "合计":
                continue
            value = next(it, None)
            if value is None:
                ws.write_blank(r, c, None, f["input"])
            elif value == "-":
                ws.write_string(r, c, "-", f["input"])
            else:
                ws.write_number(r, c, float(_number(value)), f["input"])
            amounts[c] = _number(value)
            ref = cell(r, c)
            ws.data_validation(r, c, r, c, {"validate": "custom", "value": f'=OR(AND(ISNUMBER({ref}),{ref}>=0),{ref}="-")',
                                            "error_title": "金额", "error_message": "请填写不小于 0 的金额，没有的填 0 或“-”"})
    filled = bool(values)
    for cols in (budget, arrived):
        sources = [c for c, p in cols if p != "合计"]
        ref = f"{cell(r, sources[0])}:{cell(r, sources[-1])}"
        amounts[cols[0][0]] = sum((amounts[c] for c in sources), Decimal(0))
        ws.write_formula(r, cols[0][0], f'=IF(COUNT({ref})=0,"",SUM({ref}))', f["num"],
                         float(amounts[cols[0][0]]) if filled else "")
    got, used = cell(r, arrived[0][0]), cell(r, spent)
    amounts[balance[0][0]] = amounts[arrived[0][0]] - amounts[spent]
    ws.write_formula(r, balance[0][0], f'=IF({got}="","",{got}-N({used}))', f["num"],
                     float(amounts[balance[0][0]]) if filled else "")
    _rates(ws, r, rate_cols, budget[0][0], arrived[0][0], spent, f, amounts if filled else {})
    note = next(it, None)
    ws.write_string(r, note_col, "" if note is None else str(note), f["text"])
    return amounts if filled else {}


def _rates(ws, r, rate_cols, budget, arrived, spent, f, amounts: dict[int, Decimal]) -> None:
    """资金到位率 = 到位 ÷ 预算; 预算执行率 = 支出 ÷ 到位; blank while the denominator is empty or 0."""
    pairs = {"资金到位率": (arrived, budget), "预算执行率": (spent, arrived)}
    for name, c in rate_cols.items():
        num, den = pairs[name]
        n, d = cell(r, num), cell(r, den)
        cached = float(amounts[num] / amounts[den]) if amounts.get(den) else ""
        ws.write_formula(r, c, f'=IF(N({d})=0,"",N({n})/{d})', f["rate"], cached)


if __name__ == "__main__":
    from .resources import TEMPLATES as out  # the checkout's folder: these write the bundled templates
    build_funds(out / "资金使用情况表.xlsx")
    print(out / "资金使用情况表.xlsx")
