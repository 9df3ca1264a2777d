"""A submitted report as a file of the batch: read, its stated figures found, its result a
:class:`~reportlib.results.FileResult` of kind ``report`` whose one table (``正文``) will hold the
findings of the comparison with the project's tables."""

from __future__ import annotations

import logging
from pathlib import Path

from ..results import FAILED, FileResult, TableResult
from ..schema import Config
from .read import ReportError, read_report
from .stated import Stated, stated_figures

log = logging.getLogger(__name__)

KIND = "report"
SHEET = "正文"  # the table-result name a report's findings sit in (they point at paragraphs, not cells)


def read_submitted(file: Path, shown: str, config: Config) -> tuple[FileResult, list[Stated] | None]:
    """The report's result and the figures it states; a report that cannot be read is an error naming it."""
    result = FileResult(file, shown, kind=KIND)
    try:
        report = read_report(file, shown)
    except ReportError as exc:
        result.status, result.error = FAILED, str(exc)
        return result, None
    except Exception as exc:  # a reader's bug on an odd file must not stop the batch
        log.debug("reading %s failed", shown, exc_info=True)
        result.status, result.error = FAILED, f"{shown}：读取报告时出错（{type(exc).__name__}: {exc}）"
        return result, None
    result.tables = [TableResult(SHEET, KIND, figures={"paragraphs": len(report.paragraphs),
                                                       "tables": len(report.tables)})]
    return result, stated_figures(report, config.schema_dir)
