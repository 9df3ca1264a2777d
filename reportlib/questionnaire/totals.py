"""The 合计 block and 最终得分 of an A–E table: column sums of counts, shares of all answers,
sums of the unrounded question scores, and the final satisfaction.

A mixin of :class:`~reportlib.questionnaire.check_ae.AEChecker`; it uses the checker's
``stated``, ``derive`` and table.
"""

from __future__ import annotations

import re
from fractions import Fraction

from openpyxl.utils.cell import coordinate_to_tuple

from ..fixes import refs_sum, row_cells, row_sum
from ..grid import a1
from ..messages import say
from ..values import agrees, format_at, formula_number as _num
from .scheme import Scheme


def _abs_col(ref: str) -> str:
    return "$" + ref


def share_formula(count_ref: str, answers_ref: str) -> str:
    """A share as a live formula that shows 0 instead of #DIV/0! while the counts are blank."""
    return f"IF({answers_ref}=0,0,{count_ref}/{answers_ref})"


class TotalBlockChecks:
    def _check_total_block(self, counts, answers, scores, totals) -> str | None:
        """The 合计 block: column sums of counts, shares of all answers, sums of unrounded scores."""
        t, tb = self.t, self.t.total_block
        if tb is None:
            return None
        qs = t.questions
        all_answers = sum(answers)
        n_pos = t.total_pos(tb, "count")
        col_count_refs = {}
        for k in t.options:
            pos = t.pos(tb, "count", k)
            if pos is None:
                continue
            col_count_refs[k] = a1(*pos)
            exact = sum(c[k] for c in counts)
            refs = [a1(*t.pos(b, "count", k)) for b in qs]
            st = self.stated(pos)
            reason = say("survey.column-count-rule", option=k, n=exact)
            if st.number is not None and st.number.value == 0 and exact:
                reason += say("survey.column-left-out")
            self.derive(pos, refs_sum(refs), Fraction(exact), st, "total-mismatch", reason)
        if n_pos and "count" in tb.rows:
            st = self.stated(n_pos)
            reason = say("survey.all-answers-rule", n=all_answers)
            stated_cols = [self.stated(t.pos(tb, "count", k)).number for k in t.options]
            if st.number is not None and all(s is not None for s in stated_cols) and \
                    st.number.value == sum(s.value for s in stated_cols) != all_answers:
                reason += say("survey.total-row-left-out")
            self.derive(n_pos, row_sum(tb.rows["count"], list(t.option_cols.values())), Fraction(all_answers), st,
                        "total-mismatch", reason)
        option_cols = list(t.option_cols.values())
        if n_pos:
            n_ref = _abs_col(a1(*n_pos))
        elif "count" in tb.rows:
            n_ref = row_sum(tb.rows["count"], option_cols)
        else:
            n_ref = f"SUM({','.join(row_cells(b.rows['count'], option_cols) for b in qs)})"
        for k in t.options:
            pos = t.pos(tb, "share", k)
            if pos is None or k not in col_count_refs:
                continue
            exact = Fraction(sum(c[k] for c in counts), all_answers) if all_answers else Fraction(0)
            self.derive(pos, share_formula(col_count_refs[k], n_ref), exact, None, "total-mismatch",
                        say("survey.column-share-rule", option=k, count=sum(c[k] for c in counts), n=all_answers),
                        percent_default=True)
        if t.total_pos(tb, "share") and "share" in tb.rows:
            cols = [t.option_cols[k] for k in t.options if t.pos(tb, "share", k)]
            self.derive(t.total_pos(tb, "share"), row_sum(tb.rows["share"], cols), Fraction(1), None,
                        "total-mismatch", say("survey.total-shares-rule"), percent_default=True)
        grand = sum(totals, Fraction(0))
        merged = t.merged_total_score_pos(tb)
        score_ref = None
        q_total_refs = [a1(*p) for p in map(t.question_total_pos, qs) if p]
        if "score" in tb.rows and merged is None:
            for k in t.options:
                pos = t.pos(tb, "score", k)
                refs = [a1(*t.pos(b, "score", k)) for b in qs if t.pos(b, "score", k)]
                parts = [(self.stated(t.pos(b, "score", k)).number, s[k]) for b, s in zip(qs, scores)
                         if t.pos(b, "score", k)]
                self.derive(pos, refs_sum(refs), sum((s[k] for s in scores), Fraction(0)), None, "total-mismatch",
                            say("survey.column-score-rule", option=k), parts=parts)
            pos = t.total_pos(tb, "score")
            if pos:
                self.derive(pos, row_sum(tb.rows["score"], list(t.option_cols.values())), grand, None,
                            "total-mismatch", say("survey.total-row-score-rule"), parts=[
                                (self.stated(t.pos(tb, "score", k)).number, sum((s[k] for s in scores), Fraction(0)))
                                for k in t.options])
                score_ref = a1(*pos)
        for pos in (merged, t.question_score_pos(tb)):
            if pos and a1(*pos) != score_ref:
                parts = [(self.stated(p).number, total) for p, total in zip(map(t.question_total_pos, qs), totals)
                         if p]
                self.derive(pos, refs_sum(q_total_refs) if q_total_refs else "0", grand, None, "total-mismatch",
                            say("survey.grand-rule"), parts=parts)
                score_ref = score_ref or a1(*pos)
        return score_ref

    def _check_final(self, satisfaction: Fraction, total_ref: str | None, scheme: Scheme, totals) -> None:
        t = self.t
        if t.final_pos is None:
            return
        if total_ref is None:
            refs = [a1(*p) for p in map(t.question_total_pos, t.questions) if p]
            total_ref = refs_sum(refs) if refs else None
        cols = list(t.option_cols.values())
        if total_ref is None and t.total_block is not None and "score" in t.total_block.rows:
            total_ref = row_sum(t.total_block.rows["score"], cols)  # no 合计 column: the 合计 row's scores
        if total_ref is None and all("score" in b.rows for b in t.questions):
            total_ref = f"SUM({','.join(row_cells(b.rows['score'], cols) for b in t.questions)})"
        if total_ref is None:
            return
        points = scheme.total_points
        grand = sum(totals, Fraction(0))
        stated = self.stated(t.final_pos).number
        if points != 100 and stated is not None and agrees(stated, grand) and not agrees(stated, satisfaction):
            self.flag("final-score-scale", t.final_pos,
                      say("final-score-scale:final", final=stated.display(), points=_num(points),
                          satisfaction=format_at(satisfaction, 2)), stated.display(),
                      format_at(satisfaction, 2))
            return
        formula = total_ref if points == 100 else f"{total_ref}*100/{_num(points)}"
        same_as = None
        if points == 100 and re.fullmatch(r"[A-Z]+[0-9]+", total_ref):
            same_as = coordinate_to_tuple(total_ref)
        self.derive(t.final_pos, formula, satisfaction, None, "final-score-mismatch",
                    say("survey.final-rule", grand=format_at(sum(totals, Fraction(0)), 2), points=_num(points),
                        satisfaction=format_at(satisfaction, 2)), same_as=same_as)
