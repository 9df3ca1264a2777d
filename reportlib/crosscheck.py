"""Checking a project's attachments against each other.

Each check compares a value one attachment states with the value another attachment determines, and
puts the finding on the stated cell with ``related`` pointing at the other side:
- a satisfaction indicator's actual value (and the score its rule gives) against the survey's
  recomputed satisfaction;
- 资金到位率 / 预算执行率 indicators against the fund table's totals;
- budget, arrival and spending amounts stated in more than one table;
- the level-1 summary against a full indicator table in another file, and their totals and grades;
- the units of the fund tables of different files;
- a 项目支出绩效自评表 against the fund table, the survey and the indicator table (:mod:`.selfeval.cross`).

Nothing is corrected across attachments: which side the author meant is a person's call, so the
stated cell is marked for review (pink) with the other side's value in its comment.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from .findings import WARNING, finding
from .grid import a1
from .indicators import summary_against_details
from .indicators.facts import IndicatorFacts
from .indicators.rules import Measure, parse_measure, rule_score
from .indicators.scoring import show
from .kinds import TITLES
from .projects import Project
from .funds.facts import FundFacts
from .questionnaire.facts import QuestionnaireFacts
from .selfeval.cross import cross_check as selfeval_cross
from .results import FileResult, TableResult, related_cell, table_place
from .schema import Config
from .values import Number, format_at, label_key, money_text, round_half_up, same_amount
from .labels import AMOUNT_ROLE
from .messages import say

_DIGITS = re.compile(r"\d+(?:\.(\d+))?")


def check_project(project: Project, config: Config) -> None:
    """A project's own checks: its missing attachments, then its attachments against each other."""
    if any(f.tables for f in project.files) and not project.only_optional:
        found = project.kinds()
        missing = [TITLES[k] for k in config.schema("project")["required"] if not found.get(k)]
        if missing:
            project.findings.append(finding(
                "attachment-missing", None, None,
                say("attachment-missing:project", project=project.name, missing="、".join(missing)),
                None, "、".join(missing)))
    cross_check(project, config)


def cross_check(project: Project, config: Config) -> None:
    schema = config.schema("project")
    words = {k: [label_key(w) for w in v] for k, v in schema["indicators"].items() if isinstance(v, list)}
    amount_words = {role: [label_key(w) for w in v] for role, v in schema["indicators"]["amounts"].items()}
    ind_schema = config.schema("indicators")
    units = config.schema("funds")["units"]
    leaves = list(_leaves(project, ind_schema["rules"]))
    _satisfaction(project, leaves, words, ind_schema["rules"])
    _rates(project, leaves, words, ind_schema["rules"])
    _amounts(project, leaves, amount_words, units)
    _fund_tables(project, units)
    _summaries(project)
    selfeval_cross(project, units, config.schema("selfeval"))
    for f in project.files:
        f.settle_status()


# -- where things are -------------------------------------------------------------------------

def _decimals_shown(facts: IndicatorFacts, pos) -> int:
    """The decimals a cell shows (``96.68%`` -> 2, ``95%`` -> 0)."""
    parsed = facts.parsed.get(pos)
    if isinstance(parsed, Number):  # a percentage's decimals count those of its fraction (0.9747)
        return max(parsed.decimals - 2, 0) if parsed.percent else parsed.decimals
    m = _DIGITS.search(str(facts.shown.get(pos) or ""))
    return len(m.group(1) or "") if m else 0


class Leaf:
    """An indicator row of a full table, with what the cross-checks need of it (from its facts)."""

    def __init__(self, f: FileResult, t: TableResult, fact, rules):
        self.f, self.t, self.fact, self.facts = f, t, fact, t.facts
        self.row = fact  # weight, score, score_pos
        self.key = label_key(fact.label)
        self.target_pos, self.actual_pos = fact.target_pos, fact.actual_pos
        self.target = parse_measure(fact.target, rules) if self.target_pos else None
        self.actual = parse_measure(fact.actual, rules) if self.actual_pos else None

    def name(self) -> str:
        return self.fact.name

    def actual_shown(self) -> str:
        return self.fact.actual_shown

    def review(self, pos, note: str) -> None:
        self.t.review(pos, self.facts.raw[pos], note)

    def flag(self, code: str, pos, message: str, found, expected, related, severity=None) -> None:
        self.t.findings.append(finding(code, self.t.sheet, a1(*pos), message, found, expected,
                                       severity=severity, related=related))


