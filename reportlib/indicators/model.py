"""Indicator tables as checks over their cells, for the diagnosis (:mod:`reportlib.diagnose`).

Weights and scores are the inputs (a summary without a 得分 column states the score by its 扣分,
which is then the input).  Per row: 扣分 = weight − score, 得分率 = score ÷ weight, 0 ≤ score ≤ weight;
per 小计 / 合计 row: the sums and their own 扣分 and 得分率; level-1 weights add up to 100; a label's
declared weight (``A11立项依据充分性（2分）``) equals its weight or its children's sum.  So a level-1
weight typed 0 for 60 is found from its 扣分, its 得分率 and the 合计 weight, which all say 60.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Callable, Iterable

from ..cellmodel import Check, CheckModel, grid_points, stated_number, step_of
from ..diagnose import Values
from ..grid import Pos
from ..messages import say
from ..values import Number, decimals_to_show, format_at
from .scoring import Row

if TYPE_CHECKING:
    from .scoring import ScoredRows

Value = Callable[[Values], "Fraction | None"]


def total_of(parts: Iterable[Value]) -> Value:
    """The sum of several values (None when one is unknown); remembered for the hypothesis last asked
    about, since the 合计, the sections and the 100 total all ask for the same sums."""
    parts = tuple(parts)
    last: list = [None, None]

    def compute(values: Values) -> Fraction | None:
        if last[0] is values:
            return last[1]
        found = [p(values) for p in parts]
        result = None if any(x is None for x in found) else sum(found, Fraction(0))
        last[0], last[1] = values, result
        return result
    return compute


@dataclass
class Scored:
    """A row's weight and score as values of a hypothesis, and the input cells each depends on."""

    weight: Value
    score: Value
    weight_cells: tuple[Pos, ...]
    score_cells: tuple[Pos, ...]

    @property
    def cells(self) -> tuple[Pos, ...]:
        return tuple(dict.fromkeys(self.weight_cells + self.score_cells))


