"""Finding fund tables in a sheet: headers of one to three rows, column roles, units, row kinds.

A header may have a row of group labels (``预算（调整后）资金``, merged over its columns or written
once at the group's first column) over a row of sub-labels (``合计 / 上级财政资金 / …``) that repeat
under several groups; each column gets one composite name, ``预算（调整后）资金/上级财政资金``, and a
role read from ``schemas/funds.yaml``.  Rows are items, 小计 rows closing the items above them, or the
合计 row (below the items or right under the header).  A column whose cells are merged over several
item rows (seed 001: 县区机构数 / 县区资金合计 per county) keeps those spans as its groups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..grid import Pos, Sheet, scan_tables, text_below
from ..schema import alias_set
from ..surround import Surroundings
from ..values import Number, label_key, normalise_text, parse_text

MONEY = ("budget", "arrived", "spent", "balance", "amount")
RATES = ("execution_rate", "arrival_rate")
MAX_HEADER_ROWS = 3
MAX_BLANK_ROWS = 2
_UNIT_LINE = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")
_UNIT_IN_LABEL = re.compile(r"[(（]\s*(亿元|万元|千元|元)\s*[)）]|(亿元|万元|千元)$")
_COUNT_UNIT = re.compile(r"[(（]\s*([^()（）]{1,2})\s*[)）]\s*$")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|其中)")
_NOT_TITLE = re.compile(r"^(附件|附表|单位\s*[:：]|项目名称|截止|填报|编制|金额单位|注|说明|填表说明)")


class Aliases:
    """The fund schema's words in matching form."""

    def __init__(self, schema: dict[str, Any], around: Surroundings):
        cols, rows = schema["columns"], schema["rows"]
        self.around = around
        self.roles = [(role, [label_key(w) for w in words]) for role, words in cols["roles"].items()]
        self.part_total = alias_set(cols["part_total"])
        self.count_units = set(cols["count_units"])
        self.basis_budget = [label_key(w) for w in cols["basis_budget"]]
        self.basis_arrived = [label_key(w) for w in cols["basis_arrived"]]
        self.subtotal = [label_key(w) for w in rows["subtotal"]]
        self.total = alias_set(rows["total"])
        self.note_start = [label_key(w) for w in rows["note_start"]]
        self.points_words = list(schema["rate_points_words"])

    def role_of(self, key: str) -> str | None:
        """The first role whose words the label contains."""
        return next((role for role, words in self.roles if any(w in key for w in words)), None)

    def row_kind(self, keys: list[str]) -> str | None:
        for key in keys:
            if any(w in key for w in self.subtotal):
                return "subtotal"
            if key in self.total or key.startswith(("合计", "总计")):
                return "total"
        return None

    def is_note(self, key: str) -> bool:
        return any(key.startswith(w) for w in self.note_start)


@dataclass
class Column:
    """One table column: its composite name, role, and for a grouped column the item spans."""

    col: int
    name: str
    role: str | None
    part: str | None = None  # "total" (a group's own 合计) or "source"; None for a single column
    group: str = ""  # the group label's key, shared by a total and its sources
    header: Pos = (0, 0)  # the lowest header cell naming this column
    unit: str | None = None
    points: bool = False  # a rate written as 84.27 under a "(%)" header
    spans: list[tuple[int, int]] = field(default_factory=list)  # grouped column: rows each cell covers

    @property
    def is_money(self) -> bool:
        return self.role in MONEY

    @property
    def summed(self) -> bool:
        """Whether the 合计 row adds this column up."""
        return self.role in MONEY or self.role == "count"


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


def _cell_text(sheet: Sheet, row: int, col: int) -> str:
    value = sheet.shown(row, col)
    return normalise_text(value) if isinstance(value, str) else ""


_text = _cell_text


def _header_word(text: str, aliases: Aliases) -> bool:
    """A cell that can name a column: not a title (``…分配明细表``), a unit or info line, or a sentence."""
    return (bool(text) and len(text) <= 30 and not text.endswith("表") and not _UNIT_LINE.search(text)
            and not aliases.around.is_info(text))


