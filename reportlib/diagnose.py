"""Which cells of a table are wrong, by the weight of evidence, before anything is corrected.

A table is a set of input cells (what a person types: counts, weights, scores, item amounts) and
checks: derived cells (a share, a 扣分, a 合计, a balance) whose stated value must equal what the
inputs give, and plain constraints (a balance's parts add up to it; every question has as many
answers as the others).  When checks fail, the explanation that changes the fewest cells is taken,
and only when nothing else explains the same as well:

- an input cell is wrong when one new value for it makes at least two failing checks hold and
  breaks none that held (seed 002's count typed 20 for 2: its shares, its row total and its column
  total all say 2), and no other cell or value does as well;
- a derived cell is wrong when every input it is computed from is confirmed by another check that
  holds (a 合计 over items each confirmed by its own row); otherwise an input could be the wrong
  one just as well, and the cell is left for a person to look at, its rivals named;
- a correction must stay in its domain (a whole count, a share within 100 %, no negative 扣分).

A model of the table (one per attachment kind) answers the questions this module asks; it never
writes a finding.  Tables are small, so a hypothesis is tested by recomputing the whole model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Hashable, Iterable, Protocol

from .grid import Pos

Key = Hashable  # a derived cell's position, or a constraint's name
Values = dict[Pos, "Fraction | None"]  # an input's number; None when it is not a number (text)


class Model(Protocol):
    """What the diagnosis needs to know of a table."""

    inputs: Values

    def compare(self, values: Values) -> dict[Key, bool]:
        """Every check that can be compared (a stated derived cell, a constraint): True when it holds."""

    def inputs_of(self, key: Key) -> Iterable[Pos]:
        """The input cells a check depends on."""

    def solve(self, cell: Pos, key: Key, values: Values) -> Iterable[Fraction]:
        """Values of ``cell`` that would make ``key`` hold, the other inputs as they are."""

    def allowed(self, cell: Pos, value: Fraction, values: Values) -> bool:
        """Whether ``value`` is in the input's domain (a whole count ≥ 0, a score within its weight)."""

    def derived(self, key: Key) -> bool:
        """Whether a check is a derived cell that may be rewritten (not a plain constraint)."""

    def in_domain(self, key: Key, values: Values) -> bool:
        """Whether a derived cell's recomputed value is one it may take (no negative 扣分)."""

    def show(self, cell: Pos, value: Fraction) -> str:
        """An input's value as the table would show it."""

    def solvable(self, key: Key) -> bool:
        """Whether :meth:`solve` can list every value of an input that makes this check hold (so a
        check it finds no value for rules that input out)."""

    def confirms(self, key: Key) -> bool:
        """Whether a check that holds confirms its inputs (a sum does; a range such as 0 ≤ score ≤
        weight does not, since most wrong values still satisfy it)."""

    def value(self, key: Key, values: Values) -> Fraction | None:
        """A derived cell's exact value from these inputs."""


@dataclass
class Correction:
    """An input judged wrong: its value by the evidence and the checks that say so."""

    cell: Pos
    old: Fraction | None
    new: Fraction
    mends: list[Key]


@dataclass
class Diagnosis:
    """The verdict on a table: inputs to correct, derived cells that may be rewritten, the rest for review."""

    values: Values
    corrections: list[Correction] = field(default_factory=list)
    failing: set[Key] = field(default_factory=set)  # checks that still fail after the corrections
    trusted: set[Key] = field(default_factory=set)  # failing derived cells whose inputs are confirmed
    suspects: dict[Key, list[tuple[Pos, Fraction]]] = field(default_factory=dict)  # input rivals per check
    unlocked: dict[Key, list[Pos]] = field(default_factory=dict)  # inputs nothing confirms, per check
    holding: set[Key] = field(default_factory=set)
    doubts: dict[Key, str] = field(default_factory=dict)  # derived cells resting on an assumption
    by_input: dict[Pos, list[Key]] = field(default_factory=dict)

    def may_rewrite(self, key: Key) -> bool:
        """Whether a failing derived cell may get a new value: its inputs are confirmed."""
        return key in self.trusted

    strong: set[Key] = field(default_factory=set)  # holding checks that any change of an input shows
    state: dict[Key, bool] = field(default_factory=dict)
    indexed: bool = False

    def confirmed(self, cell: Pos) -> bool:
        """Whether a check that holds depends on this input (so a change to it would show)."""
        return any(k in self.holding for k in self.by_input.get(cell, ()))

    def locked(self, cell: Pos) -> bool:
        """Whether a sum that holds, shown as precisely as the input, depends on it: then no other
        value of it can hold too, and it need not be tried as a rival."""
        return any(k in self.strong for k in self.by_input.get(cell, ()))


