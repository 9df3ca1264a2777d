"""问卷统计表: locating A–E and yes/no tables and checking them."""

from __future__ import annotations

from ..grid import Sheet
from ..results import TableResult
from ..schema import Config
from ..surround import surroundings
from .check_ae import AEChecker
from .check_yes_no import check_yes_no
from .locate import Aliases, find_ae_tables, find_yes_no_tables


def check_sheet(sheet: Sheet, config: Config) -> list[TableResult]:
    """Every questionnaire table in a sheet, checked."""
    schema = config.schema("questionnaire")
    aliases = Aliases(schema, surroundings(config.schema_dir))
    results = [AEChecker(table, config, schema, aliases).run() for table in find_ae_tables(sheet, aliases)]
    if not results:
        results = [check_yes_no(table, schema) for table in find_yes_no_tables(sheet, aliases)]
    return results


def check_sheets(sheets: list[Sheet], config: Config) -> list[TableResult]:
    """Every questionnaire table in these sheets, checked, sheet by sheet."""
    return [table for sheet in sheets for table in check_sheet(sheet, config)]
