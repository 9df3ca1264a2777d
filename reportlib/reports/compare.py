"""A report's stated figures against its project's corrected tables, at the precision the text states
them ("94%" against 92.52 is a mismatch, "96.6分" against 96.60 is not): total score and grade, the
satisfaction, valid questionnaires, each level-1 category, rates and amounts; a paragraph naming
another project.  Where the text agrees with what a table states while both differ from the recomputed
value, the message says so; where the text agrees with the recomputed value while the table's own
cell does not, the text confirms that the table is wrong (an info finding)."""

from __future__ import annotations

import re
from decimal import Decimal
from difflib import SequenceMatcher
from fractions import Fraction

from ..findings import INFO, Finding, finding
from ..funds.facts import FundFacts
from ..indicators.facts import IndicatorFacts
from ..labels import AMOUNT_ROLE
from ..messages import say
from ..indicators.grades import canonical
from ..projects import Project
from ..questionnaire.facts import QuestionnaireFacts
from ..results import FileResult, TableResult, related_cell, table_place
from ..schema import Config
from ..values import Number, format_at, label_key, round_half_up
from .stated import Stated

RATE_ROLES = ("execution_rate", "arrival_rate")


def compare_report(stated: list[Stated], project: Project, config: Config) -> list[Finding]:
    """The findings of a report's figures against the project's tables (their facts)."""
    schema = config.schema("indicators")
    words = config.schema("report")
    units = config.schema("funds")["units"]
    total_words = re.compile(words["total_words"])
    found: list[Finding] = []
    year = _year(project)
    stated = [s for s in stated if s.year is None or year is None or s.year == year]  # another year's figure
    ind = _main(project, "indicators", IndicatorFacts)
    survey = _main(project, "questionnaire", QuestionnaireFacts)
    funds = _main(project, "funds", FundFacts)
    for s in stated:
        if s.kind == "total_score" and ind and ind[1].total_score is not None:
            _score(found, s, ind)
        elif s.kind == "grade" and ind and ind[1].grade and (canonical(str(s.value), schema) or s.value) != ind[1].grade:
            where = _place(ind[0], ind[1].total_pos)
            found.append(_finding("report-grade-mismatch", s, say("report-grade-mismatch:grade", place=_where(s),
                                                                  found=s.shown, expected=ind[1].grade, where=where),
                                  s.shown, ind[1].grade, related=_related(ind[0], ind[1].total_pos, ind[1].grade)))
        elif s.kind == "satisfaction" and survey and survey[1].satisfaction is not None:
            _satisfaction(found, s, survey)
        elif s.kind == "questionnaires" and survey:
            _questionnaires(found, s, survey)
        elif s.kind == "option_share" and survey:
            _share(found, s, survey, config.schema("project")["draft"]["option_names"])
        elif s.kind == "indicators" and ind and ind[1].form == "detail" and ind[1].indicators:
            _indicators(found, s, ind)
        elif s.kind == "category" and ind:
            _category(found, s, ind, project)
        elif s.kind == "rate" and funds and s.role in RATE_ROLES:
            _rate(found, s, funds)
        elif s.kind == "amount" and funds and (s.role in AMOUNT_ROLE or s.role == "balance"):
            _amount(found, s, funds, units, total_words)
    _other_projects(found, stated, project, words)
    return sorted(found, key=_reading_order)


def _reading_order(f: Finding) -> tuple:
    """Paragraph by paragraph, then the embedded tables' cells."""
    return (0, f.paragraph, 0, 0) if f.paragraph is not None else (1, f.table or 0, f.row or 0, f.col or 0)


def _year(project: Project) -> int | None:
    """The year the project's name gives (2022年昆明市…经费), for telling a figure of another year."""
    m = re.search(r"(20\d\d)\s*年", project.full_name or "")
    return int(m.group(1)) if m else None


class Where(str):
    """``file“sheet”`` as messages name a table, keeping the file and the table for ``related``."""

    file: FileResult
    table: TableResult


