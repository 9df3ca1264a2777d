"""What an indicator table established, for the checks that compare tables: a full table's level-1
sections and weighted leaves, a summary's categories, each with the cells it came from.  Built once a
checker has run; the comparisons (:func:`summary_against_details`, :mod:`reportlib.crosscheck`) read
these and never the checkers."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..grid import Pos, Sheet
from ..values import Number


@dataclass(frozen=True)
class Section:
    """A level-1 section of a full table: its weight (declared, else its children's), the sum of its
    leaves' scores, and whether any leaf has a score."""

    label: str
    name: str
    pos: Pos
    weight: Fraction
    score: Fraction
    scored: bool


@dataclass(frozen=True)
class Leaf:
    """A weighted indicator row of a full table with its target and actual value cells."""

    label: str
    name: str
    weight: Fraction | None
    score: Fraction | None
    score_pos: Pos | None
    score_stated: Number | None
    target: Any  # the target cell as parsed (Number, Text or None)
    target_pos: Pos | None
    actual: Any
    actual_pos: Pos | None
    actual_shown: str


@dataclass(frozen=True)
class Category:
    """A category row of a level-1 summary."""

    label: str
    what: str
    weight: Fraction | None
    weight_pos: Pos | None
    score: Fraction | None
    score_pos: Pos | None


@dataclass(frozen=True)
class IndicatorFacts:
    form: str  # detail | summary
    sheet: str
    sections: tuple[Section, ...] = ()
    leaves: tuple[Leaf, ...] = ()
    categories: tuple[Category, ...] = ()
    total_pos: Pos | None = None  # the 合计 score cell (a summary without one: its grade cell)
    #: the cells the comparisons may read or mark: their raw value, their parsed value, how they show
    raw: dict[Pos, Any] | None = None
    parsed: dict[Pos, Any] | None = None
    shown: dict[Pos, Any] | None = None

    def stated_number(self, pos: Pos | None) -> Number | None:
        value = (self.parsed or {}).get(pos) if pos is not None else None
        return value if isinstance(value, Number) else None


def _cells(sheet: Sheet, positions) -> tuple[dict, dict, dict]:
    cells = {p for p in positions if p is not None}
    return ({p: sheet.raw(*p) for p in cells}, {p: sheet.parsed(*p) for p in cells},
            {p: sheet.shown(*p) for p in cells})


def detail_facts(checker) -> IndicatorFacts:
    """The facts of a :class:`~.check_detail.DetailChecker` that has run."""
    t, sheet = checker.t, checker.sheet
    sections = []
    for root in t.roots:
        leaves = [x for x in root.leaves() if not checker.empty_section(x)]
        sections.append(Section(root.label, root.name(), root.pos, checker.eff(root), checker.leaf_sum(leaves),
                                any(checker.rows[x].score is not None for x in leaves)))
    leaves = []
    for node in t.leaves:
        if node not in checker.rows:
            continue
        row = checker.rows[node]
        target_pos, actual_pos = t.pos(node.row, "target"), t.pos(node.row, "actual")
        leaves.append(Leaf(node.label, node.name(), row.weight, row.score, row.score_pos,
                           checker.stated_number(row.score_pos),
                           sheet.parsed(*target_pos) if target_pos else None, target_pos,
                           sheet.parsed(*actual_pos) if actual_pos else None, actual_pos,
                           str(sheet.shown(*actual_pos) or "").strip() if actual_pos else ""))
    total_pos = t.pos(t.total.row, "score") if t.total else None
    raw, parsed, shown = _cells(sheet, [x.actual_pos for x in leaves] + [x.score_pos for x in leaves] + [total_pos])
    return IndicatorFacts("detail", sheet.title, tuple(sections), tuple(leaves), (), total_pos, raw, parsed, shown)


def summary_facts(checker) -> IndicatorFacts:
    """The facts of a :class:`~.check_summary.SummaryChecker` that has run."""
    t, sheet = checker.t, checker.sheet
    categories = tuple(Category(entry.label, row.what, row.weight, row.weight_pos, row.score, row.score_pos)
                       for row, entry in zip(checker.rows, t.entries))
    total_pos = (t.total.cells.get("score") if t.total else None) or t.grade_pos
    raw, parsed, shown = _cells(sheet, [c.weight_pos for c in categories] + [c.score_pos for c in categories]
                                + [total_pos])
    return IndicatorFacts("summary", sheet.title, (), (), categories, total_pos, raw, parsed, shown)
