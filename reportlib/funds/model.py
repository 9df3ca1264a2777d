"""A fund table's relations as checks, for the diagnosis (:mod:`reportlib.diagnose`).

Every defining relation (a row's 合计 over its sources, a balance, a 小计 / 合计 row, a merged group
cell) is a derived cell whose exact value is computed down to the inputs (sources, spending, the
parts of a balance, item amounts); a check-only relation (结余资金 + 调整资金 = 剩余资金) is a
constraint.  Amounts are compared exactly at the table's precision, never with a tolerance.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..cellmodel import Check, CheckModel, grid_points
from ..diagnose import Values
from ..grid import Pos, a1
from ..messages import say
from ..checker import money_quote
from ..values import Number, money_agrees, round_half_up
from .judge import rate_basis, rate_in_points
from .relations import Rel

if TYPE_CHECKING:
    from .check import FundChecker


def fund_model(c: "FundChecker") -> CheckModel:
    defining = c.defining
    inputs = {pos: v for pos, v in c.vals.items() if pos not in defining}
    steps = {pos: Fraction(1, 10 ** c._precision_of(pos[1])) for pos in inputs}

    def allowed(value, values, stated=None):
        return value >= 0 or (stated is not None and stated < 0)

    domains = {pos: (lambda value, values, s=v: allowed(value, values, s)) for pos, v in inputs.items()}
    m = CheckModel(inputs, steps, domains, shown=lambda pos, value: c.show(value, pos[1]))
    leaves: dict[Pos, tuple[Pos, ...]] = {}

    def leaves_of(pos: Pos, seen=()) -> tuple[Pos, ...]:
        if pos in leaves:
            return leaves[pos]
        rel = defining.get(pos)
        if rel is None or pos in seen:
            found: tuple[Pos, ...] = (pos,) if pos in inputs else ()
        else:
            found = tuple(dict.fromkeys(x for t, _ in rel.terms for x in leaves_of(t, seen + (pos,))))
        leaves[pos] = found
        return found

    def value_of(pos: Pos, values: Values, seen=()) -> Fraction | None:
        rel = defining.get(pos)
        if rel is None:
            return values.get(pos, Fraction(0)) if pos in inputs else c.vals.get(pos, Fraction(0))
        if pos in seen:
            return None
        total = Fraction(0)
        for term, sign in rel.terms:
            v = value_of(term, values, seen + (pos,))
            if v is None:
                return None
            total += sign * v
        return total

    for rel in c.rel.rels:
        p = c._precision_of(rel.target[1])
        if rel.defines:
            pos = rel.target
            stated = c.sheet.parsed(*pos)
            m.add(Check(pos, leaves_of(pos), lambda values, pos=pos: value_of(pos, values),
                        stated if isinstance(stated, Number) else None,
                        agree=lambda st, ex, p=p: money_agrees(st, ex, p), bounds=_bounds(stated, p),
                        domain=lambda v: v >= 0, label=_label(c, rel)))
        elif any(cell in inputs for cell in rel.cells):  # over derived cells only it holds by itself
            cells = tuple(dict.fromkeys(x for cell in rel.cells for x in leaves_of(cell)))

            def holds(values, rel=rel, p=p):
                target = value_of(rel.target, values)
                terms = [value_of(t, values) for t, _ in rel.terms]
                if target is None or any(t is None for t in terms):
                    return None
                total = sum((s * t for t, (_, s) in zip(terms, rel.terms)), Fraction(0))
                return round_half_up(target, p) == round_half_up(total, p)
            m.add(Check(("rel", id(rel)), cells, lambda values: None, derived=False, holds=holds,
                        label=_label(c, rel)))
    _rates(c, m, leaves_of, value_of)
    c.exact_cache.clear()  # the basis was read from the amounts as stated; corrections may follow
    return m


def _rates(c: "FundChecker", m: CheckModel, leaves_of, value_of) -> None:
    """Each row's 预算执行率 and 资金到位率 follow from its amounts, as :func:`.judge.judge` derives them."""
    t = c.t
    budget, arrived, spent = t.column("budget"), t.column("arrived"), t.column("spent")
    rate, arrival = t.column("execution_rate"), t.column("arrival_rate")
    basis = rate_basis(c, rate, budget, arrived, spent)
    pairs = []
    if rate is not None and spent is not None and basis is not None:
        pairs.append((rate, spent, basis))
    if arrival is not None and arrived is not None and budget is not None:
        pairs.append((arrival, arrived, budget))
    for column, num, den in pairs:
        scale = 100 if rate_in_points(c, column) else 1
        for row in c.rows:
            pos = (row, column.col)
            stated = c.sheet.parsed(*pos)
            if not isinstance(stated, Number):
                continue
            n, d = (row, num.col), (row, den.col)

            def compute(values, n=n, d=d, scale=scale):
                a, b = value_of(n, values), value_of(d, values)
                return None if a is None or b is None or b == 0 else a / b * scale
            m.add(Check(pos, tuple(dict.fromkeys(leaves_of(n) + leaves_of(d))), compute, stated, linear=False,
                        solver=_rate_solver(m, leaves_of(n), leaves_of(d), n, d, stated, scale, value_of),
                        domain=lambda v: v >= 0, label=say("funds.cell-label", row=row, column=column.name, cell=a1(*pos), value=stated.display())))


def _rate_solver(m: CheckModel, num_cells, den_cells, n: Pos, d: Pos, stated: Number, scale: int, value_of):
    """Amounts that make a rate show its stated value: the numerator in proportion to the rate, the
    denominator in inverse proportion; each solved through the (linear) sum the cell is part of."""
    lo, hi = (b / scale for b in stated.bounds)

    def through(target: Pos, cell: Pos, values, want_lo, want_hi):
        at0 = value_of(target, {**values, cell: Fraction(0)})
        at1 = value_of(target, {**values, cell: Fraction(1)})
        if at0 is None or at1 is None or at1 == at0:
            return []
        a, b = sorted(((want_lo - at0) / (at1 - at0), (want_hi - at0) / (at1 - at0)))
        return grid_points(a, b, m.steps.get(cell, Fraction(1, 100)))

    def solve(cell: Pos, values: Values) -> list[Fraction]:
        num, den = value_of(n, values), value_of(d, values)
        if num is None or den is None:
            return []
        if cell in num_cells and cell not in den_cells:
            return through(n, cell, values, lo * den, hi * den)
        if cell in den_cells and cell not in num_cells and lo > 0:
            return through(d, cell, values, num / hi, num / lo)
        return []
    return solve


def _bounds(stated, precision: int) -> tuple[Fraction, Fraction] | None:
    """An amount stands for the exact values that round to it at the table's precision."""
    if not isinstance(stated, Number):
        return None
    shown = Fraction(round_half_up(stated.value, precision))
    half = Fraction(1, 2 * 10 ** precision)
    return shown - half, shown + half


def _label(c: "FundChecker", rel: Rel) -> str:
    stated, raw = c.sheet.parsed(*rel.target), c.sheet.raw(*rel.target)
    if isinstance(stated, Number) and stated.text and stated.value == 0 and isinstance(raw, str):
        value = f" {raw.strip()}"  # a "-" is quoted as the clerk wrote it
    else:
        value = f" {money_quote(stated.value, stated, c._precision_of(rel.target[1]))}" if isinstance(stated, Number) else ""
    return f"{rel.scope or rel.what}（{a1(*rel.target)}{value}）"
