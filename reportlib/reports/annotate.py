"""``<report>_校核.docx``: a copy of a submitted Word report with a Word comment on each stated figure
that disagrees with the tables (what the tables give and where), the figure shaded yellow; a figure
that agrees with the recomputed tables while a table's own cell does not gets its comment unshaded.  The input
is read, never written; a report without such a finding gets no copy."""

from __future__ import annotations

import copy
import io
import logging
from pathlib import Path

from ..findings import INFO, Finding
from ..fsio import atomic_write
from ..messages import say
from ..projects import Project
from ..results import FileResult
from .read import as_docx

log = logging.getLogger(__name__)

AUTHOR, INITIALS = "绩效表格校核", "校核"
WORD = (".docx", ".doc", ".wps")  # a .doc / .wps is annotated through its LibreOffice conversion


def annotate_report(result: FileResult, project: Project, target: Path) -> None:
    """The annotated copy of a report with findings, or, for a PDF or a text (no place for a comment),
    the project's note saying where its findings are."""
    if result.path.suffix.lower() not in WORD:
        project.notes.append(say("report.not-annotated", file=result.display_path, count=len(result.findings),
                                 format=result.path.suffix.lstrip(".").upper()))
        return
    try:
        with as_docx(result.path, result.display_path) as source:  # a .doc / .wps: converted once more
            if annotate(source, target, result.findings):
                result.output = target
    except Exception as exc:  # the report was read and compared; only its commented copy is missing
        log.debug("annotating %s failed", target, exc_info=True)
        project.unwritten(say("report.unannotated", file=result.display_path, error=f"{type(exc).__name__}: {exc}"))


def annotate(source: Path, target: Path, findings: list[Finding]) -> int:
    """Write the annotated copy of ``source`` to ``target``; the number of comments it holds."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    document = docx.Document(str(source))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]  # numbered as reports/read.py numbers them
    placed = 0
    for f in findings:
        paragraph = _paragraph(document, paragraphs, f)
        if paragraph is None:
            continue
        runs = _figure_runs(paragraph, str(f.found or ""), f.quote or "" if f.table is None else "")
        if not runs:
            continue
        if f.severity != INFO:  # a figure the text has right (it confirms a table is wrong) is not shaded
            for run in runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        document.add_comment(runs, text=f.message, author=AUTHOR, initials=INITIALS)
        placed += 1
    if placed:
        buffer = io.BytesIO()
        document.save(buffer)
        atomic_write(target, buffer.getvalue())
    return placed


def _paragraph(document, paragraphs: list, f: Finding):
    """The paragraph a finding points at: the body's ``paragraph``-th non-empty one, or the paragraph
    of the embedded table's cell holding the figure (tables and cells counted as reports/read.py does)."""
    if f.table is None:
        return paragraphs[f.paragraph - 1] if f.paragraph and 0 < f.paragraph <= len(paragraphs) else None
    tables = document.tables
    if not (0 < f.table <= len(tables) and f.row and f.col):
        return None
    rows = tables[f.table - 1].rows
    if not 0 < f.row <= len(rows) or not 0 < f.col <= len(cells := rows[f.row - 1].cells):
        return None
    figure = _bare(str(f.found or ""))
    cell_paragraphs = cells[f.col - 1].paragraphs
    return next((p for p in cell_paragraphs if figure and figure in p.text), cell_paragraphs[0] if cell_paragraphs else None)


def _bare(figure: str) -> str:
    """A finding's figure as the report writes it: "57.00 分" → "57.00", "94%" → "94"."""
    return figure.replace(" 分", "").rstrip("%分").strip()


def _figure_runs(paragraph, figure: str, quote: str) -> list:
    """The runs of a paragraph that hold the figure as written (split out of a longer run so that only
    it is shaded), searched inside the quoted sentence; else the runs of the sentence."""
    text = paragraph.text
    figure = _bare(figure)
    at = text.find(quote) if quote else -1
    start = text.find(figure, max(at, 0)) if figure else -1
    if start < 0:
        start, end = (at, at + len(quote)) if at >= 0 else (0, len(text))
    else:
        end = start + len(figure)
    runs, pos = [], 0
    for run in list(paragraph.runs):
        length = len(run.text)
        lo, hi = max(start - pos, 0), min(end - pos, length)
        if lo < hi:
            runs.append(_isolate(run, lo, hi))
        pos += length
    return runs


def _isolate(run, lo: int, hi: int):
    """The part ``[lo, hi)`` of a run as a run of its own, with the run's formatting; the text before
    and after stays in copies of the run on either side."""
    text = run.text
    if lo == 0 and hi == len(text):
        return run
    element = run._r
    if hi < len(text):
        after = copy.deepcopy(element)
        element.addnext(after)
        type(run)(after, run._parent).text = text[hi:]
    if lo > 0:
        before = copy.deepcopy(element)
        element.addprevious(before)
        type(run)(before, run._parent).text = text[:lo]
    run.text = text[lo:hi]
    return run