def diagnose(model: Model, rounds: int = 3) -> Diagnosis:
    """Find the inputs that evidence convicts, then judge the derived cells that still fail."""
    values = dict(model.inputs)
    state = model.compare(values)
    diagnosis = Diagnosis(values)
    for _ in range(rounds):
        failing = {k for k, ok in state.items() if not ok}
        if not failing:
            break
        best = _best_input(model, values, state, failing)
        steps = [best] if best is not None else _best_pair(model, values, state, failing)
        if not steps:
            break
        for cell, value, trial in steps:
            mends = sorted((k for k, ok in trial.items() if ok and not state.get(k) and model.confirms(k)), key=str)
            mends += sorted((k for k in failing if trial.get(k) and not model.confirms(k)), key=str)
            diagnosis.corrections.append(Correction(cell, values[cell], value, mends))
            values = {**values, cell: value}  # a new dict: models remember the last one they saw
            state, failing = trial, {k for k, ok in trial.items() if not ok}
    diagnosis.values = values
    diagnosis.failing = {k for k, ok in state.items() if not ok}
    diagnosis.state = state
    if diagnosis.failing:  # a table that holds together needs no verdict on its derived cells
        _judge_derived(model, diagnosis, state)
    return diagnosis


def _best_input(model: Model, values: Values, state: dict[Key, bool], failing: set[Key]):
    """The one (input, value) that mends the most failing checks (at least two) and breaks none."""
    found = _candidates(model, values, state, failing)
    found = [x for x in found if not x[5]]
    if not found:
        return None
    found.sort(key=lambda x: -x[0])
    top = found[0]
    # a rival explains as much of the same failing checks; one that mends other checks is another fault
    rivals = [other for other in found[1:] if other[0] == top[0] and other[4] & top[4]]
    if not rivals:
        return top[1], top[2], top[3]
    cells = {top[1]} | {r[1] for r in rivals}
    if len(cells) == 1 + len(rivals):  # each in another cell: two faults, or two readings of one?
        together = {**values, **{x[1]: x[2] for x in [top] + rivals}}
        trial = model.compare(together)
        if not any(state.get(k) and not ok for k, ok in trial.items()) and \
                sum(1 for ok in trial.values() if not ok) < min(sum(1 for ok in x[3].values() if not ok)
                                                                 for x in [top] + rivals):
            return top[1], top[2], top[3]  # taken together they mend more than either: the first now
    return None  # two explanations fit as well: none is taken


def _best_pair(model: Model, values: Values, state: dict[Key, bool], failing: set[Key], tries: int = 6):
    """Two faults that hide each other: a value that mends many checks but breaks one that held only
    because a second fault compensated it (a 合计 share over a total both faults moved), and a second
    value that then mends the rest and restores what the first broke.  Taken only when it is the one
    such pair among the strongest first steps."""
    # the compensated checks are a few aggregates (the 合计 row's shares over a total both faults
    # moved), and the first value must mend far more than it breaks
    found = sorted((x for x in _candidates(model, values, state, failing) if x[5] and len(x[5]) <= 5
                    and x[0] > len(x[5])), key=lambda x: -x[0])[:tries]
    pairs = []
    for mended, cell, value, trial, _, broken in found:
        after = {**values, cell: value}
        second = _best_input(model, after, trial, {k for k, ok in trial.items() if not ok})
        if second is None:
            continue
        cell2, value2, trial2 = second
        if cell2 == cell or any(state.get(k) and not trial2.get(k) for k in state):
            continue  # the pair must leave every check that held holding
        if sum(1 for k in failing if trial2.get(k)) < 4:
            continue  # and mend at least two checks for each of its two cells
        pairs.append((sum(1 for ok in trial2.values() if not ok), (cell, value, trial), (cell2, value2, trial2)))
    if not pairs:
        return []
    least = min(n for n, _, _ in pairs)  # the pair that leaves the fewest checks failing
    best = [(a, b) for n, a, b in pairs if n == least]
    if len({frozenset(((a[0], a[1]), (b[0], b[1]))) for a, b in best}) != 1:
        return []
    return list(best[0])


