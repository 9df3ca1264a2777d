"""Write the fund fixtures: the seeds' tables and the layouts and faults other offices' files show.

Run ``python tests/data/make_funds.py`` to regenerate (``make_fixtures.py`` calls it too).  Written
with openpyxl, not the tool's writer, and varied the way real files vary: the unit line above the
table or at its right, or only in a header (``对下资金（万元）``); a two-row header merged or with
each group label written once; ``-`` for zero; amounts as text or full-width digits; the 合计 row
below the items or right under the header; 小计 rows; county cells merged over their rows or written
on the first row only; and injected faults (a transposed digit, a row left out of the total, sources
that do not add up to their 合计, text in an amount cell, a negative balance, mixed units).
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import seeds_funds as seeds  # noqa: E402
from make_indicators import _put  # noqa: E402  -- one bordered, wrapped cell writer for every fixture


def write_list(ws, top, title, header, rows, total=None, unit_at=None, total_first=False, fmt=None,
               rate_cols=(), merge_total=1):
    """A one-row header list: title lines, an optional "单位：万元" cell, items and a 合计 row.

    ``total`` is the 合计 row's cells after its label; ``unit_at`` is (text, column) for the unit
    line, written on the row above the header.  Returns the last row written.
    """
    titles = title if isinstance(title, list) else [title]
    for i, line in enumerate(titles):
        ws.cell(top + i, 1, line)
    row = top + len(titles)
    if unit_at:
        ws.cell(row, unit_at[1], unit_at[0])
        row += 1
    for c, h in enumerate(header, 1):
        _put(ws, row, c, h, bold=True)
    row += 1

    def write_total(r):
        _put(ws, r, 1, "合计")
        if merge_total > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=merge_total)
        for c, v in enumerate(total, merge_total + 1):
            _put(ws, r, c, v, "0.00%" if c in rate_cols else fmt)

    if total is not None and total_first:
        write_total(row)
        row += 1
    for values in rows:
        for c, v in enumerate(values, 1):
            _put(ws, row, c, v, "0.00%" if c in rate_cols else fmt)
        row += 1
    if total is not None and not total_first:
        write_total(row)
        row += 1
    return row - 1


def write_003(ws, rows, total, merged=True, lines=None, rates=False, unit_line=None):
    """附件3's two-row header: group labels merged over their parts (or written once at the first
    part), then one row per implementing unit and the 合计 row."""
    lines = lines or seeds.SEED_003["lines"]
    for i, line in enumerate(lines, 1):
        ws.cell(i, 1, line)
    if unit_line:
        ws.cell(len(lines), 1, unit_line)
    top = len(lines) + 1
    _put(ws, top, 1, "实施单位名称", bold=True)
    _put(ws, top, 2, "年度", bold=True)
    col = 3
    for label, parts in seeds.SEED_003_GROUPS + ([("资金到位率", []), ("预算执行率", [])] if rates else []):
        width = max(len(parts), 1)
        _put(ws, top, col, label, bold=True)
        if parts:
            for i, part in enumerate(parts):
                _put(ws, top + 1, col + i, part, bold=True)
            if merged:
                ws.merge_cells(start_row=top, start_column=col, end_row=top, end_column=col + width - 1)
        elif merged:
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        col += width
    _put(ws, top, col, "备注", bold=True)
    if merged:
        for c in (1, 2, col):
            ws.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
    row = top + 2
    for name, year, amounts, note in rows + [("合计", None, total, None)]:
        _put(ws, row, 1, name)
        _put(ws, row, 2, year)
        for i, v in enumerate(amounts):
            _put(ws, row, 3 + i, v, "0.00%" if rates and i >= 12 else "0.00")
        _put(ws, row, col, note)
        row += 1
    return row - 1


def write_institutions(ws, data, merged=True, counts=None):
    """Seed 001's list: 县区机构数 / 县区资金合计 merged over each county's rows, or on its first row only."""
    for i, line in enumerate(data["title"], 1):
        ws.cell(i, 1, line)
    top = len(data["title"]) + 1
    for c, h in enumerate(data["header"], 1):
        _put(ws, top, c, h, bold=True)
    row = top + 1
    first = row
    for values in data["rows"]:
        for c, v in enumerate(values, 1):
            _put(ws, row, c, v)
        row += 1
    r = first
    for i, (span, count, money) in enumerate(data["groups"]):
        _put(ws, r, 6, counts[i] if counts else count)
        _put(ws, r, 7, money)
        if merged and span > 1:
            ws.merge_cells(start_row=r, start_column=6, end_row=r + span - 1, end_column=6)
            ws.merge_cells(start_row=r, start_column=7, end_row=r + span - 1, end_column=7)
        r += span
    _put(ws, row, 1, "合           计")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    _put(ws, row, 6, data["total"][0])
    _put(ws, row, 7, data["total"][1])
    _put(ws, row + 1, 1, "备注")
    _put(ws, row + 1, 2, data["note"])
    ws.merge_cells(start_row=row + 1, start_column=2, end_row=row + 1, end_column=7)
    return row + 1


def _book(title: str):
    """A new workbook and its first sheet, titled."""
    wb = Workbook()
    wb.active.title = title
    return wb, wb.active


def _widths(ws, widths):
    for letter, width in zip("ABCDEFGHIJKLMNOP", widths):
        ws.column_dimensions[letter].width = width


def _save(wb, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def seed000(out: Path) -> Path:
    wb, ws = _book("资金使用情况")
    a = seeds.SEED_000_ALLOCATION
    last = write_list(ws, 1, a["title"], a["header"], a["rows"], total=[a["total"], None],
                      unit_at=("单位：万元", 4), merge_total=2)
    p = seeds.SEED_000_PROJECT
    write_list(ws, last + 3, p["title"], p["header"], p["rows"], unit_at=("单位：万元", 6), rate_cols=(6,))
    _widths(ws, [40, 14, 12, 12, 10, 12])
    return _save(wb, out)


def seed001(out: Path, merged=True, counts=None) -> Path:
    wb, ws = _book("资金使用情况")
    p = seeds.SEED_001_PROJECT
    write_list(ws, 1, p["title"], p["header"], p["rows"], unit_at=("单位：万元", 1), rate_cols=(5,))
    write_institutions(wb.create_sheet("补助经费表"), seeds.SEED_001_INSTITUTIONS, merged, counts)
    _widths(ws, [44, 12, 12, 12, 12])
    return _save(wb, out)


def seed002(out: Path) -> Path:
    wb, ws = _book("分配明细")
    d = seeds.SEED_002
    write_list(ws, 1, d["title"], d["header"], d["rows"], total=[d["total"], None], unit_at=("单位：万元", 4),
               merge_total=2)
    return _save(wb, out)


def seed003(out: Path) -> Path:
    wb, ws = _book("附件3")
    write_003(ws, seeds.SEED_003["rows"], seeds.SEED_003["total"])
    return _save(wb, out)


def seed004(out: Path, rows=None, total=None, unit="单位：万元") -> Path:
    wb, ws = _book("项目支出明细")
    d = seeds.SEED_004
    total = total or d["total"]
    write_list(ws, 1, d["title"], d["header"], rows or d["rows"], total=list(total[1:]), unit_at=(unit, 1),
               merge_total=2)
    _widths(ws, [6, 40, 12, 12, 12, 36])
    return _save(wb, out)


# -- variants with injected faults --------------------------------------------------------------------

def variant004_typos(out: Path) -> Path:
    """A balance typed 4.2795 for 4.2975 (the total is right), and spending typed 17.477534 for
    17.477354 while its balance and the column total are right."""
    rows = [list(r) for r in seeds.SEED_004["rows"]]
    rows[1][4] = 4.2795
    rows[3][3] = 17.477534
    return seed004(out, rows=[tuple(r) for r in rows])


def variant004_text_negative(out: Path) -> Path:
    """Spending on row 1 above its budget (balance −0.24), and 待核实 typed where 63.6 belongs."""
    rows = [list(r) for r in seeds.SEED_004["rows"]]
    rows[0][3], rows[0][4] = 1.8, -0.24
    rows[2][3] = "待核实"
    total = ("合计", 97.361, 83.850854, 13.510146, None)
    return seed004(out, rows=[tuple(r) for r in rows], total=total)


def variant004_mixed_units(out: Path) -> Path:
    """The same detail twice: once in 万元, once in 元 (with a 元 header in a 万元 table)."""
    path = seed004(out)
    from openpyxl import load_workbook
    wb = load_workbook(path)
    ws = wb.create_sheet("明细（元）")
    d = seeds.SEED_004
    rows = [(n, name, round(b * 10000, 2), round(s * 10000, 2), round(r * 10000, 2), note)
            for n, name, b, s, r, note in d["rows"]]
    write_list(ws, 1, "项目支出明细表（元）", ["序号", "项目名称", "下达金额", "使用经费", "结余经费（万元）", "备注"], rows,
               total=[973610, 820508.54, 153101.46, None], unit_at=("单位：元", 6), merge_total=2)
    return _save(wb, out)


def variant002_total_first_text(out: Path) -> Path:
    """合计 right under the header, the unit only in the header, amounts as text (some full-width),
    and 禄劝县's 55 left out of the total (276 instead of 331)."""
    wb, ws = _book("Sheet1")
    d = seeds.SEED_002
    rows = []
    for n, name, amount in d["rows"]:
        text = str(amount)
        if n % 3 == 0:
            text = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
        rows.append((n, name, text, None))
    header = ["序号", "单位", "对下资金（万元）", "备注"]
    write_list(ws, 1, d["title"], header, rows, total=["276", None], total_first=True, merge_total=2)
    return _save(wb, out)


