"""The figures a report states about its attachments: total score and grade, the number of indicators,
valid questionnaires, the satisfaction, each level-1 category's weight, score, 扣分 and 得分率, rates and
amounts — each with the paragraph and the sentence it stands in, as written.  The patterns are
``schemas/report.yaml``; a figure no pattern finds is not guessed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ..resources import SCHEMA_DIR
from ..schema import load_schema
from .read import Report

#: the groups of a pattern that are figures (the others say what a figure is)
MEASURES = ("value", "weight", "score", "deduction", "rate")
_SENTENCE_END = "。；！？;!?\t"
_GLUED = re.compile(r"\s*\d")  # a figure followed at once by another number
_YEAR = re.compile(r"(20\d\d)\s*年")


@dataclass(frozen=True)
class Stated:
    kind: str  # total_score | grade | indicators | questionnaires | satisfaction | category | rate | amount
    value: Decimal | str  # a number, or a word (a grade)
    shown: str  # as written: "94", "96.60", "优"
    decimals: int  # the decimals it is written with (its precision)
    unit: str | None = None  # 分 | % | 万元 | 元 (as the pattern gives it)
    role: str | None = None  # budget / arrived / spent / balance, execution_rate / arrival_rate, 四级 …
    category: str | None = None  # a level-1 category's name as written (项目过程)
    measure: str = "value"  # a category's weight, score, deduction or rate
    paragraph: int | None = None  # 1-based, as :mod:`.read` numbers them
    quote: str = ""  # the sentence holding the figure, as written (a table cell: its row)
    table: int | None = None  # a figure in an embedded table: table, row and column, 1-based
    row: int | None = None
    col: int | None = None
    year: int | None = None  # the year the figure's clause names (2021年该项目预算执行率为95%): another year's figure


def stated_figures(report: Report, schema_dir: Path = SCHEMA_DIR) -> list[Stated]:
    """Every figure the report's paragraphs state, in reading order, then those of its level-1 tables."""
    patterns, roles = _patterns(schema_dir)
    found: list[Stated] = []
    for paragraph in report.paragraphs:
        text = _half_width(paragraph.text).replace("\t", "。")  # no figure runs across a tab
        for kind, pattern in patterns:
            for m in pattern.finditer(text):
                if _GLUED.match(text, m.end()):
                    continue  # "资金到位率4100%100%4": a table row run together, not a sentence
                quote = _sentence(paragraph.text, m.start())
                groups = m.groupdict()
                role = groups.get("role")
                for measure in MEASURES:
                    written = groups.get(measure)
                    if written is None:
                        continue
                    number = re.fullmatch(r"\d+(?:\.(\d+))?", written)
                    value: Decimal | str = Decimal(written) if number else written
                    found.append(Stated(
                        kind, value, written, len(number.group(1) or "") if number else 0,
                        groups.get("unit") or ("%" if measure == "rate" else "分" if kind == "category" else None),
                        roles.get(role, role) if role else None, groups.get("category"), measure, paragraph.n, quote,
                        year=_clause_year(text, m.start())))
    headers = load_schema("report", schema_dir)["table_headers"]
    for t, rows in enumerate(report.tables, 1):
        found.extend(_table_figures(t, rows, headers))
    return found


def _table_figures(t: int, rows: list[list[str]], headers: dict[str, list[str]]) -> list[Stated]:
    """A level-1 table's weights, scores, 扣分 and 得分率, each with its table, row and column; a table
    without a category column and a measure column is not one."""
    for h, header in enumerate(rows):
        keys = [re.sub(r"\s", "", _half_width(c)) for c in header]
        if any(k in headers["not_level1"] for k in keys):
            return []  # an indicator table by level: its 权重 and 得分 are the lower levels'
        columns: dict[str, int] = {}
        for measure in ("weight", "score", "deduction", "rate"):  # 得分率 before 得分: exact words win
            at = next((i for i, k in enumerate(keys) if k in headers[measure] and i not in columns.values()), None)
            if at is not None:
                columns[measure] = at
        name_col = next((i for i, k in enumerate(keys) if k in headers["category"]), None)
        if name_col is not None and columns:
            break
    else:
        return []
    found = []
    for r, row in enumerate(rows[h + 1:], h + 2):
        name = row[name_col].strip() if name_col < len(row) else ""
        if not name or re.fullmatch(r"[\d.%\s-]*", name):
            continue
        for measure, c in columns.items():
            written = _half_width(row[c]).strip() if c < len(row) else ""
            number = re.fullmatch(r"(\d+(?:\.(\d+))?)\s*(%?)", written)
            if number is None:
                continue
            found.append(Stated("category", Decimal(number.group(1)), number.group(1), len(number.group(2) or ""),
                                "%" if measure == "rate" else "分", None, name, measure, None, " | ".join(row),
                                t, r, c + 1))
    return found


@lru_cache(maxsize=8)
def _patterns(schema_dir: Path) -> tuple[list[tuple[str, re.Pattern]], dict[str, str]]:
    spec = load_schema("report", schema_dir)
    return [(f["kind"], re.compile(f["pattern"])) for f in spec["figures"]], dict(spec.get("roles") or {})


def _half_width(text: str) -> str:
    """Full-width digits, letters and signs made half-width one character for one, so a match's
    positions are the original text's."""
    return "".join(c if len(n := unicodedata.normalize("NFKC", c)) != 1 else n for c in text)


def _clause_year(text: str, at: int) -> int | None:
    """The year named in the clause before position ``at`` (back to the last ，。；), if one is."""
    start = max((text.rfind(c, 0, at) for c in "，,。；;"), default=-1) + 1
    years = _YEAR.findall(text, start, at)
    return int(years[-1]) if years else None


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` around position ``at``, as written."""
    start = max((text.rfind(c, 0, at) for c in _SENTENCE_END), default=-1) + 1
    ends = [i for c in _SENTENCE_END if (i := text.find(c, at)) >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()