class ScoredModel(CheckModel):
    """The checks every scored table shares: a row's 扣分 and 得分率, its range, sums, the 100 total."""

    def __init__(self, checker: "ScoredRows"):
        self.checker = checker
        super().__init__({}, {}, shown=self._show)

    def number(self, pos: Pos | None) -> Number | None:
        return self.checker.stated_number(pos)

    def input(self, pos: Pos | None, fallback: Fraction | None = None) -> tuple[Value, tuple[Pos, ...]]:
        """An input cell's value in a hypothesis; a blank cell stands for ``fallback`` (a weight its
        label gives) and is no input."""
        if pos is not None and pos in self.checker.sheet.uncomputed:
            self.inputs[pos] = None  # a formula without a result: unknown, so what depends on it is not compared
            return (lambda values: values.get(pos)), (pos,)
        if pos is None or self.checker.sheet.parsed(*pos) is None:
            return (lambda values: fallback), ()
        stated = self.number(pos)
        self.inputs[pos] = stated.fraction if stated is not None else None
        self.steps[pos] = step_of(stated, at_least=0)
        return (lambda values: values.get(pos)), (pos,)

    def label(self, what: str, pos: Pos | None) -> str:
        stated = self.number(pos)
        return say("checks.labelled", what=what, value=stated.display()) if stated is not None else what

    def row_checks(self, row: Row, cells: Scored, name: object, prefix: str = "") -> None:
        """扣分, 得分率 and the range of one row (``prefix`` names a 小计 / 合计 row in messages)."""
        w, s = cells.weight, cells.score

        def deduction(values):
            a, b = w(values), s(values)
            return None if a is None or b is None else a - b

        def rate(values):
            a, b = w(values), s(values)
            return None if a is None or b is None or a == 0 else b / a

        if row.deduction_pos and row.deduction_pos not in self.inputs:
            self.add(Check(row.deduction_pos, cells.cells, deduction, self.number(row.deduction_pos),
                           domain=lambda v: v >= 0, label=self.label(prefix + say("checks.deduction"), row.deduction_pos)))
        if row.rate_pos:
            stated = self.number(row.rate_pos)
            self.add(Check(row.rate_pos, cells.cells, rate, stated, agree=self.checker.rate_agrees,
                           linear=False, domain=lambda v: 0 <= v <= 1,
                           solver=self._rate_solver(row, cells, stated) if stated is not None else None,
                           label=self.label(prefix + say("checks.rate"), row.rate_pos)))

        def in_range(values):
            a, b = w(values), s(values)
            return None if a is None or b is None else 0 <= b <= a

        self.add(Check(("range", name), cells.cells, lambda values: None, derived=False, holds=in_range,
                       label=say("checks.in-range"), confirms=False))

    def _rate_solver(self, row: Row, cells: Scored, stated: Number):
        lo, hi = stated.bounds
        if self.checker.in_points(stated):  # 得分率 written as points (91.67)
            lo, hi = lo / 100, hi / 100

        def solve(cell: Pos, values: Values) -> list[Fraction]:
            step = self.steps.get(cell, Fraction(1, 100))
            w, s = cells.weight(values), cells.score(values)
            if cell in cells.score_cells and cell not in cells.weight_cells and w:
                if cell == row.deduction_pos:  # score = weight − 扣分
                    return grid_points(w - hi * w, w - lo * w, step)
                return grid_points(lo * w, hi * w, step)
            if cell in cells.weight_cells and s is not None and lo > 0:
                return grid_points(s / hi, s / lo, step)
            return []
        return solve

    def sum_checks(self, row: Row, parts: list[Scored], name: object) -> None:
        """A 小计 / 合计 row: its weight and score are the sums of ``parts``; its 扣分 and 得分率 follow."""
        weight, score = total_of(p.weight for p in parts), total_of(p.score for p in parts)
        weight_cells = tuple(dict.fromkeys(c for p in parts for c in p.weight_cells))
        score_cells = tuple(dict.fromkeys(c for p in parts for c in p.score_cells))
        if row.weight_pos:
            self.add(Check(row.weight_pos, weight_cells, weight, self.number(row.weight_pos),
                           label=self.label(say("checks.weight-of", row=row.what), row.weight_pos)))
        if row.score_pos:
            self.add(Check(row.score_pos, score_cells, score, self.number(row.score_pos),
                           label=self.label(say("checks.score-of", row=row.what), row.score_pos)))
        self.row_checks(row, Scored(weight, score, weight_cells, score_cells), name, row.what)

    def hundred(self, parts: list[Scored], total: Fraction) -> None:
        """Level-1 weights add up to the table's total (100)."""
        cells = tuple(dict.fromkeys(c for p in parts for c in p.weight_cells))
        self.add(Check(("weights-total",), cells, total_of(p.weight for p in parts), stated_number(total),
                       derived=False, label=say("checks.level1-total", total=total)))

    def grade(self, pos: Pos | None, parts: list[Scored], bands, schema: dict) -> None:
        """The stated grade follows the total score."""
        if pos is None:
            return
        from .grades import stated_grade
        raw = self.checker.sheet.raw(*pos)
        found = stated_grade(raw, schema) if raw is not None else None
        total = total_of(p.score for p in parts)
        cells = tuple(dict.fromkeys(c for p in parts for c in p.score_cells))

        def holds(values):
            value = total(values)
            return None if value is None or found is None else bands.grade(value) == found
        # a grade band holds for most totals near the right one: it confirms no score
        self.add(Check(pos, cells, total, holds=holds, label=say("checks.grade", grade=raw), confirms=False))

    def score_domain(self, cell: Pos, weight: Value) -> None:
        """A corrected score stays between 0 and its weight."""
        def ok(value, values):
            w = weight(values)
            return value >= 0 and (w is None or value <= w)
        self.domains[cell] = ok

    def weight_domain(self, cell: Pos) -> None:
        self.domains[cell] = lambda value, values: value >= 0

    def _show(self, cell: Pos, value: Fraction) -> str:
        stated = self.number(cell)
        if stated is not None and not stated.percent:
            return format_at(value, decimals_to_show(value, stated.decimals))
        return str(value.numerator) if value.denominator == 1 else format_at(value, 2)


def _table_steps(m: ScoredModel) -> None:
    """Every input is solved at the finest precision its column shows anywhere in the table: a score
    typed 35 among scores of 1.5 may have been 3.5 or 4, so a 合计 of 98 does not single out one."""
    by_col: dict[int, Fraction] = {}
    for (row, col), step in m.steps.items():
        by_col[col] = min(step, by_col.get(col, step))
    for pos in m.steps:
        m.steps[pos] = by_col[pos[1]]


def summary_model(checker) -> ScoredModel:
    """The level-1 summary: rows of weight, score, 扣分, 得分率; the 合计 row; weights adding to 100."""
    m = ScoredModel(checker)
    rows: list[Scored] = []
    for row in checker.rows:
        w, w_cells = m.input(row.weight_pos, fallback=Fraction(0))
        if row.score_pos:
            s, s_cells = m.input(row.score_pos, fallback=Fraction(0))  # a blank score adds nothing to 合计
            if s_cells:
                m.score_domain(row.score_pos, w)
        elif row.deduction_pos:  # the score is what the 扣分 leaves
            d, d_cells = m.input(row.deduction_pos)
            s = (lambda w, d: lambda values: None if w(values) is None or d(values) is None
                 else w(values) - d(values))(w, d)
            s_cells = w_cells + d_cells
        else:
            continue
        if w_cells:
            m.weight_domain(row.weight_pos)
        scored = Scored(w, s, w_cells, s_cells)
        if s_cells and w_cells:
            m.row_checks(row, scored, row.what)
        rows.append(scored)
    if rows and checker.t.total is not None:
        cells = checker.t.total.cells
        total = Row("合计", cells.get("weight"), cells.get("score"), cells.get("deduction"), cells.get("rate"))
        m.sum_checks(total, rows, "合计")
    if len(rows) >= 2:
        m.hundred(rows, Fraction(checker.schema["total_weight"]))
    m.grade(checker.t.grade_pos, rows, checker.bands, checker.schema)
    _table_steps(m)
    return m


