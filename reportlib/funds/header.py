"""Reading a fund table's header: one to three rows of labels, each column's composite name and role.

A header may have a row of group labels (``预算（调整后）资金``, merged over its columns or written
once at the group's first column) over a row of sub-labels (``合计 / 上级财政资金 / …``) that repeat
under several groups; each column gets one composite name, ``预算（调整后）资金/上级财政资金``, and a
role read from ``schemas/funds.yaml``.  A caption over several groups (``资金使用情况``) is not a group;
a column headed 序号, 年度, 编码, 电话… holds no data, whatever group it stands under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..grid import Pos, Sheet
from ..locate import Aliases as BaseAliases
from ..locate import merged_bottom
from ..schema import alias_set
from ..surround import Surroundings
from ..values import Number, label_key, normalise_text

MONEY = ("budget", "arrived", "spent", "balance", "amount")
RATES = ("execution_rate", "arrival_rate")
MAX_HEADER_ROWS = 3
UNIT_LINE = re.compile(r"单位\s*[:：]\s*(亿元|万元|千元|元)")
_UNIT_IN_LABEL = re.compile(r"[(（]\s*(亿元|万元|千元|元)\s*[)）]|(亿元|万元|千元)$")
_COUNT_UNIT = re.compile(r"[(（]\s*([^()（）]{1,2})\s*[)）]\s*$")


class Aliases(BaseAliases):
    """The fund schema's words in matching form."""

    def __init__(self, schema: dict[str, Any], around: Surroundings):
        super().__init__(schema, around)
        cols, rows = schema["columns"], schema["rows"]
        self.roles = [(role, [label_key(w) for w in words]) for role, words in cols["roles"].items()]
        self.part_total = alias_set(cols["part_total"])
        self.count_units = set(cols["count_units"])
        self.basis_budget = [label_key(w) for w in cols["basis_budget"]]
        self.basis_arrived = [label_key(w) for w in cols["basis_arrived"]]
        self.subtotal = [label_key(w) for w in rows["subtotal"]]
        self.total = alias_set(rows["total"])
        self.note_start = [label_key(w) for w in rows["note_start"]]
        self.points_words = list(schema["rate_points_words"])
        self.points_above = Fraction(str(schema["rate_points_above"]))

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


def cell_text(sheet: Sheet, row: int, col: int) -> str:
    value = sheet.shown(row, col)
    return normalise_text(value) if isinstance(value, str) else ""


_text = cell_text


def header_word(text: str, aliases: Aliases) -> bool:
    """A cell that can name a column: not a title (``…分配明细表``), a unit or info line, or a sentence."""
    return (bool(text) and len(text) <= 30 and not text.endswith("表") and not UNIT_LINE.search(text)
            and not aliases.around.is_info(text))


def header_bottom(sheet: Sheet, top: int, aliases: Aliases) -> int:
    """The last header row: below vertical merges of the top row, and rows of sub-labels."""
    bottom = merged_bottom(sheet, top)
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


def header_columns(sheet: Sheet, top: int, bottom: int, aliases: Aliases) -> list[Column]:
    """One column per header column; a blank group cell belongs to the group on its left.  A column
    whose own label is 序号, 年度, 编码, 电话… holds no data, whatever group it stands under."""
    def _text(sheet: Sheet, row: int, col: int) -> str:
        text = cell_text(sheet, row, col)
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
