"""What a checker wants written into the corrected workbook, cell by cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from .grid import a1

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
    return f"原值：{found}\n更正为：{expected}\n原因：{reason}"


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
