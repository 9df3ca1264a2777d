"""The scoring scheme of an A–E table: option weights and question points, and where they came from.

Precedence: the user's override, then what the notes under the table state, then what the table's
own consistent cells imply (A is the full weight, so points = score_A / share_A, then each option's
weight = score / (share × points)), then the defaults in ``schemas/questionnaire.yaml``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from statistics import median

from ..messages import say
from ..values import Number, agrees

OVERRIDE, NOTES, TABLE, SCHEMA = "override", "notes", "table", "schema"


def source_words(source: str | None) -> str:
    """``schema+table`` -> ``默认方案、由表中分数推断``: where weights or points came from, for a clerk."""
    words = {OVERRIDE: say("source.override"), NOTES: say("source.notes"), TABLE: say("source.table"),
             SCHEMA: say("source.schema")}
    return "、".join(words.get(x, x) for x in (source or "").split("+") if x)


@dataclass
class Observed:
    """What one question shows: the share the author used and the score they wrote, per option."""

    shares: dict[str, Fraction]  # the share the author's score was computed from, as the table states it
    scores: dict[str, Number]
    #: the shares the counts give; where a stated share is wrong, the author's score may follow either
    exact: dict[str, Fraction] = field(default_factory=dict)
    total: Number | None = None  # the question's stated total score (合计 column or 各题得分)
    #: the exact values a stated share that disagrees with the counts stands for (0.52 for 0.515–0.525)
    stated_bounds: dict[str, tuple[Fraction, Fraction]] = field(default_factory=dict)

    def alternatives(self, option: str) -> list[tuple[Fraction, Fraction]]:
        """The shares a score of this option may have been computed from, as intervals: the stated
        one (any value that displays as it), and the counts' own when the stated one disagrees with
        them (a share typed ×10, a copied column)."""
        share = self.shares.get(option, Fraction(0))
        found = [self.stated_bounds.get(option, (share, share))]
        if option in self.exact and self.exact[option] != share and share > 0:
            found.append((self.exact[option], self.exact[option]))  # a share left 0 scored 0: the author used 0
        return found

    def explains(self, option: str, factor: Fraction) -> bool:
        """Whether the option's stated score is share × ``factor`` for a share it may have used."""
        score = self.scores.get(option)
        if score is None:
            return False
        lo, hi = score.bounds
        return any(a * factor < hi and lo <= b * factor or (a * factor <= lo < b * factor)
                   for a, b in self.alternatives(option)) if factor >= 0 else False


@dataclass
class Scheme:
    option_weights: dict[str, Fraction]
    weight_sources: dict[str, str]
    question_points: list[Fraction]
    points_sources: list[str]
    table_weights: dict[str, Fraction] = field(default_factory=dict)  # what the cells imply
    table_points: list[Fraction | None] = field(default_factory=list)
    preset: str | None = None  # the schema preset that filled weights the table left open

    @property
    def weights_source(self) -> str:
        return _summary(self.weight_sources.values())

    @property
    def points_source(self) -> str:
        return _summary(self.points_sources)

    @property
    def total_points(self) -> Fraction:
        return sum(self.question_points, Fraction(0))


def common_answers(answers: list[int]) -> int:
    """The answer count most questions share (the larger on a tie): the valid questionnaires."""
    if not answers:
        return 0
    return max(Counter(answers).items(), key=lambda kv: (kv[1], kv[0]))[0]


def _summary(sources) -> str:
    distinct = sorted(set(sources))
    return distinct[0] if len(distinct) == 1 else "+".join(distinct)


