"""资金使用情况表: locating fund tables, checking each, and the units of a workbook's tables."""

from __future__ import annotations

from dataclasses import replace

from ..findings import finding
from ..grid import Sheet, a1
from ..messages import say
from ..results import TableResult
from ..schema import Config
from ..surround import surroundings
from .check import FundChecker
from .locate import Aliases, find_fund_tables


def check_sheets(sheets: list[Sheet], config: Config) -> list[TableResult]:
    """Every fund table in these sheets, checked; tables whose units differ are flagged."""
    aliases = Aliases(config.schema("funds"), surroundings(config.schema_dir))
    results, first = [], None
    for sheet in sheets:
        for table in find_fund_tables(sheet, aliases):
            result = FundChecker(table, aliases).run()
            results.append(result)
            if table.unit is None:
                continue
            if first is None:
                first = table
            elif table.unit != first.unit:
                result.findings.append(finding(
                    "unit-mixed", sheet.title, a1(*table.unit_pos),
                    say("unit-mixed:workbook", unit=table.unit, sheet=first.sheet.title, title=first.title,
                        cell=a1(*first.unit_pos), first_unit=first.unit), table.unit, first.unit))
    if results:  # the project's own figures: the table that says most about budget, arrivals and spending
        main = max(results, key=lambda r: sum(r.figures.get(k) is not None for k in ("budget", "arrived", "spent")))
        main.establish(replace(main.facts, primary=True))
    return results
