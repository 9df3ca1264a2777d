"""The zoo's sheet model: cells with roles, table blocks, and their placement on a sheet.

A builder makes a :class:`Block` (a table in its own coordinates: header rows, body, merges) and a list
of pieces (title lines, info lines, notes, signature lines); :func:`compose` puts them on a
:class:`SheetPlan` at the layout's start row and column, inserts the layout's empty row and column
inside the table, merges info lines over the table's width, and gives every cell with a role its A1
reference. The writers in :mod:`tests.zoo.writer` turn plans into workbooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from openpyxl.utils import column_index_from_string, get_column_letter

Role = tuple
#: a formula builder: given the A1 reference of a role on the same sheet, the formula text
FormulaFn = Callable[[Callable[[Role], str]], str]


@dataclass
class Spec:
    """One cell as written: its value and number format, and what it means to the zoo."""

    value: Any = None
    fmt: str | None = None
    role: Role | None = None
    #: typed by a person (counts, weights, scores, item amounts); otherwise derived from other cells
    input: bool = False
    #: how many relations of the table an input takes part in; a fault in an input is locatable
    #: (the evidence names its cell) only with two or more, or when it breaks a bound
    links: int = 0
    #: an upper bound of the value (an indicator's score: its weight)
    upper: float | None = None
    formula: FormulaFn | None = None
    bold: bool = False
    wrap: bool = False
    align: str | None = None
    border: bool = False
    sheet: str = ""
    ref: str = ""

    @property
    def numeric_text(self) -> bool:
        """A number written as text (``"79.49%"``)."""
        return isinstance(self.value, str) and self.role is not None


@dataclass
class Block:
    """A table in its own coordinates (0-based rows and columns)."""

    rows: list[list[Spec]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    header_rows: int = 1
    row_gaps: list[int] = field(default_factory=list)  # rows before which an empty row may go
    col_gaps: list[int] = field(default_factory=list)  # columns before which an empty column may go
    widths: list[float] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max(len(r) for r in self.rows)

    def insert_row(self, at: int) -> None:
        """An empty (bordered) row before block row ``at``; merges below move down."""
        self.rows.insert(at, [Spec(border=True) for _ in range(self.width)])
        self.merges = [(r1 + (r1 >= at), c1, r2 + (r2 >= at), c2) for r1, c1, r2, c2 in self.merges]

    def insert_col(self, at: int) -> None:
        """An empty (bordered) column before block column ``at``; a merge across it widens."""
        for row in self.rows:
            row.insert(at, Spec(border=True))
        self.merges = [(r1, c1 + (c1 >= at), r2, c2 + (c2 >= at)) for r1, c1, r2, c2 in self.merges]
        if self.widths:
            self.widths.insert(at, 3.0)


def position(ref: str) -> tuple[int, int]:
    """(row, column), 1-based, of an A1 reference."""
    match = re.match(r"([A-Z]+)(\d+)", ref)
    return int(match.group(2)), column_index_from_string(match.group(1))


def grid(rows: int, cols: int) -> list[list[Spec]]:
    """An empty bordered table."""
    return [[Spec(border=True) for _ in range(cols)] for _ in range(rows)]


@dataclass
class Piece:
    """A line around a table: ``title``, ``info`` (one or several texts), ``note``, ``signature``,
    ``blank``, or ``block``."""

    kind: str
    texts: list[str] = field(default_factory=list)
    block: Block | None = None


@dataclass
class SheetPlan:
    """One sheet: absolute 1-based cells, merges and column widths."""

    name: str
    cells: dict[tuple[int, int], Spec] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    #: rows of the sheet that belong to a table (for the empty-row dimension and for rendering)
    first_col: int = 1

    def put(self, row: int, col: int, spec: Spec) -> None:
        spec.sheet, spec.ref = self.name, f"{get_column_letter(col)}{row}"
        self.cells[(row, col)] = spec

    def roles(self) -> dict[Role, Spec]:
        return {s.role: s for s in self.cells.values() if s.role is not None}


@dataclass
class Placement:
    """Where the pieces go: the start of the first line, and how info lines are laid out."""

    start_row: int = 1
    start_col: int = 1
    title_merged: bool = True
    info_style: str = "lines"  # lines | lines-merged | one-row | one-row-merged


def _spans(width: int, parts: int) -> list[tuple[int, int]]:
    """Split ``width`` columns into ``parts`` spans (offsets, inclusive), the first one widest, as a
    person drags an info line's cells across a table."""
    if parts <= 1 or width < parts:
        return [(0, max(width - 1, 0))] + [(min(i, width - 1), min(i, width - 1)) for i in range(1, parts)]
    rest = max(1, width // (parts + 1))
    first = width - rest * (parts - 1)
    spans, start = [(0, first - 1)], first
    for _ in range(parts - 1):
        spans.append((start, start + rest - 1))
        start += rest
    return spans


def compose(plan: SheetPlan, pieces: list[Piece], where: Placement) -> None:
    """Place ``pieces`` top to bottom on ``plan``; every line is as wide as the widest table."""
    width = max((p.block.width for p in pieces if p.block is not None), default=6)
    row, col = where.start_row, where.start_col
    plan.first_col = col
    for piece in pieces:
        if piece.kind == "blank":
            row += 1
        elif piece.kind == "title":
            plan.put(row, col, Spec(piece.texts[0], bold=True, align="center" if where.title_merged else None))
            if where.title_merged and width > 1:
                plan.merges.append((row, col, row, col + width - 1))
            row += 1
        elif piece.kind == "info":
            row = _info(plan, piece.texts, row, col, width, where.info_style)
        elif piece.kind in ("note", "signature"):
            for text in piece.texts:
                plan.put(row, col, Spec(text, wrap=False))
                row += 1
        elif piece.kind == "block":
            row = _block(plan, piece.block, row, col)
    _resolve_formulas(plan)


def _info(plan: SheetPlan, texts: list[str], row: int, col: int, width: int, style: str) -> int:
    if style.startswith("lines"):
        for text in texts:
            plan.put(row, col, Spec(text))
            if style == "lines-merged" and width > 1:
                plan.merges.append((row, col, row, col + width - 1))
            row += 1
        return row
    for i, (a, b) in enumerate(_spans(width, len(texts))):
        plan.put(row, col + a, Spec(texts[i], align="right" if i == len(texts) - 1 and i else None))
        if style == "one-row-merged" and b > a:
            plan.merges.append((row, col + a, row, col + b))
    return row + 1


def _block(plan: SheetPlan, block: Block, row: int, col: int) -> int:
    for r, cells in enumerate(block.rows):
        for c, spec in enumerate(cells):
            if spec.value is not None or spec.border or spec.role is not None:
                plan.put(row + r, col + c, spec)
    for r1, c1, r2, c2 in block.merges:
        plan.merges.append((row + r1, col + c1, row + r2, col + c2))
    for c, w in enumerate(block.widths):
        plan.widths[col + c] = max(plan.widths.get(col + c, 0), w)
    return row + len(block.rows)


def _resolve_formulas(plan: SheetPlan) -> None:
    refs = {role: spec.ref for role, spec in plan.roles().items()}
    for spec in plan.cells.values():
        if callable(spec.formula):
            spec.formula = spec.formula(lambda role: refs[role])


def merge_label(block: Block, rows: range, col: int, text: str, style: str, bold: bool = False) -> None:
    """Write a label over ``rows`` of ``col``: merged over them, repeated on each, or on the first only."""
    first = rows.start
    block.rows[first][col].value = text
    block.rows[first][col].bold = bold
    block.rows[first][col].wrap = True
    if style == "merged" and len(rows) > 1:
        block.merges.append((first, col, rows.stop - 1, col))
    elif style == "repeated":
        for r in rows[1:]:
            block.rows[r][col].value = text
            block.rows[r][col].wrap = True