def infer_points(observed: list[Observed], first: str, total: Fraction = Fraction(100)) -> list[Fraction | None]:
    """Each question's points from its full-weight option: points = score_A / share_A.

    The displayed score allows an interval of points; a whole number alone in it decides, else a
    half, or the even share of the total (8 questions of 12.5 points). Where several fit (a small
    share_A), the value the decided questions share is taken if it fits.
    """
    even = total / len(observed) if observed else None
    intervals: list[list[tuple[Fraction, Fraction]]] = []
    for obs in observed:
        score = obs.scores.get(first)
        found = []
        for low, high in obs.alternatives(first):
            if low > 0 and score is not None and score.value > 0:
                lo, hi = score.bounds
                found.append((lo / high, hi / low))
        intervals.append(found)

    def candidates(ivs):
        # a question is worth at most the whole survey: the interval is cut there, so a share typed as
        # 0.0001 % beside a score of 10^29 cannot ask for 10^30 candidates
        ivs = [(lo, min(hi, total + 1)) for lo, hi in ivs if lo < total + 1]
        whole = []
        for lo, hi in ivs:
            whole += [Fraction(p) for p in range(max(1, math.ceil(lo)), math.ceil(hi)) if lo <= p < hi]
        if not whole:  # no whole number fits: 12.5 points, or 100/6
            for lo, hi in ivs:
                whole += [Fraction(p, 2) for p in range(max(1, math.ceil(2 * lo)), math.ceil(2 * hi))
                          if lo <= Fraction(p, 2) < hi]
                if even is not None and lo <= even < hi:
                    whole.append(even)
        return sorted(set(whole))

    decided = [c[0] if iv and len(c := candidates(iv)) == 1 else None for iv in intervals]
    common = Counter(p for p in decided if p is not None).most_common(1)
    result: list[Fraction | None] = []
    for ivs, points in zip(intervals, decided):
        options = candidates(ivs) if ivs else []
        if common and common[0][0] in options and points != common[0][0]:
            points = common[0][0]  # another reading of the same question agrees with the others
        elif points is None and options:
            lo, hi = ivs[0]
            points = min(options, key=lambda p: abs(p - (lo + hi) / 2))
        result.append(points)
    return result


def infer_weight(observed: list[Observed], points: list[Fraction | None], option: str,
                 step: Fraction) -> Fraction | None:
    """The weight on the ``step`` grid that explains most of an option's scores, if a majority."""
    cells = [(obs.alternatives(option), obs.scores[option], p) for obs, p in zip(observed, points)
             if p is not None and option in obs.scores and any(b > 0 for _, b in obs.alternatives(option))]
    if not cells:
        return None
    grid = [step * i for i in range(int(1 / step) + 1)]
    votes: Counter[Fraction] = Counter({w: 0 for w in grid})
    for shares, sc, p in cells:
        # the weights whose score displays as the stated one form an interval [lo, hi) / (share × points),
        # for each share the score may have been computed from: every grid step inside one gets a vote
        voted = set()
        for low, high in shares:
            if low <= 0:
                continue
            lo, hi = sc.bounds
            first = math.ceil(lo / (high * p) / step)
            last = math.ceil(hi / (low * p) / step) - 1
            voted |= set(range(max(first, 0), min(last, len(grid) - 1) + 1))
        for i in voted:
            votes[grid[i]] += 1
    best = max(votes.values())
    if best == 0 or best * 2 < len(cells):
        return None
    estimate = median(float(Fraction(sc.value) / (shares[0][0] * p)) for shares, sc, p in cells if shares[0][0] > 0) \
        if any(shares[0][0] > 0 for shares, _, _ in cells) else float(best)
    tied = [w for w, n in votes.items() if n == best]
    return min(tied, key=lambda w: ((w * 10).denominator != 1, abs(float(w) - estimate)))


def weights_from_notes(notes: list[str], option_of) -> dict[str, Fraction]:
    """Weights stated in text such as ``“很满意”×1.0+“满意”×0.8+…`` or ``A=1，B=0.8``."""
    found: dict[str, Fraction] = {}
    pattern = re.compile(r"([^\s“”\"'×xX*=:：+,，、()（）]{1,8})[”\"']?\s*[×xX*=]\s*(\d+(?:\.\d+)?)")
    for note in notes:
        for label, number in pattern.findall(note):
            for i in range(len(label)):
                option = option_of(label[i:])
                if option:
                    found.setdefault(option, Fraction(Decimal(number)))
                    break
    return found if len(found) >= 3 else {}


def points_from_notes(notes: list[str], n_questions: int, patterns: dict[str, list[str]],
                      key) -> list[Fraction | None]:
    """Question points stated in notes such as ``第1题20分，其余各题10分/题``."""
    text = "".join(key(n) for n in notes)
    points: list[Fraction | None] = [None] * n_questions
    for pattern in patterns["question_points"]:
        for m in re.finditer(pattern, text):
            q = int(m.group("q"))
            if 1 <= q <= n_questions:
                points[q - 1] = Fraction(Decimal(m.group("points")))
    for pattern in patterns["other_points"]:
        m = re.search(pattern, text)
        if m:
            points = [p if p is not None else Fraction(Decimal(m.group("points"))) for p in points]
            break
    return points


