"""``OUTPUT/汇总.xlsx``: one row per project, one row per finding, and two native Excel charts.

Rows arrive project by project and are spooled to a temporary file (:class:`SummaryRows`); xlsxwriter
writes them in its constant-memory mode (text from the inputs with ``strings_to_formulas`` off, so a
project name ``=HYPERLINK(...)`` stays text) into a temporary file renamed into place, so a batch of
thousands of projects holds none of them in memory and an interrupted run never leaves a half-written
summary.
"""

from __future__ import annotations

import errno
import hashlib
import shutil
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

import xlsxwriter
import xlsxwriter.exceptions

from .kinds import OPTIONAL, TITLES
from .fsio import atomic_stream
from .findings import CATALOGUE
from .projects import KINDS, project_figures
from .labels import PROJECT_STATUS, SEVERITY

SUMMARY_NAME = "汇总.xlsx"
STATUS_ZH, SEVERITY_ZH = PROJECT_STATUS, SEVERITY
GRADES = ["优", "良", "中", "差"]

PROJECT_COLUMNS = [
    ("项目", 30), *((TITLES[k], 12) for k in KINDS), ("状态", 12), ("错误", 7), ("警告", 7),
    ("总分", 8), ("等级", 7), ("满意度", 9), ("有效问卷", 9), ("预算", 12), ("支出", 12), ("预算执行率", 11),
    ("金额单位", 9), ("项目文件夹", 24),
]
FINDING_COLUMNS = [("项目", 24), ("文件", 36), ("工作表", 14), ("单元格", 8), ("级别", 6), ("问题", 30),
                   ("原值", 12), ("应为", 12), ("说明", 90), ("代码", 24)]
#: where each value of a findings row (path, sheet, cell, severity, code, title, found, expected,
#: message) goes: the code, for people who filter or look it up, last
FINDING_ORDER = (0, 1, 2, 3, 5, 6, 7, 8, 4)


def summary_row(project, output: Path) -> dict:
    """What 汇总.xlsx shows of a project: its row and its findings' rows, as plain strings and numbers,
    so a batch of thousands of projects keeps only these."""
    fig = project_figures(project)
    found = project.kinds()
    rows = [(f.display_path, x) for f in project.files for x in f.findings] + [("", x) for x in project.findings]
    findings = []
    for path, x in rows:
        where = x.cell or x.range or x.place or ""
        findings.append((path, x.sheet or "", where, SEVERITY_ZH.get(x.severity, x.severity), x.code,
                         CATALOGUE.get(x.code, ("", ""))[1], "" if x.found is None else str(x.found),
                         "" if x.expected is None else str(x.expected), x.message))
    for f in project.files:
        if f.error:  # a file that could not be read
            findings.append((f.display_path, "", "", "错误", "unreadable", "文件无法读取", "", "", f.error or ""))
    relative = os.path.relpath(output / project.folder, output).replace(os.sep, "/")
    return {"name": project.name, "has": [bool(found.get(k)) for k in KINDS], "evaluation": not project.only_optional,
            "status": project.status,
            "errors": project.count("error"), "warnings": project.count("warning"), "figures": fig,
            "folder": relative, "findings": findings}


