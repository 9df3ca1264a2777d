"""The arithmetic a fund table must satisfy, as relations between cells.

Every identity is ``target = Σ sign × term``: a row's 合计 over its sources, a balance over
available − spent, a 小计 / 合计 row over its items, a merged group cell over the rows it spans.
Amounts are compared exactly at the table's decimal precision.

Which cell is wrong when relations fail is decided by :mod:`reportlib.diagnose` over the checks
:mod:`.model` builds from these relations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..grid import Pos
from ..values import round_half_up

Values = dict[Pos, Fraction | None]  # None: a cell whose number is unknown (text)


@dataclass(eq=False)
class Rel:
    """``target = Σ sign × term``; ``defines`` when the target is written as this formula."""

    code: str
    target: Pos
    terms: list[tuple[Pos, int]]
    formula: str
    what: str  # the identity in words, for messages
    defines: bool = True
    scope: str = ""  # where the identity lives, for evidence: "本行各来源之和", "本列合计"
    cells: list[Pos] = field(init=False)

    def __post_init__(self):
        self.cells = [self.target] + [t for t, _ in self.terms]


class Relations:
    """A table's relations with the precision each target column is compared at."""

    def __init__(self, precision_of):
        self.rels: list[Rel] = []
        self.of_cell: dict[Pos, list[Rel]] = {}
        self.precision_of = precision_of  # column -> decimals

    def add(self, rel: Rel) -> Rel:
        self.rels.append(rel)
        for cell in rel.cells:
            self.of_cell.setdefault(cell, []).append(rel)
        return rel

    def defining(self) -> dict[Pos, Rel]:
        return {r.target: r for r in self.rels if r.defines}

    def holds(self, rel: Rel, vals: Values, override: tuple[Pos, Fraction] | None = None) -> bool | None:
        """True or False at the target column's precision; None when a cell's number is unknown."""
        def get(pos):
            return override[1] if override and pos == override[0] else vals.get(pos, Fraction(0))
        target = get(rel.target)
        terms = [get(p) for p, _ in rel.terms]
        if target is None or any(t is None for t in terms):
            return None
        total = sum((s * t for t, (_, s) in zip(terms, rel.terms)), Fraction(0))
        p = self.precision_of(rel.target[1])
        return round_half_up(target, p) == round_half_up(total, p)

    @staticmethod
    def solve(rel: Rel, cell: Pos, vals: Values) -> Fraction | None:
        """The value of ``cell`` that makes ``rel`` hold, the other cells as they are."""
        others = Fraction(0)
        for pos, sign in rel.terms:
            if pos == cell:
                continue
            v = vals.get(pos, Fraction(0))
            if v is None:
                return None
            others += sign * v
        if cell == rel.target:
            return others
        sign = next(s for p, s in rel.terms if p == cell)
        target = vals.get(rel.target, Fraction(0))
        return None if target is None else (target - others) / sign

    def infer(self, cell: Pos, vals: Values) -> Fraction | None:
        """A cell's value when every relation that can determine it gives the same one."""
        values = []
        for rel in self.of_cell.get(cell, []):
            value = self.solve(rel, cell, vals)
            if value is not None:
                values.append(value)
        if not values:
            return None
        p = self.precision_of(cell[1])
        first = round_half_up(values[0], p)
        return values[0] if all(round_half_up(v, p) == first for v in values) else None
