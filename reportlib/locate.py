"""What every kind's locator shares: its vocabulary's base (the schema's words and the surroundings
of a table), the title above a header, the notes below a table, the bottom of a merged header and
blank rows.  Where the kinds differ (how far above a title may be, which of several texts it is, how
many rows of notes, how many blank rows end a table) the rule is the schema's ``layout``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .grid import Pos, Sheet
from .surround import Surroundings
from .values import normalise_text


@dataclass(frozen=True)
class Layout:
    """A kind's layout rules, from its schema's ``layout``."""

    title_rows: int | None  # how many rows above the header a title may be in (None: any)
    title_pick: str  # first (the nearest text long enough), single (a row's only text), longest
    title_min_length: int
    not_title: re.Pattern | None  # texts that are never a title (附件1, 注：…, 单位：万元)
    notes_rows: int | None  # how many rows below a table are its notes (None: the rest of the sheet)
    blank_rows: int  # this many empty rows in a row end a table

    @classmethod
    def from_schema(cls, spec: dict[str, Any]) -> "Layout":
        title = spec["title"]
        return cls(title.get("rows"), title.get("pick", "first"), title.get("min_length", 1),
                   re.compile(title["not_title"]) if title.get("not_title") else None,
                   spec.get("notes_rows"), spec["blank_rows"])


class Aliases:
    """The base of a kind's vocabulary: its schema's layout rules and the surroundings of a table
    (info lines, signature lines, non-data columns)."""

    def __init__(self, schema: dict[str, Any], around: Surroundings):
        self.around = around
        self.layout = Layout.from_schema(schema["layout"])

    def title_above(self, sheet: Sheet, row: int) -> tuple[str, Pos] | None:
        """The title above a header row and its cell: the rows above it, nearest first, are read
        for texts that are not info lines, signature lines or the layout's ``not_title``; the title
        is the first such text (``first``), a row's only one (``single``) or a row's longest
        (``longest``)."""
        rule = self.layout
        stop = 0 if rule.title_rows is None else max(0, row - rule.title_rows - 1)
        for r in range(row - 1, stop, -1):
            texts = [(_clean(v), (r, c)) for c in range(1, sheet.max_col + 1)
                     if isinstance(v := sheet.raw(r, c), str) and len(v.strip()) >= rule.title_min_length]
            texts = [(t, pos) for t, pos in texts if not self.around.is_info(t) and not self.around.is_signature(t)]
            if rule.title_pick == "first":
                texts = [x for x in texts if not _excluded(x[0], rule)]
                if texts:
                    return texts[0]
            elif rule.title_pick == "single":
                if len(texts) == 1 and not _excluded(texts[0][0], rule):
                    return texts[0]
            else:
                texts = [x for x in texts if not _excluded(x[0], rule)]
                if texts:
                    return max(texts, key=lambda x: len(x[0]))
        return None

    def notes_below(self, sheet: Sheet, row: int) -> list[str]:
        """The text of the rows below a table (its notes), normalised, in reading order; signature
        lines are not notes."""
        last = sheet.max_row if self.layout.notes_rows is None else min(sheet.max_row, row + self.layout.notes_rows)
        notes: list[str] = []
        for r in range(row + 1, last + 1):
            notes.extend(t for c in range(1, sheet.max_col + 1)
                         if isinstance(v := sheet.raw(r, c), str) and v.strip()
                         and not self.around.is_signature(t := normalise_text(v)))
        return notes


def _clean(text: str) -> str:
    """A title as written, on one line: whitespace runs made one space (its full-width brackets and
    colons stay; only the matching is done on half-width text)."""
    return " ".join(text.split())


def _excluded(text: str, rule: Layout) -> bool:
    return rule.not_title is not None and bool(rule.not_title.match(normalise_text(text)))


def merged_bottom(sheet: Sheet, row: int) -> int:
    """The last row of a header whose top row has cells merged downwards (``一级指标`` over two rows)."""
    bottom = row
    for col in range(1, sheet.max_col + 1):
        merge = sheet.merge_of(row, col)
        if merge and merge[0][0] == row:
            bottom = max(bottom, merge[1][0])
    return bottom


def row_blank(sheet: Sheet, row: int, cols=None) -> bool:
    """Whether a row (or these columns of it) holds nothing but blanks."""
    for c in cols if cols is not None else range(1, sheet.max_col + 1):
        value = sheet.raw(row, c)
        if value not in (None, "") and not (isinstance(value, str) and not value.strip()):
            return False
    return True
