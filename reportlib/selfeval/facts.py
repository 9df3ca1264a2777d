"""What a 项目支出绩效自评表 established: the project's amounts, 执行率 and 资金得分, each level-1's
分值 and 得分, the number of scored indicators, the recomputed 总分 and grade.  :meth:`to_json` is the
form's ``figures`` in ``check --json``, with the names the other kinds use where they mean the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..grid import Pos
from ..indicators.grades import Bands


@dataclass(frozen=True)
class Level1:
    name: str
    weight: Fraction
    score: Fraction


@dataclass(frozen=True)
class Satisfaction:
    """A 满意度 indicator: its 实际完成值 cell and value as written, its name and target, its 分值 and
    得分 cells."""

    pos: Pos
    actual: str
    name: str
    target: str
    weight_pos: Pos
    score_pos: Pos


@dataclass(frozen=True)
class SelfEvalFacts:
    title: str
    project_name: str | None
    department: str | None
    unit_name: str | None
    year: int | None
    unit: str | None  # 万元 or 元
    totals: dict[str, Fraction | None] = field(default_factory=dict)  # budget_initial / budget / spent
    cells: dict[str, Pos] = field(default_factory=dict)  # the 年度资金总额 row's budget / spent cells
    raw: dict[Pos, Any] = field(default_factory=dict)  # those cells' and the satisfaction results' raw values
    numbers: dict[Pos, Any] = field(default_factory=dict)  # the satisfaction indicators' 分值 and 得分 as shown
    execution_rate: Fraction | None = None  # a fraction
    funds_weight: Fraction | None = None
    funds_score: Fraction | None = None
    level1: tuple[Level1, ...] = ()
    indicators: int = 0
    total_score: Fraction | None = None
    total_weight: Fraction | None = None  # the indicators' 分值 and the funds' together (100)
    stated_total: Any = None  # the 总分 as the form states it (a Number)
    total_pos: Pos | None = None
    grade: str | None = None
    bands: Bands | None = None
    satisfaction: tuple[Satisfaction, ...] = ()  # the 满意度 indicators, for the survey's cross-check
    precision: int = 0  # the decimals of the form's amounts
    primary: bool = False
    blank: bool = False  # the blank template: nothing typed in, nothing computed

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title, "project_name": self.project_name, "department": self.department,
            "unit_name": self.unit_name, "year": self.year, "unit": self.unit,
            "total_score": _float(self.total_score),
            "stated_total_score": float(self.stated_total.value) if self.stated_total is not None else None,
            "grade": self.grade,
            "budget": _float(self.totals.get("budget")), "budget_initial": _float(self.totals.get("budget_initial")),
            "spent": _float(self.totals.get("spent")),
            "execution_rate": None if self.execution_rate is None else round(float(self.execution_rate * 100), 4),
            "funds_weight": _float(self.funds_weight), "funds_score": _float(self.funds_score),
            "level1": [{"name": x.name, "weight": float(x.weight), "score": float(x.score)} for x in self.level1],
            "indicators": self.indicators,
            "total_weight": _float(self.total_weight),
            "grade_bands": self.bands.to_json() if self.bands else None,
            "grade_bands_source": self.bands.source if self.bands else None,
        }
        if self.primary:
            data["primary"] = True
        return data


def _float(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 6)
