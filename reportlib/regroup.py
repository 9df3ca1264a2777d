"""Grouping by what the tables say, where the file names cannot: in a folder of several projects, the
projects that the names left without all their attachments are read for their tables' titles and
``项目名称：…`` lines, and two whose attachments complete each other and whose tables name the same
project are one project (``named_by: "title"``); where the titles say nothing, they are checked, and a
distinctive rate stated by both (an indicator's satisfaction or execution rate and the survey's or the
fund table's) makes them one.

A flat folder holding ``残疾人服务状况调查指标表.xlsx`` and ``2022年服务状况和需求调查（对下）补助经费分配明细表.xlsx``
is one project: the titles inside both name ``…服务状况和需求调查（对下）补助经费``.  Only incomplete
projects are read here (their files are read again when checked); a folder whose names already group
every project completely costs nothing.
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal
from difflib import SequenceMatcher
from fractions import Fraction
from pathlib import Path

from .formats import read_workbook
from .formats.limits import Limits
from .grid import Workbook, WorkbookError
from .projects import split_name
from .surround import Surroundings
from .values import Number, label_key, round_half_up

log = logging.getLogger(__name__)

#: the rows at the top of a sheet read for its title and info lines
TOP_ROWS = 8
_SENTENCE = re.compile(r"[。；;，,：:]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def regroup(groups: list[tuple], schema: dict, around: Surroundings, limits: Limits | None = None,
            config=None) -> list[tuple]:
    """``groups`` as :func:`reportlib.projects.group_files` gives them, with incomplete projects of one
    folder merged where their tables name the same project, or (given ``config``, to check them) where
    an indicator's actual value is the survey's satisfaction or the fund table's rate to the hundredth."""
    required = set(schema["required"])
    by_folder: dict[Path, list[int]] = {}
    for n, (_, folder, named_by, _) in enumerate(groups):
        if named_by != "folder":
            by_folder.setdefault(folder, []).append(n)
    merged_into: dict[int, int] = {}
    joined: dict[int, list] = {}  # a project's entries once others joined it
    rates: dict[Path, set] = {}  # each file's distinctive rates, checked once
    for members in by_folder.values():
        incomplete = [n for n in members if required - _kinds_by_name(groups[n][3], schema)]
        if len(members) < 2 or len(incomplete) < 2:
            continue
        seen = {n: _read(groups[n][3], schema, around, limits) for n in incomplete}
        entries = {n: list(groups[n][3]) for n in incomplete}
        merging = True
        while merging:  # until no two are put together: a merged project may now match a third
            merging = False
            for i, a in enumerate(incomplete):
                if a in merged_into:
                    continue
                for b in incomplete[i + 1:]:
                    if b in merged_into or seen[a][1] & seen[b][1]:
                        continue  # two 问卷统计表: two projects, whatever they are called
                    if not _same(seen[a], seen[b]) and not (config is not None and
                                                           _evidence(entries[a], config, rates) &
                                                           _evidence(entries[b], config, rates)):
                        continue
                    merged_into[b], merging = a, True
                    entries[a] += entries[b]
                    seen[a] = (seen[a][0] | seen[b][0], seen[a][1] | seen[b][1])
        for n, members_of in entries.items():  # a project with what joined it, through any chain of merges
            if n not in merged_into and len(members_of) > len(groups[n][3]):
                joined[n] = members_of
    if not joined:
        return groups
    out = []
    for n, (name, folder, named_by, members_of) in enumerate(groups):
        if n in merged_into:
            continue
        if n in joined:
            log.debug("%s: grouped by what the tables say with %s", name, [e[1] for e in joined[n][len(members_of):]])
            out.append((None, folder, "title", joined[n]))  # named by its titles once read
        else:
            out.append((name, folder, named_by, members_of))
    return out


def _kinds_by_name(entries: list, schema: dict) -> set[str]:
    return {kind for entry in entries if (kind := split_name(entry[0].stem, schema)[1])}


