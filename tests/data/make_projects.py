"""Project fixtures: a seed's three attachments submitted together, in the layouts offices use.

- ``projects/2022年“乡村振兴”残疾人帮扶项目/``: a project folder (seed 000) whose files are named
  ``附件1 …`` / ``附件2 …`` / ``附件3 …``.  Its indicator workbook holds the seed's level-1 summary
  and a 项目绩效 detail sheet transcribed from the report text (到户帮扶 ≥200户 463户, 示范基地 2个,
  补助经费支出 110万元, 服务对象满意度 ≥80% with the report's 96.68%, which is the survey's wrong
  最终得分: the survey recomputes to 97.09).  The detail sheet is written by xlsxwriter.
- ``projects/2022年残疾人职业技能培训及就业服务项目附件.xlsx``: seed 004's three attachments as sheets
  of one workbook whose name names no attachment, plus the 绩效目标 table of the report's text
  ((1)–(11): 培训4期, 114人次, 成本 ≤64.53万元 / 63.6万元, 满意度 ≥90% / 97.47% while the survey
  recomputes to 96.86%).  The weights of that table are not in the report: they are invented so
  that the section scores the seed's 53 of 60, with the report's own reason for the deduction.
"""

from __future__ import annotations

import shutil
import sys
from copy import copy
from pathlib import Path

import xlsxwriter
from openpyxl import Workbook, load_workbook

HERE = Path(__file__).resolve().parent
PROJECTS = HERE / "projects"
FOLDER_000 = "2022年“乡村振兴”残疾人帮扶项目"
BOOK_004 = "2022年残疾人职业技能培训及就业服务项目附件.xlsx"

HEADER = ("一级指标", "二级指标", "三级指标", "权重", "指标值", "实际完成值", "得分", "扣分原因")

#: seed 000's 项目绩效 section, from the report's 年度目标 and 项目绩效 paragraphs (C 60 → 55)
DETAIL_000 = [
    ("C项目绩效(60分)", "C1产出指标(35分)", "C11到户帮扶残疾人户数", 15, ">=200户", "463户", 15, None),
    (None, None, "C12“乡村振兴”残疾人帮扶示范基地", 10, ">=2个", "2个", 10, None),
    (None, None, "C13补助经费支出金额", 10, "110万元", "110万元", 10, None),
    (None, "C2效益指标(15分)", "C21辐射带动残疾人就业创业", 15, "效果明显", "部分县区带动效果不明显", 10,
     "示范基地带动就业人数未达预期"),
    (None, "C3满意度指标(10分)", "C31服务对象满意度", 10, ">=80%", "96.68%", 10, None),
]

#: seed 004's 绩效目标 (1)–(11); weights invented to give the seed's 53 of 60
DETAIL_004 = [
    ("C项目绩效(60分)", "C1产出数量(16分)", "C11举办残疾人职业技能培训期数", 4, ">=3期", "4期", 4, None),
    (None, None, "C12参加职业技能培训的残疾人数", 4, ">=60人次", "114人次", 4, None),
    (None, None, "C13举办职业技能竞赛期数", 4, ">=1期", "1期", 4, None),
    (None, None, "C14参加职业技能竞赛人数", 4, ">=50人", "52人", 4, None),
    (None, "C2产出质量(4分)", "C21职业技能培训合格率", 4, ">=90%", "100%", 4, None),
    (None, "C3产出时效(8分)", "C31职业技能培训完成时间", 4, "2022年11月30日前", "2022年8月21日", 4, None),
    (None, None, "C32职业技能竞赛完成时间", 4, "2022年11月30日前", "2022年7月2日", 4, None),
    (None, "C4产出成本(8分)", "C41残疾人职业技能培训成本", 4, "<=64.53万元", "63.6万元", 4, None),
    (None, None, "C42职业技能竞赛成本", 4, "<=26万元", "17.477354万元", 4, None),
    (None, "C5效益指标(14分)", "C51新增就业人数", 4, ">=10人", "21人", 4, None),
    (None, None, "C52残疾人职业技能水平和就业能力提高", 10, "明显提高", "有所提高", 3,
     "预算申报准确性不足：预算97.361万元，实际支出82.050854万元，为预算金额的84.27%"),
    (None, "C6满意度指标(10分)", "C61参加培训学员的满意度", 10, ">=90%", "97.47%", 10, None),
]


