"""What offices put around a table is not the table: info lines, signature lines, 年度 / 电话 columns.

Seed 003's 附件3 exactly as printed (a ``项目名称：… | 截止日：… | 单位：万元`` line above the two-row
header and a 年度 column holding 2022) once made the tool add the year into the money and write
2072.80 into the 合计 cell.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from process import cli
from reportlib.audit import audit_file
from reportlib.schema import Config
from reportlib.surround import surroundings

GROUPS = [("预算（调整后）资金", ["合计", "上级财政资金", "本级财政资金", "财政资金以外的其他资金"]),
          ("资金到位情况", ["合计", "上级财政资金", "本级财政资金", "财政资金以外的其他资金"]),
          ("实际支出", []), ("剩余资金", ["合计", "结余资金", "调整资金"])]
ROW = [25.40, 25.40, "-", "-", 25.40, 25.40, "-", "-", 25.40, "-", "-", "-"]


def annex3(path: Path, info: str = "one-row", unit: str = "万元", signature: bool = True, phone: bool = False) -> Path:
    """Seed 003's 附件3 as the report prints it; ``info`` is "one-row" (three merged cells on one
    line), "merged" (one text merged over the table) or "lines" (one line each)."""
    factor, fmt = (10000, "#,##0.00") if unit == "元" else (1, "0.00")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "附件3"
    ws["A1"] = "附件3"
    ws["A2"] = "资金使用情况明细表"
    ws.merge_cells("A2:O2")
    facts = ["项目名称：2022年自治区财政残疾人事业发展补助资金项目", "截止日：2022年12月31日", f"单位：{unit}"]
    row = 3
    if info == "one-row":
        for (first, last), text in zip([("A", "E"), ("F", "J"), ("K", "O")], facts):
            ws[f"{first}3"] = text
            ws.merge_cells(f"{first}3:{last}3")
        row = 4
    elif info == "merged":
        ws["A3"] = "    ".join(facts)
        ws.merge_cells("A3:O3")
        row = 4
    else:
        for text in facts:
            ws.cell(row, 1, text)
            row += 1
    top = row
    ws.cell(top, 1, "实施单位名称")
    ws.cell(top, 2, "年度")
    ws.merge_cells(start_row=top, end_row=top + 1, start_column=1, end_column=1)
    ws.merge_cells(start_row=top, end_row=top + 1, start_column=2, end_column=2)
    col = 3
    for group, parts in GROUPS:
        ws.cell(top, col, group)
        if parts:
            ws.merge_cells(start_row=top, end_row=top, start_column=col, end_column=col + len(parts) - 1)
            for i, part in enumerate(parts):
                ws.cell(top + 1, col + i, part)
            col += len(parts)
        else:
            ws.merge_cells(start_row=top, end_row=top + 1, start_column=col, end_column=col)
            col += 1
    ws.cell(top, col, "备注")
    last_col = col
    if phone:
        ws.cell(top, col + 1, "联系电话")
        ws.merge_cells(start_row=top, end_row=top + 1, start_column=col + 1, end_column=col + 1)
    for r, label, year in ((top + 2, "塔什库尔干塔吉克自治县残疾人联合会", 2022), (top + 3, "合计", None)):
        ws.cell(r, 1, label)
        if year:
            ws.cell(r, 2, year)
        for i, value in enumerate(ROW):
            cell = ws.cell(r, 3 + i, value * factor if isinstance(value, float) else value)
            cell.number_format = fmt
        if phone and year:
            ws.cell(r, last_col + 1, 13987158068)
    if signature:
        ws.cell(top + 5, 1, "单位负责人：")
        ws.cell(top + 5, 5, "财务负责人：")
        ws.cell(top + 5, 9, "填表人：")
        ws.cell(top + 5, 12, "联系电话：0998-3421234")
    wb.save(path)
    return path


@pytest.mark.parametrize("info", ["one-row", "merged", "lines"])
@pytest.mark.parametrize("unit", ["万元", "元"])
def test_annex3_as_printed_is_clean_and_its_year_is_no_amount(tmp_path, info, unit):
    path = annex3(tmp_path / "附件3.xlsx", info, unit, phone=(info == "lines"))
    result, _ = audit_file(path, Config())
    assert [(f.code, f.cell) for f in result.findings] == []
    fig = result.figures
    money = 254000.0 if unit == "元" else 25.4
    assert (fig["budget"], fig["arrived"], fig["spent"], fig["balance"]) == (money, money, money, 0.0)
    assert (fig["unit"], fig["items"], fig["title"]) == (unit, 1, "资金使用情况明细表")
    assert fig["execution_rate"] == 100.0
    assert fig["project_name"] == "2022年自治区财政残疾人事业发展补助资金项目"  # the info line's fact is kept


def test_annex3_as_printed_comes_back_unchanged(tmp_path):
    inbox = tmp_path / "in" / "残疾人事业"
    inbox.mkdir(parents=True)
    annex3(inbox / "附件3.xlsx", "one-row", "万元")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "in"), "-o", str(out), "--jobs", "1", "--quiet"])
    assert result.exit_code == 0, result.output
    before = openpyxl.load_workbook(inbox / "附件3.xlsx")["附件3"]
    after = openpyxl.load_workbook(out / "残疾人事业" / "附件3_校核.xlsx")["附件3"]
    changed = [c.coordinate for row in before.iter_rows() for c in row if after[c.coordinate].value != c.value]
    assert changed == []
    assert after["C6"].fill.fgColor.rgb in (None, "00000000")


def test_lines_around_tables_by_their_words():
    around = surroundings()
    for text in ["项目名称：2022年自治区财政残疾人事业发展补助资金项目", "截止日：2022年12月31日", "单位：万元",
                 "金额单位：元", "填报单位（盖章）：昆明市残联", "调查时间：2022年11月；发放问卷50份", "制表：张三"]:
        assert around.is_info(text), text
    for text in ["实施单位名称", "单位", "项目", "合计", "年度", "预算（调整后）资金", "A（非常满意）"]:
        assert not around.is_info(text), text
    for text in ["单位负责人：", "财务负责人：李四", "联系电话：0871-12345678", "XX局（盖章）"]:
        assert around.is_signature(text), text
    assert not around.is_signature("评价过程：项目负责人：张三")
    assert [w for w in ["序号", "年度", "项目编码", "联系电话", "身份证号码", "年度预算数", "县区资金合计（万元）"]
            if around.not_data_label(w)] == ["序号", "年度", "项目编码", "联系电话", "身份证号码"]
    assert around.not_data_values([2022, 2021]) and around.not_data_values([13987158068])
    assert not around.not_data_values([2022, 25.4]) and not around.not_data_values([])
