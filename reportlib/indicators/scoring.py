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
from ..values import Number, Text, agrees, decimals_format, decimals_to_show, format_at, formula_number
from .grades import Bands, stated_grade


def show(value: Fraction | None, decimals: int = 2) -> str:
    """A score or weight for a message: ``55``, ``18.6``, ``(100/3)`` shown as 33.33."""
    if value is None:
        return "空白"
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
            self.flag("not-a-number", pos, f"{what}（{a1(*pos)}）应为数字，表中填的是“{parsed.value}”，按空白处理",
                      parsed.value, None)
            self.review(pos, f"{what}应填数字")
            return None
        return parsed.fraction if isinstance(parsed, Number) else None

    def stated_number(self, pos: Pos | None) -> Number | None:
        if pos is None:
            return None
        parsed = self.sheet.parsed(*pos)
        return parsed if isinstance(parsed, Number) else None

    def correct_input(self, pos: Pos, code: str, new: Fraction, message: str, reason: str) -> None:
        """Replace an input constant by the value the evidence gives, with a finding and a comment.

        ``message`` may use ``{old}`` and ``{new}``: the cell as shown and the new value at its precision.
        """
        stated = self.stated_number(pos)
        old = stated.display() if stated is not None else "空白"
        fmt = None
        if stated is not None and not stated.percent:
            places = decimals_to_show(new, stated.decimals)
            shown = stated.shown(new, places)
            if places > stated.decimals and self.sheet.formats.get(pos, "General") != "General":
                fmt = decimals_format(places)  # 57.25 must not show as 57.3 in a 0.0 cell
        else:
            shown = show(new)
        self.correct(pos, code, float(new), message.replace("{old}", old, 1).replace("{new}", shown, 1), old, shown,
                     reason, number_format=fmt)

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
            word = {"weight": "权重", "score": "得分", "deduction": "扣分"}[measure]
            new = show(fix.new)
            d = self.stated_number(row.deduction_pos)
            how = f"（{show(row.weight)} − {d.display()}）" if measure == "score" and d is not None and \
                row.weight is not None and row.deduction_pos in fix.mends else ""
            out = ""
            if measure == "score" and row.weight is not None and fix.old is not None and not 0 <= fix.old <= row.weight:
                out = f"得分 {show(fix.old)} {'低于 0' if fix.old < 0 else f'超过权重 {show(row.weight)}'}"
            if here:
                reason = (f"{' 与'.join(here)} {'都' if len(here) > 1 else ''}表明{word}应为 {new}{how}，"
                          f"而不是 {show(fix.old)}")
                if there:
                    reason += f"；{'、'.join(there)} 也与更正后的数相符"
            elif out and there:
                reason = f"{out}，而{'、'.join(there)} 表明应为 {new}"
            else:
                reason = f"{'、'.join(there)} 都与 {show(fix.old)} 不符，而与 {new} 相符"
            code = {"weight": "weight-inconsistent", "score": "score-out-of-range" if out else "score-inconsistent",
                    "deduction": "deduction-mismatch"}
            self.correct_input(fix.cell, code[measure], fix.new,
                               f"{row.what}的{word}（{a1(*fix.cell)}）为 {{old}}，应为 {{new}}：{reason}", reason)
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
        bound = "低于 0" if s < 0 else f"超过权重 {show(w)}"
        pos = row.score_pos or row.deduction_pos  # a summary without 得分 states the score by its 扣分
        self.flag("score-out-of-range", pos, f"{row.what}的得分 {show(s)}{bound}；得分应在 0 到权重之间，请核对评分",
                  show(s), f"0–{show(w)}")
        if pos is not None:
            self.review(pos, f"得分 {show(s)} {bound}")
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
                        f"{row.what}：扣分 = 权重 {show(w)} − 得分 {show(s)} = {show(w - s)}")
        if row.rate_pos and w:
            self.derive_rate(row.rate_pos, f"{sref}/{wref}", s / w,
                             f"{row.what}：得分率 = 得分 {show(s)} ÷ 权重 {show(w)} = {format_at(s / w, 4, True)}")

    def derive_rate(self, pos: Pos, formula: str, exact: Fraction, reason: str) -> None:
        stated = self.stated_number(pos)
        if stated is not None and self.in_points(stated) and not agrees(stated, exact) \
                and agrees(stated, exact * 100):
            shown = format_at(exact, stated.decimals + 2, True)
            self.flag("percent-missing", pos,
                      f"{a1(*pos)} 写作 {stated.display()}，缺少百分号，应为 {shown}：{reason}", stated.display(), shown)
            fmt = decimals_format(stated.decimals + 2, True)
            self.result.fixes.append(CellFix(self.sheet.title, pos, float(exact), "=" + formula, number_format=fmt,
                                             mark=FIX, note=fix_note(stated.display(), shown, "得分率应为百分数；" + reason)))
            return
        self.derive(pos, formula, exact, None, "rate-mismatch", reason, percent_default=True)

    def derive_total_weight(self, pos: Pos, formula: str, weight: Fraction) -> None:
        """The 合计 weight as a live sum; a 合计 of 100 over parts that add to 101 is kept for review,
        because the parts are what is wrong (``weight-total-mismatch`` says so), not the 合计."""
        stated = self.stated_number(pos)
        expected = Fraction(self.schema["total_weight"])
        if stated is not None and stated.fraction == expected != weight:
            self.result.fixes.append(CellFix(self.sheet.title, pos, float(weight), "=" + formula, mark=REVIEW,
                                             note=f"请核对：各项权重之和为 {show(weight)}，不是 {show(expected)}"))
        else:
            self.derive(pos, formula, weight, None, "sum-mismatch", f"合计权重为各项权重之和 {show(weight)}")

    def check_weight_total(self, parts: list[tuple[str, Fraction]], range_: str) -> None:
        """Level-1 weights add to ``total_weight`` (100)."""
        total = sum((w for _, w in parts), Fraction(0))
        expected = Fraction(self.schema["total_weight"])
        if total == expected or not parts:
            return
        listed = "、".join(f"{name} {show(w)}" for name, w in parts)
        self.flag("weight-total-mismatch", None, f"一级指标权重之和为 {show(total)}（{listed}），应为 {show(expected)}",
                  show(total), show(expected), range_=range_)

    def check_grade(self, total: Fraction, total_ref: str, bands: Bands, grade_pos: Pos | None,
                    title: tuple[str, Pos] | None, schema: dict) -> str:
        """The grade from the total; a stated grade (cell or title) that disagrees is flagged."""
        grade = bands.grade(total)
        why = f"总分 {show(total)} 按等级标准（{bands.describe()}，{bands.source_words()}）为“{grade}”"
        if grade_pos is not None:
            raw = self.sheet.raw(*grade_pos)
            found = stated_grade(raw, schema) if raw is not None else None
            formula = _grade_formula(total_ref, bands)
            fix = CellFix(self.sheet.title, grade_pos, grade, formula)
            self.result.fixes.append(fix)
            if found != grade:
                held = self.held_back(grade_pos)
                self.flag("grade-mismatch", grade_pos, f"评价等级（{a1(*grade_pos)}）为“{raw}”，应为“{grade}”：{why}{held}",
                          str(raw), grade)
                self.mark(fix, str(raw), grade, why, held)
        if title is not None:
            found = stated_grade(title[0], schema)
            if found is not None and found != grade:
                self.flag("grade-mismatch", title[1], f"标题写明等级为“{found}”，应为“{grade}”：{why}", found, grade)
                self.review(title[1], f"标题中的等级应为“{grade}”：{why}")
        return grade


def _grade_formula(total_ref: str, bands: Bands) -> str:
    """``=IF(X>=90,"优",IF(X>=80,"良",IF(X>=60,"中","差")))``."""
    formula = f'"{bands.bounds[-1][0]}"'
    for name, lower in reversed(bands.bounds[:-1]):
        formula = f'IF({total_ref}>={formula_number(lower)},"{name}",{formula})'
    return "=" + formula

