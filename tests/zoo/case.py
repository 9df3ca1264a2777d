"""A generated case: its layout, its sheets, the clean value and role of every logical cell, its faults.

The clean snapshot is taken right after the sheets are composed, before any fault, so ``truth.json``
always says what each cell should show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .layout import Layout
from .sheet import Piece, Placement, SheetPlan, Spec, compose
from .shown import display


@dataclass
class Case:
    """One workbook to give the tool, and everything the scorer needs to judge what the tool did."""

    seed: int
    kind: str
    layout: Layout
    sheets: list[SheetPlan]
    figures: dict[str, Any]
    name: str = ""
    clean: dict[tuple[str, str], tuple[Any, str | None]] = field(default_factory=dict)
    faults: list[dict[str, Any]] = field(default_factory=list)
    #: a total's role -> the roles it adds up (for the "row left out of a total" fault)
    sums: dict[tuple, list[tuple]] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return f"{self.layout.file_name}.xlsx"

    def specs(self) -> list[Spec]:
        """Every cell with a role, in sheet order."""
        return [s for plan in self.sheets for s in plan.cells.values() if s.role is not None]

    def by_role(self) -> dict[tuple, Spec]:
        return {s.role: s for s in self.specs()}

    def add_sums(self, sums: dict[tuple, list[tuple]]) -> None:
        """Register totals whose cells and addends are all in the case."""
        roles = self.by_role()
        for total, parts in sums.items():
            kept = [p for p in parts if p in roles]
            if total in roles and len(kept) >= 2:
                self.sums[total] = kept

    def snapshot(self) -> None:
        """Remember every written cell's clean value and format."""
        self.clean = {(s.sheet, s.ref): (s.value, s.fmt) for plan in self.sheets for s in plan.cells.values()}

    def truth(self) -> dict[str, Any]:
        """The side file: layout, cells with roles and clean values, figures and faults."""
        cells = []
        for s in self.specs():
            value, fmt = self.clean[(s.sheet, s.ref)]
            cells.append({"sheet": s.sheet, "ref": s.ref, "role": list(s.role), "clean": value, "fmt": fmt,
                          "shown": display(value, fmt), "input": s.input, "formula": s.formula})
        return {"seed": self.seed, "kind": self.kind, "name": self.name, "file": self.file,
                "layout": self.layout.to_json(), "features": self.layout.features(), "figures": self.figures,
                "cells": cells, "faults": self.faults}


def frame(layout: Layout, block_pieces: list[Piece], notes: list[str] | None = None) -> list[Piece]:
    """The lines around a table, in the order an office writes them: titles, info lines, (a blank
    line), the table, notes, the signature line."""
    pieces = [Piece("title", [t]) for t in layout.titles]
    if layout.info:
        pieces.append(Piece("info", list(layout.info)))
    if layout.blank_before_table:
        pieces.append(Piece("blank"))
    pieces += block_pieces
    if notes:
        pieces.append(Piece("note", notes))
    if layout.signature:
        pieces.append(Piece("blank"))
        pieces.append(Piece("signature", ["单位负责人：        财务负责人：        填表人：        联系电话：0871-12345678"]))
    return pieces


EXPLANATION = ["填表说明：", "1. 本表由项目实施单位填写，数据保留两位小数。", "2. 黄色单元格为需填写的内容。",
               "3. 如有疑问请联系财务科：0871-12345678。"]


def assemble(seed: int, layout: Layout, pieces: list[Piece], figures: dict[str, Any]) -> Case:
    """Compose the main sheet and the layout's extra sheets into a case."""
    main = SheetPlan(layout.sheet_name)
    compose(main, pieces, Placement(layout.start_row, layout.start_col, layout.title_merged, layout.info_style))
    extra = []
    for name in layout.extra_sheets:
        plan = SheetPlan(name if name != layout.sheet_name else name + "_1")
        if name == "说明":
            compose(plan, [Piece("note", EXPLANATION)], Placement())
        extra.append(plan)
    sheets = extra + [main] if layout.extra_sheets_first else [main] + extra
    case = Case(seed, layout.kind, layout, sheets, figures)
    case.snapshot()
    return case
