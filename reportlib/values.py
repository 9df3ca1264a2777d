"""Cell values as the reader saw them: exact decimals with the precision they were displayed at.

Tables arrive with numbers, percentages formatted ``0.00%``, text such as ``79.49%`` or ``８１``,
fractions, ``-`` for zero and blanks.  Everything numeric becomes a :class:`Number` on one scale
(percentages as fractions) that remembers how many decimals the person saw, so comparisons happen
at that precision and never with a loose float tolerance.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Union

#: decimals assumed for a number shown in the General format (Excel shows about ten)
GENERAL_DECIMALS = 10
#: No count, weight, score, rate or amount (even in 元) reaches 10^15, and Excel keeps 15 significant
#: digits: a cell beyond this, or shown with more decimals, holds no figure of a real table.  It is
#: read as text, so the checks say "应为数字" instead of computing with 1e308.
MAX_MAGNITUDE = Decimal(10) ** 15
MAX_DECIMALS = 15

#: the dashes a clerk writes for zero (a cell showing one keeps showing it when corrected to 0) ...
DASHES = ("-", "—", "–", "－", "--", "——")
#: ... and every word read as zero
ZERO_DASHES = {*DASHES, "/", "\\"}

_PCT_FORMAT = re.compile(r'"[^"]*"|\\.|%')
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")

Exact = Union[Fraction, int]


@dataclass(frozen=True)
class Number:
    """A numeric cell: its exact value, the decimals it was shown with, and how it was written."""

    value: Decimal
    decimals: int
    percent: bool = False
    text: bool = False
    #: decimals always shown (``0.######`` shows 110 as "110." and 4.2795 as "4.2795"); None: all of them
    minimum: int | None = None
    grouped: bool = False  # shown with thousands separators (``#,##0.00``, "1,234.50")

    @cached_property
    def fraction(self) -> Fraction:
        return Fraction(self.value)

    @cached_property
    def units(self) -> tuple[int, int]:
        """(the value as shown, in units of its last decimal; 10 ** decimals): ``bounds`` in integers."""
        scale = 10**self.decimals
        return int(round_half_up(self.value, self.decimals).scaleb(self.decimals)), scale

    @cached_property
    def bounds(self) -> tuple[Fraction, Fraction]:
        """The exact values that display as this one: ``[lo, hi)`` (``(lo, hi]`` below zero), the shown
        value ± half a unit of its last decimal."""
        units, scale = self.units
        return Fraction(2 * units - 1, 2 * scale), Fraction(2 * units + 1, 2 * scale)

    def display(self) -> str:
        """The value as the table shows it (``79.49%``, ``7.95``, ``1,927.28``, ``110.``)."""
        return self.shown(self.fraction)

    def shown(self, value: Exact | Decimal, decimals: int | None = None) -> str:
        """Another value as this cell would show it: its decimals (or ``decimals``), optional ones
        left out as Excel leaves them out, its thousands separators."""
        text = format_at(value, self.decimals if decimals is None else decimals, self.percent)
        if self.minimum is not None and "." in text:
            suffix = "%" if text.endswith("%") else ""
            body = text[:-1] if suffix else text
            whole, frac = body.split(".")
            keep = max(self.minimum - (2 if self.percent else 0), 0)
            frac = frac[:keep] + frac[keep:].rstrip("0")
            text = f"{whole}.{frac}{suffix}"  # Excel keeps the point: 0.### shows 110 as "110."
        return group_digits(text) if self.grouped else text


@dataclass(frozen=True)
class Text:
    """A cell holding text that is not a number."""

    value: str


Parsed = Union[Number, Text, None]


def normalise_text(text: str) -> str:
    """Full-width to half-width and trimmed, as a clerk would read it."""
    return unicodedata.normalize("NFKC", text).strip()


@lru_cache(maxsize=1 << 16, typed=True)  # the same labels and file-name words come back again and again
def label_key(text: Any) -> str:
    """The form labels are matched in: half-width, no whitespace, no brackets or trailing colon."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"[()\[\]【】<>《》{}]", "", s)
    return s.rstrip(":：")


