"""Scores that follow from an indicator's target (标杆值 / 指标值) and actual value (业绩值).

``>=100人`` against ``100人`` is met: full points.  A shortfall within the configured deviation
scores ``actual / target × points``; a larger one scores ``beyond_deviation_score × points``.
Rates such as 资金到位率 and 预算执行率 score in proportion with no cut-off, and indicators
where smaller is better (``<=0.02万元``, 成本) use ``target / actual``.  The rules are read from
``schemas/indicators.yaml``; values that are not numbers (合规, 效果明显, 2022年12月) are
qualitative and left as stated.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..messages import say
from ..values import Number, Text, format_at, formula_number

_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\s*(%?)\s*([^\d%]*)$")


@dataclass(frozen=True)
class Measure:
    """A parsed target or actual value: comparison, value (percent as a fraction), unit."""

    op: str  # ">=", "<=", "=" or "" (none stated)
    value: Fraction
    percent: bool
    unit: str

    def show(self) -> str:
        if self.percent:
            return format_at(self.value, 4, True).replace(".00%", "%")
        return f"{formula_number(self.value)}{self.unit}"


def parse_measure(parsed, rules: dict) -> Measure | None:
    """A target or actual cell as a :class:`Measure`, or None when it is qualitative."""
    if isinstance(parsed, Number):
        return Measure("", parsed.fraction, parsed.percent, "")
    if not isinstance(parsed, Text):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", parsed.value))
    op = ""
    for sign, words in ((">=", rules["at_least"]), ("<=", rules["at_most"]), ("=", rules["exactly"])):
        for word in sorted(words, key=len, reverse=True):
            if text.startswith(word):
                op, text = sign, text[len(word):]
                break
            if text.endswith(word) and sign != "=":
                op, text = sign, text[: -len(word)]
                break
        if op:
            break
    if text.startswith(">"):
        op, text = ">=", text[1:]
    elif text.startswith("<"):
        op, text = "<=", text[1:]
    m = _NUMBER.match(text)
    if not m:
        return None
    value = Fraction(Decimal(m.group(1)))
    percent = bool(m.group(2))
    return Measure(op, value / 100 if percent else value, percent, m.group(3))


@dataclass(frozen=True)
class RuleScore:
    score: Fraction
    reason: str


def rule_score(label: str, target: Measure, actual: Measure, points: Fraction, rules: dict) -> RuleScore | None:
    """The score the rules give, with the reasoning in Chinese; None when they do not apply."""
    if target.percent != actual.percent or (target.unit and actual.unit and target.unit != actual.unit):
        return None
    if actual.op:
        return None
    reverse = target.op == "<=" or any(w in label for w in rules["reverse_words"])
    if target.value <= 0 or (reverse and actual.value <= 0):
        return None
    ratio = target.value / actual.value if reverse else actual.value / target.value
    what = say("rules.values", actual=actual.show(), target=target.show())
    if any(w in label for w in rules["proportional_words"]):
        share = min(ratio, Fraction(1))
        return RuleScore(share * points, say("rules.proportional", values=what, share=format_at(share, 4, True),
                                             points=formula_number(points)))
    met = ratio >= 1
    if met:
        return RuleScore(points, say("rules.met", values=what, points=formula_number(points)))
    deviation = 1 - ratio
    limit = Fraction(Decimal(str(rules["max_deviation"])))
    if deviation < limit:
        return RuleScore(ratio * points, say("rules.within-reverse" if reverse else "rules.within", values=what,
                                             deviation=format_at(deviation, 4, True), limit=format_at(limit, 2, True)))
    beyond = Fraction(Decimal(str(rules["beyond_deviation_score"])))
    return RuleScore(beyond * points, say("rules.beyond", values=what, deviation=format_at(deviation, 4, True),
                                          limit=format_at(limit, 2, True), points=formula_number(beyond * points)))