def _candidates(model: Model, values: Values, state: dict[Key, bool], failing: set[Key]) -> list:
    """(witnesses, cell, value, trial, failing checks mended, checks broken) of every value of an input
    that some failing check solves for and that mends at least two checks."""
    proposed: dict[tuple[Pos, Fraction], set[Key]] = {}
    for key in sorted(failing, key=str):
        for cell in model.inputs_of(key):
            if values.get(cell) is None:
                continue
            for value in model.solve(cell, key, values):
                if value != values[cell]:
                    proposed.setdefault((cell, value), set()).add(key)
    # a value two failing checks both ask for is worth a trial; so is any value for an input a failing
    # bound already convicts (a score above its weight), or every value when there are few
    bound = {c for k in failing if not model.confirms(k) for c in model.inputs_of(k)}
    few = len(proposed) <= 24
    found = []
    for (cell, value), keys in sorted(proposed.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if (len(keys) < 2 and cell not in bound and not few) or not model.allowed(cell, value, values):
            continue
        trial = model.compare({**values, cell: value})
        broken = {k for k, ok in trial.items() if state.get(k) and not ok}
        # its witnesses: the failing checks it mends (a score above its weight is surely wrong, the 合计
        # says by how much), and checks it makes comparable that then hold (a 得分率 over a weight typed 0)
        mended = {k for k, ok in trial.items() if ok and not state.get(k) and (k in failing or model.confirms(k))}
        if len(mended) >= 2 and any(trial.get(k) for k in failing):
            found.append((len(mended), cell, value, trial, mended & failing, broken))
    return found


def _index(model: Model, diagnosis: Diagnosis) -> None:
    """Which checks hold, and which checks each input takes part in."""
    if diagnosis.indexed:
        return
    diagnosis.indexed = True
    state = diagnosis.state
    diagnosis.holding = {k for k, ok in state.items() if ok and model.confirms(k)}
    strong = getattr(model, "strong", None)
    diagnosis.strong = {k for k in diagnosis.holding if strong is None or strong(k)}
    for key in state:
        for cell in model.inputs_of(key):
            diagnosis.by_input.setdefault(cell, []).append(key)


def _judge_derived(model: Model, diagnosis: Diagnosis, state: dict[Key, bool]) -> None:
    """A failing derived cell may be rewritten when each input it depends on is confirmed by a check
    that holds; otherwise the input could be the wrong one, and the candidates are kept for review."""
    _index(model, diagnosis)
    trials: dict[tuple[Pos, Fraction], dict[Key, bool]] = {}
    doubt = getattr(model, "doubt", None)
    for key in sorted(diagnosis.failing, key=str):
        if not model.derived(key):
            continue
        why = doubt(key, diagnosis.values) if doubt else None
        if why:  # recomputed with a weight the table does not determine: not a correction to make
            diagnosis.doubts[key] = why
            continue
        known = [c for c in model.inputs_of(key) if diagnosis.values.get(c) is not None]
        free = [c for c in known if not diagnosis.confirmed(c)]
        if free:
            diagnosis.unlocked[key] = free
        if not model.solvable(key):
            if not free:  # every input confirmed, and nothing to try: the derived cell is the one
                if model.in_domain(key, diagnosis.values):
                    diagnosis.trusted.add(key)
            continue
        # a confirmed input may still be the wrong one where what confirms it cannot tell (a rate of
        # 100 % shown without decimals): every input is tried
        rivals = _rivals(model, diagnosis, key, [c for c in known if not diagnosis.locked(c)], state, trials)
        if rivals:
            diagnosis.suspects[key] = rivals
        elif model.in_domain(key, diagnosis.values):
            diagnosis.trusted.add(key)


def _rivals(model: Model, diagnosis: Diagnosis, key: Key, cells: list[Pos], state: dict[Key, bool],
            trials: dict) -> list[tuple[Pos, Fraction]]:
    """Inputs that could be the wrong cell instead: a value of theirs in its domain makes the check
    hold and breaks no check that held."""
    rivals = []
    for cell in cells:
        for value in model.solve(cell, key, diagnosis.values):
            if value == diagnosis.values[cell] or not model.allowed(cell, value, diagnosis.values):
                continue
            trial = trials.get((cell, value))
            if trial is None:
                trial = trials[(cell, value)] = model.compare({**diagnosis.values, cell: value})
            if trial.get(key) and not any(state.get(k) and not ok for k, ok in trial.items()):
                rivals.append((cell, value))
                break
    return rivals


def may_fill(model: Model, diagnosis: Diagnosis, key: Key) -> bool:
    """Whether a blank (or text) derived cell may be filled: every input it needs is a number that a
    check which holds confirms, and its value is in its domain."""
    _index(model, diagnosis)
    return all(diagnosis.values.get(c) is not None and diagnosis.confirmed(c) for c in model.inputs_of(key)) \
        and model.in_domain(key, diagnosis.values)
