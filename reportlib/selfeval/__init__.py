"""项目支出绩效自评表 (财预〔2020〕10号 and the provinces' versions): locating each form in a sheet and
checking it.  See :mod:`.locate`, :mod:`.check`, :mod:`.rules`."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..grid import Sheet
from ..indicators import bands_for
from ..results import TableResult
from ..schema import Config, load_schema
from .check import SelfEvalChecker
from .locate import Words, find_forms


def check_sheets(sheets: list[Sheet], config: Config) -> list[TableResult]:
    """Every form in these sheets, checked; the first is the project's."""
    grades = config.schema("indicators")
    words = _words(config.schema_dir)
    results = []
    for sheet in sheets:
        for form in find_forms(sheet, words):
            bands = bands_for(config, grades, [t for _, t in sheet.texts() if "分" in t and len(t) > 8])
            results.append(SelfEvalChecker(form, words, bands, grades).run())
    if results:
        results[0].establish(replace(results[0].facts, primary=True))
    return results


@lru_cache(maxsize=4)
def _words(schema_dir: Path) -> Words:
    return Words(load_schema("selfeval", schema_dir), load_schema("indicators", schema_dir))
