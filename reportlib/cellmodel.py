"""A table's arithmetic as a list of checks over its cells, for :mod:`reportlib.diagnose`.

Each check computes one value from the inputs (a 扣分 = weight − score, a 合计 = Σ items) and is
compared with what the table states at the precision it shows, or is a constraint that holds or not
(a score within its weight, level-1 weights adding up to 100).  The indicator and fund tables
describe themselves this way; the model tests a hypothesis by recomputing every check, and reads an
input's candidate values back from a check by solving it, exactly, where the check is linear in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Callable

from .diagnose import Key, Values
from .grid import Pos
from .values import Number, agrees

Compute = Callable[[Values], "Fraction | None"]


@dataclass(eq=False)
class Check:
    """One check: ``compute`` gives the exact value the inputs imply (None when one is unknown)."""

    key: Key
    inputs: tuple[Pos, ...]
    compute: Compute
    stated: Number | None = None  # what the table shows; a constraint with a target states it too
    derived: bool = True  # a cell that may be rewritten (False: a constraint, or a cell never rewritten)
    agree: Callable[[Number, Fraction], bool] = agrees
    holds: Callable[[Values], "bool | None"] | None = None  # a constraint with no value (a range)
    linear: bool = True  # compute is linear in each input, so candidates are solved exactly
    domain: Callable[[Fraction], bool] = field(default=lambda v: True)
    #: candidate values of an input for a check that is not linear in it: (cell, values) -> values
    solver: Callable[[Pos, Values], list[Fraction]] | None = None
    label: str = ""  # the check in words, for messages: "扣分 5.00", "合计得分 94.00"
    #: the exact values the stated one stands for, where not its display interval (money at the
    #: table's own precision)
    bounds: tuple[Fraction, Fraction] | None = None
    confirms: bool = True  # a check that holds confirms its inputs (not so a range)


def stated_number(value: int | Fraction | Decimal, decimals: int = 10) -> Number:
    """A target the schema states (100 for level-1 weights), compared exactly."""
    return Number(Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction)
                  else Decimal(value), decimals)


class CheckModel:
    """The :class:`~reportlib.diagnose.Model` of a table described by its checks."""

    def __init__(self, inputs: Values, steps: dict[Pos, Fraction], domains: dict[Pos, Callable] | None = None,
                 shown: Callable[[Pos, Fraction], str] | None = None):
        self.inputs = inputs
        self.steps = steps  # the smallest change an input shows (1 for a whole score, 0.01 for money)
        self.domains = domains or {}
        self.checks: dict[Key, Check] = {}
        self._shown = shown

    def add(self, check: Check) -> Check:
        if check.key not in self.checks:
            self.checks[check.key] = check
        return check

    @property
    def deps(self) -> dict[Key, tuple[Pos, ...]]:
        """Derived cells the model knows, by position (what the checker's guard asks about)."""
        return {k: c.inputs for k, c in self.checks.items() if c.derived}

    # -- the Model protocol -------------------------------------------------------------------------
    def compare(self, values: Values) -> dict[Key, bool]:
        state: dict[Key, bool] = {}
        for key, check in self.checks.items():
            if check.holds is not None:
                ok = check.holds(values)
                if ok is not None:
                    state[key] = ok
                continue
            if check.stated is None:
                continue
            exact = check.compute(values)
            if exact is not None:
                state[key] = check.agree(check.stated, exact)
        return state

    def inputs_of(self, key: Key) -> tuple[Pos, ...]:
        check = self.checks.get(key)
        return check.inputs if check else ()

    def derived(self, key: Key) -> bool:
        check = self.checks.get(key)
        return bool(check and check.derived)

    def allowed(self, cell: Pos, value: Fraction, values: Values) -> bool:
        domain = self.domains.get(cell)
        return domain(value, values) if domain else True

    def in_domain(self, key: Key, values: Values) -> bool:
        check = self.checks.get(key)
        if check is None or check.holds is not None:
            return True
        exact = check.compute(values)
        return exact is not None and check.domain(exact)

    def solvable(self, key: Key) -> bool:
        check = self.checks.get(key)
        return bool(check and check.stated is not None and (check.linear or check.solver is not None))

    def confirms(self, key: Key) -> bool:
        check = self.checks.get(key)
        return bool(check and check.confirms)

    def strong(self, key: Key) -> bool:
        """A linear check (a sum, a difference) shows any change of its inputs at their precision; a
        rate shown as 100% may not."""
        check = self.checks.get(key)
        return bool(check and check.confirms and check.linear and check.solver is None and check.holds is None)

    def value(self, key: Key, values: Values) -> Fraction | None:
        check = self.checks.get(key)
        return check.compute(values) if check is not None and check.holds is None else None

    def describe(self, key: Key) -> str:
        check = self.checks.get(key)
        return check.label if check else ""

    def show(self, cell: Pos, value: Fraction) -> str:
        if self._shown:
            return self._shown(cell, value)
        return f"{float(value):g}"

    def solve(self, cell: Pos, key: Key, values: Values) -> list[Fraction]:
        """Values of ``cell`` on its own grid that make ``key`` show its stated value."""
        check = self.checks.get(key)
        if check is None or check.stated is None or cell not in check.inputs:
            return []
        if check.solver is not None:
            return check.solver(cell, values)
        if not check.linear:
            return []
        at0 = check.compute({**values, cell: Fraction(0)})
        at1 = check.compute({**values, cell: Fraction(1)})
        if at0 is None or at1 is None or at1 == at0:
            return []
        slope = at1 - at0
        lo, hi = check.bounds or check.stated.bounds
        a, b = sorted(((lo - at0) / slope, (hi - at0) / slope))
        step = self.steps.get(cell, Fraction(1, 100))
        if not check.stated.percent and slope.denominator == 1:  # 572.5 for 57.25: the sum's decimals say more
            step = min(step, Fraction(1, 10 ** min(check.stated.decimals, 6)))
        return grid_points(a, b, step, limit=5)


def grid_points(lo: Fraction, hi: Fraction, step: Fraction, limit: int = 3) -> list[Fraction]:
    """Multiples of ``step`` in [lo, hi] (at most ``limit``, from the middle); one exact point when the
    interval is narrower than a step and holds none."""
    first, last = math.ceil(lo / step), math.floor(hi / step)
    if last < first:
        return []
    if last - first + 1 > limit:
        mid = (lo + hi) / 2 / step
        first = max(first, math.floor(mid) - limit // 2)
        last = first + limit - 1
    return [step * i for i in range(first, last + 1)]


def step_of(number: Number | None, at_least: int = 0, at_most: int = 6) -> Fraction:
    """The smallest step an input shows: ``Fraction(1, 100)`` for 18.60."""
    decimals = number.decimals if number is not None and not number.percent else at_least
    decimals = min(max(decimals, at_least), at_most)
    return Fraction(1, 10 ** decimals)
