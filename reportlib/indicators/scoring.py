"""What every scored row has in common, in the full table and in the level-1 summary alike.

A row has a weight and a score, and may state 扣分 (weight − score) and 得分率 (score / weight).
The score is the input; 扣分 and 得分率 are derived and written back as formulas.  When the score
disagrees with both its 扣分 and its 得分率 while those two agree with each other, the score is
the wrong cell (seed 000: 得分 57 with 扣分 5 and 得分率 91.67 % on 60 is 55).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from fractions import Fraction

from ..checker import TableChecker
from ..fixes import FIX, REVIEW, CellFix, fix_note
from ..grid import Pos, a1
from ..messages import say
from ..values import Number, Text, agrees, decimals_format, decimals_to_show, format_at, formula_number
from .grades import Bands, stated_grade


def show(value: Fraction | None, decimals: int = 2) -> str:
    """A score or weight for a message: ``55``, ``18.6``, ``(100/3)`` shown as 33.33."""
    if value is None:
        return say("words.blank")
    text = formula_number(value)
    return text if not text.startswith("(") else format_at(value, decimals)


@dataclass
class Row:
    """The cells of one scored row and what was read from them."""

    what: str  # how messages name the row, e.g. "A11立项依据充分性"
    weight_pos: Pos | None
    score_pos: Pos | None
    deduction_pos: Pos | None = None
    rate_pos: Pos | None = None
    weight: Fraction | None = None
    score: Fraction | None = None


class ScoredRows(TableChecker):
    """Reading numbers, checking 扣分 / 得分率 against the score, and the grade."""

    def number(self, pos: Pos | None, what: str) -> Fraction | None:
        """A cell's number; text is flagged and read as blank, a dash is zero."""
        if pos is None or self.unknown_formula(pos):
            return None
        parsed = self.sheet.parsed(*pos)
        if isinstance(parsed, Text):
            self.flag("not-a-number", pos, say("not-a-number:measure", what=what, cell=a1(*pos), text=parsed.value),
                      parsed.value, None)
            self.review(pos, say("scores.fill-number", what=what))
            return None
        return parsed.fraction if isinstance(parsed, Number) else None

    def stated_number(self, pos: Pos | None) -> Number | None:
        if pos is None:
            return None
        parsed = self.sheet.parsed(*pos)
        return parsed if isinstance(parsed, Number) else None

    def correct_input(self, pos: Pos, code: str, new: Fraction, message, reason: str) -> None:
        """Replace an input constant by the value the evidence gives, with a finding and a comment.

        ``message(old, new)`` says it, given the cell as shown and the new value at its precision.
        """
        stated = self.stated_number(pos)
        old = stated.display() if stated is not None else say("words.blank")
        fmt = None
        if stated is not None and not stated.percent:
            places = decimals_to_show(new, stated.decimals)
            shown = stated.shown(new, places)
            if places > stated.decimals and self.sheet.formats.get(pos, "General") != "General":
                fmt = decimals_format(places)  # 57.25 must not show as 57.3 in a 0.0 cell
        else:
            shown = show(new)
        self.correct(pos, code, float(new), message(old, shown), old, shown, reason, number_format=fmt)

    def apply_corrections(self, rows: list[Row]) -> set[int]:
        """Write the inputs the diagnosis convicts (a score, a weight, a summary's 扣分) as constants with
        their evidence; returns the ids of the rows whose score was corrected."""
        corrected: set[int] = set()
        by_cell = {}
        for row in rows:
            for measure in ("weight", "score", "deduction"):
                pos = getattr(row, f"{measure}_pos")
                if pos is not None:
                    by_cell[pos] = (row, measure)
        for fix in self.diagnosis.corrections if self.diagnosis else []:
            if fix.cell not in by_cell:
                continue
            row, measure = by_cell[fix.cell]
            own = {row.deduction_pos, row.rate_pos} - {None, fix.cell}
            here = [self.model.describe(k) for k in fix.mends if k in own]
            there = list(dict.fromkeys(d for k in fix.mends if k not in own and self.model.confirms(k)
                                       and (d := self.model.describe(k))))
            word = {"weight": say("scores.weight"), "score": say("scores.score"),
                    "deduction": say("scores.deduction")}[measure]
            new = show(fix.new)
            d = self.stated_number(row.deduction_pos)
            how = say("scores.from-deduction", weight=show(row.weight), deduction=d.display()) \
                if measure == "score" and d is not None and row.weight is not None and row.deduction_pos in fix.mends \
                else ""
            out = ""
            if measure == "score" and row.weight is not None and fix.old is not None and not 0 <= fix.old <= row.weight:
                bound = say("scores.below-zero") if fix.old < 0 else say("scores.over-weight", weight=show(row.weight))
                out = say("scores.out-of-range", score=show(fix.old), bound=bound)
            if here:
                reason = say("scores.own-evidence-all" if len(here) > 1 else "scores.own-evidence",
                             checks=" 与".join(here), measure=word, new=new, how=how, old=show(fix.old))
                if there:
                    reason += say("scores.also-agree", checks="、".join(there))
            elif out and there:
                reason = say("scores.out-yet", out=out, checks="、".join(there), new=new)
            else:
                reason = say("scores.others-agree", checks="、".join(there), old=show(fix.old), new=new)
            code = {"weight": "weight-inconsistent", "score": "score-out-of-range" if out else "score-inconsistent",
                    "deduction": "deduction-mismatch"}
            self.correct_input(fix.cell, code[measure], fix.new,
                               lambda old, new, row=row, word=word, cell=a1(*fix.cell), reason=reason:
                               say("scores.corrected", row=row.what, measure=word, cell=cell, old=old, new=new,
                                   reason=reason), reason)
            if measure == "weight":
                row.weight = fix.new
            elif measure == "score":
                row.score = fix.new
                corrected.add(id(row))
            elif row.weight is not None:
                row.score = row.weight - fix.new
                corrected.add(id(row))
        return corrected

    def rate_agrees(self, stated: Number, exact: Fraction) -> bool:
        return agrees(stated, exact) or (self.in_points(stated) and agrees(stated, exact * 100))

    def in_points(self, stated: Number) -> bool:
        """Whether a 得分率 is written in percentage points (91.67 for 91.67 %)."""
        return not stated.percent and stated.value > self.points_above

    @cached_property
    def points_above(self) -> Fraction:
        return Fraction(str(self.schema["rate_points_above"]))

    def check_range(self, row: Row) -> bool:
        """0 ≤ score ≤ weight; False (and a finding) when the score lies outside."""
        w, s = row.weight, row.score
        if s is None or w is None or 0 <= s <= w:
            return True
        bound = say("scores.below-zero") if s < 0 else say("scores.over-weight", weight=show(w))
        pos = row.score_pos or row.deduction_pos  # a summary without 得分 states the score by its 扣分
        self.flag("score-out-of-range", pos, say("score-out-of-range:row", row=row.what, score=show(s), bound=bound),
                  show(s), say("scores.range", weight=show(w)))
        if pos is not None:
            self.review(pos, say("scores.out-of-range-note", score=show(s), bound=bound))
        return False

    def derive_row(self, row: Row, score_ref: str | None = None, weight_ref: str | None = None) -> None:
        """扣分 = weight − score and 得分率 = score / weight as live formulas."""
        w, s = row.weight, row.score
        if w is None or s is None:
            return
        wref = weight_ref or (a1(*row.weight_pos) if row.weight_pos else formula_number(w))
        sref = score_ref or (a1(*row.score_pos) if row.score_pos else None)
        if sref is None:
            return
        if row.deduction_pos:
            self.derive(row.deduction_pos, f"{wref}-{sref}", w - s, None, "deduction-mismatch",
                        say("scores.deduction-rule", row=row.what, weight=show(w), score=show(s), deduction=show(w - s)))
        if row.rate_pos and w:
            self.derive_rate(row.rate_pos, f"{sref}/{wref}", s / w,
                             say("scores.rate-rule", row=row.what, score=show(s), weight=show(w),
                                 rate=format_at(s / w, 4, True)))

    def derive_rate(self, pos: Pos, formula: str, exact: Fraction, reason: str) -> None:
        stated = self.stated_number(pos)
        if stated is not None and self.in_points(stated) and not agrees(stated, exact) \
                and agrees(stated, exact * 100):
            shown = format_at(exact, stated.decimals + 2, True)
            self.flag("percent-missing", pos,
                      say("percent-missing:cell", cell=a1(*pos), stated=stated.display(), expected=shown, reason=reason),
                      stated.display(), shown)
            fmt = decimals_format(stated.decimals + 2, True)
            self.result.fixes.append(CellFix(self.sheet.title, pos, float(exact), "=" + formula, number_format=fmt,
                                             mark=FIX, note=fix_note(stated.display(), shown,
                                                                        say("scores.rate-as-percent", reason=reason))))
            return
        self.derive(pos, formula, exact, None, "rate-mismatch", reason, percent_default=True)

    def derive_total_weight(self, pos: Pos, formula: str, weight: Fraction) -> None:
        """The 合计 weight as a live sum; a 合计 of 100 over parts that add to 101 is kept for review,
        because the parts are what is wrong (``weight-total-mismatch`` says so), not the 合计."""
        stated = self.stated_number(pos)
        expected = Fraction(self.schema["total_weight"])
        if stated is not None and stated.fraction == expected != weight:
            self.result.fixes.append(CellFix(self.sheet.title, pos, float(weight), "=" + formula, mark=REVIEW,
                                             note=say("scores.weights-total-note", weight=show(weight),
                                                      expected=show(expected))))
        else:
            self.derive(pos, formula, weight, None, "sum-mismatch", say("scores.total-weight-rule", weight=show(weight)))

    def check_weight_total(self, parts: list[tuple[str, Fraction]], range_: str) -> None:
        """Level-1 weights add to ``total_weight`` (100)."""
        total = sum((w for _, w in parts), Fraction(0))
        expected = Fraction(self.schema["total_weight"])
        if total == expected or not parts:
            return
        listed = "、".join(say("scores.named-weight", name=name, weight=show(w)) for name, w in parts)
        self.flag("weight-total-mismatch", None, say("weight-total-mismatch:level1", total=show(total), listed=listed,
                                                     expected=show(expected)),
                  show(total), show(expected), range_=range_)

    def check_grade(self, total: Fraction, total_ref: str, bands: Bands, grade_pos: Pos | None,
                    title: tuple[str, Pos] | None, schema: dict) -> str:
        """The grade from the total; a stated grade (cell or title) that disagrees is flagged."""
        grade = bands.grade(total)
        why = say("scores.grade-why", total=show(total), bands=bands.describe(), source=bands.source_words(), grade=grade)
        if grade_pos is not None:
            raw = self.sheet.raw(*grade_pos)
            found = stated_grade(raw, schema) if raw is not None else None
            formula = "=" + bands.formula(total_ref)
            fix = CellFix(self.sheet.title, grade_pos, grade, formula)
            self.result.fixes.append(fix)
            if found != grade:
                held = self.held_back(grade_pos)
                self.flag("grade-mismatch", grade_pos, say("grade-mismatch:cell", cell=a1(*grade_pos), found=raw,
                                                           grade=grade, why=why, held=held),
                          str(raw), grade)
                self.mark(fix, str(raw), grade, why, held)
        if title is not None:
            found = stated_grade(title[0], schema)
            if found is not None and found != grade:
                self.flag("grade-mismatch", title[1], say("grade-mismatch:title", found=found, grade=grade, why=why),
                          found, grade)
                self.review(title[1], say("scores.title-grade-note", grade=grade, why=why))
        return grade
