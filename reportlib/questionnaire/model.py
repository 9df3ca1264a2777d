"""An A–E table as the diagnosis sees it: counts are the inputs, every other number follows from them.

The cells and values are the ones :class:`~reportlib.questionnaire.check_ae.AEChecker` derives: a
question's 合计人数, shares, share sum, scores and total score, the 合计 block, 最终得分; plus the
constraint that a question has as many answers as the others.  A count's candidate values are read
back from each check it takes part in (the row total less the other options, a share times the other
answers, ...), so a count typed 20 for 2 is found from its own row, column and shares.
"""

from __future__ import annotations

import math
from collections import Counter
from fractions import Fraction
from typing import Iterable

from ..diagnose import Key, Values
from ..grid import Pos, a1
from ..messages import say
from ..values import Number, agrees
from .locate import AETable
from .scheme import Scheme


class AEModel:
    def __init__(self, table: AETable, scheme: Scheme, counts: list[dict[str, int | None]]):
        self.t, self.scheme = table, scheme
        self.sheet = table.sheet
        self.options = table.options
        self.cells = [{k: table.pos(b, "count", k) for k in self.options} for b in table.questions]
        self.question_of = {pos: (q, k) for q, row in enumerate(self.cells) for k, pos in row.items() if pos}
        self.inputs: Values = {self.cells[q][k]: (None if v is None else Fraction(v))
                               for q, c in enumerate(counts) for k, v in c.items() if self.cells[q][k]}
        self.stated: dict[Key, Number] = {}
        self.deps: dict[Key, tuple[Pos, ...]] = {}
        self._layout()
        self._last: tuple[Values, dict] | None = None
        self._memo: dict[tuple, tuple] = {}
        self._by_question: dict[int, list] = {}
        for key, kind in self.kind.items():
            if kind[0] in ("n", "share", "score", "question"):
                self._by_question.setdefault(kind[1], []).append((key, kind))
        self._total_kinds = [(k, kind) for k, kind in self.kind.items()
                             if kind[0] in ("one", "column", "all", "column-share", "column-score", "grand", "final")]
        self._same = [(k, kind[1]) for k, kind in self.kind.items() if kind[0] == "same-answers"]

    # -- which cells are checked, and on what they depend ---------------------------------------------
    def _add(self, pos: Pos | None, deps: Iterable[Pos], kind: tuple) -> None:
        if pos is None or pos in self.deps:
            return
        self.deps[pos] = tuple(deps)
        self.kind[pos] = kind
        parsed = self.sheet.parsed(*pos)
        if isinstance(parsed, Number):
            self.stated[pos] = parsed

    def _layout(self) -> None:
        t = self.t
        self.kind: dict[Key, tuple] = {}
        every = [p for row in self.cells for p in row.values() if p]
        for q, block in enumerate(t.questions):
            own = [p for p in self.cells[q].values() if p]
            self._add(t.total_pos(block, "count"), own, ("n", q))
            for k in self.options:
                self._add(t.pos(block, "share", k), own, ("share", q, k))
            if any(t.pos(block, "share", k) for k in self.options):
                self._add(t.total_pos(block, "share"), (), ("one",))
            for k in self.options:
                self._add(t.pos(block, "score", k), own, ("score", q, k))
            self._add(t.total_pos(block, "score"), own, ("question", q))
            self._add(t.question_score_pos(block), own, ("question", q))
            if len(t.questions) > 1:
                self.deps[("answers", q)] = tuple(own)
                self.kind[("answers", q)] = ("same-answers", q)
        tb = t.total_block
        if tb is not None:
            for k in self.options:
                column = [row[k] for row in self.cells if row[k]]
                self._add(t.pos(tb, "count", k), column, ("column", k))
            if "count" in tb.rows:
                self._add(t.total_pos(tb, "count"), every, ("all",))
            for k in self.options:
                if t.pos(tb, "count", k):
                    self._add(t.pos(tb, "share", k), every, ("column-share", k))
            if t.total_pos(tb, "share") and "share" in tb.rows:
                self._add(t.total_pos(tb, "share"), (), ("one",))
            merged = t.merged_total_score_pos(tb)
            if "score" in tb.rows and merged is None:
                for k in self.options:
                    self._add(t.pos(tb, "score", k), every, ("column-score", k))
                self._add(t.total_pos(tb, "score"), every, ("grand",))
            for pos in (merged, t.question_score_pos(tb)):
                self._add(pos, every, ("grand",))
        self._add(t.final_pos, every, ("final",))

    # -- the Model protocol ---------------------------------------------------------------------------
    def inputs_of(self, key: Key) -> tuple[Pos, ...]:
        return self.deps.get(key, ())

    def derived(self, key: Key) -> bool:
        return not (isinstance(key, tuple) and key and key[0] == "answers")

    def allowed(self, cell: Pos, value: Fraction, values: Values) -> bool:
        return value >= 0 and value.denominator == 1

    def in_domain(self, key: Key, values: Values) -> bool:
        return True  # every figure recomputed from whole counts ≥ 0 is a figure the table may show

    def doubt(self, key: Key, values: Values) -> str | None:
        """Why a recomputed score may not be written: the option weight or the question points it rests
        on are not read from the table but assumed (a default scheme)."""
        kind = self.kind.get(key, ("",))
        assumed = [k for k in self.options if self.scheme.weight_sources.get(k) == "schema"]
        name = kind[0]
        if name in ("score", "column-score"):
            option = kind[2] if name == "score" else kind[1]
            questions = [kind[1]] if name == "score" else range(len(self.cells))
            if option in assumed and any(values.get(self.cells[q][option]) for q in questions):
                return say("survey.weight-assumed", options=option)
        elif name in ("question", "grand", "final"):
            questions = [kind[1]] if name == "question" else range(len(self.cells))
            used = [k for k in assumed if any(values.get(self.cells[q][k]) for q in questions)]
            if used:
                return say("survey.weight-assumed", options="、".join(used))
        if name in ("score", "question") and self.scheme.points_sources[kind[1]] == "schema":
            return say("survey.points-assumed")
        return None

    def solvable(self, key: Key) -> bool:
        kind = self.kind.get(key, ("",))[0]
        return kind == "same-answers" or (key in self.stated and kind in ("n", "column", "all", "share", "score"))

    def confirms(self, key: Key) -> bool:
        return True

    def strong(self, key: Key) -> bool:
        """Sums of counts show any change of a count; a rounded share or score may not."""
        return self.kind.get(key, ("",))[0] in ("n", "column", "all")

    def value(self, key: Key, values: Values) -> Fraction | None:
        if self._last is None or self._last[0] is not values:
            self._last = (values, self.exact(values))
        return self._last[1].get(key)

    def show(self, cell: Pos, value: Fraction) -> str:
        return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"

    def describe(self, key: Key) -> str:
        """A check in words, for the message of a corrected count: ``本题合计人数 H4``."""
        kind = self.kind[key]
        if not isinstance(key, tuple) or isinstance(key[0], str):
            return say("survey.other-answers")
        where = a1(*key)
        if key not in self.stated:
            return where
        return say("survey.check-at", check=_check_words().get(kind[0], ""), cell=where, value=self.stated[key].display())

    def _question(self, q: int, counts: tuple) -> tuple:
        """One question's answers, scores, checked values and their states, for these counts; memoised,
        since a hypothesis changes one count and every other question stays as it was."""
        key = (q, counts)
        found = self._memo.get(key)
        if found is not None:
            return found
        if any(v is None for v in counts):
            found = (None, None, {}, {})
        else:
            c = dict(zip(self.options, counts))
            n = sum(counts, Fraction(0))
            shares = {k: c[k] / n if n else Fraction(0) for k in self.options}
            weights, points = self.scheme.option_weights, self.scheme.question_points[q]
            sc = {k: shares[k] * weights[k] * points for k in self.options}
            out: dict[Key, Fraction] = {}
            for k_, kind in self._question_keys(q):
                name = kind[0]
                out[k_] = n if name == "n" else shares[kind[2]] if name == "share" else \
                    sc[kind[2]] if name == "score" else sum(sc.values(), Fraction(0))
            state = {k_: agrees(self.stated[k_], v) for k_, v in out.items() if k_ in self.stated}
            found = (n, sc, out, state)
        if len(self._memo) > 4096:
            self._memo.clear()
        self._memo[key] = found
        return found

    def _counts(self, values: Values) -> list[tuple]:
        return [tuple(values.get(row[k]) if row[k] else Fraction(0) for k in self.options) for row in self.cells]

    def exact(self, values: Values) -> dict[Key, Fraction]:
        """Every checked cell's value from these counts (cells over an unknown count left out)."""
        return self._evaluate(values)[0]

    def _evaluate(self, values: Values) -> tuple[dict[Key, Fraction], dict[Key, bool]]:
        counts = self._counts(values)
        per = [self._question(q, c) for q, c in enumerate(counts)]
        out: dict[Key, Fraction] = {}
        state: dict[Key, bool] = {}
        for _, _, q_out, q_state in per:
            out.update(q_out)
            state.update(q_state)
        answers = [n for n, _, _, _ in per]
        known = all(n is not None for n in answers)
        total_n = sum(answers, Fraction(0)) if known else None
        grand = sum((sum(sc.values(), Fraction(0)) for _, sc, _, _ in per), Fraction(0)) if known else None
        for key, kind in self._total_kinds:
            name = kind[0]
            if name == "one":
                out[key] = Fraction(1)
            elif name == "column":
                i = self.options.index(kind[1])
                column = [c[i] for c in counts]
                if all(v is not None for v in column):
                    out[key] = sum(column, Fraction(0))
            elif not known:
                continue
            elif name == "all":
                out[key] = total_n
            elif name == "column-share":
                i = self.options.index(kind[1])
                out[key] = sum((c[i] for c in counts), Fraction(0)) / total_n if total_n else Fraction(0)
            elif name == "column-score":
                out[key] = sum((sc[kind[1]] for _, sc, _, _ in per), Fraction(0))
            elif name == "grand":
                out[key] = grand
            elif name == "final":
                out[key] = grand * 100 / self.scheme.total_points
        for key, kind in self._total_kinds:
            if key in self.stated and key in out:
                state[key] = agrees(self.stated[key], out[key])
        final = self.t.final_pos
        if final in state and not state[final] and self.scheme.total_points != 100:
            # 最终得分 stated as the plain sum of the question scores (37.70 of 40) holds too
            state[final] = agrees(self.stated[final], out[final] * self.scheme.total_points / 100)
        if self._same:
            tally = Counter(a for a in answers if a is not None)
            for key, q in self._same:
                mine = answers[q]
                others = tally.copy()
                if mine is not None:
                    others[mine] -= 1
                others = +others
                rest = sum(others.values())
                if not rest:
                    continue
                common = max(others.items(), key=lambda kv: (kv[1], kv[0]))
                out[key] = Fraction(common[0])
                if mine is not None and common[1] >= 2 and common[1] * 2 >= rest:
                    state[key] = mine == common[0]  # when most of the others agree
        return out, state

    def _question_keys(self, q: int) -> list[tuple[Key, tuple]]:
        return self._by_question.get(q, [])

    def compare(self, values: Values) -> dict[Key, bool]:
        return self._evaluate(values)[1]

    def solve(self, cell: Pos, key: Key, values: Values) -> list[Fraction]:
        """Whole counts for ``cell`` that make ``key`` show its stated value."""
        if cell not in self.question_of:
            return []
        q, k = self.question_of[cell]
        kind = self.kind.get(key)
        if kind is None:
            return []
        own = [values.get(p) for p in self.cells[q].values() if p and p != cell]
        if any(v is None for v in own):
            return []
        others = sum(own, Fraction(0))
        stated = self.stated.get(key)
        name = kind[0]
        if name == "same-answers":
            target = self.exact(values).get(key)
            return [target - others] if target is not None else []
        if stated is None:
            return []
        if name == "n":
            return [stated.fraction - others]
        if name == "column":
            rest = [values.get(row[k]) for i, row in enumerate(self.cells) if i != q and row[k]]
            return [] if any(v is None for v in rest) else [stated.fraction - sum(rest, Fraction(0))]
        if name == "all":
            rest = [v for p, v in values.items() if p != cell]
            return [] if any(v is None for v in rest) else [stated.fraction - sum(rest, Fraction(0))]
        if name in ("share", "score"):
            factor = Fraction(1) if name == "share" else \
                self.scheme.option_weights[kind[2]] * self.scheme.question_points[kind[1]]
            if factor == 0 or kind[1] != q:
                return []
            lo, hi = (b / factor for b in stated.bounds)
            if kind[2] == k:  # s = v / (others + v)
                return _whole_between(_own_share_count(lo, others), _own_share_count(hi, others))
            mine = values.get(self.cells[q][kind[2]])  # s_j = c_j / (others + v): the answers n it implies
            if not mine or hi <= 0:
                return []
            n_lo, n_hi = mine / hi, (mine / lo if lo > 0 else None)
            top = n_hi if n_hi is not None else n_lo * 2
            return [n - others for n in _whole_between(n_lo, top)]
        return []


def _own_share_count(share: Fraction, others: Fraction) -> Fraction:
    """The count v with v / (others + v) = share."""
    if share >= 1:
        return Fraction(10**9)
    return max(Fraction(0), share * others / (1 - share))


def _whole_between(lo: Fraction, hi: Fraction, limit: int = 3) -> list[Fraction]:
    """Whole numbers in [lo, hi], at most ``limit`` of them (the nearest to the middle)."""
    first, last = math.ceil(lo), math.floor(hi)
    if last < first:
        return []
    if last - first + 1 > limit:
        mid = (lo + hi) / 2
        first = max(first, math.floor(mid) - limit // 2)
        last = first + limit - 1
    return [Fraction(v) for v in range(first, last + 1)]


def _check_words() -> dict[str, str]:
    """What each kind of check of a questionnaire is called in a message."""
    return {"n": say("survey.check-n"), "share": say("survey.check-share"), "score": say("survey.check-score"),
            "question": say("survey.check-question"), "column": say("survey.check-column"),
            "all": say("survey.check-all"), "column-share": say("survey.check-column-share"),
            "column-score": say("survey.check-column-score"), "grand": say("survey.check-grand"),
            "final": say("survey.check-final")}