def _leaves(project: Project, rules: dict):
    for f, t in project.tables("indicators"):
        if isinstance(t.facts, IndicatorFacts) and t.facts.form == "detail":
            for fact in t.facts.leaves:
                yield Leaf(f, t, fact, rules)


def _has(key: str, words: list[str]) -> bool:
    return any(w in key for w in words)


# -- satisfaction -------------------------------------------------------------------------------

def _satisfaction(project: Project, leaves: list[Leaf], words: dict, rules: dict) -> None:
    qf, qt = project.main("questionnaire")
    facts = qt.facts if qt is not None and isinstance(qt.facts, QuestionnaireFacts) else None
    if facts is None or facts.satisfaction is None:
        return
    exact, final_pos, stated = facts.satisfaction, facts.final_pos, facts.stated_final
    stated_final = float(round_half_up(stated.value, stated.decimals)) if stated else None
    related = [related_cell(qf, qt, final_pos, float(round_half_up(exact, 2)))]
    for leaf in leaves:
        if not _has(leaf.key, words["satisfaction"]) or leaf.actual is None or leaf.actual.op:
            continue
        # the actual value is a percentage (95%), or points on 100 (96.68)
        value = leaf.actual.value * 100 if leaf.actual.percent else leaf.actual.value
        if not leaf.actual.percent and value <= 1:
            value *= 100
        d = _decimals_shown(leaf.facts, leaf.actual_pos)
        survey = round_half_up(exact, d)
        shown_sat = say("cross.satisfaction-percent" if leaf.actual.percent else "cross.satisfaction-points",
                        value=format_at(exact, 2))
        if round_half_up(value, d) != survey:
            copied = (say("cross.copied-final", final=stated_final)
                      if stated_final is not None and Fraction(Decimal(str(stated_final))) == value else "")
            message = say("satisfaction-indicator-mismatch:survey", name=leaf.name(), cell=a1(*leaf.actual_pos),
                          actual=leaf.actual_shown(), where=table_place(qf, qt, final_pos), satisfaction=shown_sat,
                          copied=copied)
            expected = format_at(survey, d) + ("%" if leaf.actual.percent else "")
            leaf.flag("satisfaction-indicator-mismatch", leaf.actual_pos, message, leaf.actual_shown(), expected, related)
            leaf.review(leaf.actual_pos, say("cross.survey-satisfaction", satisfaction=shown_sat))
        unit_value = exact / 100 if leaf.actual.percent or (leaf.target and leaf.target.percent) else exact
        _score_from(leaf, Measure("", unit_value, bool(leaf.actual.percent or (leaf.target and leaf.target.percent)), ""),
                    rules, say("cross.survey-source", satisfaction=shown_sat), related)


def _score_from(leaf: Leaf, actual: Measure, rules: dict, source: str, related) -> None:
    """The score the rule gives with the other attachment's value, against the stated score."""
    row = leaf.row
    if leaf.target is None or row.weight is None or row.score is None or row.score_pos is None:
        return
    result = rule_score(leaf.key, leaf.target, actual, row.weight, rules)
    if result is None:
        return
    stated = leaf.fact.score_stated
    decimals = max(stated.decimals if stated else 0, 2)
    if round_half_up(result.score, decimals) == round_half_up(row.score, decimals):
        return
    pos = row.score_pos
    if any(x.cell == a1(*pos) and x.code in ("score-rule-mismatch", "indicator-score-mismatch") for x in leaf.t.findings):
        return
    expected = format_at(result.score, decimals)
    leaf.flag("indicator-score-mismatch", pos,
              say("indicator-score-mismatch:rule", name=leaf.name(), score=show(row.score), source=source,
                  expected=expected, reason=result.reason),
              show(row.score), expected, related)
    leaf.review(pos, say("cross.score-by", source=source, expected=expected))


# -- rates and amounts -----------------------------------------------------------------------------