def _main(project: Project, kind: str, facts_type):
    f, t = project.main(kind)
    if t is None or not isinstance(t.facts, facts_type) or getattr(t.facts, "blank", False):
        return None
    return _where_of(f, t), t.facts


def _where_of(f: FileResult, t: TableResult) -> Where:
    where = Where(table_place(f, t, None))
    where.file, where.table = f, t
    return where


def _related(where, pos, value) -> list[dict] | None:
    """The table cell a figure was compared with, as the cross-checks give it."""
    if not isinstance(where, Where):
        return None
    return [related_cell(where.file, where.table, pos, str(value))]


def _where(s: Stated) -> str:
    """Where in the report a figure stands: 第12段, or 表1第3行第4列."""
    if s.table is not None:
        return say("report.cell", table=s.table, row=s.row, col=s.col)
    return say("report.paragraph", n=s.paragraph)


def _place(where: Where, pos) -> str:
    return table_place(where.file, where.table, pos)


def _finding(code: str, s: Stated, message: str, found, expected, severity=None, related=None) -> Finding:
    return finding(code, None, None, message, str(found), str(expected), severity=severity, related=related,
                   paragraph=s.paragraph, quote=s.quote, table=s.table, row=s.row, col=s.col)


def _unit(s: Stated, value: str) -> str:
    return say("report.percent", value=value) if s.unit == "%" else say("report.points", value=value)


def _at(value, s: Stated) -> Decimal:
    return round_half_up(Fraction(value), s.decimals)


def _agrees(stated: Number | None, s: Stated) -> bool:
    """Whether the text copies the table's own (wrong) figure."""
    return stated is not None and _at(stated.value, s) == s.value


def _score(found: list, s: Stated, ind) -> None:
    where, facts = ind
    if _at(facts.total_score, s) == s.value:
        return
    expected, at = format_at(facts.total_score, max(s.decimals, 2)), _place(where, facts.total_pos)
    if _agrees(facts.stated_total, s):
        message = say("report-score-mismatch:score-as-table", place=_where(s), found=s.shown,
                      stated=facts.stated_total.display(), expected=expected, where=at)
    else:
        message = say("report-score-mismatch:score", place=_where(s), found=s.shown, expected=expected, where=at)
    found.append(_finding("report-score-mismatch", s, message, s.shown, expected,
                          related=_related(where, facts.total_pos, expected)))


def _satisfaction(found: list, s: Stated, survey) -> None:
    where, facts = survey
    if _at(facts.satisfaction, s) == s.value:
        return
    shown, expected = _unit(s, s.shown), _unit(s, format_at(facts.satisfaction, 2))
    at = _place(where, facts.final_pos)
    if _agrees(facts.stated_final, s):
        message = say("report-satisfaction-mismatch:satisfaction-as-table", place=_where(s), found=shown,
                      stated=_unit(s, facts.stated_final.display()), expected=expected, where=at)
    else:
        message = say("report-satisfaction-mismatch:satisfaction", place=_where(s), found=shown, expected=expected,
                      where=at)
    found.append(_finding("report-satisfaction-mismatch", s, message, shown, expected,
                          related=_related(where, facts.final_pos, expected)))


def _questionnaires(found: list, s: Stated, survey) -> None:
    where, facts = survey
    answers = list(facts.answers)
    if not answers:
        return
    short = [] if facts.groups else [(q, n) for q, n in enumerate(answers, 1) if n < s.value]  # groups: by design
    if facts.respondents == s.value and not short:
        return
    if facts.respondents != s.value:
        detail = say("report.respondents", n=facts.respondents)
    else:
        detail = say("report.short-question", q=short[0][0], n=short[0][1])
    expected = facts.respondents if facts.respondents != s.value else short[0][1]
    found.append(_finding("report-questionnaires-mismatch", s, say(
        "report-questionnaires-mismatch:count", place=_where(s), found=s.shown, where=where, detail=detail),
        s.shown, expected, related=_related(where, None, expected)))


