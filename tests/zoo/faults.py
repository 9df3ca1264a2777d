"""Faults a person makes in a table, applied to a clean case.

Kinds: ``digit`` (one digit changed), ``transpose`` (two adjacent digits swapped), ``times10`` (a
decimal point slip), ``neighbour`` (the value of the nearest cell of the same kind to the left, right,
above or below), ``left_out`` (a total replaced by the sum without one item), ``copied_column`` (a
questionnaire's whole column of shares or scores replaced by the neighbouring column's).

Every fault changes what its cells show. Only faults whose cell the evidence can name are made: a
derived cell (its own relation fails), or an input that takes part in two or more relations of the
table (an allocation list's single amount column has only its 合计, which cannot tell which item is
wrong), or one whose faulty value breaks a bound (a score above its weight). In a layout with
formulas only cells no formula refers to are faulted, and the fault replaces the formula by the typed
value, as a person typing over it would. Two faults in one case share no row and no column.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from .case import Case
from .sheet import Spec, position
from .shown import display, exact_text, parse_text, same, shown, to_decimal

FAULT_KINDS = ("digit", "transpose", "times10", "neighbour", "left_out", "copied_column")
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def referenced(case: Case) -> set[tuple[str, str]]:
    """Cells some formula refers to (on the same sheet)."""
    out = set()
    for spec in case.specs():
        if not isinstance(spec.formula, str):
            continue
        for a, r1, b, r2 in _REF.findall(spec.formula):
            c1, c2 = column_index_from_string(a), column_index_from_string(b or a)
            for r in range(int(r1), int(r2 or r1) + 1):
                for c in range(c1, c2 + 1):
                    out.add((spec.sheet, f"{get_column_letter(c)}{r}"))
    return out


def _text_of(spec: Spec) -> str | None:
    """The digits a person sees (``79.49%``, ``254,000.00``, ``31``), or None for non-numbers and dashes."""
    if isinstance(spec.value, str):
        parsed = parse_text(spec.value)
        return spec.value.strip() if parsed.kind == "num" and spec.value.strip() not in ("-", "—") else None
    if isinstance(spec.value, (int, float)) and not isinstance(spec.value, bool):
        return display(spec.value, spec.fmt)
    return None


def _from_text(spec: Spec, text: str) -> Any:
    """The value a cell holds once ``text`` is typed into it, in the cell's own form."""
    if isinstance(spec.value, str):
        return text
    number = parse_text(text).number
    if isinstance(spec.value, int):
        return int(number)
    return float(number)


def _digit_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch.isdigit()]


def _digit(rng: random.Random, spec: Spec) -> Any:
    text = _text_of(spec)
    if text is None:
        return None
    i = rng.choice(_digit_positions(text))
    choices = [d for d in "0123456789" if d != text[i]]
    if i == _digit_positions(text)[0] and len(_digit_positions(text)) > 1 and text[i + 1:i + 2].isdigit():
        choices = [d for d in choices if d != "0"]  # no leading zero in an integer part
    return _from_text(spec, text[:i] + rng.choice(choices) + text[i + 1:])


def _transpose(rng: random.Random, spec: Spec) -> Any:
    text = _text_of(spec)
    if text is None:
        return None
    digits = _digit_positions(text)
    pairs = [(a, b) for a, b in zip(digits, digits[1:]) if text[a] != text[b]]
    if not pairs:
        return None
    a, b = rng.choice(pairs)
    chars = list(text)
    chars[a], chars[b] = chars[b], chars[a]
    new = "".join(chars)
    if re.match(r"^[+-]?0\d", new) and not isinstance(spec.value, int):
        return None  # "05.40" is not what anyone types
    if isinstance(spec.value, int):
        new = str(int(new.replace(",", "")))
    return _from_text(spec, new)