def variant002_subtotals(out: Path) -> Path:
    """The sixteen units under three headings with 小计 rows; 县（市）小计 typed 205 for 250."""
    wb, ws = _book("分配明细")
    d = seeds.SEED_002
    by_name = {name: amount for _, name, amount in d["rows"]}
    groups = [("一、主城区", ["五华区", "盘龙区", "官渡区", "西山区", "呈贡区", "晋宁区"], 73),
              ("二、县（市）", ["富民县", "宜良县", "石林县", "嵩明县", "禄劝县", "寻甸县", "东川区", "安宁市"], 205),
              ("三、开发（度假）区", ["阳宗海", "经开区"], 8)]
    ws.cell(1, 1, d["title"])
    ws.cell(1, 4, "单位：万元")
    for c, h in enumerate(d["header"], 1):
        _put(ws, 2, c, h, bold=True)
    row, n = 3, 1
    for heading, names, subtotal in groups:
        _put(ws, row, 1, heading)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        row += 1
        for name in names:
            _put(ws, row, 1, n)
            _put(ws, row, 2, name)
            _put(ws, row, 3, by_name[name])
            row, n = row + 1, n + 1
        _put(ws, row, 1, "小计")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        _put(ws, row, 3, subtotal)
        row += 1
    _put(ws, row, 1, "合计")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    _put(ws, row, 3, 331)
    return _save(wb, out)