def _funds(t: TableResult | None) -> FundFacts | None:
    """A fund table's facts, unless it is a blank template."""
    return t.facts if t is not None and isinstance(t.facts, FundFacts) and not t.facts.blank else None


def _rates(project: Project, leaves: list[Leaf], words: dict, rules: dict) -> None:
    ff, ft = project.main("funds")
    facts = _funds(ft)
    totals = facts.totals if facts is not None else None
    if not totals:
        return
    b, a, s = totals.get("budget"), totals.get("arrived"), totals.get("spent")
    for leaf in leaves:
        if leaf.actual is None or leaf.actual.op or not leaf.actual.percent:
            continue
        if _has(leaf.key, words["arrival_rate"]):
            name, options = say("cross.arrival-rate"), [(say("cross.arrived-over-budget"), a, b, "arrived")]
        elif _has(leaf.key, words["execution_rate"]):
            name, options = say("cross.execution-rate"), [(say("cross.spent-over-arrived"), s, a, "spent"),
                                                          (say("cross.spent-over-budget"), s, b, "spent")]
        else:
            continue
        rates = [(formula, n / den, role) for formula, n, den, role in options if n is not None and den]
        if not rates:
            continue
        d = _decimals_shown(leaf.facts, leaf.actual_pos)
        if any(round_half_up(r * 100, d) == round_half_up(leaf.actual.value * 100, d) for _, r, _ in rates):
            continue
        _, rate, role = rates[0]
        unit = facts.unit or ""
        parts = "；".join(say("cross.rate-is", formula=formula, rate=format_at(r, 4, True)) for formula, r, _ in rates)
        pos = facts.cells.get(role)
        related = [related_cell(ff, ft, pos, float(round_half_up(rate * 100, 2)))]
        message = say("rate-indicator-mismatch:funds", name=leaf.name(), cell=a1(*leaf.actual_pos),
                      actual=leaf.actual_shown(), where=table_place(ff, ft, pos), budget=_money(b), arrived=_money(a),
                      spent=_money(s), unit=unit, rate=name, rates=parts)
        leaf.flag("rate-indicator-mismatch", leaf.actual_pos, message, leaf.actual_shown(),
                  format_at(rate, d + 2, True), related)
        leaf.review(leaf.actual_pos, say("cross.fund-rate", rate=name, value=format_at(rate, 4, True)))
        _score_from(leaf, Measure("", rate, True, ""), rules, say("cross.fund-rate-source", rate=name), related)


def _money(value) -> str:
    return say("words.blank") if value is None else money_text(value, 6)


#: the fund roles compared across tables, as messages name them
AMOUNT_ROLES = AMOUNT_ROLE


def _amounts(project: Project, leaves: list[Leaf], amount_words: dict, units: dict) -> None:
    """An indicator that states the project's budget, arrivals or spending as an amount."""
    ff, ft = project.main("funds")
    facts = _funds(ft)
    totals = facts.totals if facts is not None else None
    if not totals:
        return
    fund_unit = facts.unit
    for leaf in leaves:
        role = next((r for r, ws in amount_words.items() if _has(leaf.key, ws)), None)
        if role is None or totals.get(role) is None or leaf.actual is None or leaf.actual.percent:
            continue
        unit = leaf.actual.unit or None
        if unit is not None and unit not in units:
            continue
        theirs = totals[role]
        mine = leaf.actual.value
        pos = facts.cells.get(role)
        related = [related_cell(ff, ft, pos, float(theirs))]
        zh = AMOUNT_ROLES[role]
        if same_amount(mine, unit, theirs, fund_unit, units):
            continue
        if mine == theirs:  # the same figures in two different units
            leaf.flag("unit-mixed", leaf.actual_pos,
                      say("unit-mixed:indicator-amount", name=leaf.name(), actual=leaf.actual_shown(),
                          where=table_place(ff, ft, pos), role=zh, amount=_money(theirs), fund_unit=fund_unit, unit=unit),
                      leaf.actual_shown(), f"{_money(theirs)}{fund_unit}", related)
            leaf.review(leaf.actual_pos, say("cross.unit-should-be", unit=fund_unit))
            continue
        leaf.flag("amount-cross-mismatch", leaf.actual_pos,
                  say("amount-cross-mismatch:indicator", name=leaf.name(), actual=leaf.actual_shown(),
                      where=table_place(ff, ft, pos), role=zh, amount=_money(theirs), unit=fund_unit or ""),
                  leaf.actual_shown(), f"{_money(theirs)}{fund_unit or ''}", related)
        leaf.review(leaf.actual_pos, say("cross.fund-amount", role=zh, amount=_money(theirs), unit=fund_unit or ""))


