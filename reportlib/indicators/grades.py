"""Grade bands: from the user, from the table's own notes, or from a schema preset.

A region's bands are data.  The national rule is 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, else 差; Kashgar
(seed 003) sets 中 at 70 and says so in the report: ``90（含）-100分为“优”、80（含）-90分为“良”、
70（含）-80分为“中”、70分以下为“差”``.  Such a sentence in a table's notes decides the bands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache

from ..messages import say
from ..schema import ConfigError, load_schema
from ..values import formula_number


@dataclass(frozen=True)
class Bands:
    """Grades by lower bound, highest first; ``source`` says where they came from."""

    bounds: tuple[tuple[str, Fraction], ...]
    source: str

    def grade(self, total: Fraction) -> str:
        for name, lower in self.bounds:
            if total >= lower:
                return name
        return self.bounds[-1][0]

    def formula(self, total_ref: str) -> str:
        """The grade of the cell ``total_ref`` as a spreadsheet formula (no ``=``):
        ``IF(X>=90,"优",IF(X>=80,"良",IF(X>=60,"中","差")))``."""
        formula = f'"{self.bounds[-1][0]}"'
        for name, lower in reversed(self.bounds[:-1]):
            formula = f'IF({total_ref}>={formula_number(lower)},"{name}",{formula})'
        return formula

    def describe(self) -> str:
        parts = [say("grades.band", grade=name, lower=_plain(lower)) for name, lower in self.bounds[:-1]]
        return "、".join(parts + [say("grades.rest", grade=self.bounds[-1][0])])

    def source_words(self) -> str:
        """Where the bands came from, in words for a clerk (never a file path or an option name)."""
        return source_words(self.source)

    def to_json(self) -> dict[str, float]:
        return {name: float(lower) for name, lower in self.bounds}


def _plain(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _ordered(pairs: dict[str, Fraction], names: list[str], source: str) -> Bands:
    bounds = sorted(pairs.items(), key=lambda kv: -kv[1])
    missing = [n for n in names if n not in pairs]
    if missing:  # the lowest grade needs no bound of its own
        bounds.append((missing[-1], Fraction(0)))
    return Bands(tuple(bounds), source)


def parse_bands(text: str, schema: dict) -> Bands:
    """``--grade-bands``: a preset name, or ``优:90,良:80,中:70`` (the last grade takes the rest)."""
    grades = schema["grades"]
    name = text.strip()
    if name in grades["presets"]:
        return preset(schema, name, f"--grade-bands {name}")
    pairs = {}
    for part in re.split(r"[,，;；\s]+", unicodedata.normalize("NFKC", name)):
        if not part:
            continue
        match = re.fullmatch(r"(\S+?)[:=≥>]+(\d+(?:\.\d+)?)", part)
        if not match:
            raise ConfigError(f"--grade-bands 应为预设名（{'、'.join(grades['presets'])}）"
                              f"或“优:90,良:80,中:60”；无法理解“{part}”")
        try:
            pairs[canonical(match.group(1), schema) or match.group(1)] = Fraction(Decimal(match.group(2)))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
            raise ConfigError(f"--grade-bands 中“{part}”的分数不是数字") from exc
    if not pairs:
        raise ConfigError("--grade-bands 不能为空")
    return _ordered(pairs, list(grades["synonyms"]), "--grade-bands")


def preset(schema: dict, name: str, source: str | None = None) -> Bands:
    spec = schema["grades"]["presets"][name]
    pairs = {g: Fraction(Decimal(str(v))) for g, v in spec.items()}
    return Bands(tuple(sorted(pairs.items(), key=lambda kv: -kv[1])), source or f"schemas/indicators.yaml:{name}")


def canonical(word: str, schema: dict) -> str | None:
    """The grade a word names (``优秀`` -> ``优``), or None."""
    w = unicodedata.normalize("NFKC", word).strip().strip("“”\"'「」『』")
    for grade, words in schema["grades"]["synonyms"].items():
        if w in words:
            return grade
    return None


def _grade_words(schema: dict) -> str:
    words = sorted({w for ws in schema["grades"]["synonyms"].values() for w in ws}, key=len, reverse=True)
    return "|".join(map(re.escape, words))


def bands_from_notes(notes: list[str], schema: dict) -> Bands | None:
    """Bands stated in a note: ``90（含）-100分为“优”…70分以下为“差”`` or ``优≥90、良≥80…``."""
    words = _grade_words(schema)
    num = r"(\d+(?:\.\d+)?)"
    lower_first = re.compile(num + r"\s*分?\s*(?:\(含\))?\s*分?\s*(?:[-~至到]\s*\d+(?:\.\d+)?\s*分?|(?:分)?(?:及)?以上)"
                             r"\s*(?:\(含\))?\s*(?:的)?\s*(?:为|评为|定为|属于|:)?\s*[“\"「『]?(" + words + ")")
    grade_first = re.compile(r"[“\"「『]?(" + words + r")[”\"」』]?\s*(?:为|:)?\s*(?:>=|≥|大于等于|不低于)\s*" + num)
    for note in notes:
        text = unicodedata.normalize("NFKC", note).replace("－", "-").replace("—", "-").replace("～", "~")
        pairs: dict[str, Fraction] = {}
        for m in lower_first.finditer(text):
            pairs.setdefault(canonical(m.group(2), schema), Fraction(Decimal(m.group(1))))
        for m in grade_first.finditer(text):
            pairs.setdefault(canonical(m.group(1), schema), Fraction(Decimal(m.group(2))))
        pairs.pop(None, None)
        if len(pairs) >= 2:
            return _ordered(pairs, list(schema["grades"]["synonyms"]), "表内说明")
    return None


def stated_grade(text: str, schema: dict) -> str | None:
    """A grade written in a cell or a title: ``优``, ``评定等级为“优”``, ``（等级：良好）``."""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    if canonical(s, schema):
        return canonical(s, schema)
    m = re.search(r"(?:等级|等次|评级|级别)\s*(?:为|是|:|评定为)?\s*[“\"「『]?(" + _grade_words(schema) + ")", s)
    return canonical(m.group(1), schema) if m else None


def source_words(source: str | None) -> str:
    """``schemas/indicators.yaml:national`` -> ``全国通用标准（财预〔2020〕10号）``; ``--grade-bands …`` ->
    ``运行时指定的标准``; ``表内说明`` stays."""
    if not source:
        return ""
    if source.startswith("schemas/"):
        name = source.rsplit(":", 1)[-1]
        return _preset_titles().get(name) or say("grades.default-named", name=name)
    if source.startswith("--"):
        return say("grades.override")
    return source


@lru_cache(maxsize=1)
def _preset_titles() -> dict[str, str]:
    """The documents the schema's presets come from, as messages and drafts name them."""
    return load_schema("indicators")["grades"].get("titles") or {}
