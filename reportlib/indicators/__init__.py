"""指标体系评分表: locating full tables and level-1 summaries, checking each, and checking a
workbook's summaries against its full tables (the summary's level-1 scores equal the sections' sums).
"""

from __future__ import annotations

from functools import lru_cache

from ..findings import finding
from ..grid import Sheet, a1
from ..messages import say
from ..results import TableResult
from ..schema import Config
from ..surround import surroundings
from ..values import agrees, label_key
from .check_detail import DetailChecker
from .check_summary import SummaryChecker
from .grades import Bands, bands_from_notes, parse_bands, preset
from .locate import Aliases, find_detail_tables, plain_name
from .locate_summary import find_summary_tables
from .scoring import show


def bands_for(config: Config, schema: dict, *texts: list[str]) -> Bands:
    """The user's bands, else bands stated in the first of ``texts`` that states them (the sheet's,
    then the workbook's; a callable is asked only when reached), else the schema's default preset."""
    if config.grade_bands:
        return parse_bands(config.grade_bands, schema)
    for candidates in texts:
        found = bands_from_notes(candidates() if callable(candidates) else candidates, schema)
        if found is not None:
            return found
    return preset(schema, schema["grades"]["default"])


def check_sheets(sheets: list[Sheet], config: Config) -> list[TableResult]:
    """Every indicator table in these sheets, checked, then summaries against full tables."""
    schema = config.schema("indicators")
    aliases = Aliases(schema, surroundings(config.schema_dir))
    details, summaries, results = [], [], []
    everywhere = lru_cache(maxsize=None)(lambda: [text for sheet in sheets for _, text in sheet.texts()])
    for sheet in sheets:
        tables = find_detail_tables(sheet, aliases)
        taken = {r for t in tables for r in range(t.header_row, t.last_row + 1)}
        summary_tables = find_summary_tables(sheet, aliases, taken)
        if not tables and not summary_tables:
            continue
        bands = bands_for(config, schema, [text for _, text in sheet.texts()], everywhere)
        for table in tables:
            checker = DetailChecker(table, schema, bands)
            result = checker.run()
            results.append(result)
            details.append(result)
        for table in summary_tables:
            checker = SummaryChecker(table, schema, bands)
            result = checker.run()
            results.append(result)
            summaries.append(result)
    for summary in summaries:
        summary_against_details(summary, details)
    return results


def _key(label: str) -> tuple[str, str]:
    """A level-1 category's code letter and its bare name (``A项目决策 (15分)`` -> ``A``, ``决策``)."""
    name = label_key(plain_name(label))
    code = name[:1].upper() if name[:1].isascii() and name[:1].isalpha() else ""
    bare = name.lstrip("ABCDEFGHabcdefgh.、") if code else name
    for word in ("项目", "类指标", "指标", "类"):
        bare = bare.replace(word, "")
    return code, bare


def _same(a: str, b: str) -> bool:
    (ca, na), (cb, nb) = _key(a), _key(b)
    if ca and cb:
        return ca == cb
    return bool(na and nb) and (na in nb or nb in na)


def summary_against_details(summary: TableResult, details: list[TableResult],
                            files: dict[int, str] | None = None) -> None:
    """The summary's weight and score of each category against every full table's section, from their
    facts (:mod:`.facts`).  ``files`` names the file of each full table (by ``id``) when they come from
    other workbooks."""
    files = files or {}
    facts = summary.facts
    for category in facts.categories:
        for measure, word in (("weight", say("scores.weight")), ("score", say("scores.score"))):
            pos, mine = getattr(category, f"{measure}_pos"), getattr(category, measure)
            if pos is None or mine is None:
                continue
            stated = facts.stated_number(pos)
            differ = []
            for detail in details:
                section = next((x for x in detail.facts.sections if _same(category.label, x.label)), None)
                if section is None or (measure == "score" and not section.scored):
                    continue
                theirs = section.weight if measure == "weight" else section.score
                if mine != theirs and not (stated is not None and agrees(stated, theirs)):
                    book = files.get(id(detail), "")
                    differ.append((say("scores.detail-section", file=book, sheet=detail.facts.sheet, cell=a1(*section.pos),
                                       section=section.name), theirs))
            if not differ:
                continue
            where = "、".join(say("scores.detail-says", where=w, value=show(v)) for w, v in differ)
            message = say("summary-detail-mismatch:category", category=category.what, measure=word, cell=a1(*pos),
                          mine=show(mine), where=where)
            summary.findings.append(finding("summary-detail-mismatch", summary.sheet, a1(*pos),
                                            message, show(mine), show(differ[0][1])))
            summary.review(pos, facts.raw[pos], say("scores.detail-note", where=where))
