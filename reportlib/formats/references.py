"""The references of a formula, for :mod:`.evaluate`: a formula moved to a fixed anchor cell (so the
cells of a filled-down column share one compiled function), the engine's input names read back as
ranges, and which coordinates of an input are absolute and which move with the cell."""

from __future__ import annotations

import re
from typing import Any

from openpyxl.utils.cell import column_index_from_string

from ..grid import Pos, a1

#: two anchor cells one row and one column apart: a coordinate that moves between them is relative
ANCHORS = ((500_000, 8_000), (500_001, 8_001))
_NAME = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?"
                   r"|\$?([A-Z]{1,3}):\$?([A-Z]{1,3})|\$?([0-9]{1,7}):\$?([0-9]{1,7})")

Coords = tuple[Any, Any, Any, Any]  # top, left, bottom, right; None for the open sides of whole rows/columns
#: an input of a function compiled at the anchor: its sheet part, and per coordinate ``(True, value)``
#: if absolute, ``(False, offset from the cell)`` if relative, None if open
Spec = tuple[str, Coords]


class NotARange(ValueError):
    """An engine input that is no range of a sheet: a defined name, an intersection, a dynamic token."""


def anchored(text: str, pos: Pos, which: int) -> str | None:
    """The formula moved from its cell to an anchor, or None if a reference falls off the sheet."""
    from openpyxl.formula.translate import Translator
    try:
        return Translator(text, a1(*pos)).translate_formula(a1(*ANCHORS[which]))
    except Exception:
        return None


def parse_name(name: Any) -> tuple[str, Coords]:
    """An engine input name (``SHEET2!A1:B3``, ``'MY SHEET'!A:A``, ``3:3``) as (sheet part, coordinates)."""
    if not isinstance(name, str):
        raise NotARange(name)  # the engine's own tokens (dynamic references)
    sheet_ref, _, ref = name.rpartition("!")
    m = _NAME.fullmatch(ref)
    if not m:
        raise NotARange(name)  # a defined name, an intersection, an error literal
    c1, r1, c2, r2, wc1, wc2, wr1, wr2 = m.groups()
    if c1:
        rows = sorted((int(r1), int(r2 or r1)))
        cols = sorted((column_index_from_string(c1), column_index_from_string(c2 or c1)))
        return sheet_ref, (rows[0], cols[0], rows[1], cols[1])
    if wc1:
        left, right = sorted((column_index_from_string(wc1), column_index_from_string(wc2)))
        return sheet_ref, (None, left, None, right)
    top, bottom = sorted((int(wr1), int(wr2)))
    return sheet_ref, (top, None, bottom, None)


def spec(first: Any, second: Any) -> Spec | None:
    """One input seen from the two anchors: what stayed put is absolute, what moved by one is relative."""
    try:
        (sheet_a, a), (sheet_b, b) = parse_name(first), parse_name(second)
    except NotARange:
        return None
    if sheet_a != sheet_b:
        return None
    coords = []
    for x, y, origin in zip(a, b, ANCHORS[0] * 2):
        if x is None or y is None:
            if x is not y:
                return None
            coords.append(None)
        elif x == y or y - x == 1:
            coords.append((True, x) if x == y else (False, x - origin))
        else:
            return None
    return sheet_a, tuple(coords)


def sheet_key(sheet_ref: str) -> str:
    """The sheet part of an engine input (``'MY SHEET'``, ``SHEET2``) as an upper-case title."""
    if len(sheet_ref) > 1 and sheet_ref.startswith("'") and sheet_ref.endswith("'"):
        sheet_ref = sheet_ref[1:-1].replace("''", "'")
    return sheet_ref.upper()
