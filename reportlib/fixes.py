"""What a checker wants written into the corrected workbook, cell by cell."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from openpyxl.utils.cell import column_index_from_string

from .grid import a1
from .messages import say

FIX, REVIEW = "fix", "review"  # a corrected value; a value left as is that needs a person's look


@dataclass
class CellFix:
    """A derived cell's live formula (with its cached value), or a corrected constant.

    ``mark`` highlights the cell; ``note`` becomes its comment (original value, new value, reason).
    ``number_format`` replaces the input's format only where the input's would mislead (text
    percentages, General that showed fewer decimals).
    """

    sheet: str
    pos: tuple[int, int]
    value: Any
    formula: str | None = None
    number_format: str | None = None
    mark: str | None = None
    note: str | None = None

    @property
    def ref(self) -> str:
        return a1(*self.pos)


def refs_sum(refs: Iterable[str]) -> str:
    """``SUM(...)`` over cells, written as a range when they form one row or column run."""
    refs = list(refs)
    if not refs:
        return "0"
    return f"SUM({','.join(refs)})" if len(refs) > 1 else refs[0]


def row_cells(row: int, cols: list[int]) -> str:
    """The cells of a row as a formula argument: ``C5:G5`` for contiguous columns, else ``C5,E5``."""
    cols = sorted(cols)
    if cols == list(range(cols[0], cols[-1] + 1)) and len(cols) > 1:
        return f"{a1(row, cols[0])}:{a1(row, cols[-1])}"
    return ",".join(a1(row, c) for c in cols)


def row_sum(row: int, cols: list[int]) -> str:
    """``SUM(C5:G5)`` over a row's cells (a single cell stays a plain reference)."""
    cells = row_cells(row, cols)
    return cells if len(cols) == 1 else f"SUM({cells})"


def fix_note(found: str, expected: str, reason: str) -> str:
    """The comment on a corrected cell."""
    return say("note.fix", found=found, expected=expected, reason=reason)


def column_sum(col: int, rows: list[int]) -> str:
    """``SUM(G3:G8,G10:G12)`` over cells of one column, contiguous rows joined into ranges."""
    runs: list[list[int]] = []
    for r in sorted(set(rows)):
        if runs and r == runs[-1][1] + 1:
            runs[-1][1] = r
        else:
            runs.append([r, r])
    parts = [a1(a, col) if a == b else f"{a1(a, col)}:{a1(b, col)}" for a, b in runs]
    if not parts:
        return "0"
    return parts[0] if len(parts) == 1 and ":" not in parts[0] else f"SUM({','.join(parts)})"


_SUM = re.compile(r"^=?\s*SUM\((.*)\)\s*$", re.I)
_PART = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def summed_cells(formula: str | None) -> set[tuple[int, int]] | None:
    """The cells a ``SUM(...)`` (or a single reference) adds up, or None for any other formula."""
    if not formula:
        return None
    body = formula.strip().lstrip("=")
    m = _SUM.match(body)
    parts = m.group(1).split(",") if m else [body]
    cells: set[tuple[int, int]] = set()
    for part in parts:
        p = _PART.match(part.strip().upper())
        if p is None:
            return None
        c1, r1 = column_index_from_string(p.group(1)), int(p.group(2))
        c2, r2 = (column_index_from_string(p.group(3)), int(p.group(4))) if p.group(3) else (c1, r1)
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            return None
        cells |= {(r, c) for r in range(min(r1, r2), max(r1, r2) + 1) for c in range(min(c1, c2), max(c1, c2) + 1)}
    return cells


def kept_range(own: str, new: str, is_blank) -> str | None:
    """The formula to write over a cell whose input already holds ``own``, so the tool never sums fewer
    cells than the input did: ``new`` when it covers every cell ``own`` covers; ``own`` itself when it
    covers ``new``'s cells and only blank ones besides (a template's ``SUM(C8:C17)`` over blank rows);
    None when ``own`` also adds non-blank cells ``new`` leaves out (then nothing is safe to write)."""
    mine, theirs = summed_cells(own), summed_cells(new)
    if mine is None or theirs is None or mine <= theirs:
        return new
    if theirs <= mine and all(is_blank(cell) for cell in mine - theirs):
        return own if own.startswith("=") else "=" + own
    return None


_STRING = re.compile(r'"[^"]*"')
_REFS = re.compile(r"(?<![A-Za-z_!'$\d])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![\w(!])")


def referenced_cells(formula: str, limit: int = 10_000) -> set[tuple[int, int]]:
    """The cells of this sheet a formula refers to (ranges expanded, at most ``limit``)."""
    cells: set[tuple[int, int]] = set()
    for m in _REFS.finditer(_STRING.sub("", formula)):
        c1, r1 = column_index_from_string(m.group(1)), int(m.group(2))
        c2, r2 = (column_index_from_string(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
        for r in range(min(r1, r2), max(r1, r2) + 1):
            for c in range(min(c1, c2), max(c1, c2) + 1):
                cells.add((r, c))
                if len(cells) >= limit:
                    return cells
    return cells