def _times10(rng: random.Random, spec: Spec) -> Any:
    if isinstance(spec.value, str):
        parsed = parse_text(spec.value)
        if parsed.kind != "num" or not parsed.number:
            return None
        percent, thousands = spec.value.strip().endswith("%"), "," in spec.value
        places = parsed.places - (2 if percent else 0)
        return exact_text(parsed.number * 10, places, percent=percent, thousands=thousands)
    if isinstance(spec.value, bool) or not isinstance(spec.value, (int, float)) or not spec.value:
        return None
    return spec.value * 10 if isinstance(spec.value, int) else float(to_decimal(spec.value) * 10)


def _neighbour(rng: random.Random, spec: Spec, case: Case) -> Any:
    """The value of the nearest same-kind cell in a random direction."""
    cells = {(s.sheet, position(s.ref)): s for s in case.specs()}
    row, col = position(spec.ref)
    directions = [(0, -1), (0, 1), (-1, 0), (1, 0)]
    rng.shuffle(directions)
    for dr, dc in directions:
        for step in range(1, 8):
            other = cells.get((spec.sheet, (row + dr * step, col + dc * step)))
            if other is not None and other.role[0] == spec.role[0]:
                if not same(shown(spec.value, spec.fmt), shown(other.value, spec.fmt)):
                    return _convert(other.value, spec)
                break
    return None


def _convert(value: Any, spec: Spec) -> Any:
    """``value`` in ``spec``'s own form: text stays text, numbers stay numbers."""
    if isinstance(spec.value, str) and not isinstance(value, str):
        s = parse_text(spec.value)
        return exact_text(to_decimal(value), s.places - (2 if spec.value.strip().endswith("%") else 0),
                          percent=spec.value.strip().endswith("%"), thousands="," in spec.value)
    if not isinstance(spec.value, str) and isinstance(value, str):
        number = parse_text(value).number
        return None if number is None else (int(number) if isinstance(spec.value, int) else float(number))
    return value


def _left_out(rng: random.Random, spec: Spec, case: Case) -> Any:
    parts = case.sums.get(spec.role)
    if not parts:
        return None
    roles = case.by_role()
    values = {p: shown(case.clean[(roles[p].sheet, roles[p].ref)][0], roles[p].fmt) for p in parts}
    nonzero = [p for p in parts if values[p].kind == "num" and values[p].number]
    if not nonzero:
        return None
    left = rng.choice(nonzero)
    rest = sum((_exact(roles[p], case) for p in parts if p != left), Decimal(0))
    if isinstance(spec.value, str):
        s = parse_text(spec.value)
        percent = spec.value.strip().endswith("%")
        return exact_text(rest, s.places - (2 if percent else 0), percent=percent, thousands="," in spec.value)
    return int(rest) if isinstance(spec.value, int) else float(rest)


def _exact(spec: Spec, case: Case) -> Decimal:
    value = case.clean[(spec.sheet, spec.ref)][0]
    if isinstance(value, str):
        return parse_text(value).number or Decimal(0)
    return to_decimal(value) if isinstance(value, (int, float)) else Decimal(0)


def _bound_broken(spec: Spec, value: Any) -> bool:
    s = shown(value, spec.fmt)
    if s.kind != "num":
        return False
    return s.number < 0 or (spec.upper is not None and s.number > to_decimal(spec.upper))


def _eligible(spec: Spec, value: Any, fixed: set[tuple[str, str]], case: Case) -> bool:
    if value is None or (spec.sheet, spec.ref) in fixed:
        return False
    before, after = shown(spec.value, spec.fmt), shown(value, spec.fmt)
    if same(before, after):
        return False  # a fault must change what the cell shows
    if spec.input and spec.links < 2 and not _bound_broken(spec, value):
        return False
    parts = case.sums.get(spec.role)
    if parts and case.kind == "questionnaire" and before.kind == after.kind == "num" and before.places:
        # a total of rounded scores or shares that is off by no more than its parts' rounding could be
        # the sum of the rounded parts, which a table may show: such a change proves nothing (amounts,
        # counts and indicator scores are exact at the precision shown, so they have no such slack)
        slack = Decimal(len(parts)) * Decimal(1).scaleb(-before.places) / 2
        if abs(after.at(before.places).number - before.number) <= slack:
            return False
    return True


