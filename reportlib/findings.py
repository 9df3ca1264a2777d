"""The catalogue of finding codes and the :class:`Finding` record.

Codes are stable English kebab-case and part of the public ``check --json`` contract; messages are
Chinese and written for the clerk who must fix the table.  Add codes, never rename them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR, WARNING, INFO = "error", "warning", "info"

#: code -> (default severity, short Chinese title used in the README and the 问题清单 sheet)
CATALOGUE: dict[str, tuple[str, str]] = {
    "share-mismatch": (ERROR, "占比与人数不符"),
    "share-sum": (ERROR, "各选项占比合计不等于100%"),
    "score-mismatch": (ERROR, "分数与占比、选项权重、题目分值不符"),
    "question-total-mismatch": (ERROR, "题目得分不等于各选项分数之和"),
    "count-total-mismatch": (ERROR, "题目合计人数不等于各选项人数之和"),
    "count-mismatch": (ERROR, "人数与合计行、合计列相互矛盾"),
    "answers-differ": (WARNING, "某题作答人数与其他题目不同"),
    "total-mismatch": (ERROR, "合计行与各题数据之和不符"),
    "final-score-mismatch": (ERROR, "最终得分与重新计算的满意度不符"),
    "not-a-number": (ERROR, "应填数字的单元格填了文字"),
    "invalid-count": (ERROR, "人数不是非负整数"),
    "option-weights-differ": (WARNING, "表中分数所用的选项权重与采用的权重不同"),
    "question-points-differ": (WARNING, "表中分数所用的题目分值与采用的分值不同"),
    "scheme-default": (INFO, "选项权重或题目分值无法从表中推断，采用默认值"),
    "empty-table": (INFO, "表格尚未填写人数"),
}


@dataclass
class Finding:
    """One thing that does not add up, pointing at the input cell judged wrong."""

    code: str
    severity: str
    sheet: str | None
    cell: str | None
    message: str
    found: Any = None
    expected: Any = None
    range: str | None = None  # the cells a table-level finding is about, e.g. "C12:G12"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        if data["range"] is None:
            del data["range"]
        return data


def finding(code: str, sheet: str | None, cell: str | None, message: str, found: Any = None,
            expected: Any = None, severity: str | None = None, range: str | None = None) -> Finding:
    """Build a finding with the catalogue's severity unless one is given."""
    if code not in CATALOGUE:
        raise KeyError(f"unknown finding code {code!r}: add it to CATALOGUE first")
    return Finding(code, severity or CATALOGUE[code][0], sheet, cell, message, found, expected, range)


def worst(findings: list[Finding]) -> str | None:
    """The most severe severity among findings, or None."""
    for level in (ERROR, WARNING, INFO):
        if any(f.severity == level for f in findings):
            return level
    return None
