"""The submitted report (issue 18): reading its paragraphs and embedded tables (:mod:`.read`); the
figures it states and their comparison with the corrected tables come next."""

from .read import SUFFIXES, Paragraph, Report, ReportError, read_report

__all__ = ["SUFFIXES", "Paragraph", "Report", "ReportError", "read_report"]
