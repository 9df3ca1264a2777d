"""Recomputing a yes/no questionnaire (seed 003): the share of the first answer per question.

Questions of a yes/no survey often address different groups (20 beneficiaries, 100 residents), so
a question with a different number of answers is reported as information, not as a fault.
"""

from __future__ import annotations

from fractions import Fraction

from ..findings import INFO, finding
from ..fixes import CellFix, FIX, fix_note
from ..grid import a1
from ..results import TableResult
from ..values import Number, Text, agrees, format_at, round_half_up
from .locate import YesNoTable
from .scheme import common_answers


def check_yes_no(table: YesNoTable, schema: dict) -> TableResult:
    """Check every question's share of the first answer and compute the satisfaction figure."""
    sheet = table.sheet
    result = TableResult(sheet=sheet.title, kind="questionnaire")
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
        reason = f"第{q}题“{question.options[0]}”{counts[0]}人 ÷ 本题 {n} 人 = {format_at(exact, 4, True)}"
        if isinstance(parsed, Number) and not agrees(parsed, exact):
            found, expected = parsed.display(), format_at(exact, parsed.decimals, True)
        elif isinstance(parsed, Text) or (parsed is None and n):
            found, expected = (parsed.value if parsed else "空白"), format_at(exact, 4, True)
        else:
            continue
        result.findings.append(finding("share-mismatch", sheet.title, a1(*question.share),
                                       f"{a1(*question.share)} 为 {found}，应为 {expected}：{reason}", found, expected))
        fix.mark, fix.note = FIX, fix_note(found, expected, reason)
    common = common_answers(answers)
    for q, (question, n) in enumerate(zip(table.questions, answers), 1):
        if n != common:
            result.findings.append(finding(
                "answers-differ", sheet.title, a1(*question.counts[0]),
                f"第{q}题作答 {n} 人，其他题多为 {common} 人；是否问卷分别面向不同对象（如受益对象与群众）？请核对",
                str(n), str(common), severity=INFO))
    chosen = [i for i, qn in enumerate(table.questions) if any(w in qn.label for w in words)] or \
        list(range(len(table.questions)))
    asked = sum(answers[i] for i in chosen)
    satisfaction = Fraction(sum(yes[i] for i in chosen) * 100, asked) if asked else None
    result.figures = {
        "form": "yes-no",
        "sheet": sheet.title,
        "title": table.title,
        "respondents": max(answers) if answers else 0,
        "questions": len(table.questions),
        "satisfaction": float(round_half_up(satisfaction, 2)) if satisfaction is not None else None,
        "stated_satisfaction": None,
        "option_weights": None,
        "option_weights_source": None,
        "answers": answers,
        "satisfaction_questions": [i + 1 for i in chosen],
    }
    return result