VARIANT_003_ROWS = [
    ("塔什库尔干塔吉克自治县残疾人联合会", 2022,
     [25.40, 25.40, "-", "-", 25.40, 25.40, "-", "-", 25.40, "-", "-", "-", 1, 1], None),
    ("塔什库尔干塔吉克自治县残疾人康复中心", 2022,
     [12.00, 8.00, 4.00, "-", 12.00, 8.00, 4.00, "-", 10.50, 1.50, 1.50, "-", 1, 0.875], "设备采购结余"),
    ("塔什库尔干塔吉克自治县残疾人托养中心", 2022,
     [6.50, 5.00, 1.30, "-", 6.30, 5.00, 1.30, "-", 6.30, "-", "-", "-", 1, 1], None),
    ("塔什库尔干塔吉克自治县特殊教育学校", 2022,
     [2.00, 2.00, "-", "-", 2.00, 2.00, "-", "-", "-", 2.00, 2.00, "-", 1, 0], "项目未启动"),
]
VARIANT_003_TOTAL = [45.70, 40.40, 5.30, "-", 45.70, 40.40, 5.30, "-", 42.20, 3.50, 3.50, "-", 1, 0.9234]


def variant003_sources(out: Path) -> Path:
    """Four implementing units under 附件3's header, each group label written once (no merges), rate
    columns added; the 托养中心's 预算合计 is 6.50 where its sources add up to 6.30."""
    wb, ws = _book("资金使用情况明细表")
    write_003(ws, VARIANT_003_ROWS, VARIANT_003_TOTAL, merged=False, rates=True)
    return _save(wb, out)


def variant001_first_row_only(out: Path) -> Path:
    """The institution list with county cells on the first row of each county, not merged; 官渡区's
    机构数 typed 3 for its four institutions."""
    return seed001(out, merged=False, counts=[2, 3, 2, 3, 1])


# the filled template example: variant 003's four units with their 合计 right
FILLED_TEMPLATE = [
    ("塔什库尔干塔吉克自治县残疾人联合会", 2022, 25.40, "-", "-", 25.40, "-", "-", 25.40, "-", "-", None),
    ("塔什库尔干塔吉克自治县残疾人康复中心", 2022, 8.00, 4.00, "-", 8.00, 4.00, "-", 10.50, 1.50, "-", "设备采购结余"),
    ("塔什库尔干塔吉克自治县残疾人托养中心", 2022, 5.00, 1.30, "-", 5.00, 1.30, "-", 6.30, "-", "-", None),
    ("塔什库尔干塔吉克自治县特殊教育学校", 2022, 2.00, "-", "-", 2.00, "-", "-", "-", 2.00, "-", "项目未启动"),
]


SEEDS = {
    "seed000_乡村振兴_资金使用情况表.xlsx": seed000,
    "seed001_盲人按摩_资金使用情况表.xlsx": seed001,
    "seed002_服务状况调查_资金使用情况表.xlsx": seed002,
    "seed003_自治区残疾人事业_资金使用情况表.xlsx": seed003,
    "seed004_职业技能培训_资金使用情况表.xlsx": seed004,
}
VARIANTS = {
    "variant004_funds_typos.xlsx": variant004_typos,
    "variant004_funds_text_negative.xlsx": variant004_text_negative,
    "variant004_funds_mixed_units.xlsx": variant004_mixed_units,
    "variant002_funds_total_first_text.xlsx": variant002_total_first_text,
    "variant002_funds_subtotals.xlsx": variant002_subtotals,
    "variant003_funds_sources.xlsx": variant003_sources,
    "variant001_funds_first_row_only.xlsx": variant001_first_row_only,
}


def build(data_dir: Path = HERE) -> list[Path]:
    return [make(data_dir / name) for name, make in {**SEEDS, **VARIANTS}.items()]


if __name__ == "__main__":
    for path in build():
        print(path.name)
