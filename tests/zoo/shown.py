"""What a cell shows: the value at the precision of its number format, as a reader sees it.

The zoo compares cells the way a person compares them on screen: ``"25.40"`` (text) and ``25.4``
(number, ``0.00``) show the same; ``0.794871`` as ``0.00%`` shows ``79.49%``, the same as the text
``"79.49%"``. Comparisons are exact on decimals (``Decimal`` of the float's shortest repr, rounded half
up like Excel), never with a float tolerance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

#: text a table uses for zero in money columns
DASHES = {"-", "—", "－", "–", "——"}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?%?$")
#: General shows at most this many decimals (Excel: 11 characters in a default-width cell)
GENERAL_DECIMALS = 10


@dataclass(frozen=True)
class Shown:
    """A displayed value: ``kind`` is ``num``, ``text`` or ``blank``; ``places`` are decimals in natural
    units (``79.49%`` has 4: 0.7949)."""

    kind: str
    number: Decimal | None = None
    text: str | None = None
    places: int = 0

    def at(self, places: int) -> Shown:
        """The same value rounded to ``places`` decimals (numbers only)."""
        if self.kind != "num" or self.number is None:
            return self
        return Shown("num", quantize(self.number, places), None, places)

    def __str__(self) -> str:
        if self.kind == "num":
            return format(self.number, "f")
        return self.text or ""


def quantize(number: Decimal, places: int) -> Decimal:
    """``number`` rounded half up to ``places`` decimals."""
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_parts(fmt: str | None) -> tuple[int | None, bool, bool]:
    """(decimals shown or None for General, percent, thousands separator) of a number format."""
    if not fmt or fmt.lower() == "general" or fmt == "@":
        return None, False, False
    first = fmt.split(";")[0]
    first = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", first)  # literal text and colours show no digits
    percent = "%" in first
    thousands = "," in first
    match = re.search(r"\.(0+)", first)
    return (len(match.group(1)) if match else 0), percent, thousands


def to_decimal(value: float | int) -> Decimal:
    """The exact decimal a reader sees for a stored number (shortest repr, as Excel's 15 digits)."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def parse_text(text: str) -> Shown:
    """A text cell: a number written as text (``"79.49%"``, ``"1,234.50"``, ``"-"``) or plain text."""
    stripped = text.strip().replace("，", ",")
    if stripped in DASHES:
        return Shown("num", Decimal(0), None, 0)
    if _NUMBER.match(stripped):
        percent = stripped.endswith("%")
        digits = stripped.rstrip("%").replace(",", "")
        try:
            number = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            return Shown("text", None, text.strip())
        places = -number.as_tuple().exponent if number.as_tuple().exponent < 0 else 0
        if percent:
            number, places = number / 100, places + 2
        return Shown("num", number, None, places)
    return Shown("text", None, text.strip())


def shown(value: Any, fmt: str | None = None) -> Shown:
    """What a cell holding ``value`` with number format ``fmt`` shows."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Shown("blank")
    if isinstance(value, str):
        return parse_text(value)
    if isinstance(value, (int, float)):
        number = to_decimal(value)
        decimals, percent, _ = format_parts(fmt)
        if decimals is None:  # General: the digits the value has, up to what a cell shows
            exponent = number.normalize().as_tuple().exponent
            places = min(max(-exponent, 0), GENERAL_DECIMALS) if isinstance(exponent, int) else 0
            return Shown("num", quantize(number, places), None, places)
        places = decimals + (2 if percent else 0)
        return Shown("num", quantize(number, places), None, places)
    return Shown("text", None, str(value))


def same(reference: Shown, other: Shown) -> bool:
    """Whether ``other`` shows the same as ``reference`` at ``reference``'s precision."""
    if reference.kind != other.kind:
        return False
    if reference.kind == "num":
        return other.at(reference.places).number == reference.number
    return reference.text == other.text


def display(value: Any, fmt: str | None = None) -> str:
    """The text a person reads in the cell (for messages and lists): ``79.49%``, ``1,234.50``, ``25.40``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    decimals, percent, thousands = format_parts(fmt)
    s = shown(value, fmt)
    if s.kind != "num" or s.number is None:
        return str(value)
    if decimals is None:
        return format(s.number, "f")
    number = s.number * 100 if percent else s.number
    text = f"{quantize(number, decimals):,.{decimals}f}" if thousands else f"{quantize(number, decimals):.{decimals}f}"
    return text + ("%" if percent else "")


def exact_text(value: Any, places: int, percent: bool = False, thousands: bool = False) -> str:
    """An exact value (``Fraction``, ``Decimal``, int) written as a person types it: ``"79.49%"``,
    ``"1,234.50"``, ``"25.40"``."""
    from fractions import Fraction

    number = Fraction(value) * (100 if percent else 1)
    decimal = quantize(Decimal(number.numerator) / Decimal(number.denominator), places)
    text = f"{decimal:,.{places}f}" if thousands else f"{decimal:.{places}f}"
    return text + ("%" if percent else "")