def group_digits(text: str) -> str:
    """``1927.28`` -> ``1,927.28`` (the integer part only; a sign and a percent sign kept)."""
    sign = "-" if text.startswith("-") else ""
    body = text[len(sign):]
    whole, dot, rest = body.partition(".")
    if not whole.isdigit():
        return text
    return f"{sign}{int(whole):,}{dot}{rest}"


@lru_cache(maxsize=4096)  # a workbook has few formats and many cells
def format_shape(number_format: str | None) -> tuple[int | None, bool, int | None, bool]:
    """(decimals at most, percent, decimals at least, thousands separators) of a number format:
    ``#,##0.00`` -> (2, False, 2, True); ``0.######`` -> (6, False, 0, False)."""
    decimals, percent = format_decimals(number_format)
    if decimals is None:
        return None, percent, None, False
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", (number_format or "").split(";")[0])
    match = re.search(r"\.([0#?]+)", section)
    zeros = len(match.group(1)) - len(match.group(1).lstrip("0")) if match else 0
    minimum = None if zeros == decimals else zeros + (2 if percent else 0)
    return decimals, percent, minimum, "," in section.split(".")[0]


@lru_cache(maxsize=4096)
def format_decimals(number_format: str | None) -> tuple[int | None, bool]:
    """Decimals shown by an Excel number format and whether it shows a percentage.

    Returns ``None`` decimals for General (and text) formats, where the value decides.
    """
    if not number_format or number_format in ("General", "@"):
        return None, False
    section = number_format.split(";")[0]
    percent = "%" in _PCT_FORMAT.sub(lambda m: m.group(0) if m.group(0) == "%" else "", section)
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", section)
    if not re.search(r"[0#?]", bare):
        return None, percent
    match = re.search(r"\.([0#?]+)", bare)
    return (len(match.group(1)) if match else 0), percent


def _decimals_of(d: Decimal) -> int:
    exponent = d.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_cell(raw: Any, number_format: str | None = None) -> Parsed:
    """Turn a raw cell value into a :class:`Number`, :class:`Text` or ``None`` for blank."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return Text(str(raw))
    if isinstance(raw, (int, float)):
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw)
        if not value.is_finite() or abs(value) >= MAX_MAGNITUDE:
            return Text(str(raw))
        fmt_decimals, percent, minimum, grouped = format_shape(number_format)
        if fmt_decimals is None:
            shown = min(_decimals_of(value), GENERAL_DECIMALS)
            return Number(value, shown, percent=percent)
        return Number(value, fmt_decimals + (2 if percent else 0), percent=percent, minimum=minimum, grouped=grouped)
    if isinstance(raw, str):
        return parse_text(raw)
    return Text(str(raw))


def parse_text(raw: str) -> Parsed:
    """Parse text such as ``79.49%``, ``８１``, ``1,234.50``, ``-`` (zero) or blank."""
    s = normalise_text(raw)
    if s == "":
        return None
    if s in ZERO_DASHES:
        return Number(Decimal(0), 0, text=True)
    grouped = bool(re.match(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?%?$", s.replace(" ", "")))
    compact = s.replace(",", "").replace(" ", "")
    percent = False
    if compact.endswith("%"):
        percent = True
        compact = compact[:-1]
    if not _NUMBER_TEXT.match(compact):
        return Text(raw)
    try:
        value = Decimal(compact)
    except InvalidOperation:
        return Text(raw)
    decimals = len(compact.split(".")[1]) if "." in compact else 0
    if abs(value) >= MAX_MAGNITUDE * (100 if percent else 1) or decimals > MAX_DECIMALS:
        return Text(raw)
    if percent:
        return Number(value / 100, decimals + 2, percent=True, text=True, grouped=grouped)
    return Number(value, decimals, text=True, grouped=grouped)


def round_half_up(value: Exact | Decimal, decimals: int) -> Decimal:
    """Round exactly, half away from zero, as a spreadsheet displays."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    frac = value if type(value) is Fraction else Fraction(value)
    num, den = abs(frac.numerator) * 10**decimals, frac.denominator
    units = (2 * num + den) // (2 * den)
    return Decimal(-units if frac.numerator < 0 else units).scaleb(-decimals)


