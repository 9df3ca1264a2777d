"""A 项目支出绩效自评表 against the project's other attachments: its 全年预算数 and 全年执行数 against the
fund table's budget and spending totals, its satisfaction indicator's 实际完成值 against the survey's
recomputed satisfaction, its 总分 against the indicator table's.  As every cross-check: nothing is
corrected (which side is right is a person's call); the form's cell is marked for review with the
other side's value, and ``related`` points at it."""

from __future__ import annotations

import re
from fractions import Fraction

from ..findings import WARNING, finding
from ..funds.facts import FundFacts
from ..grid import a1
from ..indicators.facts import IndicatorFacts
from ..labels import AMOUNT_ROLE
from ..messages import say
from ..projects import Project
from ..questionnaire.facts import QuestionnaireFacts
from ..results import related_cell, table_place
from ..values import format_at, money_text, round_half_up, same_amount
from .facts import SelfEvalFacts
from .rules import judge, quantity


def cross_check(project: Project, units: dict, spec: dict) -> None:
    sf, st = project.main("self-evaluation")
    if st is None or not isinstance(st.facts, SelfEvalFacts) or st.facts.blank:
        return
    facts = st.facts
    _amounts(project, sf, st, facts, units)
    _satisfaction(project, sf, st, facts, spec)
    _total(project, sf, st, facts)


def _amounts(project: Project, sf, st, facts: SelfEvalFacts, units: dict) -> None:
    ff, ft = project.main("funds")
    if ft is None or not isinstance(ft.facts, FundFacts) or ft.facts.blank:
        return
    funds = ft.facts
    for role in ("budget", "spent"):
        mine, theirs, pos = facts.totals.get(role), funds.totals.get(role), facts.cells.get(role)
        if mine is None or theirs is None or role not in funds.columns:
            continue
        if same_amount(mine, facts.unit, theirs, funds.unit, units):
            continue
        other = funds.cells.get(role)
        shown_mine, shown_theirs = money_text(mine, facts.precision), funds.show(theirs) or ""
        st.findings.append(finding(
            "amount-cross-mismatch", st.sheet, a1(*pos) if pos else None,
            say("amount-cross-mismatch:selfeval", role=AMOUNT_ROLE[role], mine=shown_mine, unit=facts.unit or "",
                where=table_place(ff, ft, other), theirs=shown_theirs, main_unit=funds.unit or ""),
            f"{shown_mine}{facts.unit or ''}", f"{shown_theirs}{funds.unit or ''}",
            related=[related_cell(ff, ft, other, float(theirs))]))
        if pos:
            st.review(pos, facts.raw.get(pos), say("cross.project-fund-amount", role=AMOUNT_ROLE[role],
                                                   amount=shown_theirs, unit=funds.unit or ""))


def _satisfaction(project: Project, sf, st, facts: SelfEvalFacts, spec: dict) -> None:
    """The one satisfaction indicator's result against the survey (several: which one the survey
    measured is not known, so none is compared)."""
    qf, qt = project.main("questionnaire")
    if qt is None or not isinstance(qt.facts, QuestionnaireFacts) or qt.facts.satisfaction is None:
        return
    if len(facts.satisfaction) != 1:
        return
    one = facts.satisfaction[0]
    pos, written = one.pos, one.actual
    stated = quantity(written)
    if stated is None:
        _score_by_survey(st, one, qt.facts.satisfaction, spec)
        return
    value, percent = stated
    digits = re.search(r"\d+(?:\.(\d+))?", written.replace(",", ""))
    decimals = len(digits.group(1) or "") if digits else 0  # the precision the result is written at
    survey = qt.facts.satisfaction
    if round_half_up(value, decimals) == round_half_up(survey, decimals):
        return  # the form's own result is the survey's: its score was judged with the form
    expected = format_at(survey, max(decimals, 2)) + ("%" if percent else "")
    final = qt.facts.final_pos
    st.findings.append(finding(
        "satisfaction-indicator-mismatch", st.sheet, a1(*pos),
        say("satisfaction-indicator-mismatch:selfeval", cell=a1(*pos), actual=written, where=table_place(qf, qt, final),
            satisfaction=expected), written, expected, related=[related_cell(qf, qt, final, float(round_half_up(survey, 2)))]))
    st.review(pos, facts.raw.get(pos), say("cross.survey-satisfaction", satisfaction=expected))
    _score_by_survey(st, one, survey, spec)


def _score_by_survey(st, one, survey: Fraction, spec: dict) -> None:
    """The satisfaction indicator's score by its rule with the survey's satisfaction as its result."""
    weight, stated = st.facts.numbers.get(one.weight_pos), st.facts.numbers.get(one.score_pos)
    if weight is None or stated is None:
        return
    score, decimals = stated.fraction, stated.decimals  # compared at the decimals the cell shows
    j = judge(one.name, one.target, f"{format_at(survey, 2)}%", spec["scoring"])
    if j.share is None:
        return
    expected = j.share * weight.fraction
    if round_half_up(expected, decimals) == round_half_up(score, decimals):
        return
    shown = format_at(expected, max(decimals, 2))
    message = say("score-rule-mismatch:survey", cell=a1(*one.score_pos), name=one.name, target=one.target,
                  satisfaction=f"{format_at(survey, 2)}%", expected=shown, score=stated.display())
    st.findings.append(finding("score-rule-mismatch", st.sheet, a1(*one.score_pos), message, stated.display(), shown,
                               severity=WARNING))
    st.review(one.score_pos, st.facts.raw.get(one.score_pos), message)


def _total(project: Project, sf, st, facts: SelfEvalFacts) -> None:
    """The 自评表's 总分 against the indicator table's: two instruments of one project; a difference is
    worth a sentence in the report, not a correction (a warning)."""
    inf, it = project.main("indicators")
    if it is None or not isinstance(it.facts, IndicatorFacts) or it.facts.total_score is None:
        return
    if facts.total_score is None or facts.total_pos is None:
        return
    mine, theirs = Fraction(round_half_up(facts.total_score, 2)), Fraction(round_half_up(it.facts.total_score, 2))
    if mine == theirs:
        return
    st.findings.append(finding(
        "grade-cross-mismatch", st.sheet, a1(*facts.total_pos),
        say("grade-cross-mismatch:selfeval", mine=format_at(mine, 2), where=table_place(inf, it, it.facts.total_pos),
            theirs=format_at(theirs, 2)), format_at(mine, 2), format_at(theirs, 2), severity=WARNING,
        related=[related_cell(inf, it, it.facts.total_pos, float(theirs))]))
