"""Loading ``schemas/*.yaml`` once and the user's overrides into one :class:`Config`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .resources import SCHEMA_DIR
from .values import label_key


class ConfigError(ValueError):
    """An override or schema file that cannot be used; the message says how to fix it."""


@lru_cache(maxsize=None)
def load_schema(name: str, schema_dir: Path = SCHEMA_DIR) -> dict[str, Any]:
    """The parsed YAML schema ``schemas/<name>.yaml``."""
    path = Path(schema_dir) / f"{name}.yaml"
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"找不到配置文件 {path}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"配置文件 {path} 不是有效的 YAML：{exc}") from exc


def alias_set(values: list[str]) -> frozenset[str]:
    """Aliases in the normalised form labels are compared in."""
    return frozenset(label_key(v) for v in values)


def group_of(key: str, groups) -> Any:
    """The name of the first (name, aliases) pair whose aliases hold ``key``, or None."""
    return next((name for name, aliases in groups if key in aliases), None)


@dataclass(frozen=True)
class Config:
    """What the user may override for a run; ``None`` means: read it from the table or schema."""

    option_weights: tuple[Decimal, ...] | None = None
    question_points: tuple[Decimal, ...] | None = None
    grade_bands: str | None = None  # a preset name or "优:90,良:80,中:60"; checked by parse_bands
    report_kind: str | None = None  # the draft's kind: 绩效评价报告 for a third-party evaluation
    schema_dir: Path = SCHEMA_DIR

    def schema(self, name: str) -> dict[str, Any]:
        return load_schema(name, self.schema_dir)


def parse_number_list(text: str, what: str) -> tuple[Decimal, ...]:
    """``"1,0.8,0.6"`` -> decimals; full-width commas and spaces accepted."""
    parts = [p for p in re.split(r"[,，/\s]+", text.strip()) if p]
    try:
        numbers = tuple(Decimal(p) for p in parts)
    except InvalidOperation as exc:
        raise ConfigError(f"{what} 应为逗号分隔的数字，例如 1,0.8,0.6,0.4,0.2；收到 {text!r}") from exc
    if not numbers or any(n < 0 for n in numbers):
        raise ConfigError(f"{what} 应为非负数字列表；收到 {text!r}")
    return numbers


def parse_option_weights(text: str, schema_dir: Path = SCHEMA_DIR) -> tuple[Decimal, ...]:
    """Weights from ``--option-weights``: numbers A..E or the name of a preset in the schema."""
    presets = load_schema("questionnaire", schema_dir)["scheme"]["presets"]
    if text.strip() in presets:
        return tuple(Decimal(str(v)) for v in presets[text.strip()].values())
    weights = parse_number_list(text, "--option-weights")
    if any(w > 1 for w in weights):
        raise ConfigError("--option-weights 的每个权重应在 0 到 1 之间（A 为满分 1）")
    return weights
