"""The shared machinery of every table check: reading stated cells, flagging, deriving.

A derived cell (a sum, a share, a rate) is always written back as a live formula with its cached
value; when the stated value differs at the precision it is displayed with, the cell is flagged,
highlighted and commented with the original value and the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .diagnose import Diagnosis, Model, may_fill
from .findings import INFO, finding
from .fixes import FIX, REVIEW, CellFix, fix_note, referenced_cells
from .grid import Pos, Sheet, a1
from .messages import say
from .results import TableResult
from .typos import typo_of
from .values import (Number, Text, agrees, decimals_format, decimals_to_show, format_at, group_digits, money_agrees, money_text,
                     round_half_up)

BLANK = say("words.blank")


@dataclass
class _Stated:
    pos: Pos
    parsed: object

    @property
    def number(self) -> Number | None:
        return self.parsed if isinstance(self.parsed, Number) else None


def money_quote(value, number: Number, precision: int) -> str:
    """An amount quoted as this cell shows amounts: at the table's precision, the cell's required
    decimals (``0.######`` requires none), its thousands separators."""
    at_least = number.decimals if number.minimum is None else number.minimum
    text = money_text(value, precision, at_least)
    return group_digits(text) if number.grouped else text


class TableChecker:
    """Flagging cells and writing derived cells back as live formulas, for one table of a sheet."""

    def __init__(self, sheet: Sheet, kind: str):
        self.sheet = sheet
        self.result = TableResult(sheet=sheet.title, kind=kind)
        self.rounding_only: set[Pos] = set()  # totals off only by summing rounded parts
        #: the table's model and its diagnosis: which derived cells the evidence lets us rewrite
        self.model: Model | None = None
        self.diagnosis: Diagnosis | None = None
        self.suspects: dict[Pos, list] = {}  # likely slips among the rivals of a cell held back
        self._told: set[Pos] = set()  # formula cells without a result already reported

    def stated(self, pos: Pos | None) -> _Stated | None:
        return None if pos is None else _Stated(pos, self.sheet.parsed(*pos))

    def flag(self, code: str, pos: Pos | None, message: str, found=None, expected=None, severity=None,
             range_: str | None = None) -> None:
        self.result.findings.append(finding(code, self.sheet.title, a1(*pos) if pos else None, message,
                                            found, expected, severity=severity, range=range_))

    def derive(self, pos: Pos | None, formula: str, exact: Fraction, st: _Stated | None, code: str,
               reason: str, percent_default: bool = False,
               parts: list[tuple[Number | None, Fraction]] | None = None, same_as: Pos | None = None,
               precision: int | None = None) -> CellFix | None:
        """Write a derived cell as a live formula; flag and mark it when the stated value differs.

        ``precision`` compares an amount exactly at the table's decimal precision instead of at the
        precision the cell happens to be displayed with.  Returns the cell's fix.
        """
        if pos is None:
            return None
        if self.unknown_formula(pos):
            return None  # its value is unknown, not blank: nothing to compare, nothing to write
        st = st or self.stated(pos)
        number = st.number
        fmt = self._format_for(pos, number, percent_default, exact)
        fix = CellFix(self.sheet.title, pos, float(exact), "=" + formula, number_format=fmt)
        self.result.fixes.append(fix)
        if isinstance(st.parsed, Text):
            held = self.held_back(pos, blank=True)
            self.flag("not-a-number", pos, say("cell.not-a-number", cell=a1(*pos), text=st.parsed.value, reason=reason,
                                                held=held), st.parsed.value, format_at(exact, 2, percent_default))
            self.mark(fix, st.parsed.value, format_at(exact, 2, percent_default), reason, held)
            return fix
        if number is None:
            if exact == 0:
                return fix
            if precision is not None:
                shown = money_text(exact, precision)
            else:
                shown = format_at(exact, 4 if percent_default else 2, percent_default)
            held = self.held_back(pos, blank=True)
            self.flag(code, pos, say("cell.blank", cell=a1(*pos), reason=reason, held=held), BLANK, shown)
            self.mark(fix, BLANK, shown, reason, held)
            return fix
        if agrees(number, exact) if precision is None else money_agrees(number, exact, precision):
            return fix
        if precision is not None:
            found = money_quote(number.value, number, precision)
            if number.text and number.value == 0:  # a "-" is quoted as the clerk wrote it
                found = str(self.sheet.raw(*pos)).strip()
            expected = money_quote(exact, number, precision)
        else:
            found = number.display()
            finer = self._neighbours_decimals(pos, number)
            if finer is not None:  # 100% copied into a column of 0.00% shares: show the column's precision
                fix.number_format = decimals_format(finer, True)
            expected = number.shown(exact, finer or decimals_to_show(exact, number.decimals, number.percent))
        severity = None
        if parts and all(p is not None and agrees(p, exact_part) for p, exact_part in parts):
            shown_sum = sum((p.value for p, _ in parts), Decimal(0))
            if round_half_up(shown_sum, number.decimals) == round_half_up(number.value, number.decimals):
                severity = INFO
                reason += say("cell.rounding")
                self.rounding_only.add(pos)
        source = self.stated(same_as).number if same_as in self.rounding_only else None
        if source is not None and source.value == number.value:
            severity = INFO
            reason += say("cell.copied", source=a1(*same_as))
        held = self.held_back(pos) if severity != INFO else ""
        self.flag(code, pos, say("cell.differs", cell=a1(*pos), found=found, expected=expected, reason=reason, held=held),
                  found, expected, severity)
        self.mark(fix, found, expected, reason, held)
        return fix

    def unknown_formula(self, pos: Pos | None) -> bool:
        """Whether a cell holds a formula saved without its result that could not be computed; says so
        once (info), never as a blank cell."""
        if pos is None or pos not in self.sheet.uncomputed:
            return False
        if pos not in self._told:
            self._told.add(pos)
            formula = self.sheet.formulas.get(pos, "")
            self.flag("formula-uncomputed", pos, say("formula-uncomputed:cell", cell=a1(*pos), formula=formula),
                      formula or None, None, INFO)
        return True

    def held_back(self, pos: Pos, blank: bool = False) -> str:
        """Why a derived cell that disagrees is not rewritten ("" when it may be): an input it is
        computed from could be the wrong cell just as well, or the new value leaves its domain."""
        model, diagnosis = self.model, self.diagnosis
        if model is None or diagnosis is None or pos not in model.deps:
            return ""
        if blank:
            if may_fill(model, diagnosis, pos):
                return ""
        elif diagnosis.may_rewrite(pos):
            return ""
        rivals = diagnosis.suspects.get(pos)
        if rivals:
            named, typos = [], []
            for cell, value in rivals:
                stated = self.sheet.parsed(*cell)
                typo = None
                if isinstance(stated, Number):
                    places = max(stated.decimals, -Decimal(str(float(value))).normalize().as_tuple().exponent, 0)
                    typo = typo_of(stated.value, value, min(places, 8))
                named.append((typo is None, cell, value, typo, stated))
                if typo:
                    typos.append((cell, value, typo))
            named.sort(key=lambda x: x[0])
            words = "、".join(say("held.rival-typo" if typo else "held.rival", cell=a1(*cell),
                                 stated=stated.display() if isinstance(stated, Number) else stated,
                                 value=model.show(cell, value), **({"typo": typo} if typo else {}))
                             for _, cell, value, typo, stated in named[:3])
            more = say("held.more", n=len(named)) if len(named) > 3 else ""
            if len(typos) <= 3:  # a short list of likely slips is worth a look; a long one is noise
                self.suspects[pos] = typos
            return say("held.rivals", rivals=words, more=more)
        if pos in diagnosis.doubts:
            return say("held.doubt", doubt=diagnosis.doubts[pos])
        free = diagnosis.unlocked.get(pos)
        if free:
            return say("held.unconfirmed", cells="、".join(a1(*c) for c in free[:3]))
        return say("held.out-of-range")

    def exact_refs(self, formula: str) -> bool:
        """Whether every cell a formula refers to holds its exact value in the corrected workbook: an
        input, a cell the tool rewrites, or a derived cell whose stated value is exactly what it should
        be.  A share typed as 0.81 is not: a formula over it would not compute what was found."""
        model, diagnosis = self.model, self.diagnosis
        if model is None or diagnosis is None:
            return True
        written = {f.pos for f in self.result.fixes if f.mark == FIX}
        for pos in referenced_cells(formula):
            if pos in written or pos not in model.deps:
                continue
            stated = self.sheet.parsed(*pos)
            exact = model.value(pos, diagnosis.values)
            if not isinstance(stated, Number) or exact is None or stated.fraction != exact:
                return False
        return True

    def mark(self, fix: CellFix, found: str, expected: str, reason: str, held: str) -> None:
        """A corrected cell (yellow), or, when the evidence does not single it out, one for review (pink,
        its value kept).  A corrected cell is a live formula where the cells it refers to are exact,
        else its value."""
        if not held and fix.formula is not None and not self.exact_refs(fix.formula):
            fix.formula = None
        if held:
            fix.mark, fix.note = REVIEW, say("note.held", found=found, expected=expected, reason=reason, held=held)
            for cell, value, typo in self.suspects.pop(fix.pos, []):
                self.review(cell, say("note.if-right", cell=a1(*fix.pos), found=found, value=self.model.show(cell, value),
                                      typo=typo))
        else:
            fix.mark, fix.note = FIX, fix_note(found, expected, reason)

    def _format_for(self, pos: Pos, number: Number | None, percent: bool, exact: Fraction) -> str | None:
        fmt = self.sheet.formats.get(pos, "General")
        if number is not None and not number.text and fmt == "General" and not number.percent:
            return None  # General shows every decimal the corrected value has
        if number is not None and (number.text or fmt in ("General", "@")):
            return decimals_format(decimals_to_show(exact, number.decimals, number.percent), number.percent)
        if number is None and fmt in ("General", "@"):
            return "0.00%" if percent else "0.00"
        return None

    def _neighbours_decimals(self, pos: Pos, number: Number | None) -> int | None:
        """The decimals most percentages of this column show, where this one shows fewer (a 100%
        copied from the 合计 column into a column of 0.00% shares)."""
        if number is None or not number.percent:
            return None
        row, col = pos
        column = [n.decimals for r in range(max(1, row - 40), row + 41) if r != row
                  and isinstance(n := self.sheet.parsed(r, col), Number) and n.percent]
        if not column:
            return None
        usual = max(set(column), key=column.count)
        return usual if usual > number.decimals and column.count(usual) * 2 > len(column) else None

    def correct(self, pos: Pos, code: str, value, message: str, old: str, shown: str, reason: str,
                number_format: str | None = None) -> CellFix:
        """Replace an input constant by the value the evidence gives: the finding (``old`` -> ``shown``)
        and the yellow cell whose comment gives the original, the new value and ``reason``."""
        self.flag(code, pos, message, old, shown)
        fix = CellFix(self.sheet.title, pos, value, None, number_format=number_format, mark=FIX,
                      note=fix_note(old, shown, reason))
        self.result.fixes.append(fix)
        return fix

    def review(self, pos: Pos, note: str) -> None:
        """Mark a cell for a person's look (pink, with a comment), keeping its value."""
        self.result.review(pos, self.sheet.raw(*pos), note)
