"""Finding full indicator tables in a sheet, and the header matching the summary finder shares.

The full table has one column per level (一级 / 二级 / 三级 / 四级指标).  An upper level may be a
merged cell over its children, repeated on every row, written only on its first child's row, or
on a row of its own; each row's path is worked out from the first level that says something new.
Headers are matched through ``schemas/indicators.yaml``; level-1 summaries are in ``locate_summary``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..grid import Pos, Sheet, scan_tables
from ..locate import Aliases as BaseAliases
from ..locate import merged_bottom as header_bottom
from ..locate import row_blank
from ..messages import say
from ..schema import alias_set, group_of
from ..surround import Surroundings
from ..values import label_key, normalise_text

MEASURES = ("weight", "score", "deduction", "rate", "target", "actual")


class Aliases(BaseAliases):
    """The indicator schema's labels in matching form."""

    def __init__(self, schema: dict[str, Any], around: Surroundings):
        super().__init__(schema, around)
        cols, rows = schema["columns"], schema["rows"]
        self.note_start = re.compile(schema["note_start"])
        self.levels = [alias_set(words) for words in cols["levels"]]
        self.category = alias_set(cols["category"])
        self.measures = {m: alias_set(cols[m]) for m in MEASURES}
        self.ambiguous = alias_set(cols["ambiguous"])
        self.reason = alias_set(cols["reason"])
        self.subtotal = alias_set(rows["subtotal"])
        self.total = alias_set(rows["total"])
        self.grade = alias_set(rows["grade"])
        self.label_weight = re.compile(schema["label_weight"])

    def level_of(self, key: str) -> int | None:
        return group_of(key, enumerate(self.levels))

    def measure_of(self, key: str) -> str | None:
        return group_of(key, self.measures.items()) or ("ambiguous" if key in self.ambiguous else None)

    def row_kind(self, key: str) -> str | None:
        if key in self.subtotal:
            return "subtotal"
        if key in self.total:
            return "total"
        if key in self.grade:
            return "grade"
        return None

    def declared_weight(self, text: str) -> Fraction | None:
        """``A项目决策 (15分)`` -> 15."""
        m = self.label_weight.search(normalise_text(str(text)))
        return Fraction(Decimal(m.group(1))) if m else None


def resolve_measures(found: dict[str, int], ambiguous: int | None) -> dict[str, int]:
    """``分值`` is the weight beside a 得分, the score beside a 权重, else the weight."""
    found = dict(found)
    if ambiguous is not None:
        if "score" in found and "weight" not in found:
            found["weight"] = ambiguous
        elif "weight" in found and "score" not in found:
            found["score"] = ambiguous
        elif "weight" not in found:
            found["weight"] = ambiguous
    return found


def plain_name(label: str) -> str:
    """The label without its declared weight, for messages: ``A项目决策 (15分)`` -> ``A项目决策``."""
    return re.sub(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]\s*$", "", normalise_text(label)).strip()


_CODE = re.compile(r"^([A-Za-z])\s*[.．、]?\s*(\d*)")


def code_of(label: str) -> str:
    """``B1 资金管理(12)`` -> ``B1``; ``C. 项目绩效`` -> ``C``; empty when the label has no code."""
    m = _CODE.match(normalise_text(label))
    return (m.group(1).upper() + m.group(2)) if m else ""


@dataclass(eq=False)
class Node:
    """An indicator at some level; leaves carry the row of their weight and score."""

    level: int
    label: str
    pos: Pos
    declared: Fraction | None
    row: int
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def code(self) -> str:
        return code_of(self.label)

    def leaves(self) -> list["Node"]:
        return [self] if self.is_leaf else [x for c in self.children for x in c.leaves()]

    def name(self) -> str:
        return plain_name(self.label)


@dataclass
class SumRow:
    """A 小计 or 合计 row; a 小计 sums the leaves between the previous 小计 (or the header) and it."""

    kind: str
    row: int
    label_pos: Pos
    after: int  # the row above its first leaf

    @property
    def label(self) -> str:
        return say("scores.subtotal-label") if self.kind == "subtotal" else say("scores.total-label")


@dataclass
class DetailTable:
    sheet: Sheet
    header_row: int
    last_row: int
    levels: list[int]
    cols: dict[str, int]
    reason_cols: list[int]
    roots: list[Node]
    sums: list[SumRow]
    grade_pos: Pos | None
    title: tuple[str, Pos] | None
    notes: list[str]

    def pos(self, row: int, measure: str) -> Pos | None:
        col = self.cols.get(measure)
        return None if col is None else (row, col)

    @property
    def leaves(self) -> list[Node]:
        return [x for r in self.roots for x in r.leaves()]

    @property
    def total(self) -> SumRow | None:
        return next((s for s in self.sums if s.kind == "total"), None)


def header_cells(sheet: Sheet, row: int, aliases: Aliases):
    """Level columns, measures, reasons and the ambiguous 分值 column found in one row."""
    levels: dict[int, int] = {}
    measures: dict[str, int] = {}
    reasons, ambiguous, category = [], None, None
    for col in range(1, sheet.max_col + 1):
        anchor = sheet.anchor_of.get((row, col))
        if anchor and anchor[1] != col:  # the rest of a horizontally merged header
            continue
        key = sheet.label(row, col)
        if not key:
            continue
        level = aliases.level_of(key)
        if level is not None and level not in levels:
            levels[level] = col
        if category is None and key in aliases.category:
            category = col
        measure = aliases.measure_of(key)
        if measure == "ambiguous":
            ambiguous = ambiguous or col
        elif measure and measure not in measures:
            measures[measure] = col
        if key in aliases.reason:
            reasons.append(col)
    return levels, measures, reasons, ambiguous, category