class SummaryRows:
    """:func:`summary_row` rows as projects arrive, kept in a temporary file (read again as often as
    needed) with a running hash of their content: an unchanged batch need not write 汇总.xlsx again."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.digest = hashlib.sha256()
        self.count = 0

    def add(self, row: dict) -> None:
        line = json.dumps(row, ensure_ascii=False).encode("utf-8") + b"\n"
        self.file.write(line)
        self.digest.update(line)
        self.count += 1

    def hash(self) -> str:
        return self.digest.hexdigest()[:16]

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[dict]:
        self.file.flush()
        self.file.seek(0)
        for line in self.file:
            yield json.loads(line)
        self.file.seek(0, os.SEEK_END)

    def close(self) -> None:
        self.file.close()


def write_summary(rows: Iterable[dict], target: Path, output: Path) -> None:
    """Write 汇总.xlsx from :func:`summary_row` rows (a list or :class:`SummaryRows`: read three times),
    in project order."""
    # the zip is built in a scratch file and then copied: a full output disk fails the copy with a plain
    # OSError, never inside xlsxwriter's half-written zip (whose clean-up would fail once more)
    with tempfile.TemporaryDirectory() as scratch:
        built = Path(scratch) / SUMMARY_NAME
        try:
            _workbook(rows, xlsxwriter.Workbook(str(built), {"constant_memory": True, "tmpdir": scratch,
                                                             "strings_to_formulas": False, "strings_to_urls": False}))
        except xlsxwriter.exceptions.FileCreateError as exc:  # the scratch folder's disk is full
            cause = exc.__context__
            raise OSError(getattr(cause, "errno", errno.ENOSPC), str(cause or exc)) from exc
        with built.open("rb") as src, atomic_stream(target) as fh:
            shutil.copyfileobj(src, fh, 1 << 20)


def _workbook(rows: Iterable[dict], wb) -> None:
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
    money = wb.add_format({"num_format": "#,##0.00####"})
    amounts: dict[int, Any] = {}  # a fund table's amounts with the decimals its formats show

    def amount_format(decimals: int | None):
        if decimals is None:
            return money
        if not decimals:
            return None  # General, as typed: 97.361 and 82.050854 and 110
        if decimals not in amounts:
            amounts[decimals] = wb.add_format({"num_format": "#,##0." + "0" * decimals})
        return amounts[decimals]
    score = wb.add_format({"num_format": "0.00"})
    pct = wb.add_format({"num_format": "0.00%"})
    red = wb.add_format({"font_color": "#C00000", "bold": True})
    link = wb.add_format({"font_color": "blue", "underline": 1})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    ws = wb.add_worksheet("项目汇总")
    for c, (name, width) in enumerate(PROJECT_COLUMNS):
        ws.write_string(0, c, name, head)
        ws.set_column(c, c, width)
    last = 0
    for r, row in enumerate(rows, 1):
        last = r
        fig = row["figures"]
        ws.write_string(r, 0, row["name"])
        for c, (kind, has) in enumerate(zip(KINDS, row["has"]), 1):
            if has or (kind not in OPTIONAL and row.get("evaluation", True)):
                ws.write_string(r, c, "有" if has else "缺", None if has else red)
            else:  # a project is complete without its 自评表, a 自评表 without the report's attachments
                ws.write_string(r, c, "—")
        c = 1 + len(KINDS)
        ws.write_string(r, c, STATUS_ZH.get(row["status"], row["status"]))
        ws.write_number(r, c + 1, row["errors"])
        ws.write_number(r, c + 2, row["warnings"])
        _number(ws, r, c + 3, fig["total_score"], score)
        ws.write_string(r, c + 4, fig["grade"] or "")
        _number(ws, r, c + 5, fig["satisfaction"], score)
        _number(ws, r, c + 6, fig["respondents"], None)
        _number(ws, r, c + 7, fig["budget"], amount_format(fig.get("amount_decimals")))
        _number(ws, r, c + 8, fig["spent"], amount_format(fig.get("amount_decimals")))
        _number(ws, r, c + 9, None if fig["execution_rate"] is None else fig["execution_rate"] / 100, pct)
        ws.write_string(r, c + 10, fig["unit"] or "")
        ws.write_url(r, c + 11, f"external:{row['folder']}/", link, string=row["folder"])
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(last, 1), len(PROJECT_COLUMNS) - 1)
    _print_setup(ws)

    fs = wb.add_worksheet("问题清单")
    for c, (name, width) in enumerate(FINDING_COLUMNS):
        fs.write_string(0, c, name, head)
        fs.set_column(c, c, width)
    r = 0
    for row in rows:
        for values in row["findings"]:
            r += 1
            fs.write_string(r, 0, row["name"])
            for c, i in enumerate(FINDING_ORDER, 1):
                if values[i]:
                    fs.write_string(r, c, values[i], wrap if c == len(FINDING_ORDER) - 1 else None)
    fs.freeze_panes(1, 0)
    fs.autofilter(0, 0, max(r, 1), len(FINDING_COLUMNS) - 1)
    _print_setup(fs)

    cs = wb.add_worksheet("图表")
    grades = Counter(row["figures"]["grade"] for row in rows)
    cs.write_string(0, 0, "评价等级", head)
    cs.write_string(0, 1, "项目数", head)
    labels = GRADES + sorted(g for g in grades if g and g not in GRADES)
    for i, grade in enumerate(labels, 1):
        cs.write_string(i, 0, grade)
        cs.write_number(i, 1, grades.get(grade, 0))
    if grades.get(None):  # said beside the chart, not as a bar that dwarfs the grades
        cs.write_string(len(labels) + 2, 0, f"另有 {grades[None]} 个项目没有总分（缺少或未填指标体系评分表），未计入上图。")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"name": "项目数", "categories": ["图表", 1, 0, len(labels), 0],
                      "values": ["图表", 1, 1, len(labels), 1], "data_labels": {"value": True}})
    chart.set_title({"name": "评价等级分布"})
    chart.set_legend({"none": True})
    chart.set_y_axis({"name": "项目数", "major_gridlines": {"visible": True}})
    cs.insert_chart(0, 3, chart)

    satisfied = [(row["name"], row["figures"]["satisfaction"]) for row in rows
                  if row["figures"].get("satisfaction") is not None]
    if satisfied:  # only the projects that have a satisfaction figure, on an axis that shows their differences
        top = len(labels) + 5
        cs.write_string(top, 0, "项目", head)
        cs.write_string(top, 1, "满意度", head)
        for i, (name, value) in enumerate(satisfied, 1):
            cs.write_string(top + i, 0, name)
            cs.write_number(top + i, 1, value, score)
        bars = wb.add_chart({"type": "bar"})
        bars.add_series({"name": "满意度", "categories": ["图表", top + 1, 0, top + len(satisfied), 0],
                         "values": ["图表", top + 1, 1, top + len(satisfied), 1],
                         "data_labels": {"value": True, "num_format": "0.00"}})
        bars.set_title({"name": "各项目满意度"})
        bars.set_legend({"none": True})
        low = min(v for _, v in satisfied)
        bars.set_x_axis({"min": max(0, int(low // 5) * 5 - 5), "max": 100, "name": "满意度（分）"})
        bars.set_y_axis({"reverse": True})
        bars.set_size({"width": 640, "height": max(288, 24 * len(satisfied) + 96)})
        cs.insert_chart(16, 3, bars)
    cs.set_column(0, 0, 30)
    _print_setup(cs)
    wb.close()


def _print_setup(ws) -> None:
    """A4 landscape, as wide as one page, the header row on every page."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)


def _number(ws, r: int, c: int, value, fmt) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    else:
        ws.write_number(r, c, value, fmt)