def agrees(stated: Number, exact: Exact) -> bool:
    """Whether a stated value and an exact one show the same at the stated precision."""
    # lo <= x < hi with lo, hi = (2u ∓ 1) / (2 · 10^d), in integers: this is the hot path
    units, scale = stated.units
    if type(exact) is int:
        p, q = exact, 1
    else:
        x = exact if type(exact) is Fraction else Fraction(exact)
        p, q = x.numerator, x.denominator
    t = 2 * scale * p
    lo, hi = (2 * units - 1) * q, (2 * units + 1) * q
    if units < 0:  # negative values round half away from zero: (lo, hi]
        return lo < t <= hi
    return lo <= t < hi


def money_agrees(stated: Number, exact: Exact, precision: int) -> bool:
    """Whether an amount equals an exact one at the table's own decimal precision (no tolerance)."""
    return round_half_up(stated.value, precision) == round_half_up(Fraction(exact), precision)


def money_text(value: Exact | Decimal, precision: int, at_least: int = 0) -> str:
    """An amount at the table's precision without trailing zeros beyond ``at_least`` decimals:
    ``4.2975`` at precision 6, ``331`` for 331.0."""
    rounded = round_half_up(value if isinstance(value, Decimal) else Fraction(value), precision)
    shown = max(_decimals_of(rounded), min(at_least, precision))
    return f"{round_half_up(rounded, shown):f}"


def format_at(value: Exact | Decimal, decimals: int, percent: bool = False) -> str:
    """Format a value the way a cell with these decimals shows it."""
    if percent:
        shown = max(decimals - 2, 0)
        return f"{round_half_up(Fraction(value) * 100, shown):f}%"
    return f"{round_half_up(value, decimals):f}"


def decimals_format(decimals: int, percent: bool = False) -> str:
    """The number format showing ``decimals`` places: ``0``, ``0.00``; for a share the places of
    its percentage (``0.00%`` for 4)."""
    shown = decimals - 2 if percent else decimals
    return ("0." + "0" * shown if shown > 0 else "0") + ("%" if percent else "")


def decimals_to_show(exact: Exact, stated: int, percent: bool = False, most: int = 4) -> int:
    """The decimals a corrected value is shown with: the stated cell's, or more where the value has
    them (995 corrected to 99.5 must not show as 100); a share keeps the table's precision."""
    if percent:
        return stated
    frac = Fraction(exact)
    for places in range(stated, most + 1):
        if (frac * 10 ** places).denominator == 1:
            return places
    return stated


def formula_number(value: Exact) -> str:
    """A constant for a formula: ``0.9``, ``20``, or ``(100/9)`` when it has no finite decimal."""
    frac = Fraction(value)
    d = Decimal(frac.numerator) / Decimal(frac.denominator)
    if Fraction(d) == frac:
        return format(d.normalize(), "f")
    return f"({frac.numerator}/{frac.denominator})"


def same_amount(a: Fraction, unit_a: str | None, b: Fraction, unit_b: str | None, units: dict) -> bool:
    """Two amounts equal after converting to 元 (``units``: 元 per unit); when either side states no
    unit, or one the table of units does not know, the figures themselves."""
    if unit_a is None or unit_b is None or unit_a == unit_b or unit_a not in units or unit_b not in units:
        return a == b
    return a * units[unit_a] == b * units[unit_b]
