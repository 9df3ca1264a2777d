"""Recomputing an A–E questionnaire table and flagging every cell that does not follow.

Order matters: counts are the only inputs, so a count is blamed first (when its row total and its
column total both point at it); shares, scores, question totals, the 合计 block and the final score
are then recomputed from the counts and compared at the precision each cell is displayed with.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..checker import TableChecker
from ..diagnose import diagnose
from ..findings import INFO
from ..fixes import row_sum
from ..grid import a1, a1_range
from ..messages import say
from ..results import TableResult
from ..schema import ConfigError
from ..values import Number, Text, agrees, format_at, formula_number as _num, label_key
from .facts import QuestionnaireFacts
from .locate import AETable, Aliases, Block
from .model import AEModel
from .scheme import (Observed, Scheme, common_answers, decide, points_from_notes, source_words,
                     weights_from_notes)
from .totals import TotalBlockChecks, _abs_col, share_formula


class AEChecker(TableChecker, TotalBlockChecks):
    def __init__(self, table: AETable, config, schema: dict, aliases: Aliases):
        super().__init__(table.sheet, "questionnaire")
        self.t, self.config, self.schema, self.aliases = table, config, schema, aliases

    # -- the checks ----------------------------------------------------------------------------
    def run(self) -> TableResult:
        t = self.t
        qs = t.questions
        self.unknown: set = set()  # count cells holding text
        for row, kind in t.inferred:
            q = next(n for n, b in enumerate(qs, 1) if b.rows.get(kind) == row)
            word = self.aliases.kind_words[kind]
            self.flag("row-label-missing", (row, t.kind_col),
                      say("row-label-missing:row", row=row, q=q, word=word),
                      None, word, severity=INFO)
        counts = [self._read_counts(q, b) for q, b in enumerate(qs, 1)]
        if not any(sum(c.values()) for c in counts):
            self.flag("empty-table", None, say("empty-table:questionnaire"), severity=INFO)
            self.result.establish(self._facts(None, counts, [], [], None))
            return self.result
        scheme = self._decide_scheme(counts, [sum(c.values()) for c in counts])
        if self._blame_counts(counts, scheme):
            scheme = self._decide_scheme(counts, [sum(c.values()) for c in counts])
        answers = [sum(c.values()) for c in counts]
        respondents = common_answers(answers)
        self._report_scheme(scheme, counts)
        shares = [{k: Fraction(c[k], n) if n else Fraction(0) for k in t.options} for c, n in zip(counts, answers)]
        scores = [{k: s[k] * scheme.option_weights[k] * p for k in t.options}
                  for s, p in zip(shares, scheme.question_points)]
        totals = [sum(s.values(), Fraction(0)) for s in scores]
        for q, block in enumerate(qs, 1):
            self._check_question(q, block, counts[q - 1], answers[q - 1], respondents, shares[q - 1],
                                 scores[q - 1], totals[q - 1], scheme)
        satisfaction = sum(totals, Fraction(0)) * 100 / scheme.total_points
        total_ref = self._check_total_block(counts, answers, scores, totals)
        self._check_final(satisfaction, total_ref, scheme, totals)
        self.result.establish(self._facts(scheme, counts, answers, totals, satisfaction))
        return self.result

    def _read_counts(self, q: int, block: Block) -> dict[str, int]:
        result = {}
        for k in self.t.options:
            st = self.stated(self.t.pos(block, "count", k))
            value = 0
            if st is not None and self.unknown_formula(st.pos):
                self.unknown.add(st.pos)
            elif st is not None and isinstance(st.parsed, Text):
                self.unknown.add(st.pos)
                self.flag("not-a-number", st.pos, say("not-a-number:count", q=q, option=k, text=st.parsed.value),
                          st.parsed.value, None)
            elif st is not None and st.number is not None:
                v = st.number.value
                if v < 0 or v != v.to_integral_value():
                    self.flag("invalid-count", st.pos, say("invalid-count:count", q=q, option=k, value=v,
                                                           counted=max(0, round(v))),
                              str(v), str(max(0, round(v))))
                value = max(0, int(round(v)))
            result[k] = value
        return result

    def _blame_counts(self, counts: list[dict[str, int]], scheme: Scheme) -> bool:
        """Counts the evidence convicts: one new value that makes its row total, its column total, its
        question's shares and scores and the other questions' answers agree where they did not; and the
        table's model, so derived cells are rewritten only where their counts are confirmed."""
        t = self.t
        model_counts = [{k: (None if t.pos(b, "count", k) in self.unknown else c[k]) for k in t.options}
                        for b, c in zip(t.questions, counts)]
        self.model = AEModel(t, scheme, model_counts)
        self.diagnosis = diagnose(self.model)
        for fix in self.diagnosis.corrections:
            q, k = self.model.question_of[fix.cell]
            old, new = int(fix.old), int(fix.new)
            counts[q][k] = new
            order = ("n", "column", "share", "score", "same-answers", "question")
            mends = sorted(fix.mends, key=lambda key: order.index(k) if (k := self.model.kind[key][0]) in order else 9)
            witnesses = "、".join(self.model.describe(key) for key in mends[:6])
            more = say("survey.more-places", n=len(fix.mends)) if len(fix.mends) > 6 else ""
            reason = say("survey.count-evidence", q=q + 1, option=k, witnesses=witnesses, more=more, old=old, new=new)
            pos = fix.cell
            self.correct(pos, "count-mismatch", new, say("cell.differs", cell=a1(*pos), found=old, expected=new,
                                                         reason=reason, held=""), str(old), str(new), reason)
        return bool(self.diagnosis.corrections)

    def _totals_fit(self, counts, answers):
        """How many of the 合计 row's scores, its total and 最终得分 a scheme explains."""
        t = self.t
        tb = t.total_block
        stated = []
        if tb is not None and "score" in tb.rows and t.merged_total_score_pos(tb) is None:
            stated += [(self.stated(t.pos(tb, "score", k)), k) for k in t.options]
        for pos in {t.total_pos(tb, "score") if tb else None, t.question_score_pos(tb) if tb else None,
                    t.merged_total_score_pos(tb) if tb else None} - {None}:
            stated.append((self.stated(pos), "grand"))
        if t.final_pos:
            stated.append((self.stated(t.final_pos), "final"))
        stated = [(st.number, what) for st, what in stated if st is not None and st.number is not None]
        shares = [{k: Fraction(c[k], n) if n else Fraction(0) for k in t.options} for c, n in zip(counts, answers)]

        def fit(weights, points) -> int:
            column = {k: sum((s[k] * weights[k] * p for s, p in zip(shares, points)), Fraction(0)) for k in t.options}
            grand = sum(column.values(), Fraction(0))
            total = sum(points, Fraction(0))
            values = {**column, "grand": grand, "final": grand * 100 / total if total else grand}
            return sum(1 for number, what in stated if agrees(number, values[what]))
        fit.cells = len(stated)
        return fit

    def _decide_scheme(self, counts, answers) -> Scheme:
        t, sch = self.t, self.schema
        observed = []
        for block, c, n in zip(t.questions, counts, answers):
            shares, scores, exacts, bounds = {}, {}, {}, {}
            for k in t.options:
                exact = exacts[k] = Fraction(c[k], n) if n else Fraction(0)
                st = self.stated(t.pos(block, "share", k))
                if st is None:
                    shares[k] = exact
                elif st.number is None:
                    shares[k] = Fraction(0)
                elif agrees(st.number, exact):
                    shares[k] = exact
                else:
                    shares[k] = st.number.fraction
                    bounds[k] = st.number.bounds
                sc = self.stated(t.pos(block, "score", k))
                if sc and sc.number is not None:
                    scores[k] = sc.number
            total = self.stated(t.question_total_pos(block))
            observed.append(Observed(shares, scores, exacts, total.number if total else None, bounds))
        notes_w = weights_from_notes([label_key(n) for n in t.notes], self.aliases.option_of)
        notes_p = points_from_notes(t.notes, len(t.questions), sch["notes"], label_key)
        try:
            return decide(observed, t.options, notes_w, notes_p, self.config.option_weights,
                          self.config.question_points, sch["scheme"], self._totals_fit(counts, answers))
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc

    def _report_scheme(self, scheme: Scheme, counts) -> None:
        used = [k for k in self.t.options if any(c[k] for c in counts)]
        defaulted = [k for k in used if scheme.weight_sources[k] == "schema"]
        if defaulted:
            shown = "、".join(say("survey.weight-of", option=k, weight=_num(scheme.option_weights[k])) for k in defaulted)
            source = say("survey.preset-values" if scheme.preset else "survey.default-values")
            self.flag("scheme-default", None, say("scheme-default:weights", options="、".join(defaulted), source=source,
                                                  weights=shown))
        if "schema" in scheme.points_sources:
            self.flag("scheme-default", None,
                      say("scheme-default:points", total=self.schema["scheme"]["default_total_points"]))
        differ = [k for k, w in scheme.table_weights.items()
                  if scheme.weight_sources[k] != "table" and w != scheme.option_weights[k]]
        if differ:
            table = "、".join(say("survey.weight-of", option=k, weight=_num(scheme.table_weights[k])) for k in differ)
            used_w = "、".join(say("survey.weight-of", option=k, weight=_num(scheme.option_weights[k])) for k in differ)
            self.flag("option-weights-differ", None, say("option-weights-differ:table", table=table, used=used_w,
                                                         source=source_words(scheme.weights_source)), table, used_w)
        differ_p = [i for i, p in enumerate(scheme.table_points)
                    if p is not None and scheme.points_sources[i] != "table" and p != scheme.question_points[i]]
        if differ_p:
            found = "、".join(say("survey.question-points", q=i + 1, points=_num(scheme.table_points[i])) for i in differ_p)
            expected = "、".join(say("survey.question-points", q=i + 1, points=_num(scheme.question_points[i]))
                                for i in differ_p)
            self.flag("question-points-differ", None, say("question-points-differ:table", found=found, expected=expected,
                                                          source=source_words(scheme.points_source)), found, expected)

    def _check_question(self, q, block, counts, n, respondents, shares, scores, total, scheme) -> None:
        t = self.t
        count_refs = {k: a1(*t.pos(block, "count", k)) for k in t.options}
        n_pos = t.total_pos(block, "count")
        n_ref = _abs_col(a1(*n_pos)) if n_pos else row_sum(block.rows["count"], list(t.option_cols.values()))
        # answers of this question
        if n_pos:
            self.derive(n_pos, row_sum(block.rows["count"], list(t.option_cols.values())), Fraction(n),
                        None, "count-total-mismatch", say("survey.count-sum", q=q, n=n))
        if n != respondents:
            pos = n_pos or t.pos(block, "count", t.options[0])
            self.flag("answers-differ", pos,
                      say("answers-differ:question", q=q, n=n, respondents=respondents),
                      str(n), str(respondents))
            self.review(pos, say("survey.answers-differ-note", q=q, n=n, respondents=respondents))
        # shares
        share_refs = {}
        for i, k in enumerate(t.options):
            pos = t.pos(block, "share", k)
            if pos is None:
                continue
            share_refs[k] = a1(*pos)
            st = self.stated(pos)
            reason = say("survey.share-rule", q=q, option=k, count=counts[k], n=n, share=format_at(shares[k], 4, True))
            if st.number is not None and not agrees(st.number, shares[k]):
                reason += self._share_evidence(q, block, k, i, st.number, counts, n)
            self.derive(pos, share_formula(count_refs[k], n_ref), shares[k], st, "share-mismatch",
                        reason, percent_default=True)
        if share_refs:
            self._check_share_sum(q, block, share_refs)
        # scores
        score_refs = {}
        for k in t.options:
            pos = t.pos(block, "score", k)
            if pos is None:
                continue
            score_refs[k] = a1(*pos)
            w, p = scheme.option_weights[k], scheme.question_points[q - 1]
            share_expr = share_refs.get(k) or share_formula(count_refs[k], n_ref)
            st = self.stated(pos)
            reason = say("survey.score-rule", share=format_at(shares[k], 4, True), weight=_num(w), points=_num(p))
            share_st = self.stated(t.pos(block, "share", k))
            if (st.number is not None and share_st and share_st.number is not None
                    and not agrees(share_st.number, shares[k])
                    and agrees(st.number, share_st.number.fraction * w * p)):
                reason += say("survey.score-from-wrong-share", share=share_st.number.display())
            self.derive(pos, f"{share_expr}*{_num(w)}*{_num(p)}", scores[k], st, "score-mismatch", reason)
        # the question's total score
        if score_refs:
            parts = [(self.stated(t.pos(block, "score", k)).number, scores[k]) for k in t.options]
            formula = row_sum(block.rows["score"], list(t.option_cols.values()))
            reason = say("survey.question-total-rule", q=q, total=format_at(total, 2))
            self.derive(t.total_pos(block, "score"), formula, total, None, "question-total-mismatch", reason,
                        parts=parts)
            qpos = t.question_score_pos(block)
            if qpos and qpos != t.total_pos(block, "score"):
                self.derive(qpos, formula, total, None, "question-total-mismatch", reason, parts=parts)

    def _share_evidence(self, q, block, k, i, stated: Number, counts, n) -> str:
        t = self.t
        notes = []
        for j in (i - 1, i + 1):
            if 0 <= j < len(t.options):
                other = t.options[j]
                st = self.stated(t.pos(block, "share", other))
                if (st and st.number is not None and stated.value != 0 and st.number.value == stated.value
                        and counts[other] != counts[k]):
                    notes.append(say("survey.share-copied", option=other))
                    break
        n_st = self.stated(t.total_pos(block, "count"))
        if n_st and n_st.number is not None and int(n_st.number.value) == n:
            notes.append(say("survey.share-wrong-count-right", n=n))
        return "；" + "；".join(notes) if notes else ""

    def _check_share_sum(self, q, block, share_refs) -> None:
        t = self.t
        cells = [self.stated(t.pos(block, "share", k)) for k in share_refs]
        numbers = [c.number for c in cells if c.number is not None]
        stated_sum = sum((nb.value for nb in numbers), Decimal(0))
        slack = sum((Decimal(5) / Decimal(10) ** (nb.decimals + 1) for nb in numbers), Decimal(0))
        total_pos = t.total_pos(block, "share")
        cols = [t.option_cols[k] for k in share_refs]
        row = block.rows["share"]
        rng = a1_range((row, min(cols)), (row, max(cols)))
        shown_sum = format_at(stated_sum, 4, True)
        if total_pos:
            st = self.stated(total_pos)
            self.derive(total_pos, row_sum(row, cols), Fraction(1), st, "share-sum",
                        say("survey.shares-total-rule", q=q, total=shown_sum), percent_default=True)
            if st.number is None or not agrees(st.number, Fraction(1)) or abs(stated_sum - 1) <= slack:
                return
        if numbers and abs(stated_sum - 1) > slack:
            self.flag("share-sum", None, say("share-sum:question", q=q, cells=rng, total=shown_sum),
                      shown_sum, "100%", range_=rng)

    def _facts(self, scheme: Scheme | None, counts, answers, totals, satisfaction) -> QuestionnaireFacts:
        t = self.t
        return QuestionnaireFacts(
            "a-e", self.sheet.title, t.title, tuple(q.label for q in t.questions), tuple(answers),
            common_answers(answers), satisfaction, self.schema["scheme"]["satisfaction_decimals"], t.final_pos,
            self.stated(t.final_pos).number if t.final_pos else None, scheme, tuple(totals),
            {k: sum(c[k] for c in counts) for k in t.options}, score_decimals=self._score_decimals())

    def _score_decimals(self) -> int:
        """The decimals most question score cells show (two when none is filled)."""
        shown = [n.decimals for p in map(self.t.question_total_pos, self.t.questions)
                 if p and (n := self.stated(p).number) is not None]
        return max(set(shown), key=shown.count) if shown else 2