def _record(kind: str, role: tuple, changes: list[tuple[Spec, Any]]) -> dict[str, Any]:
    cells = []
    for spec, faulty in changes:
        cells.append({"sheet": spec.sheet, "ref": spec.ref, "role": list(spec.role), "clean": spec.value,
                      "faulty": faulty, "clean_shown": display(spec.value, spec.fmt),
                      "faulty_shown": display(faulty, spec.fmt)})
    return {"kind": kind, "role": list(role), "cells": cells}


def _copied_column(rng: random.Random, case: Case, fixed: set) -> list[tuple[Spec, Any]] | None:
    roles = case.by_role()
    kind = rng.choice(["share", "score"])
    letters = "ABCDE"
    k = rng.randrange(5)
    k2 = k + rng.choice([-1, 1])
    if not 0 <= k2 < 5:
        return None
    changes = []
    for role, spec in roles.items():
        if role[0] == kind and len(role) == 3 and role[2] == letters[k]:
            other = roles.get((kind, role[1], letters[k2]))
            if other is None:
                continue
            value = _convert(other.value, spec)
            if _eligible(spec, value, fixed, case):
                changes.append((spec, value))
    return changes if len(changes) >= 2 else None


def _propose(rng: random.Random, case: Case, kind: str, fixed: set) -> tuple[tuple, list] | None:
    if kind == "copied_column":
        if case.kind != "questionnaire" or case.layout.form != "a-e":
            return None
        changes = _copied_column(rng, case, fixed)
        return ((changes[0][0].role[0] + "_column", changes[0][0].role[2]), changes) if changes else None
    specs = [s for s in case.specs() if (s.sheet, s.ref) not in fixed]
    if kind == "left_out":
        specs = [s for s in specs if s.role in case.sums]
    if not specs:
        return None
    spec = rng.choice(specs)
    make = {"digit": lambda: _digit(rng, spec), "transpose": lambda: _transpose(rng, spec),
            "times10": lambda: _times10(rng, spec), "neighbour": lambda: _neighbour(rng, spec, case),
            "left_out": lambda: _left_out(rng, spec, case)}[kind]
    value = make()
    if not _eligible(spec, value, fixed, case):
        return None
    return spec.role, [(spec, value)]


def inject(case: Case, rng: random.Random, count: int) -> None:
    """Apply ``count`` faults to ``case`` (fewer if the table offers no more), recording each."""
    refs = referenced(case) if case.layout.formulas else set()
    blocked: set[tuple[str, str]] = {(s.sheet, s.ref) for s in case.specs() if (s.sheet, s.ref) in refs}
    blocked |= {(s.sheet, s.ref) for s in case.specs() if case.layout.formulas and s.input}
    used_rows: set[tuple[str, int]] = set()
    used_cols: set[tuple[str, int]] = set()
    for _ in range(400):
        if len(case.faults) >= count:
            break
        kind = rng.choice(FAULT_KINDS)
        proposal = _propose(rng, case, kind, blocked)
        if proposal is None:
            continue
        role, changes = proposal
        places = [(s.sheet, position(s.ref)) for s, _ in changes]
        if any((sh, r) in used_rows or (sh, c) in used_cols for sh, (r, c) in places):
            continue
        case.faults.append(_record(kind, role, changes))
        for spec, value in changes:
            spec.value = value
            spec.formula = None  # typed over
            blocked.add((spec.sheet, spec.ref))
        used_rows |= {(sh, r) for sh, (r, _) in places}
        used_cols |= {(sh, c) for sh, (_, c) in places}
