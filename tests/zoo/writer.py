"""Write a case: its workbook (openpyxl or xlsxwriter, always with cached values) and ``truth.json``.

openpyxl writes plain values only (it cannot cache a formula's result); xlsxwriter writes plain values
too, or, when the layout asks for formulas, ``write_formula(..., value=...)`` with the clean value
cached, so readers that do not recalculate see the same numbers as Excel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .case import Case
from .sheet import SheetPlan, Spec

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def write_case(case: Case, folder: Path) -> Path:
    """``folder/<case.name>/<file>.xlsx`` and ``truth.json`` beside it; returns the case folder."""
    target = Path(folder) / case.name
    target.mkdir(parents=True, exist_ok=True)
    path = target / case.file
    if case.layout.engine == "xlsxwriter":
        write_xlsxwriter(case, path)
    else:
        write_openpyxl(case, path)
    (target / "truth.json").write_text(json.dumps(case.truth(), ensure_ascii=False, indent=1, default=str),
                                      encoding="utf-8")
    return target


def _covered(plan: SheetPlan) -> set[tuple[int, int]]:
    """Cells inside a merge other than its top-left one: nothing is written there."""
    out = set()
    for r1, c1, r2, c2 in plan.merges:
        out |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    return out


def write_openpyxl(case: Case, path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for plan in case.sheets:
        ws = wb.create_sheet(plan.name)
        covered = _covered(plan)
        for (r, c), spec in sorted(plan.cells.items()):
            cell = ws.cell(r, c)
            if (r, c) not in covered:
                cell.value = spec.value
                if spec.fmt:
                    cell.number_format = spec.fmt
            if spec.bold:
                cell.font = Font(bold=True)
            if spec.wrap or spec.align:
                cell.alignment = Alignment(wrap_text=spec.wrap, horizontal=spec.align, vertical="center")
            if spec.border:
                cell.border = BORDER
        for r1, c1, r2, c2 in plan.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for c, width in plan.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = width
        # printed as offices print them: landscape, one page wide
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(path)


def write_xlsxwriter(case: Case, path: Path) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    formats: dict[tuple, Any] = {}

    def fmt(spec: Spec):
        key = (spec.fmt, spec.bold, spec.wrap, spec.align, spec.border)
        if key not in formats:
            props: dict[str, Any] = {}
            if spec.fmt:
                props["num_format"] = spec.fmt
            if spec.bold:
                props["bold"] = True
            if spec.wrap:
                props["text_wrap"] = True
            if spec.align:
                props["align"] = spec.align
            if spec.wrap or spec.align:
                props["valign"] = "vcenter"
            if spec.border:
                props["border"] = 1
            formats[key] = wb.add_format(props) if props else None
        return formats[key]

    for plan in case.sheets:
        ws = wb.add_worksheet(plan.name)
        covered = _covered(plan)
        for c, width in plan.widths.items():
            ws.set_column(c - 1, c - 1, width)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        for r1, c1, r2, c2 in plan.merges:
            top = plan.cells.get((r1, c1), Spec())
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, None, fmt(top))
        for (r, c), spec in sorted(plan.cells.items()):
            if (r, c) in covered:
                continue
            _write(ws, r - 1, c - 1, spec, fmt(spec))
    wb.close()


def _write(ws, row: int, col: int, spec: Spec, style) -> None:
    value = spec.value
    if isinstance(spec.formula, str) and isinstance(value, (int, float, str)) and not isinstance(value, bool):
        ws.write_formula(row, col, spec.formula, style, value)
    elif isinstance(value, bool) or value is None:
        ws.write_blank(row, col, None, style)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, style)
    else:
        ws.write_string(row, col, str(value), style)
