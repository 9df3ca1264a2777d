"""Write the indicator fixtures: the seeds' tables in the layouts different offices use.

Run ``python tests/data/make_indicators.py`` to regenerate (``make_fixtures.py`` calls it too).
Written with openpyxl, not the tool's writer, and varied the way real files vary: upper levels
merged over their children, repeated on every row, or written on the first row only; weights in
labels or in a column; rates as numbers, as text, or without a percent sign; title rows, notes,
several tables on one sheet, a summary and a full table in one workbook.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import seeds_indicators as seeds  # noqa: E402

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _put(ws, row, col, value, fmt=None, bold=False):
    if isinstance(value, tuple):  # (number format, value)
        fmt, value = value
    cell = ws.cell(row, col, value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # a target such as "=100%" is text, not a formula
    cell.border = BOX
    cell.alignment = Alignment(wrap_text=True, vertical="center")
    if fmt and not isinstance(value, str):
        cell.number_format = fmt
    if bold:
        cell.font = Font(bold=True)
    return cell


def write_summary(ws, data, top=1, left=1, percent_as_text=False, grade=None):
    """``一级指标 | 权重分 | 得分 | 扣分 | 得分率`` with the title above; returns the last row."""
    ws.cell(top, left, data["title"])
    header = data["header"]
    for i, h in enumerate(header):
        _put(ws, top + 1, left + i, h, bold=True)
    row = top + 2
    for values in data["rows"]:
        for i, v in enumerate(values):
            fmt = "0.00%" if header[i] == "得分率" else ("0.00" if i else None)
            if percent_as_text and header[i] == "得分率" and isinstance(v, float):
                v = f"{v * 100:.2f}%"
            _put(ws, row, left + i, v, fmt)
        row += 1
    if grade is not None:
        _put(ws, row, left, "评价等级")
        _put(ws, row, left + 1, grade)
        row += 1
    return row - 1


def write_transposed(ws, data, top=1):
    """Seed 003 table 3-1: categories across, 权重 / 分值 / 得分率 down, the band rule noted above."""
    ws.cell(top, 1, data["note"])
    ws.cell(top + 2, 1, data["title"])
    _put(ws, top + 3, 1, "指标类别", bold=True)
    for i, name in enumerate(data["categories"]):
        _put(ws, top + 3, 2 + i, name, bold=True)
    for r, (label, key, fmt) in enumerate((("权重", "weight", "0.00"), ("分值", "score", "0.00"),
                                           ("得分率", "rate", "0.00%")), top + 4):
        _put(ws, r, 1, label)
        for i, v in enumerate(data[key]):
            _put(ws, r, 2 + i, v, fmt)


def _label_runs(rows, level):
    """Row offsets where a level's label starts, and where its run ends (exclusive)."""
    starts = [i for i, r in enumerate(rows) if r[level] is not None]
    runs = []
    for j, s in enumerate(starts):
        end = len(rows)
        for k in range(s + 1, len(rows)):
            if any(rows[k][u] is not None for u in range(level + 1)):
                end = k
                break
        runs.append((s, end))
    return runs


def write_levels(ws, rows, first_row, cols, labels="merged", levels=3):
    """The level columns of detail rows: merged, repeated on every row, or on the first row only."""
    for level in range(levels):
        for start, end in _label_runs(rows, level):
            text = rows[start][level]
            for k in range(start, end):
                if k == start or labels == "repeated":
                    _put(ws, first_row + k, cols[level], text)
                else:
                    _put(ws, first_row + k, cols[level], None)
            if labels == "merged" and end - start > 1:
                ws.merge_cells(start_row=first_row + start, start_column=cols[level],
                               end_row=first_row + end - 1, end_column=cols[level])


def _detail(ws, header, rows, header_row, labels):
    """A header row, then the rows: level labels in columns 1–3, the other values after them."""
    for i, h in enumerate(header, 1):
        _put(ws, header_row, i, h, bold=True)
    first = header_row + 1
    write_levels(ws, rows, first, [1, 2, 3], labels)
    for k, values in enumerate(rows):
        for i, v in enumerate(values[3:], 4):
            _put(ws, first + k, i, v)
    return first + len(rows)


def write_tables_4(ws, tables, labels="merged", top=1):
    """Seed 003 tables 4-1 … 4-4 stacked on one sheet, each with its title and 小计 row."""
    row = top
    header = ("一级指标", "二级指标", "三级指标", "权重", "标杆值", "业绩值", "得分")
    for title, rows, (w_total, s_total) in tables:
        ws.cell(row, 1, title)
        end = _detail(ws, header, rows, row + 1, labels)
        _put(ws, end, 1, "小计")
        ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=3)
        for i, v in zip(range(4, 8), (w_total, "—", "—", s_total)):
            _put(ws, end, i, v)
        row = end + 3


def write_annex(ws, data, labels="merged", top=1):
    """Seed 003 附件1: three levels, long text columns, 分值 and 指标得分, a 合计 row."""
    ws.cell(top, 1, "附件1：")
    ws.cell(top + 1, 1, data["title"])
    end = _detail(ws, data["header"], data["rows"], top + 2, labels)
    _put(ws, end, 1, "合计")
    ws.merge_cells(start_row=end, start_column=1, end_row=end, end_column=6)
    _put(ws, end, 7, data["total"][0])
    _put(ws, end, 8, data["total"][1])
    for col, width in zip("ABCDEFGH", (12, 14, 22, 30, 40, 40, 8, 8)):
        ws.column_dimensions[col].width = width
    return end


def _book(path, *writers):
    wb = Workbook()
    wb.remove(wb.active)
    for title, writer, args, kwargs in writers:
        writer(wb.create_sheet(title), *args, **kwargs)
    wb.save(path)


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(name, *writers):
        path = out / name
        _book(path, *writers)
        written.append(path)

    save("seed000_乡村振兴_指标体系评分表.xlsx", ("指标得分", write_summary, (seeds.KUNMING_000,), {}))
    save("seed001_盲人按摩_指标体系评分表.xlsx", ("Sheet1", write_summary, (seeds.KUNMING_001,), {"top": 3, "left": 2}))
    save("seed002_服务状况调查_指标体系评分表.xlsx", ("得分情况", write_summary, (seeds.KUNMING_002,), {}))
    save("seed003_自治区残疾人事业_指标体系评分表.xlsx",
         ("表3-1", write_transposed, (seeds.XINJIANG_003_TABLE_3_1,), {}),
         ("表4 指标得分", write_tables_4, (seeds.XINJIANG_003_TABLES_4,), {}),
         ("附件1", write_annex, (seeds.XINJIANG_003_ANNEX_1,), {}))
    save("seed004_职业技能培训_指标体系评分表.xlsx", ("Sheet1", write_summary, (seeds.KUNMING_004,), {"top": 2}))
    # layout variants of the same data
    save("variant003_annex_repeated.xlsx", ("评分表", write_annex, (seeds.XINJIANG_003_ANNEX_1,), {"labels": "repeated"}))
    save("variant003_tables4_first_row.xlsx",
         ("明细", write_tables_4, (seeds.XINJIANG_003_TABLES_4,), {"labels": "first", "top": 3}))
    save("variant002_text_percent_grade.xlsx",
         ("汇总", write_summary, (seeds.KUNMING_002,), {"percent_as_text": True, "top": 4, "left": 3, "grade": "良"}))
    return written


if __name__ == "__main__":
    for p in build(HERE):
        print(p)