def _read_at(sheet: Sheet, row: int, aliases: Aliases) -> FundTable | None:
    keys = [(c, label_key(t)) for c in range(1, sheet.max_col + 1)
            if _header_word(t := _text(sheet, row, c), aliases)]
    if len(keys) >= 2 and aliases.around.is_outside(sheet, row):
        return None  # 项目名称：… | 截止日：… | 单位：万元 above the header is not a header row
    if len(keys) < 2 or any(isinstance(sheet.parsed(row, c), Number) for c in range(1, sheet.max_col + 1)
                            if not sheet.is_covered(row, c) and not isinstance(sheet.raw(row, c), str)):
        return None
    roles = [aliases.role_of(k) for _, k in keys]
    if not any(r in MONEY for r in roles) or (len(keys) < 3 and "label" not in roles):
        return None  # an amount column, and a name column unless the header is wider
    bottom = _header_bottom(sheet, row, aliases)
    columns = _columns(sheet, row, bottom, aliases)
    if not any(c.is_money for c in columns):
        return None
    table = FundTable(sheet, "", row, bottom, columns)
    _read_rows(table, aliases)
    if not table.items and table.total_row is None and sum(c.is_money for c in columns) < 2:
        return None  # a blank fund table still says budget / spent / balance
    _settle_roles(table, aliases)
    _find_spans(table)
    _find_unit(table)
    table.title = _title(sheet, row, aliases.around)
    return table


def _header_bottom(sheet: Sheet, top: int, aliases: Aliases) -> int:
    """The last header row: below vertical merges of the top row, and rows of sub-labels."""
    bottom = top
    for c in range(1, sheet.max_col + 1):
        merge = sheet.merge_of(top, c)
        if merge and merge[0][0] == top:
            bottom = max(bottom, merge[1][0])
    while bottom - top + 1 < MAX_HEADER_ROWS:
        below = bottom + 1
        cells = [sheet.parsed(below, c) for c in range(1, sheet.max_col + 1) if not sheet.is_covered(below, c)]
        if any(isinstance(p, Number) for p in cells):
            break
        keys = [label_key(_text(sheet, below, c)) for c in range(1, sheet.max_col + 1) if not sheet.is_covered(below, c)]
        if not any(k in aliases.part_total or aliases.role_of(k) in MONEY for k in keys if k):
            break
        bottom = below
    return bottom


def _columns(sheet: Sheet, top: int, bottom: int, aliases: Aliases) -> list[Column]:
    """One column per header column; a blank group cell belongs to the group on its left.  A column
    whose own label is 序号, 年度, 编码, 电话… holds no data, whatever group it stands under."""
    def _text(sheet: Sheet, row: int, col: int) -> str:
        text = _cell_text(sheet, row, col)
        return "" if aliases.around.is_info(text) else text

    width = max((c for c in range(1, sheet.max_col + 1) for r in range(top, bottom + 1) if _text(sheet, r, c)), default=0)
    levels: dict[int, list[str]] = {c: [] for c in range(1, width + 1)}
    for r in range(top, bottom + 1):
        group = ""
        for c in range(1, width + 1):
            text = _text(sheet, r, c)
            lower = any(_text(sheet, rr, c) and _text(sheet, rr, c) != text for rr in range(r + 1, bottom + 1))
            merge = sheet.merge_of(r, c)
            if merge and merge[1][1] - merge[0][1] + 1 >= 0.8 * width and width > 3:
                continue  # a caption over the whole table is not a group
            if merge and r < bottom - 1 and _spans_groups(sheet, r, merge, bottom, _text):
                continue  # 资金使用情况 over 预算 / 到位 / 支出 / 剩余: a caption over groups, not a group
            if text:
                group = text if lower else ""
            elif lower and group:
                text = group
            if text and (not levels[c] or levels[c][-1] != text):
                levels[c].append(text)
    columns = []
    for c, parts in levels.items():
        if not parts:
            continue
        name = "/".join(parts)
        head, sub = label_key(parts[-2] if len(parts) > 1 else parts[0]), label_key(parts[-1])
        if aliases.around.not_data_label(parts[-1]):
            columns.append(Column(c, parts[-1], None, None, label_key(parts[-1]),
                                  (next((r for r in range(bottom, top - 1, -1) if _text(sheet, r, c)), top), c)))
            continue
        # the sub-label's own role where it is specific (资金情况/预算数), else the group's
        # (预算（调整后）资金/上级财政资金: "资金" alone says only "an amount")
        sub_role, group_role = aliases.role_of(sub), aliases.role_of(head)
        role = sub_role if sub_role not in (None, "amount") else (group_role or sub_role)
        part = None
        if len(parts) > 1:
            part = "total" if sub in aliases.part_total else "source"
        bottom_row = next((r for r in range(bottom, top - 1, -1) if _text(sheet, r, c)), top)
        unit = _unit_in(parts)
        column = Column(c, name, role, part, head if len(parts) > 1 else label_key(name), (bottom_row, c), unit)
        if unit is None and role not in RATES:
            m = _COUNT_UNIT.search(parts[-1])
            if m and m.group(1) in aliases.count_units:
                column.role = "count"
        if column.role in RATES:
            column.points = any(w in name for w in aliases.points_words)
        columns.append(column)
    _single_groups(columns)
    return columns