def _fund_tables(project: Project, units: dict) -> None:
    """Fund tables of other files: the same totals in the same unit as the project's main table."""
    ff, ft = project.main("funds")
    main = _funds(ft)
    if main is None:
        return
    main_totals = main.totals or {}
    main_unit = main.unit
    for f, t in project.tables("funds"):
        facts = _funds(t)
        if t is ft or f is ff or facts is None:
            continue  # tables of one workbook were compared when it was read
        unit = facts.unit
        if unit and main_unit and unit != main_unit and facts.unit_pos is not None:
            t.findings.append(finding(
                "unit-mixed", t.sheet, a1(*facts.unit_pos),
                say("unit-mixed:project", unit=unit, where=table_place(ff, ft, main.unit_pos), main_unit=main_unit),
                unit, main_unit,
                related=[related_cell(ff, ft, main.unit_pos, main_unit)]))
        totals = facts.totals or {}
        for role, zh in AMOUNT_ROLES.items():
            mine, theirs = totals.get(role), main_totals.get(role)
            if mine is None or theirs is None or same_amount(mine, unit, theirs, main_unit, units):
                continue
            pos = facts.cells.get(role)
            other = main.cells.get(role)
            t.findings.append(finding(
                "amount-cross-mismatch", t.sheet, a1(*pos) if pos else None,
                say("amount-cross-mismatch:tables", role=zh, mine=_money(mine), unit=unit or "",
                    where=table_place(ff, ft, other), theirs=_money(theirs), main_unit=main_unit or ""),
                f"{_money(mine)}{unit or ''}", f"{_money(theirs)}{main_unit or ''}", severity=WARNING,
                related=[related_cell(ff, ft, other, float(theirs))]))
            if pos:
                t.review(pos, facts.raw[pos], say("cross.project-fund-amount", role=zh, amount=_money(theirs),
                                                  unit=main_unit or ""))


# -- indicator totals and grades across files ------------------------------------------------------

def _summaries(project: Project) -> None:
    """A level-1 summary against the full tables of the project's other files; totals and grades."""
    tables = project.tables("indicators")
    details = [(f, t) for f, t in tables if isinstance(t.facts, IndicatorFacts) and t.facts.form == "detail"]
    for f, t in tables:
        if not isinstance(t.facts, IndicatorFacts) or t.facts.form != "summary":
            continue
        others = [(g, d) for g, d in details if g is not f]
        if not others or any(g is f for g, _ in details):
            continue  # a workbook with its own full tables was compared when it was read
        names = {id(d): g.path.name for g, d in others}
        before = len(t.findings)
        summary_against_details(t, [d for _, d in others], names)
        if len(t.findings) > before:
            continue  # the categories already say where the totals part
        main = next((d for _, d in others if d.facts.primary), None)
        if main is None:
            continue
        g = next(g for g, d in others if d is main)
        mine, theirs = t.facts.shown_total, main.facts.shown_total
        grade, their_grade = t.facts.grade, main.facts.grade
        if mine is None or theirs is None or (mine == theirs and grade == their_grade):
            continue
        pos, dpos = t.facts.total_pos, main.facts.total_pos
        ours, others_ = say("cross.score-grade", score=mine, grade=grade), say("cross.score-grade", score=theirs,
                                                                                grade=their_grade)
        t.findings.append(finding(
            "grade-cross-mismatch", t.sheet, a1(*pos) if pos else None,
            say("grade-cross-mismatch:summary", mine=ours, where=table_place(g, main, dpos), theirs=others_),
            str(ours), str(others_), related=[related_cell(g, main, dpos, theirs)]))
        if pos:
            t.review(pos, t.facts.raw[pos], say("cross.detail-total", total=others_))
