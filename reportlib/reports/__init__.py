"""The submitted report (issue 18): reading its paragraphs and embedded tables (:mod:`.read`), the
figures it states (:mod:`.stated`) and their comparison with the project's tables (:mod:`.compare`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..resources import SCHEMA_DIR
from ..schema import load_schema
from .read import SUFFIXES, Paragraph, Report, ReportError, read_report

__all__ = ["SUFFIXES", "Paragraph", "Report", "ReportError", "is_report", "read_report"]


def is_report(path: Path, schema_dir: Path = SCHEMA_DIR) -> bool:
    """Whether a file is a submitted report: a report format whose name holds a report word."""
    path = Path(path)
    return path.suffix.lower() in SUFFIXES and any(w in path.stem for w in _words(schema_dir))


@lru_cache(maxsize=4)
def _words(schema_dir: Path) -> tuple[str, ...]:
    return tuple(load_schema("report", schema_dir).get("file_words") or ())