def _share(found: list, s: Stated, survey, names: dict) -> None:
    """``73%对该工作表示非常满意``: an option's share of all the survey's answers."""
    where, facts = survey
    counts = facts.option_counts or {}
    option = next((k for k, name in names.items() if name == s.role), None)
    total = sum(counts.values())
    if option is None or option not in counts or not total:
        return
    share = Fraction(counts[option], total) * 100
    if _at(share, s) == s.value:
        return
    shown, expected = say("report.percent", value=s.shown), format_at(share / 100, max(s.decimals, 2) + 2, True)
    found.append(_finding("report-share-mismatch", s, say("report-share-mismatch:share", place=_where(s), found=shown,
                                                          option=s.role, expected=expected, where=where),
                          shown, expected, related=_related(where, None, expected)))


def _indicators(found: list, s: Stated, ind) -> None:
    """``28个四级指标`` against the full table's weighted leaves (when the text names the lowest level)."""
    where, facts = ind
    level = "一二三四五".find(str(s.role or "")) + 1
    if level != facts.levels or s.value == facts.indicators:
        return  # another level than the table's lowest, or the same count
    found.append(_finding("report-indicators-mismatch", s, say(
        "report-indicators-mismatch:count", place=_where(s), found=s.shown, level=s.role or "", where=where,
        expected=facts.indicators), s.shown, facts.indicators, related=_related(where, None, facts.indicators)))


def _category(found: list, s: Stated, ind, project: Project) -> None:
    where, facts = ind
    entry = next((x for x in facts.level1 if _same_category(s.category or "", x.name)), None)
    if entry is None or entry.score is None:
        return
    exact = {"weight": entry.weight, "score": entry.score, "deduction": entry.weight - entry.score,
             "rate": entry.score / entry.weight * 100 if entry.weight else None}[s.measure]
    if exact is None:
        return
    measure = {"weight": say("report.weight"), "score": say("report.score"), "deduction": say("report.deduction"),
               "rate": say("report.rate")}[s.measure]
    shown = _unit(s, s.shown)  # a category's rate is in %, its other measures in 分
    cell = _stated_cell(project, s.category or "", s.measure)  # a level-1 summary's own cell, if any
    table_value = None
    if cell is not None:
        number = cell[2]
        table_value = _at(number.value * 100 if s.measure == "rate" and number.percent else number.value, s)
    if _at(exact, s) != s.value:
        expected = _unit(s, format_at(exact, max(s.decimals, 2)))
        if cell is not None and table_value == s.value:  # the text copies the summary's own wrong cell
            at, pos, number = cell
            message = say("report-category-mismatch:category-as-table", place=_where(s), category=s.category,
                          measure=measure, found=shown, where=_place(at, pos), expected=expected)
            related = _related(at, pos, expected)
        else:
            message = say("report-category-mismatch:category", place=_where(s), category=s.category,
                          measure=measure, found=shown, expected=expected, where=where)
            related = _related(where, None, expected)
        found.append(_finding("report-category-mismatch", s, message, shown, expected, related=related))
    elif cell is not None and table_value != s.value:  # the text agrees with the recomputed value, the cell not
        at, pos, number = cell
        found.append(_finding("report-confirms-table", s, say(
            "report-confirms-table:category", place=_where(s), category=s.category, measure=measure,
            found=shown, where=_place(at, pos), table=number.display()), shown, shown, INFO,
            related=_related(at, pos, number.display())))


def _stated_cell(project: Project, written: str, measure: str) -> tuple | None:
    """The cell of a level-1 summary of the project stating this category's measure: (where, cell,
    its number as stated)."""
    for f, t in project.tables("indicators"):
        facts = t.facts
        if not isinstance(facts, IndicatorFacts) or facts.form != "summary":
            continue
        for category in facts.categories:
            if not _same_category(written, category.what):
                continue
            pos = {"weight": category.weight_pos, "score": category.score_pos, "rate": category.rate_pos}.get(measure)
            number = facts.stated_number(pos)
            if isinstance(number, Number):
                return _where_of(f, t), pos, number
    return None