def _read(entries: list, schema: dict, around: Surroundings, limits: Limits | None) -> tuple[set[str], set[str]]:
    """The project names a project's tables state (titles cut at their attachment word, 项目名称 lines)
    and the attachment kinds their titles name."""
    names: set[str] = set()
    kinds: set[str] = set()
    not_names = re.compile(schema["not_names"])

    def name(text: str) -> None:
        if not not_names.search(text):
            names.add(text)

    for file, _, _ in entries:
        prefix, kind = split_name(file.stem, schema)
        if kind:
            kinds.add(kind)
        if prefix and len(prefix) >= 4:
            name(prefix)  # the file's own name says something too
        try:
            book: Workbook = read_workbook(file, limits)
        except (WorkbookError, OSError, ValueError, MemoryError):
            continue  # said when it is checked
        for sheet in book.sheets:
            rows = range(1, min(sheet.max_row, TOP_ROWS) + 1)
            stated = around.facts(sheet, [r for r in rows if around.is_info_row(sheet, r)]).get("项目名称")
            if stated:
                name(label_key(stated))
            header = next((r for r in rows if sum(sheet.raw(r, c) not in (None, "") for c in
                                                  range(1, sheet.max_col + 1)) >= 3), TOP_ROWS + 1)
            for (r, _), text in sheet.texts():
                if r >= header:
                    break  # the table itself: its labels and items name no project
                prefix, title_kind = split_name(text, schema)
                if title_kind:
                    kinds.add(title_kind)
                    if prefix and len(prefix) >= 4:
                        name(prefix)
                elif len(key := label_key(text)) >= 8 and not _SENTENCE.search(text) and not around.is_info(text):
                    name(key)  # a title line of its own: 2022年度残疾人综合服务中心职业技能培训级就业服务
    return names, kinds


def _same(a: tuple[set[str], set[str]], b: tuple[set[str], set[str]]) -> bool:
    """Whether two projects' tables name the same project: six characters or more in common in one
    stretch, five of them Chinese (``seed00`` or ``2022年`` in common is no evidence), and that stretch
    most of the shorter name or the names alike over more than half their length (a year or an office
    in front of one of them does not matter)."""
    for x in a[0]:
        for y in b[0]:
            matcher = SequenceMatcher(None, x, y, autojunk=False)
            at = matcher.find_longest_match(0, len(x), 0, len(y))
            common = at.size
            if common < 6 or len(_HAN.findall(x[at.a:at.a + common])) < 5:
                continue
            if common >= 0.7 * min(len(x), len(y)) or matcher.ratio() >= 0.55:
                return True
    return False


def _evidence(entries: list, config, cache: dict[Path, set]) -> set[tuple[str, Decimal]]:
    """The distinctive rates of a project's files (:func:`_rates`), each file checked once."""
    found: set[tuple[str, Decimal]] = set()
    for entry in entries:
        if entry[0] not in cache:
            cache[entry[0]] = _rates(entry, config)
        found |= cache[entry[0]]
    return found


def _rates(entry: tuple, config) -> set[tuple[str, Decimal]]:
    """The distinctive rates a file's tables state, in percentage points to the hundredth: a
    satisfaction, arrival-rate or execution-rate indicator's actual value, the survey's satisfaction (as
    stated and recomputed), the fund table's rates.  Two incomplete projects sharing one are one project
    (seed 000's indicator C31 states 96.68 %, its survey's 最终得分 is 96.68)."""
    from .audit import audit_file  # reading and checking; imported here, as audit imports the readers
    from .funds.facts import FundFacts
    from .indicators.facts import IndicatorFacts
    from .questionnaire.facts import QuestionnaireFacts

    words = {k: [label_key(w) for w in v] for k, v in config.schema("project")["indicators"].items()
             if isinstance(v, list)}
    found: set[tuple[str, Decimal]] = set()
    file, shown, _ = entry
    result, _ = audit_file(file, config, shown)
    for t in result.tables:
        facts = t.facts
        if isinstance(facts, IndicatorFacts):
            for leaf in facts.leaves:
                actual = leaf.actual
                if not isinstance(actual, Number):
                    continue
                key = label_key(leaf.label)
                tag = next((k for k in ("satisfaction", "arrival_rate", "execution_rate")
                            if any(w in key for w in words.get(k, []))), None)
                points = actual.value * 100 if actual.percent or actual.value <= 1 else actual.value
                if tag:
                    found.add((tag, _hundredths(points)))
        elif isinstance(facts, QuestionnaireFacts):
            if facts.stated_final is not None:
                found.add(("satisfaction", _hundredths(facts.stated_final.value)))
            if facts.satisfaction is not None:
                found.add(("satisfaction", _hundredths(facts.satisfaction)))
        elif isinstance(facts, FundFacts) and not facts.blank:
            for tag, rate in (("arrival_rate", facts.arrival_rate), ("execution_rate", facts.execution_rate)):
                if rate is not None:
                    found.add((tag, _hundredths(rate * 100)))
    return {(tag, v) for tag, v in found if _distinctive(v)}


def _hundredths(value) -> Decimal:
    return round_half_up(Fraction(value), 2)


def _distinctive(points: Decimal) -> bool:
    """A rate no other project is likely to share by chance: not 0 or 100, not a whole number, and not
    a simple fraction (93.33 % is 14/15 and 28/30, as common as it gets)."""
    if points <= 0 or points >= 100 or points == points.to_integral_value():
        return False
    share = Fraction(points) / 100
    return not any(round_half_up(Fraction(round(share * d), d) * 100, 2) == points for d in range(2, 61))
