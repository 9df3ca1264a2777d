"""A fund table's relations as checks, for the diagnosis (:mod:`reportlib.diagnose`).

Every defining relation (a row's 合计 over its sources, a balance, a 小计 / 合计 row, a merged group
cell) is a derived cell whose exact value is computed down to the inputs (sources, spending, the
parts of a balance, item amounts); a check-only relation (结余资金 + 调整资金 = 剩余资金) is a
constraint.  Amounts are compared exactly at the table's precision, never with a tolerance.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from ..cellmodel import Check, CheckModel
from ..diagnose import Values
from ..grid import Pos, a1
from ..checker import money_quote
from ..values import Number, money_agrees, round_half_up
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
        else:
            cells = tuple(dict.fromkeys(x for cell in rel.cells for x in leaves_of(cell)))

            def holds(values, rel=rel, p=p):
                target = value_of(rel.target, values)
                terms = [value_of(t, values) for t, _ in rel.terms]
                if target is None or any(t is None for t in terms):
                    return None
                total = sum((s * t for t, (_, s) in zip(terms, rel.terms)), Fraction(0))
                return round_half_up(target, p) == round_half_up(total, p)
            m.add(Check(("rel", id(rel)), cells, lambda values: None, derived=False, holds=holds,
                        label=rel.scope or rel.what))
    return m


def _bounds(stated, precision: int) -> tuple[Fraction, Fraction] | None:
    """An amount stands for the exact values that round to it at the table's precision."""
    if not isinstance(stated, Number):
        return None
    shown = Fraction(round_half_up(stated.value, precision))
    half = Fraction(1, 2 * 10 ** precision)
    return shown - half, shown + half


def _label(c: "FundChecker", rel: Rel) -> str:
    stated = c.sheet.parsed(*rel.target)
    value = f" {money_quote(stated.value, stated, c._precision_of(rel.target[1]))}" if isinstance(stated, Number) else ""
    return f"{rel.scope or rel.what}（{a1(*rel.target)}{value}）"