def detail_model(checker, leaves: list) -> ScoredModel:
    """The full table: each leaf's weight and score (as read and already corrected), its 扣分 and
    得分率; a weight in a label equals its weight cell or its children's sum; a parent's own-row cells,
    小计 and 合计 rows are sums; level-1 weights add up to 100; the grade follows the total."""
    m = ScoredModel(checker)
    t = checker.t
    scored: dict[object, Scored] = {}
    for leaf in leaves:
        row = checker.rows[leaf]
        w, w_cells = m.input(row.weight_pos, fallback=leaf.declared or Fraction(0))
        if w_cells:
            m.inputs[row.weight_pos] = row.weight  # as the table's label evidence left it
            m.weight_domain(row.weight_pos)
        s, s_cells = m.input(row.score_pos, fallback=Fraction(0))  # a blank score adds nothing to a 小计
        if s_cells:
            m.inputs[row.score_pos] = row.score
            m.score_domain(row.score_pos, w)
        scored[leaf] = Scored(w, s, w_cells, s_cells)
        if s_cells:
            m.row_checks(row, scored[leaf], leaf)
        if leaf.declared is not None and w_cells:
            m.add(Check(("declared", leaf), w_cells, w, stated_number(leaf.declared), derived=False,
                        label=say("checks.declared", label=leaf.label, declared=_plain(leaf.declared))))

    memo: dict[int, Scored] = {}

    def under(node) -> Scored:
        if id(node) not in memo:
            memo[id(node)] = _under(node)
        return memo[id(node)]

    def _under(node) -> Scored:
        if node.is_leaf:
            return scored.get(node) or Scored(lambda v: None, lambda v: None, (), ())
        parts = [under(c) for c in node.children if not c.is_leaf or c in scored]
        weight = total_of(p.weight for p in parts)
        if node.declared is not None:  # a declared parent counts as its declared weight upwards
            declared = node.declared
            weight_cells: tuple[Pos, ...] = ()
            weight_value: Value = lambda values: declared
        else:
            weight_cells = tuple(dict.fromkeys(c for p in parts for c in p.weight_cells))
            weight_value = weight
        return Scored(weight_value, total_of(p.score for p in parts), weight_cells,
                      tuple(dict.fromkeys(c for p in parts for c in p.score_cells)))

    def visit(node) -> None:
        for child in node.children:
            visit(child)
        if node.is_leaf:
            return
        parts = [under(c) for c in node.children if not c.is_leaf or c in scored]
        sums = Scored(total_of(p.weight for p in parts), total_of(p.score for p in parts),
                      tuple(dict.fromkeys(c for p in parts for c in p.weight_cells)),
                      tuple(dict.fromkeys(c for p in parts for c in p.score_cells)))
        for measure, value, cells in (("weight", sums.weight, sums.weight_cells), ("score", sums.score, sums.score_cells)):
            own = checker.own_cell(node, measure)
            if own is not None and measure in t.cols and checker.sheet.raw(*own) is not None:
                m.add(Check(own, cells, value, m.number(own), label=m.label(
                    say("checks.node-weight" if measure == "weight" else "checks.node-score", node=node.name()), own)))
        if node.declared is not None and sums.weight_cells:
            m.add(Check(("declared", node), sums.weight_cells, sums.weight, stated_number(node.declared),
                        derived=False, label=say("checks.declared", label=node.label, declared=_plain(node.declared))))

    for root in t.roots:
        visit(root)
    for s in t.sums:
        scope = [x for x in checker.scope(s, leaves) if x in scored]
        if scope:
            cells = t.pos(s.row, "weight"), t.pos(s.row, "score"), t.pos(s.row, "deduction"), t.pos(s.row, "rate")
            m.sum_checks(Row(s.label, *cells), [scored[x] for x in scope], ("sum", s.row))
    roots = [under(r) for r in t.roots]
    if checker.complete and len(roots) >= 2:
        m.hundred(roots, Fraction(checker.schema["total_weight"]))
    if "score" in t.cols:
        m.grade(t.grade_pos, list(scored.values()), checker.bands, checker.schema)
    _table_steps(m)
    return m


def _plain(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"
