"""Whether one number is a plausible slip of the keyboard for another.

When a check fails and several cells could be the wrong one, the candidates whose stated value is
a typical typo of the value the check needs (two digits swapped, one digit changed, the decimal
point one place off) are the ones worth a person's look first.  This never decides a correction on
its own; it orders and names the suspects of a review item.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .messages import say


def _digits(value: Fraction | Decimal, decimals: int) -> str | None:
    scaled = Fraction(value) * 10 ** decimals
    if scaled.denominator != 1 or scaled < 0:
        return None
    return str(scaled.numerator)


def typo_of(stated: Fraction | Decimal, meant: Fraction | Decimal, decimals: int) -> str | None:
    """How ``stated`` could be ``meant`` mistyped (at ``decimals`` places), in words; None if it
    looks like no common slip."""
    a, b = _digits(stated, decimals), _digits(meant, decimals)
    if a is None or b is None or a == b:
        return None
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return say("typo.digit")
        if len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]:
            return say("typo.transposed")
    s, m = Fraction(stated), Fraction(meant)
    if m and s in (m * 10, m / 10, m * 100, m / 100):
        return say("typo.decimal-point")
    if len(a) == len(b) + 1 and any(a[:i] + a[i + 1:] == b for i in range(len(a))):
        return say("typo.extra-digit")
    if len(b) == len(a) + 1 and any(b[:i] + b[i + 1:] == a for i in range(len(b))):
        return say("typo.missing-digit")
    return None
