"""Finding level-1 summaries: ``一级指标 | 权重分 | 得分 | 扣分 | 得分率`` (any subset of the last
three) in rows, or transposed with the categories across (seed 003 table 3-1).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..grid import Pos, Sheet, scan_tables
from ..values import label_key
from .locate import Aliases, code_of, header_bottom, header_cells, own_text, resolve_measures


@dataclass
class Entry:
    """One level-1 category of a summary (or its 合计): its label and its measure cells."""

    label: str
    label_pos: Pos
    cells: dict[str, Pos]

    @property
    def code(self) -> str:
        return code_of(self.label)


@dataclass
class SummaryTable:
    sheet: Sheet
    transposed: bool
    entries: list[Entry]
    total: Entry | None
    grade_pos: Pos | None
    title: tuple[str, Pos] | None
    notes: list[str]
    first_row: int
    last_row: int


def find_summary_tables(sheet: Sheet, aliases: Aliases, taken: set[int]) -> list[SummaryTable]:
    """Level-1 summaries, in rows or transposed; ``taken`` rows belong to detail tables."""
    def read_at(row: int) -> SummaryTable | None:
        if row in taken or row + 1 in taken:
            return None  # the upper row of a full table's two-row header, or the table itself
        levels, measures, _, ambiguous, category = header_cells(sheet, row, aliases)
        measures = resolve_measures(measures, ambiguous)
        if category is not None and len(levels) <= 1 and "weight" in measures and \
                {"score", "deduction", "rate"} & set(measures):
            return _read_summary(sheet, row, category, measures, aliases)  # no rows yet: a blank form
        return _read_transposed(sheet, row, aliases)

    return scan_tables(sheet, read_at)


def _read_summary(sheet, header_row, label_col, measures, aliases) -> SummaryTable:
    entries, total, grade_pos = [], None, None
    row, last = header_bottom(sheet, header_row) + 1, header_row
    cols = {m: c for m, c in measures.items() if m in ("weight", "score", "deduction", "rate")}
    blanks = 0
    while row <= sheet.max_row:
        if aliases.around.is_outside(sheet, row):
            break  # 填表人：… under the table
        if all(sheet.raw(row, c) in (None, "") for c in [label_col, *cols.values()]):
            blanks += 1  # an empty row inside the table (under the header, between rows)
            if blanks >= aliases.layout.blank_rows:
                break
            row += 1
            continue
        blanks = 0
        label = own_text(sheet, row, label_col)
        kind = aliases.row_kind(label_key(label))
        has_numbers = any(sheet.raw(row, c) not in (None, "") for c in cols.values())
        if kind == "grade":
            grade_pos = next(((row, c) for c in range(label_col + 1, sheet.max_col + 1)
                              if sheet.raw(row, c) not in (None, "")), None)
            last = row
        elif not label or not has_numbers:
            break
        else:
            entry = Entry(label, (row, label_col), {m: (row, c) for m, c in cols.items()})
            if kind == "total":
                total = entry
            elif total is None:
                entries.append(entry)
            last = row
        row += 1
    return SummaryTable(sheet, False, entries, total, grade_pos, aliases.title_above(sheet, header_row),
                        aliases.notes_below(sheet, last), header_row, last)


def _read_transposed(sheet, row, aliases) -> SummaryTable | None:
    """Categories across, 权重 / 分值 / 得分率 down (seed 003 table 3-1)."""
    for col in range(1, sheet.max_col + 1):
        if sheet.label(row, col) not in aliases.category:
            continue
        found, ambiguous = {}, None
        r = row + 1
        while r <= min(sheet.max_row, row + 6):
            measure = aliases.measure_of(sheet.label(r, col))
            if measure is None:
                break
            if measure == "ambiguous":
                ambiguous = ambiguous or r
            elif measure in ("weight", "score", "deduction", "rate") and measure not in found:
                found[measure] = r
            r += 1
        found = resolve_measures(found, ambiguous)
        if "weight" not in found or not {"score", "deduction", "rate"} & set(found):
            continue
        entries, total = [], None
        for c in range(col + 1, sheet.max_col + 1):
            label = own_text(sheet, row, c)
            if not label:
                break
            entry = Entry(label, (row, c), {m: (rr, c) for m, rr in found.items()})
            if aliases.row_kind(label_key(label)) == "total":
                total = entry
            else:
                entries.append(entry)
        last = max(found.values())
        return SummaryTable(sheet, True, entries, total, None, aliases.title_above(sheet, row),
                            aliases.notes_below(sheet, last), row, last)
    return None
