"""What an indicator's score should be, from its 年度指标值 and 实际完成值, by the rules of
``schemas/selfeval.yaml`` (``scoring``): a quantity met or beaten has full marks; one missed has
实际 ÷ 目标 × 分值; a cap (≤, 成本, 投诉率) met has full marks, missed the configured reverse rule; a
qualitative value (达成预期指标, 部分达成) a band of the 分值.

Published forms set many scores by hand within these rules (a missed target scored 9 of 10 at 98 %),
so a score is only judged where the rule leaves no room: above its 分值, below full marks for a target
met, or outside its band.  A proportional score is a figure to compare, never a correction."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

_NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")


@dataclass(frozen=True)
class Judgement:
    """What the rules say of an indicator's score."""

    kind: str  # forward | reverse | qualitative | unknown
    met: bool | None  # the target met (None: cannot tell)
    share: Fraction | None = None  # the share of the 分值 the rule gives (1 when met); None: a band
    band: tuple[Fraction, Fraction] | None = None  # a qualitative value's band, as shares of the 分值
    target: Fraction | None = None
    actual: Fraction | None = None


def quantity(text: str) -> tuple[Fraction, bool] | None:
    """The number a target or a result states and whether it is a percentage: ``≥95%`` → (95, True),
    ``1,200人次`` → (1200, False); None without one, or with two (``90-100``: a range is not judged)."""
    normal = unicodedata.normalize("NFKC", text or "")
    numbers = _NUMBER.findall(normal)
    if len(numbers) != 1:
        return None
    return Fraction(Decimal(numbers[0].replace(",", ""))), "%" in normal


def judge(name: str, target: str, actual: str, spec: dict[str, Any]) -> Judgement:
    """The rule for one indicator: ``spec`` is the schema's ``scoring``."""
    normal_target = unicodedata.normalize("NFKC", target or "")
    reverse = any(s in normal_target for s in spec["reverse_signs"]) or (
        not any(s in normal_target for s in spec["forward_signs"]) and any(w in name for w in spec["reverse_words"]))
    goal, done = quantity(target), quantity(actual)
    if goal is not None and done is not None and goal[1] == done[1]:
        g, a = goal[0], done[0]
        if reverse:
            if a <= g:
                return Judgement("reverse", True, Fraction(1), target=g, actual=a)
            return Judgement("reverse", False, _reverse_share(g, a, spec["reverse_rule"]), target=g, actual=a)
        if a >= g:
            return Judgement("forward", True, Fraction(1), target=g, actual=a)
        return Judgement("forward", False, a / g if g > 0 else None, target=g, actual=a)
    word = _qualitative(actual, spec)
    if word is not None:
        lo, hi = (Fraction(x, 100) for x in spec["bands"][word][::-1])
        return Judgement("qualitative", word == "met", None, band=(lo, hi))
    return Judgement("unknown", None)


def _reverse_share(goal: Fraction, actual: Fraction, rule: str) -> Fraction | None:
    if goal <= 0:
        return None
    if rule == "ratio":
        return goal / actual
    return max(Fraction(0), 1 - (actual - goal) / goal)  # linear: nothing left at twice the cap


def _qualitative(actual: str, spec: dict[str, Any]) -> str | None:
    """met / partly / missed for a result written in words; the longest word wins (未完成 before 完成)."""
    key = re.sub(r"\s", "", unicodedata.normalize("NFKC", actual or ""))
    if not key:
        return None
    pairs = sorted(((w, kind) for kind in ("met", "partly", "missed") for w in spec["qualitative"][kind]),
                   key=lambda p: len(p[0]), reverse=True)
    for word, kind in pairs:
        if key == word or (len(word) > 1 and word in key):
            return kind
    return None