def _spans_groups(sheet: Sheet, row: int, merge, bottom: int, text_at) -> bool:
    """Whether a merged header cell stands over several groups of the rows below it (each with
    labels of its own under it), rather than over the sub-labels of one group."""
    (_, left), (_, right) = merge
    below = [text_at(sheet, row + 1, c) for c in range(left, right + 1)]
    distinct = {t for t in below if t}
    return len(distinct) >= 2 and any(
        sheet.merge_of(row + 1, c) and sheet.merge_of(row + 1, c)[1][1] > sheet.merge_of(row + 1, c)[0][1]
        for c in range(left, right + 1))


def _single_groups(columns: list[Column]) -> None:
    """A group with one column is a plain column (``实际支出`` merged over both header rows); so is
    each column of a group without a 合计 whose columns have roles of their own (资金情况 over
    预算数 / 到位数 / 实际支出 / 结余 is a caption, not a sum)."""
    by_group: dict[str, list[Column]] = {}
    for c in columns:
        if c.part is not None:
            by_group.setdefault(c.group, []).append(c)
    for cols in by_group.values():
        if len(cols) == 1 or (not any(c.part == "total" for c in cols) and len({c.role for c in cols}) > 1):
            for c in cols:
                c.part = None


def _unit_in(parts: list[str]) -> str | None:
    for part in parts:
        m = _UNIT_IN_LABEL.search(part)
        if m:
            return m.group(1) or m.group(2)
    return None


def _filled(sheet: Sheet, row: int, col: int, own: bool = False) -> bool:
    """Whether a cell holds something (a formula's cached "" is blank)."""
    value = sheet.raw(row, col) if own else sheet.shown(row, col)
    return value is not None and not (isinstance(value, str) and not value.strip())


def _read_rows(table: FundTable, aliases: Aliases) -> None:
    sheet, cols = table.sheet, table.columns
    label_cols = [c.col for c in cols if c.role == "label"] or [cols[0].col]
    data_cols = [c.col for c in cols if c.role not in ("label", "note", None)]
    row, blanks, open_items = table.header_bottom + 1, 0, []
    table.last_row = table.header_bottom

    def blank(r: int) -> bool:
        return not any(_filled(sheet, r, c.col) for c in cols)

    while row <= sheet.max_row:
        if blank(row):
            blanks += 1
            if blanks >= MAX_BLANK_ROWS:
                ahead = next((r for r in range(row + 1, min(sheet.max_row, row + 60) + 1) if not blank(r)), None)
                keys = [label_key(_text(sheet, ahead, c)) for c in label_cols] if ahead else []
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
        texts = [_text(sheet, row, c) for c in label_cols]
        keys = [label_key(t) for t in texts if t]
        numbers = [c for c in data_cols if _filled(sheet, row, c, own=True) and not sheet.is_covered(row, c)]
        if keys and aliases.is_note(keys[0]) and not _has_number(sheet, row, data_cols):
            table.notes.extend(t for t in (_text(sheet, row, c.col) for c in cols) if t)
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
    table.notes.extend(text_below(sheet, table.last_row, 4))


def _has_number(sheet: Sheet, row: int, cols: list[int]) -> bool:
    return any(isinstance(sheet.parsed(row, c), Number) and not isinstance(sheet.raw(row, c), str) for c in cols)


def _row_is_header(sheet: Sheet, row: int, aliases: Aliases) -> bool:
    keys = [label_key(_text(sheet, row, c)) for c in range(1, sheet.max_col + 1)]
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
            if r is None or r != prev + 1 or _text(sheet, r, label.col) != _text(sheet, prev, label.col):
                runs.append((start, prev))
                start = r
        if any(b > a for a, b in runs) and [a for a, _ in runs] == filled and all(_text(sheet, a, label.col) for a, _ in runs):
            return runs
    return []


def _find_unit(table: FundTable) -> None:
    """The table's unit: a 单位 line above or beside the header, else the money headers' own unit."""
    sheet = table.sheet
    for r in range(table.header_top, max(0, table.header_top - 6), -1):
        for c in range(1, sheet.max_col + 1):
            value = sheet.raw(r, c)
            if isinstance(value, str) and (m := _UNIT_LINE.search(normalise_text(value))):
                table.unit, table.unit_pos = m.group(1), (r, c)
                return
    for column in table.columns:
        if column.is_money and column.unit:
            table.unit, table.unit_pos = column.unit, column.header
            return


def _title(sheet: Sheet, row: int, around: Surroundings) -> str:
    for r in range(row - 1, max(0, row - 7), -1):
        texts = [normalise_text(v) for c in range(1, sheet.max_col + 1)
                 if isinstance(v := sheet.raw(r, c), str) and v.strip()]
        texts = [t for t in texts if not _NOT_TITLE.match(t) and not _UNIT_LINE.fullmatch(t)
                 and not around.is_info(t) and not around.is_signature(t)]
        if texts:
            return max(texts, key=len)
    return ""