def write_detail_xlsxwriter(path: Path, sheet: str, title: str, rows, others: list[tuple[str, Path]] = ()) -> None:
    """A detail sheet written by xlsxwriter: merged level-1 and level-2 labels, a 小计 row."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    box = wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter"})
    bold = wb.add_format({"border": 1, "bold": True, "align": "center", "valign": "vcenter"})
    ws = wb.add_worksheet(sheet)
    ws.write_string(0, 0, title)
    for c, h in enumerate(HEADER):
        ws.write_string(1, c, h, bold)
    first = 2
    for k, values in enumerate(rows):
        for c, v in enumerate(values):
            if c < 2:
                continue  # merged below
            if v is None:
                ws.write_blank(first + k, c, None, box)
            elif isinstance(v, str):
                ws.write_string(first + k, c, v, box)
            else:
                ws.write_number(first + k, c, v, box)
    for level in (0, 1):
        starts = [k for k, v in enumerate(rows) if v[level]] + [len(rows)]
        for a, b in zip(starts, starts[1:]):
            label = rows[a][level]
            if b - a > 1:
                ws.merge_range(first + a, level, first + b - 1, level, label, box)
            else:
                ws.write_string(first + a, level, label, box)
    end = first + len(rows)
    ws.merge_range(end, 0, end, 2, "小计", bold)
    ws.write_number(end, 3, sum(r[3] for r in rows), box)
    ws.write_string(end, 4, "—", box)
    ws.write_string(end, 5, "—", box)
    ws.write_number(end, 6, sum(r[6] for r in rows), box)
    ws.write_blank(end, 7, None, box)
    for c, width in enumerate((14, 16, 30, 6, 16, 16, 6, 40)):
        ws.set_column(c, c, width)
    wb.close()


def copy_sheets(sources: list[tuple[Path, str | None, str]], target: Path) -> None:
    """One workbook from sheets of others: values, number formats, merges and widths."""
    wb = Workbook()
    wb.remove(wb.active)
    for path, name, title in sources:
        src_book = load_workbook(path)
        src = src_book[name] if name else src_book.worksheets[0]
        ws = wb.create_sheet(title)
        for row in src.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                new = ws.cell(cell.row, cell.column, cell.value)
                if cell.data_type == "s":
                    new.data_type = "s"
                new.number_format = cell.number_format
                new.border, new.alignment, new.font = copy(cell.border), copy(cell.alignment), copy(cell.font)
        for rng in src.merged_cells.ranges:
            ws.merge_cells(str(rng))
        for key, dim in src.column_dimensions.items():
            ws.column_dimensions[key].width = dim.width
    wb.save(target)


def build(data_dir: Path = HERE) -> list[Path]:
    projects = data_dir / "projects"
    if projects.exists():
        shutil.rmtree(projects)
    folder = projects / FOLDER_000
    folder.mkdir(parents=True)
    tmp = projects / ".build"
    tmp.mkdir()
    write_detail_xlsxwriter(tmp / "detail000.xlsx", "项目绩效", "项目绩效指标得分情况", DETAIL_000)
    copy_sheets([(data_dir / "seed000_乡村振兴_指标体系评分表.xlsx", None, "指标得分"),
                 (tmp / "detail000.xlsx", None, "项目绩效")], folder / "附件1 绩效评价指标体系评分表.xlsx")
    shutil.copyfile(data_dir / "seed000_乡村振兴_问卷统计表.xlsx", folder / "附件2 社会公众满意度调查问卷统计表.xlsx")
    shutil.copyfile(data_dir / "seed000_乡村振兴_资金使用情况表.xlsx", folder / "附件3 资金使用情况表.xlsx")
    write_detail_xlsxwriter(tmp / "detail004.xlsx", "绩效目标", "2022年残疾人职业技能培训及就业服务项目绩效目标完成情况",
                            DETAIL_004)
    copy_sheets([(data_dir / "seed004_职业技能培训_问卷统计表.xlsx", None, "问卷统计表"),
                 (data_dir / "seed004_职业技能培训_资金使用情况表.xlsx", None, "资金使用情况"),
                 (data_dir / "seed004_职业技能培训_指标体系评分表.xlsx", None, "指标得分"),
                 (tmp / "detail004.xlsx", None, "绩效目标")], projects / BOOK_004)
    shutil.rmtree(tmp)
    return sorted(p for p in projects.rglob("*.xlsx"))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    for p in build(HERE):
        print(p)
