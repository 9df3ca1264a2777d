"""What an indicator table established: the total score and grade, the level-1 categories, and for the
checks that compare tables a full table's level-1 sections and weighted leaves or a summary's
categories, each with the cells it came from.  Built once a checker has run; the comparisons
(:func:`summary_against_details`, :mod:`reportlib.crosscheck`) and the drafts read these and never the
checkers, and :meth:`IndicatorFacts.to_json` is the table's ``figures`` in ``check --json``."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..grid import Pos, Sheet
from ..values import Number, round_half_up
from .grades import Bands
from .locate import code_of


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
    rate_pos: Pos | None = None  # its 得分率 cell, if the summary has one


@dataclass(frozen=True)
class Level1:
    """A level-1 category as the figures give it: weight, score (None when the table is not scored)."""

    name: str
    code: str
    weight: Fraction
    score: Fraction | None

    def to_json(self) -> dict[str, Any]:
        """Weight, score, 扣分 and 得分率 (in percent)."""
        w, s = self.weight, self.score
        return {
            "name": self.name,
            "code": self.code[:1],
            "weight": float(w),
            "score": float(round_half_up(s, 4)) if s is not None else None,
            "deduction": float(round_half_up(w - s, 4)) if s is not None else None,
            "rate": float(round_half_up(s / w * 100, 2)) if s is not None and w else None,
        }


@dataclass(frozen=True)
class IndicatorFacts:
    form: str  # detail | summary
    sheet: str
    title: str | None = None
    primary: bool = False  # a full indicator system (the project's main indicator table)
    total_weight: Fraction = Fraction(0)
    total_score: Fraction | None = None  # the recomputed total (None when the table is not scored)
    stated_total: Number | None = None  # the 合计 score as the table states it
    grade: str | None = None
    bands: Bands = Bands((), "")
    indicators: int = 0  # a full table's weighted leaves
    level1: tuple[Level1, ...] = ()
    project_name: str | None = None  # from an info line above the table
    #: the decimals the table shows weights, scores and 得分率 (of the fraction: 4 for 91.67%) with
    decimals: tuple[int, int, int] = (0, 2, 4)
    levels: int = 0  # a full table's level columns (4 for 一级 to 四级指标)
    sections: tuple[Section, ...] = ()
    leaves: tuple[Leaf, ...] = ()
    categories: tuple[Category, ...] = ()
    total_pos: Pos | None = None  # the 合计 score cell (a summary without one: its grade cell)
    #: the cells the comparisons may read or mark: their raw value, their parsed value, how they show
    raw: dict[Pos, Any] | None = None
    parsed: dict[Pos, Any] | None = None
    shown: dict[Pos, Any] | None = None

    @property
    def shown_total(self) -> float | None:
        """The total as the figures give it: a full table's sum of scores of any precision to 4 decimals."""
        total = self.total_score
        return None if total is None else float(round_half_up(total, 4) if self.form == "detail" else total)

    def to_json(self) -> dict[str, Any]:
        stated = self.stated_total
        data: dict[str, Any] = {
            "form": self.form,
            "sheet": self.sheet,
            "title": self.title,
            "primary": self.primary,
            "total_weight": float(self.total_weight),
            "total_score": self.shown_total,
            "stated_total_score": float(stated.value) if stated else None,
            "grade": self.grade,
            "grade_bands": self.bands.to_json(),
            "grade_bands_source": self.bands.source,
        }
        if self.form == "detail":
            data["indicators"] = self.indicators
        data["level1"] = [x.to_json() for x in self.level1]
        if self.project_name:
            data["project_name"] = self.project_name
        return data

    def stated_number(self, pos: Pos | None) -> Number | None:
        value = (self.parsed or {}).get(pos) if pos is not None else None
        return value if isinstance(value, Number) else None


def _decimals(checker, rows, total: Number | None) -> tuple[int, int, int]:
    """The decimals most weight, score and rate cells of these rows show; the 合计 score's for scores."""
    def usual(positions, default: int) -> int:
        shown = [n.decimals for p in positions if (n := checker.stated_number(p)) is not None]
        return max(set(shown), key=shown.count) if shown else default

    score = total.decimals if total is not None else usual([r.score_pos for r in rows], 2)
    return usual([r.weight_pos for r in rows], 0), score, usual([r.rate_pos for r in rows], 4)


def _cells(sheet: Sheet, positions) -> tuple[dict, dict, dict]:
    cells = {p for p in positions if p is not None}
    return ({p: sheet.raw(*p) for p in cells}, {p: sheet.parsed(*p) for p in cells},
            {p: sheet.shown(*p) for p in cells})


def detail_facts(checker, scored: list, total: Fraction | None, grade: str | None) -> IndicatorFacts:
    """The facts of a :class:`~.check_detail.DetailChecker` that has run: ``scored`` its leaves read,
    ``total`` their recomputed sum (None when none has a score), ``grade`` the grade it gives."""
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
    level1 = tuple(Level1(root.name(), root.code, checker.eff(root),
                          checker.leaf_sum([x for x in root.leaves() if x in scored]) if total is not None else None)
                   for root in t.roots)
    stated = checker.stated_number(total_pos) if "score" in t.cols else None
    return IndicatorFacts(
        "detail", sheet.title, t.title[0] if t.title else None, checker.complete,
        sum((checker.eff(r) for r in t.roots), Fraction(0)), total, stated, grade, checker.bands,
        sum(1 for x in scored if checker.rows[x].weight), level1,
        levels=len(t.levels), decimals=_decimals(checker, [checker.rows[x] for x in scored], stated),
        sections=tuple(sections), leaves=tuple(leaves), total_pos=total_pos, raw=raw, parsed=parsed, shown=shown)


def summary_facts(checker, total: Fraction | None, grade: str | None) -> IndicatorFacts:
    """The facts of a :class:`~.check_summary.SummaryChecker` that has run: ``total`` the sum of its
    categories' scores (None when none has a score), ``grade`` the grade it gives."""
    t, sheet = checker.t, checker.sheet
    categories = tuple(Category(entry.label, row.what, row.weight, row.weight_pos, row.score, row.score_pos,
                                row.rate_pos) for row, entry in zip(checker.rows, t.entries))
    total_pos = (t.total.cells.get("score") if t.total else None) or t.grade_pos
    raw, parsed, shown = _cells(sheet, [c.weight_pos for c in categories] + [c.score_pos for c in categories]
                                + [c.rate_pos for c in categories] + [total_pos])
    stated = checker.stated_number(t.total.cells.get("score")) if t.total else None
    level1 = tuple(Level1(row.what, code_of(entry.label), row.weight or Fraction(0), row.score)
                   for row, entry in zip(checker.rows, t.entries))
    return IndicatorFacts(
        "summary", sheet.title, t.title[0] if t.title else None, False,
        sum((r.weight or Fraction(0) for r in checker.rows), Fraction(0)), total, stated, grade, checker.bands,
        level1=level1, decimals=_decimals(checker, checker.rows, stated), categories=categories, total_pos=total_pos, raw=raw, parsed=parsed, shown=shown)
