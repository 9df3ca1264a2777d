"""Recomputing a yes/no questionnaire (seed 003): the share of the first answer per question.

Questions of a yes/no survey often address different groups (20 beneficiaries, 100 residents), so
a question with a different number of answers is reported as information, not as a fault.
"""

from __future__ import annotations

from fractions import Fraction

from ..findings import INFO, finding
from ..cellmodel import Check, CheckModel, grid_points
from ..diagnose import diagnose
from ..fixes import REVIEW, CellFix, FIX, fix_note
from ..grid import a1
from ..messages import say
from ..results import TableResult
from ..values import Number, Text, agrees, format_at
from .facts import QuestionnaireFacts, respondents
from .locate import YesNoTable
from .scheme import common_answers


def yes_no_model(table: YesNoTable) -> CheckModel:
    """Each question's share of the first answer over its two counts; where most questions have the
    same number of answers, a question with as many is confirmed by them (a count read back from a
    wrong share would break that)."""
    sheet = table.sheet
    inputs: dict = {}
    for question in table.questions:
        for pos in question.counts:
            parsed = sheet.parsed(*pos)
            inputs[pos] = Fraction(int(parsed.value)) if isinstance(parsed, Number) else None
    whole = {pos: (lambda v, values: v >= 0 and v.denominator == 1) for pos in inputs}
    m = CheckModel(inputs, {pos: Fraction(1) for pos in inputs}, whole, shown=lambda pos, v: str(v.numerator))

    def answers(values, question):
        a, b = (values.get(p) for p in question.counts)
        return None if a is None or b is None else a + b

    for q, question in enumerate(table.questions):
        c1, c2 = question.counts
        stated = sheet.parsed(*question.share) if question.share else None
        if isinstance(stated, Number):
            def share(values, c1=c1, c2=c2):
                a, b = values.get(c1), values.get(c2)
                return None if a is None or b is None or a + b == 0 else a / (a + b)

            def solve(cell, values, c1=c1, c2=c2, stated=stated):
                lo, hi = stated.bounds
                a, b = values.get(c1), values.get(c2)
                if a is None or b is None:
                    return []
                if cell == c1 and hi < 1:  # a / (a + b) = s: a = s b / (1 - s)
                    return grid_points(lo * b / (1 - lo), hi * b / (1 - hi), Fraction(1))
                if cell == c2 and lo > 0:  # b = a (1 - s) / s
                    return grid_points(a * (1 - hi) / hi, a * (1 - lo) / lo, Fraction(1))
                return []
            m.add(Check(question.share, (c1, c2), share, stated, linear=False, solver=solve,
                        domain=lambda v: 0 <= v <= 1))
        others = [x for x in table.questions if x is not question]

        def same(values, question=question, others=others):
            mine = answers(values, question)
            theirs = [answers(values, x) for x in others]
            common = common_answers([x for x in theirs if x is not None]) if theirs else None
            shared = sum(1 for x in theirs if x == common)
            if mine is None or common is None or shared < 2 or shared * 2 < len(theirs):
                return None
            return mine == common
        m.add(Check(("answers", q), (c1, c2), lambda values: None, derived=False, holds=same))
    return m


def check_yes_no(table: YesNoTable, schema: dict) -> TableResult:
    """Check every question's share of the first answer and compute the satisfaction figure."""
    sheet = table.sheet
    result = TableResult(sheet=sheet.title, kind="questionnaire")
    model = yes_no_model(table)
    diagnosis = diagnose(model)
    words = schema["yes_no"]["satisfaction_words"]
    answers, yes = [], []
    for q, question in enumerate(table.questions, 1):
        counts = []
        for pos in question.counts:
            parsed = sheet.parsed(*pos)
            counts.append(int(parsed.value) if isinstance(parsed, Number) else 0)
        n = sum(counts)
        answers.append(n)
        yes.append(counts[0])
        if question.share is None:
            continue
        exact = Fraction(counts[0], n) if n else Fraction(0)
        parsed = sheet.parsed(*question.share)
        c1, c2 = (a1(*p) for p in question.counts)
        fix = CellFix(sheet.title, question.share, float(exact), f"=IF(({c1}+{c2})=0,0,{c1}/({c1}+{c2}))",
                      number_format="0.00%" if not isinstance(parsed, Number) or parsed.text else None)
        result.fixes.append(fix)
        reason: str = say("survey.yes-share-rule", q=q, option=question.options[0], count=counts[0], n=n,
                     share=format_at(exact, 4, True))
        if isinstance(parsed, Number) and not agrees(parsed, exact):
            found, expected = parsed.display(), format_at(exact, parsed.decimals, True)
        elif isinstance(parsed, Text) or (parsed is None and n):
            found, expected = (parsed.value if parsed else say("words.blank")), format_at(exact, 4, True)
        else:
            continue
        if isinstance(parsed, Number) and not diagnosis.may_rewrite(question.share):
            reason += say("survey.or-count-wrong")
            fix.mark, fix.note = REVIEW, say("survey.yes-no-held", found=found, expected=expected, reason=reason)
        else:
            fix.mark, fix.note = FIX, fix_note(found, expected, reason)
        result.findings.append(finding("share-mismatch", sheet.title, a1(*question.share),
                                       say("cell.differs", cell=a1(*question.share), found=found, expected=expected,
                                           reason=reason, held=""), found, expected))
    common = common_answers(answers)
    for q, (question, n) in enumerate(zip(table.questions, answers), 1):
        if n != common:
            result.findings.append(finding(
                "answers-differ", sheet.title, a1(*question.counts[0]),
                say("answers-differ:groups", q=q, n=n, common=common),
                str(n), str(common), severity=INFO))
    chosen = [i for i, qn in enumerate(table.questions) if any(w in qn.label for w in words)] or \
        list(range(len(table.questions)))
    asked = sum(answers[i] for i in chosen)
    satisfaction = Fraction(sum(yes[i] for i in chosen) * 100, asked) if asked else None
    result.establish(QuestionnaireFacts(
        "yes-no", sheet.title, table.title, tuple(q.label for q in table.questions), tuple(answers),
        respondents(answers), satisfaction, 2, satisfaction_questions=tuple(i + 1 for i in chosen)))
    return result