def _same_category(written: str, name: str) -> bool:
    a, b = (re.sub(r"^[A-Za-z]+|项目|类|指标", "", label_key(x)) for x in (written, name))
    return bool(a) and (a == b or a in b or b in a)


def _rate(found: list, s: Stated, funds) -> None:
    where, facts = funds
    rate = facts.execution_rate if s.role == "execution_rate" else facts.arrival_rate
    if rate is None or _at(rate * 100, s) == s.value:
        return
    name = say("report.execution-rate") if s.role == "execution_rate" else say("report.arrival-rate")
    shown, expected = say("report.percent", value=s.shown), format_at(rate, max(s.decimals, 2) + 2, True)
    found.append(_finding("report-rate-mismatch", s, say("report-rate-mismatch:rate", place=_where(s), rate=name,
                                                         found=shown, expected=expected, where=where), shown, expected,
                          related=_related(where, None, expected)))


def _amount(found: list, s: Stated, funds, units: dict, total_words: re.Pattern) -> None:
    where, facts = funds
    role, unit = s.role or "", s.unit or ""
    total = facts.totals.get(role) if role in facts.columns else None
    basis = _balance_basis(facts) if role == "balance" and total is None else None
    if basis is not None:  # no 结余 column: what the basis less the spending leaves
        total = facts.totals[basis] - facts.totals["spent"]
    if total is None or unit not in units or facts.unit not in units:
        return
    scale = Fraction(units[facts.unit], units[unit])
    if _at(Fraction(total) * scale, s) == s.value:
        return
    items = [values.get(role) for _, values in facts.rows]
    if any(v is not None and _at(v * scale, s) == s.value for v in items) or not total_words.search(s.quote):
        return  # an item's amount, or one the sentence does not say is the project's: not attached, not guessed
    shown, expected = s.shown + unit, (facts.show(total) or "") + facts.unit
    if basis is not None:
        message = say("report-amount-mismatch:balance", place=_where(s), found=shown, expected=expected,
                      where=where, basis=AMOUNT_ROLE[basis])
    else:
        message = say("report-amount-mismatch:amount", place=_where(s), role=AMOUNT_ROLE.get(role) or say(
            "report.balance"), found=shown, expected=expected, where=_place(where, facts.cells.get(role)))
    found.append(_finding("report-amount-mismatch", s, message, shown, expected,
                          related=_related(where, facts.cells.get(role), expected)))


def _balance_basis(facts: FundFacts) -> str | None:
    """What a 结余 is left of when the table has no balance column: the budget, or the money arrived
    when the table has both and they differ (a 结余 of either would be a guess), with the spending."""
    have = [r for r in ("arrived", "budget") if r in facts.columns and facts.totals.get(r) is not None]
    if facts.totals.get("spent") is None or "spent" not in facts.columns or not have:
        return None
    if len(have) == 2 and facts.totals["arrived"] != facts.totals["budget"]:
        return None
    return have[0]


def _other_projects(found: list, stated: list[Stated], project: Project, words: dict) -> None:
    """A paragraph stating the evaluation's result for a project of another name (copied from another
    report)."""
    if not project.full_name:
        return  # only a name the tables give is known well enough to tell another from it
    pattern, lead = re.compile(words["project_name"]), re.compile(words["project_name_lead"])
    own = label_key(project.full_name)
    told: set[int | None] = set()
    for s in stated:
        if s.kind not in words["project_name_kinds"] or s.paragraph is None or s.paragraph in told:
            continue
        m = pattern.search(s.quote)
        if m is None:
            continue
        name = lead.sub("", m.group(1))
        key = label_key(name)
        if len(key) < 6:
            continue  # what is left after 对… is no name
        common = SequenceMatcher(None, key, own, autojunk=False).find_longest_match(0, len(key), 0, len(own)).size
        if common >= 6 or own in key or key in own:
            continue
        told.add(s.paragraph)
        found.append(finding("report-other-project", None, None,
                             say("report-other-project:name", place=_where(s), name=name,
                                 project=project.full_name or project.name),
                             name, project.full_name or project.name, paragraph=s.paragraph, quote=s.quote))
