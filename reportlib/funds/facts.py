"""What a fund table established: each role's exact total, the rates, the cells stating them, the item
rows.  The project's checks and the drafts read these; :meth:`FundFacts.to_json` is the table's
``figures`` in ``check --json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..grid import Pos
from ..values import group_digits, money_text, round_half_up

ROLES = ("budget", "arrived", "spent", "balance")


@dataclass(frozen=True)
class FundFacts:
    title: str | None
    unit: str | None  # 万元, 元 … as the table states it
    items: int  # item rows
    #: each role's exact total of the item rows (None where a column is missing or not computable);
    #: ``amount`` only where the table has a plain amount column
    totals: dict[str, Fraction | None] = field(default_factory=dict)
    #: the cell stating each role's total (its 合计 row, or its only item) and that cell's raw value
    cells: dict[str, Pos] = field(default_factory=dict)
    raw: dict[Pos, Any] = field(default_factory=dict)
    unit_pos: Pos | None = None
    #: each item row: its name and its exact amount of each role the table has a column for
    rows: tuple[tuple[str, dict[str, Fraction | None]], ...] = ()
    execution_rate: Fraction | None = None  # spent over its basis, as a fraction
    execution_basis: str | None = None  # the role the execution rate is over (arrived or budget)
    arrival_rate: Fraction | None = None
    primary: bool = False  # the project's main fund table
    project_name: str | None = None  # from an info line above the table
    blank: bool = False  # a template with only its header: nothing was computed
    precision: int = 0  # the decimals of the table's amounts (the most any amount cell shows)
    fixed: int = 0  # the decimals its number formats always show (2 for 0.00; 0 for General: as typed)
    grouped: bool = False  # amounts written with thousands separators (1,927.28)
    columns: tuple[str, ...] = ()  # the roles the table has a column for (budget, arrived, spent, balance…)

    def show(self, value: Fraction | None) -> str | None:
        """An amount as the corrected table shows it: 25.40 in a table of 0.00 cells, 97.361 and 82.050854
        as typed in a General one; its thousands separators."""
        if value is None:
            return None
        text = money_text(value, self.precision, self.fixed)
        return group_digits(text) if self.grouped else text

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"title": self.title, "unit": self.unit, "items": self.items}
        if not self.blank:
            for role in ROLES:
                data[role] = _float(self.totals.get(role))
            if self.totals.get("amount") is not None:
                data["amount"] = _float(self.totals["amount"])
            data["execution_rate"] = _percent(self.execution_rate)
            data["execution_rate_basis"] = self.execution_basis
            data["arrival_rate"] = _percent(self.arrival_rate)
            data["amount_decimals"] = self.fixed
            data["roles"] = list(self.columns)  # the amounts the table has a column for
        if self.primary:
            data["primary"] = True
        if self.project_name:
            data["project_name"] = self.project_name
        return data


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _percent(rate: Fraction | None) -> float | None:
    return None if rate is None else float(round_half_up(rate * 100, 2))
