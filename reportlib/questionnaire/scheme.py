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

from ..values import Number, agrees

OVERRIDE, NOTES, TABLE, SCHEMA = "override", "notes", "table", "schema"


@dataclass
class Observed:
    """What one question shows: the share the author used and the score they wrote, per option."""

    shares: dict[str, Fraction]  # the share the author's score was computed from, as the table states it
    scores: dict[str, Number]
    #: the shares the counts give; where a stated share is wrong, the author's score may follow either
    exact: dict[str, Fraction] = field(default_factory=dict)
    total: Number | None = None  # the question's stated total score (合计 column or 各题得分)

    def alternatives(self, option: str) -> list[Fraction]:
        """The shares a score of this option may have been computed from: the stated one, and the
        counts' own when the stated one disagrees with them (a share typed ×10, a copied column)."""
        found = [self.shares.get(option, Fraction(0))]
        if option in self.exact and self.exact[option] != found[0] and found[0] > 0:
            found.append(self.exact[option])  # a share left 0 or blank scored 0: the author used the 0
        return found


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


def _explains(share: Fraction, weight: Fraction, points: Fraction, stated: Number) -> bool:
    return agrees(stated, share * weight * points)


def infer_points(observed: list[Observed], first: str) -> list[Fraction | None]:
    """Each question's points from its full-weight option: points = score_A / share_A.

    The displayed score allows an interval of points; a whole number alone in it decides. Where
    several fit (a small share_A), the value the decided questions share is taken if it fits.
    """
    intervals: list[list[tuple[Fraction, Fraction]]] = []
    for obs in observed:
        score = obs.scores.get(first)
        found = []
        for share in obs.alternatives(first):
            if share > 0 and score is not None and score.value > 0:
                lo, hi = score.bounds
                found.append((lo / share, hi / share))
        intervals.append(found)

    def candidates(ivs):
        whole = []
        for lo, hi in ivs:
            whole += [Fraction(p) for p in range(max(1, math.ceil(lo)), math.ceil(hi)) if lo <= p < hi]
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
             if p is not None and option in obs.scores and any(s > 0 for s in obs.alternatives(option))]
    if not cells:
        return None
    grid = [step * i for i in range(int(1 / step) + 1)]
    votes: Counter[Fraction] = Counter({w: 0 for w in grid})
    for shares, sc, p in cells:
        # the weights whose score displays as the stated one form an interval [lo, hi) / (share × points),
        # for each share the score may have been computed from: every grid step inside one gets a vote
        voted = set()
        for s in shares:
            if s <= 0:
                continue
            lo, hi = sc.bounds
            first = math.ceil(lo / (s * p) / step)
            last = math.ceil(hi / (s * p) / step) - 1
            voted |= set(range(max(first, 0), min(last, len(grid) - 1) + 1))
        for i in voted:
            votes[grid[i]] += 1
    best = max(votes.values())
    if best == 0 or best * 2 < len(cells):
        return None
    estimate = median(float(Fraction(sc.value) / (shares[0] * p)) for shares, sc, p in cells if shares[0] > 0) \
        if any(shares[0] > 0 for shares, _, _ in cells) else float(best)
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
    if not common:
        return table_points
    usual = common[0][0]
    weights = {options[0]: Fraction(1)}
    for option in options[1:]:
        w = infer_weight(observed, table_points, option, step)
        if w is not None:
            weights[option] = w

    def explained(obs: Observed, points: Fraction) -> int:
        return sum(1 for k, w in weights.items() if k in obs.scores and
                   any(agrees(obs.scores[k], s * w * points) for s in obs.alternatives(k)))

    settled = list(table_points)
    for i, (obs, own) in enumerate(zip(observed, table_points)):
        if own is not None and own != usual and explained(obs, usual) > explained(obs, own):
            settled[i] = usual
    return settled


def decide(observed: list[Observed], options: list[str], notes_weights: dict[str, Fraction],
           notes_points: list[Fraction | None], override_weights, override_points,
           scheme_schema: dict, more_fit=None) -> Scheme:
    """``more_fit(weights, points)`` counts the stated cells beyond the questions' own that a scheme
    explains (the 合计 row's scores, 最终得分)."""
    """Combine override, notes, table and schema into the scheme used to recompute."""
    step = Fraction(Decimal(str(scheme_schema["weight_step"])))
    default_weights = {k: Fraction(Decimal(str(v))) for k, v in scheme_schema["default_option_weights"].items()}
    n = len(observed)
    first = options[0]

    table_points = infer_points(observed, first)
    table_points = _settle_points(observed, table_points, options, step)
    points: list[Fraction] = []
    points_sources: list[str] = []
    common = Counter(p for p in table_points if p is not None).most_common(1)
    default_points = Fraction(Decimal(str(scheme_schema["default_total_points"]))) / n
    for i in range(n):
        if override_points is not None:
            value = override_points[i] if len(override_points) > 1 else override_points[0]
            points.append(Fraction(value)); points_sources.append(OVERRIDE)
        elif notes_points[i] is not None:
            points.append(notes_points[i]); points_sources.append(NOTES)
        elif table_points[i] is not None:
            points.append(table_points[i]); points_sources.append(TABLE)
        elif common:
            points.append(common[0][0]); points_sources.append(TABLE)
        else:
            points.append(default_points); points_sources.append(SCHEMA)

    # weights are read against the points the author used (the table's), where known
    author_points = [tp if tp is not None else p for tp, p in zip(table_points, points)]
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
                raise ValueError(f"--option-weights 需要 {len(options)} 个权重（{'/'.join(options)}），收到 {len(override_weights)} 个")
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
    used_preset = preset if any(sources[o] == SCHEMA for o in options) else None
    return Scheme(weights, sources, points, points_sources, table_weights, table_points, used_preset)


def _fit(observed: list[Observed], weights: dict[str, Fraction], points: list[Fraction]) -> int:
    """How many of the table's stated scores and question totals a scheme explains."""
    n = 0
    for obs, p in zip(observed, points):
        for k, score in obs.scores.items():
            if any(agrees(score, s * weights[k] * p) for s in obs.alternatives(k)):
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

    best, best_fit = None, fit(weights)
    for spec in scheme_schema.get("presets", {}).values():
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