def _settle_points(observed: list[Observed], table_points: list[Fraction | None], options: list[str],
                   step: Fraction) -> list[Fraction | None]:
    """A question whose points differ from the others' only by its full-weight score (typed x10, or
    copied from a neighbour) takes the others' points when they explain more of its scores."""
    common = Counter(p for p in table_points if p is not None).most_common(1)
    if not common or all(p in (None, common[0][0]) for p in table_points):
        return table_points  # every question that says has the same points: nothing to settle
    usual = common[0][0]
    weights = {options[0]: Fraction(1)}
    for option in options[1:]:
        w = infer_weight(observed, table_points, option, step)
        if w is not None:
            weights[option] = w

    def explained(obs: Observed, points: Fraction) -> int:
        return sum(1 for k, w in weights.items() if obs.explains(k, w * points))

    settled = list(table_points)
    for i, (obs, own) in enumerate(zip(observed, table_points)):
        if own is not None and own != usual and explained(obs, usual) > explained(obs, own):
            settled[i] = usual
    return settled


def decide(observed: list[Observed], options: list[str], notes_weights: dict[str, Fraction],
           notes_points: list[Fraction | None], override_weights, override_points,
           scheme_schema: dict, more_fit=None) -> Scheme:
    """Combine override, notes, table and schema into the scheme used to recompute.

    ``more_fit(weights, points)`` counts the stated cells beyond the questions' own that a scheme
    explains (the 合计 row's scores, 最终得分)."""
    step = Fraction(Decimal(str(scheme_schema["weight_step"])))
    default_weights = {k: Fraction(Decimal(str(v))) for k, v in scheme_schema["default_option_weights"].items()}
    n = len(observed)
    first = options[0]

    table_points = infer_points(observed, first, Fraction(Decimal(str(scheme_schema["default_total_points"]))))
    table_points = _settle_points(observed, table_points, options, step)
    points: list[Fraction] = []
    points_sources: list[str] = []
    common = Counter(p for p in table_points if p is not None).most_common(1)
    default_points = Fraction(Decimal(str(scheme_schema["default_total_points"]))) / n
    for i in range(n):
        if override_points is not None:
            value = override_points[i] if len(override_points) > 1 else override_points[0]
            chosen = (Fraction(value), OVERRIDE)
        elif notes_points[i] is not None:
            chosen = (notes_points[i], NOTES)
        elif table_points[i] is not None:
            chosen = (table_points[i], TABLE)
        elif common:
            chosen = (common[0][0], TABLE)
        else:
            chosen = (default_points, SCHEMA)
        points.append(chosen[0])
        points_sources.append(chosen[1])

    def choose(author_points):
        """The weights read against the points the author used, the notes' and the override's first,
        then the one named scheme that fits the table best."""
        table_weights = {first: Fraction(1)}
        for option in options[1:]:
            w = infer_weight(observed, author_points, option, step)
            if w is not None:
                table_weights[option] = w
        fallback, preset = _fallback_weights(table_weights, options, scheme_schema, default_weights)
        weights: dict[str, Fraction] = {}
        sources: dict[str, str] = {}
        for i, option in enumerate(options):
            if override_weights is not None:
                if len(override_weights) != len(options):
                    raise ValueError(f"--option-weights 需要 {len(options)} 个权重（{'/'.join(options)}），"
                                     f"收到 {len(override_weights)} 个")
                weights[option], sources[option] = Fraction(override_weights[i]), OVERRIDE
            elif option in notes_weights:
                weights[option], sources[option] = notes_weights[option], NOTES
            elif option in table_weights:
                weights[option], sources[option] = table_weights[option], TABLE
            else:
                weights[option], sources[option] = fallback[option], SCHEMA
        if override_weights is None:
            weights, sources = _best_fit(observed, options, weights, sources, points, scheme_schema, notes_weights,
                                         more_fit)
        return table_weights, preset, weights, sources

    # weights are read against the points the author used (the table's), where known
    author_points = [tp if tp is not None else p for tp, p in zip(table_points, points)]
    table_weights, preset, weights, sources = choose(author_points)
    if override_points is None and any(src == TABLE for src in points_sources):
        settled, points_sources = _points_fit(observed, weights, points, points_sources, default_points, more_fit)
        if settled != points:  # the points read from a copied A column were wrong: so were the weights read with them
            points = settled
            table_weights, preset, weights, sources = choose(points)
            table_points = list(points)
    used_preset = preset if any(sources[o] == SCHEMA for o in options) else None
    return Scheme(weights, sources, points, points_sources, table_weights, table_points, used_preset)


