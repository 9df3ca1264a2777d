"""Finding fund tables in a sheet: the header (:mod:`.header`), row kinds, spans, the unit, the title.

Rows are items, 小计 rows closing the items above them, or the 合计 row (below the items or right under
the header); an info or signature line ends the table.  A column whose cells are merged over several
item rows (seed 001: 县区机构数 / 县区资金合计 per county) keeps those spans as its groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grid import Pos, Sheet, scan_tables
from ..values import Number, label_key, normalise_text, parse_text
from .header import (MONEY, UNIT_LINE, Aliases, Column, cell_text,  # noqa: F401
                     header_bottom, header_columns, header_word)

_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|其中)")


@dataclass
class FundTable:
    sheet: Sheet
    title: str
    header_top: int
    header_bottom: int
    columns: list[Column]
    items: list[int] = field(default_factory=list)
    subtotals: list[tuple[int, list[int]]] = field(default_factory=list)
    total_row: int | None = None
    last_row: int = 0
    unit: str | None = None
    unit_pos: Pos | None = None
    notes: list[str] = field(default_factory=list)

    def column(self, role: str) -> Column | None:
        """A role's main column: the group's 合计, else its first plain column, else its only one."""
        cols = [c for c in self.columns if c.role == role]
        return next((c for c in cols if c.part == "total"), None) or next(
            (c for c in cols if c.part is None), None) or (cols[0] if len(cols) == 1 else None)

    def sources(self, total: Column) -> list[Column]:
        return [c for c in self.columns if c.group == total.group and c.part == "source"]

    def label_of(self, row: int) -> str:
        texts = [normalise_text(str(v)) for c in self.columns if c.role == "label"
                 if isinstance(v := self.sheet.shown(row, c.col), str) and v.strip()]
        return " ".join(dict.fromkeys(texts))


def find_fund_tables(sheet: Sheet, aliases: Aliases) -> list[FundTable]:
    return scan_tables(sheet, lambda row: _read_at(sheet, row, aliases))


def _read_at(sheet: Sheet, row: int, aliases: Aliases) -> FundTable | None:
    keys = [(c, label_key(t)) for c in range(1, sheet.max_col + 1)
            if header_word(t := cell_text(sheet, row, c), aliases)]
    if len(keys) >= 2 and aliases.around.is_outside(sheet, row):
        return None  # 项目名称：… | 截止日：… | 单位：万元 above the header is not a header row
    if len(keys) < 2 or any(isinstance(sheet.parsed(row, c), Number) for c in range(1, sheet.max_col + 1)
                            if not sheet.is_covered(row, c) and not isinstance(sheet.raw(row, c), str)):
        return None
    roles = [aliases.role_of(k) for _, k in keys]
    if not any(r in MONEY for r in roles) or (len(keys) < 3 and "label" not in roles):
        return None  # an amount column, and a name column unless the header is wider
    bottom = header_bottom(sheet, row, aliases)
    columns = header_columns(sheet, row, bottom, aliases)
    if not any(c.is_money for c in columns):
        return None
    table = FundTable(sheet, "", row, bottom, columns)
    _read_rows(table, aliases)
    if not table.items and table.total_row is None and sum(c.is_money for c in columns) < 2:
        return None  # a blank fund table still says budget / spent / balance
    _settle_roles(table, aliases)
    _find_spans(table)
    _find_unit(table)
    title = aliases.title_above(sheet, row)
    table.title = title[0] if title else ""
    return table


def _filled(sheet: Sheet, row: int, col: int, own: bool = False) -> bool:
    """Whether a cell holds something (a formula's cached "" is blank)."""
    value = sheet.raw(row, col) if own else sheet.shown(row, col)
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_rows(table: FundTable, aliases: Aliases) -> None:
    sheet, cols = table.sheet, table.columns
    label_cols = [c.col for c in cols if c.role == "label"] or [cols[0].col]
    data_cols = [c.col for c in cols if c.role not in ("label", "note", None)]
    row, blanks, open_items = table.header_bottom + 1, 0, list[int]()
    table.last_row = table.header_bottom

    def blank(r: int) -> bool:
        return not any(_filled(sheet, r, c.col) for c in cols)

    while row <= sheet.max_row:
        if blank(row):
            blanks += 1
            if blanks >= aliases.layout.blank_rows:
                ahead = next((r for r in range(row + 1, min(sheet.max_row, row + 60) + 1) if not blank(r)), None)
                keys = [label_key(cell_text(sheet, ahead, c)) for c in label_cols] if ahead else []
                if ahead is None or (aliases.row_kind([k for k in keys if k]) != "total"
                                     and not _has_number(sheet, ahead, data_cols)):
                    break  # unfilled rows of a template may stand among the items and before their 合计
                row, blanks = ahead, 0
                continue
            row += 1
            continue
        blanks = 0
        if aliases.around.is_outside(sheet, row):
            break  # 单位负责人：… 填表人：… under the table, or the info line of the next table
        texts = [cell_text(sheet, row, c) for c in label_cols]
        keys = [label_key(t) for t in texts if t]
        numbers = [c for c in data_cols if _filled(sheet, row, c, own=True) and not sheet.is_covered(row, c)]
        if keys and aliases.is_note(keys[0]) and not _has_number(sheet, row, data_cols):
            table.notes.extend(t for t in (cell_text(sheet, row, c.col) for c in cols) if t)
            break
        if not numbers and _row_is_header(sheet, row, aliases):
            break
        kind = aliases.row_kind(keys)
        if kind == "total":
            table.total_row = row
            table.last_row = row
            if table.items:
                break
        elif kind == "subtotal":
            if open_items:
                table.subtotals.append((row, open_items))
                open_items = []
            table.last_row = row
        elif keys and _HEADING.match(keys[0]) and not numbers:
            table.last_row = row
        else:
            table.items.append(row)
            open_items.append(row)
            table.last_row = row
        row += 1
    table.notes.extend(aliases.notes_below(sheet, table.last_row))


def _has_number(sheet: Sheet, row: int, cols: list[int]) -> bool:
    return any(isinstance(sheet.parsed(row, c), Number) and not isinstance(sheet.raw(row, c), str) for c in cols)


def _row_is_header(sheet: Sheet, row: int, aliases: Aliases) -> bool:
    keys = [label_key(cell_text(sheet, row, c)) for c in range(1, sheet.max_col + 1)]
    return sum(1 for k in keys if k and aliases.role_of(k) in MONEY) >= 2


def _settle_roles(table: FundTable, aliases: Aliases) -> None:
    """An "amount" column whose item cells are mostly words is a label column (资金来源: 上级财政); one
    whose numbers are all years or phone numbers, and which the 合计 row does not add up, holds no data."""
    for column in table.columns:
        if not column.summed:
            continue
        cells = [table.sheet.raw(r, column.col) for r in table.items]
        words = [v for v in cells if isinstance(v, str) and not isinstance(parse_text(v), Number)]
        if cells and len(words) * 2 > len(cells):
            column.role, column.part = "label", None
        elif aliases.around.not_data_values(cells) and not _totalled(table, column):
            column.role, column.part = None, None


def _totalled(table: FundTable, column: Column) -> bool:
    """Whether the 合计 row states this column's sum (a year or phone column has no total)."""
    if table.total_row is None:
        return False
    total = table.sheet.parsed(table.total_row, column.col)
    items = [table.sheet.parsed(r, column.col) for r in table.items]
    return isinstance(total, Number) and total.value != 0 and \
        total.value == sum((n.value for n in items if isinstance(n, Number)), 0)


def _find_spans(table: FundTable) -> None:
    """A summed column merged over several item rows, or filled only on the first row of each run of
    a repeated label (所属县区), holds one figure per group of rows."""
    sheet, items = table.sheet, set(table.items)
    label_cols = [c for c in table.columns if c.role == "label"]
    for column in table.columns:
        if not column.summed or column.part is not None:
            continue
        spans = []
        for r in table.items:
            merge = sheet.merge_of(r, column.col)
            if merge and merge[0][0] == r and merge[1][0] > r:
                spans.append((r, max(x for x in items if x <= merge[1][0])))
        if any(b > a for a, b in spans):
            covered = {x for a, b in spans for x in range(a, b + 1)}
            column.spans = sorted(spans + [(r, r) for r in table.items if r not in covered])
            continue
        column.spans = _spans_by_label(table, column, label_cols)


def _spans_by_label(table: FundTable, column: Column, label_cols: list[Column]) -> list[tuple[int, int]]:
    sheet, rows = table.sheet, table.items
    filled = [r for r in rows if sheet.raw(r, column.col) is not None]
    if not filled or len(filled) == len(rows):
        return []
    for label in label_cols:
        runs, start = [], rows[0]
        for prev, r in zip(rows, rows[1:] + [None]):
            if r is None or r != prev + 1 or cell_text(sheet, r, label.col) != cell_text(sheet, prev, label.col):
                runs.append((start, prev))
                start = r
        if any(b > a for a, b in runs) and [a for a, _ in runs] == filled and all(cell_text(sheet, a, label.col) for a, _ in runs):
            return runs
    return []


def _find_unit(table: FundTable) -> None:
    """The table's unit: a 单位 line above or beside the header, else the money headers' own unit."""
    sheet = table.sheet
    for r in range(table.header_top, max(0, table.header_top - 6), -1):
        for c in range(1, sheet.max_col + 1):
            value = sheet.raw(r, c)
            if isinstance(value, str) and (m := UNIT_LINE.search(normalise_text(value))):
                table.unit, table.unit_pos = m.group(1), (r, c)
                return
    for column in table.columns:
        if column.is_money and column.unit:
            table.unit, table.unit_pos = column.unit, column.header
            return
