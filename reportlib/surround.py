"""What offices put around a table, which is not the table: info lines, signatures, non-data columns.

Above a header sit lines that state facts (``项目名称：…``, ``截止日：…``, ``单位：万元``,
``调查时间：…；发放问卷50份``), merged across the columns or not; under a table, signature lines
(``单位负责人：  填表人：  联系电话：``) and notes.  Inside it, columns that hold numbers but never
money, counts, weights or scores: 序号, 年度 (2022), 编码, 电话 (11 digits), 身份证号.  The words are
in ``schemas/workbook.yaml`` (``surroundings``); every table reader asks this module, so all three
attachments read their surroundings alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .grid import Sheet
from .schema import SCHEMA_DIR, load_schema
from .values import label_key, normalise_text

_UNIT = re.compile(r"(?:金额|计量)?单位\s*[:：]\s*(亿元|万元|千元|元)")


@dataclass(frozen=True)
class Surroundings:
    """The schema's words for lines and columns that are not part of a table's data."""

    info: re.Pattern
    signature: re.Pattern
    seal: re.Pattern
    not_data_exact: frozenset[str]
    not_data_containing: tuple[str, ...]
    years: tuple[int, int]
    long_digits: int

    def is_info(self, text: object) -> bool:
        """A cell stating a fact about the table: a known word and a colon (``项目名称：…``)."""
        return isinstance(text, str) and bool(self.info.match(normalise_text(text)))

    def is_signature(self, text: object) -> bool:
        """A cell of the signature line under a table (``填表人：``, ``（盖章）``)."""
        if not isinstance(text, str):
            return False
        text = normalise_text(text)
        return bool(self.signature.match(text) or self.seal.search(text))

    def row_texts(self, sheet: Sheet, row: int, first: int = 1, last: int | None = None) -> list[str]:
        """The texts a row shows on its own (merged ranges counted once, at their anchor)."""
        last = sheet.max_col if last is None else last
        return [v for c in range(first, last + 1)
                if not sheet.is_covered(row, c) and isinstance(v := sheet.raw(row, c), str) and v.strip()]

    def is_info_row(self, sheet: Sheet, row: int) -> bool:
        """A line of facts above a table: its first text states a fact, and the row holds no plain
        number (an info line's numbers are inside its texts)."""
        texts = self.row_texts(sheet, row)
        if not texts or not self.is_info(texts[0]):
            return False
        return not any(isinstance(sheet.raw(row, c), (int, float)) for c in range(1, sheet.max_col + 1)
                       if not sheet.is_covered(row, c))

    def is_signature_row(self, sheet: Sheet, row: int) -> bool:
        """A signature line: one of its texts names a signatory (or a seal) with a colon."""
        return any(self.is_signature(t) for t in self.row_texts(sheet, row))

    def is_outside(self, sheet: Sheet, row: int) -> bool:
        """A row that belongs around a table, never inside it: an info line or a signature line."""
        texts = self.row_texts(sheet, row)
        if not any(":" in t or "：" in t or "章" in t or "签" in t for t in texts):
            return False  # every such line has a colon or a seal: most rows are let go here
        return self.is_signature_row(sheet, row) or self.is_info_row(sheet, row)

    def not_data_label(self, label: str) -> bool:
        """A column label such as 序号, 年度, 项目编码, 联系电话: its numbers are never data."""
        key = re.sub(r"\([^)]*\)$", "", label_key(label))
        return key in self.not_data_exact or any(w in key for w in self.not_data_containing)

    def not_data_values(self, values: Iterable[object]) -> bool:
        """Numbers that look like years (2022) or like phone, account or ID numbers (11+ digits):
        evidence against a money role, never for one.  True only when every number looks so."""
        numbers = []
        for value in values:
            if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
                continue
            numbers.append(value)
        if not numbers:
            return False
        low, high = self.years
        return all(v == int(v) and (low <= v <= high or abs(v) >= 10 ** (self.long_digits - 1)) for v in numbers)

    def facts(self, sheet: Sheet, rows: Iterable[int]) -> dict[str, str]:
        """The facts info lines state (``项目名称`` -> its value, ``单位`` -> ``万元``), first one wins."""
        found: dict[str, str] = {}
        for row in rows:
            for text in self.row_texts(sheet, row):
                for key, value in _pairs(normalise_text(text)):
                    found.setdefault(key, value)
                m = _UNIT.search(normalise_text(text))
                if m:
                    found.setdefault("单位", m.group(1))
        return found


def _pairs(text: str) -> list[tuple[str, str]]:
    """``项目名称：X  截止日：Y`` -> [(项目名称, X), (截止日, Y)]."""
    parts = re.split(r"\s{2,}|[；;](?=[^:：；;]{1,8}[:：])", text)
    out = []
    for part in parts:
        m = re.match(r"^([^:：]{1,12}?)\s*(?:\([^)]*\))?\s*[:：]\s*(.*)$", part.strip())
        if m and m.group(2).strip():
            out.append((label_key(m.group(1)), m.group(2).strip()))
    return out


def _words_pattern(words: list[str], colon: bool) -> re.Pattern:
    alternatives = "|".join(sorted((re.escape(normalise_text(w)) for w in words), key=len, reverse=True))
    if colon:  # the word, an optional bracket (（盖章）), then a colon
        return re.compile(rf"^(?:{alternatives})\s*(?:\([^)]*\))?\s*[:：]")
    return re.compile(rf"(?:{alternatives})")


@lru_cache(maxsize=None)
def surroundings(schema_dir: Path = SCHEMA_DIR) -> Surroundings:
    """The surroundings of ``schemas/workbook.yaml``, built once per schema folder."""
    spec = load_schema("workbook", schema_dir)["surroundings"]
    return Surroundings(
        info=_words_pattern(spec["info_keys"] + spec["signature_keys"], True),
        signature=_words_pattern(spec["signature_keys"], True),
        seal=_words_pattern(spec["seal_words"], False),
        not_data_exact=frozenset(label_key(w) for w in spec["not_data_columns"]["exact"]),
        not_data_containing=tuple(label_key(w) for w in spec["not_data_columns"]["containing"]),
        years=tuple(spec["year_range"]),
        long_digits=int(spec["long_digits"]),
    )