def _points_fit(observed, weights, points, sources, even, more_fit):
    """Points read from the full-weight scores (score_A ÷ share_A) give way to the even split of the
    total when that explains more of the table's scores and totals (a copied A column fakes points)."""
    def fit(p):
        return _fit(observed, weights, p) + (more_fit(weights, p) if more_fit else 0)

    candidate = [even if src == TABLE else p for p, src in zip(points, sources)]
    if candidate != points and fit(candidate) > fit(points) and fit(points) < _most(observed, more_fit):
        return candidate, sources
    return points, sources


def _most(observed: list[Observed], more_fit) -> int:
    """The most stated cells a scheme can explain."""
    return sum(len(obs.scores) + (obs.total is not None and bool(obs.exact)) for obs in observed) + \
        (getattr(more_fit, "cells", 0) if more_fit else 0)


def _fit(observed: list[Observed], weights: dict[str, Fraction], points: list[Fraction]) -> int:
    """How many of the table's stated scores and question totals a scheme explains."""
    n = 0
    for obs, p in zip(observed, points):
        for k in obs.scores:
            if obs.explains(k, weights[k] * p):
                n += 1
        if obs.total is not None and obs.exact:
            n += agrees(obs.total, sum((obs.exact[k] * weights[k] * p for k in weights), Fraction(0)))
    return n


def _best_fit(observed, options, weights, sources, points, scheme_schema, notes_weights, more_fit=None):
    """Where a named scheme explains more of the stated scores and question totals than the weights
    read option by option (a score column copied from its neighbour fakes a weight), that scheme is
    taken for the options the notes do not fix."""
    def fit(w):
        return _fit(observed, w, points) + (more_fit(w, points) if more_fit else 0)

    presets = scheme_schema.get("presets", {}).values()
    named = [{k: Fraction(Decimal(str(spec.get(k, 0)))) for k in options} for spec in presets]
    if weights in named:
        return weights, sources  # the weights read are a named scheme: a wrong cell does not make them so
    best, best_fit = None, fit(weights)
    if best_fit >= _most(observed, more_fit):
        return weights, sources  # the weights read explain every stated score already
    for spec in presets:
        candidate = {k: (notes_weights[k] if k in notes_weights else Fraction(Decimal(str(spec.get(k, 0)))))
                     for k in options}
        found = fit(candidate)
        if found > best_fit:
            best, best_fit = candidate, found
    if best is None:
        return weights, sources
    changed = {k: TABLE for k in options if best[k] != weights[k]}
    return best, {**sources, **changed}


def _fallback_weights(table_weights: dict[str, Fraction], options: list[str], scheme_schema: dict,
                      default_weights: dict[str, Fraction]) -> tuple[dict[str, Fraction], str | None]:
    """Weights for options the table leaves open: the one preset that agrees with what the table
    does determine (1/0.9 -> the 1/0.9/0.8 scheme), else the schema's default."""
    presets = {name: {k: Fraction(Decimal(str(v))) for k, v in weights.items()}
               for name, weights in scheme_schema.get("presets", {}).items()}
    determined = {k: w for k, w in table_weights.items() if k != options[0]}
    if determined:
        matching = {name: p for name, p in presets.items() if all(p.get(k) == w for k, w in determined.items())}
        open_options = [o for o in options if o not in table_weights]
        if matching and all(len({p.get(o) for p in matching.values()}) == 1 for o in open_options):
            name = sorted(matching)[0]
            chosen = matching[name]
            return {o: chosen.get(o, default_weights.get(o, Fraction(0))) for o in options}, name
    return {o: default_weights.get(o, Fraction(0)) for o in options}, None
