"""Reading a workbook into plain grids: values, number formats and merged ranges per sheet.

Every attachment reader works on these grids, so they all see merged labels, A1 references and
display precision the same way, whatever format the file came in (:mod:`reportlib.formats` reads
them).  defusedxml is imported so openpyxl, which loads inputs to write corrected copies, refuses XML
bombs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import defusedxml  # noqa: F401  -- openpyxl switches to defused parsing when it is installed
from openpyxl.utils import get_column_letter

from .values import Parsed, label_key, parse_cell

Pos = tuple[int, int]  # (row, column), 1-based like Excel


class WorkbookError(Exception):
    """A workbook that cannot be read; the message is for the person who sent it.  ``transient``
    when reading it again may succeed (it could not be opened, memory ran out)."""

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


def a1(row: int, col: int) -> str:
    """``(12, 3)`` -> ``C12``."""
    return f"{get_column_letter(col)}{row}"


def a1_range(top: Pos, bottom: Pos) -> str:
    return a1(*top) if top == bottom else f"{a1(*top)}:{a1(*bottom)}"


@dataclass
class Sheet:
    """One worksheet's cell values (cached results for formulas) and layout facts."""

    title: str
    values: dict[Pos, Any] = field(default_factory=dict)
    formats: dict[Pos, str] = field(default_factory=dict)
    anchor_of: dict[Pos, Pos] = field(default_factory=dict)  # covered cell -> merge anchor
    span_of: dict[Pos, Pos] = field(default_factory=dict)  # merge anchor -> bottom-right
    #: a cell's own formula as the file holds it (``=SUM(C8:C17)``), for cells that have one
    formulas: dict[Pos, str] = field(default_factory=dict)
    #: formula cells saved without a result (scripts, openpyxl, Apache POI) whose value this tool computed
    computed: set[Pos] = field(default_factory=set)
    #: formula cells saved without a result that could not be computed: their value is unknown, not blank
    uncomputed: set[Pos] = field(default_factory=set)
    max_row: int = 0
    max_col: int = 0

    def raw(self, row: int, col: int) -> Any:
        """The value stored in this very cell (``None`` for cells covered by a merge)."""
        return self.values.get((row, col))

    def shown(self, row: int, col: int) -> Any:
        """The value a reader sees at this position: a merged range shows its anchor's value."""
        pos = self.anchor_of.get((row, col), (row, col))
        return self.values.get(pos)

    def parsed(self, row: int, col: int) -> Parsed:
        """This cell's own value parsed with its number format (parsed once: every check asks again)."""
        cache = self.__dict__.setdefault("_parsed", {})
        pos = (row, col)
        if pos not in cache:
            cache[pos] = parse_cell(self.values.get(pos), self.formats.get(pos))
        return cache[pos]

    def label(self, row: int, col: int) -> str:
        """The normalised label shown at a position (merged ranges included)."""
        value = self.shown(row, col)
        return label_key(value) if isinstance(value, str) else ""

    def is_covered(self, row: int, col: int) -> bool:
        return (row, col) in self.anchor_of

    def merge_of(self, row: int, col: int) -> tuple[Pos, Pos] | None:
        """The merged range containing a position, as (anchor, bottom-right), if any."""
        anchor = self.anchor_of.get((row, col), (row, col))
        if anchor in self.span_of:
            return anchor, self.span_of[anchor]
        return None

    def texts(self) -> Iterator[tuple[Pos, str]]:
        """Every text cell, in reading order."""
        for pos in sorted(self.values):
            value = self.values[pos]
            if isinstance(value, str) and value.strip():
                yield pos, value


def scan_tables(sheet: Sheet, read_at: Callable[[int], Any]) -> list[Any]:
    """Tables top to bottom: ``read_at(row)`` returns a table starting at that row (with a
    ``last_row``) or None; the scan goes on below each table found."""
    tables, row = [], 1
    while row <= sheet.max_row:
        table = read_at(row)
        if table is None:
            row += 1
        else:
            tables.append(table)
            row = max(row, table.last_row) + 1
    return tables


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    #: what the file really was (see :func:`reportlib.formats.sniff`); corrected copies are always .xlsx
    format: str = "xlsx"