def find_detail_tables(sheet: Sheet, aliases: Aliases) -> list[DetailTable]:
    def read_at(row: int) -> DetailTable | None:
        levels, measures, reasons, ambiguous, _ = header_cells(sheet, row, aliases)
        measures = resolve_measures(measures, ambiguous)
        if len(levels) >= 2 and ("weight" in measures or "score" in measures):
            return _read_detail(sheet, row, [levels[i] for i in sorted(levels)], measures, reasons, aliases)
        return None

    return scan_tables(sheet, read_at)


def own_text(sheet: Sheet, row: int, col: int) -> str:
    value = sheet.raw(row, col)
    return normalise_text(value) if isinstance(value, str) else ("" if value is None else str(value))


def _row_kind(sheet: Sheet, row: int, last_col: int, aliases: Aliases) -> tuple[str, Pos] | None:
    for col in range(1, last_col + 1):
        kind = aliases.row_kind(label_key(own_text(sheet, row, col)))
        if kind:
            return kind, (row, col)
    return None


def _read_detail(sheet, header_row, levels, cols, reasons, aliases) -> DetailTable:
    numbers_cols = [cols[m] for m in ("weight", "score") if m in cols]
    last_label_col = max(levels)
    roots: list[Node] = []
    path: list[Node] = []
    anchors: dict[Pos, Node] = {}
    sums: list[SumRow] = []
    grade_pos = None
    row, blanks, last = header_bottom(sheet, header_row) + 1, 0, header_row
    while row <= sheet.max_row:
        if row_blank(sheet, row):
            blanks += 1
            if blanks >= aliases.layout.blank_rows:
                break
            row += 1
            continue
        gap, blanks = blanks > 0, 0
        if len(header_cells(sheet, row, aliases)[0]) >= 2:
            break  # the next table's header
        texts = [t for c in range(1, sheet.max_col + 1) if (t := own_text(sheet, row, c))]
        if aliases.note_start.match(texts[0]) or aliases.around.is_outside(sheet, row):
            break  # a note, or 单位负责人：… 填表人：… under the table
        if len(texts) == 1 and (gap or len(header_cells(sheet, row + 1, aliases)[0]) >= 2):
            break  # a title or a note after a gap, or the title of the next table
        special = _row_kind(sheet, row, last_label_col, aliases)
        if special:
            kind, label_pos = special
            if kind == "grade":
                grade_pos = next(((row, c) for c in range(label_pos[1] + 1, sheet.max_col + 1)
                                  if sheet.raw(row, c) not in (None, "")), None)
            else:
                sums.append(SumRow(kind, row, label_pos, sums[-1].row if sums else header_row))
            last = row
            row += 1
            continue
        new_path, changed = _path_of(sheet, row, levels, path, anchors, aliases)
        has_numbers = any(sheet.raw(row, c) not in (None, "") for c in numbers_cols)
        if changed is None and not has_numbers:
            if all(sheet.raw(row, c) in (None, "") for c in range(levels[0], last_label_col + 1)) and \
                    not any(sheet.raw(row, c) not in (None, "") for c in reasons) and not _inside(sheet, row, levels):
                break  # a note or text below the table
            last = row
            row += 1
            continue
        if changed is not None:
            for node in new_path[changed:]:
                parent = new_path[node.level - 1] if node.level else None
                node.parent = parent
                (parent.children if parent else roots).append(node)
            path = new_path
        last = row
        row += 1
    return DetailTable(sheet, header_row, last, levels, cols, reasons, roots, sums, grade_pos,
                       aliases.title_above(sheet, header_row), aliases.notes_below(sheet, last))


def _inside(sheet: Sheet, row: int, levels: list[int]) -> bool:
    """Whether a row lies under a merged label of the table (a continuation row)."""
    return any((row, c) in sheet.anchor_of for c in levels)


def _path_of(sheet, row, levels, path, anchors, aliases):
    """The row's path from the root, and the level from which its nodes are new (None: none are)."""
    new_path: list[Node] = []
    changed = None
    for i, col in enumerate(levels):
        anchor = sheet.anchor_of.get((row, col))
        if anchor is not None and changed is None:
            node = anchors.get(anchor)
            if node is None or node.level != i:
                break
            new_path.append(node)
            continue
        text = own_text(sheet, row, col)
        if not text:
            if changed is None and i < len(path) and _more_below(sheet, row, levels, i):
                new_path.append(path[i])
                continue
            break
        if changed is None and i < len(path) and label_key(text) == label_key(path[i].label):
            new_path.append(path[i])  # a repeated upper-level label
            continue
        node = Node(i, text, (row, col), aliases.declared_weight(text), row)
        anchors[(row, col)] = node
        new_path.append(node)
        changed = i if changed is None else changed
    return new_path, changed


def _more_below(sheet, row, levels, i) -> bool:
    """A blank level cell inherits from above only when a deeper level of this row says something."""
    return any(own_text(sheet, row, c) or (row, c) in sheet.anchor_of for c in levels[i + 1:])
