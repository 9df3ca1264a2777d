"""``<report>_校核.docx``: a copy of a submitted Word report with a Word comment on each stated figure
that disagrees with the tables (what the tables give and where), the figure shaded yellow.  The input
is read, never written; a report without such a finding gets no copy."""

from __future__ import annotations

import copy
import io
from pathlib import Path

from ..findings import Finding
from ..fsio import atomic_write

AUTHOR, INITIALS = "绩效表格校核", "校核"


def annotate(source: Path, target: Path, findings: list[Finding]) -> int:
    """Write the annotated copy of ``source`` to ``target``; the number of comments it holds."""
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    document = docx.Document(str(source))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]  # numbered as reports/read.py numbers them
    placed = 0
    for f in findings:
        if f.paragraph is None or not 0 < f.paragraph <= len(paragraphs):
            continue
        paragraph = paragraphs[f.paragraph - 1]
        runs = _figure_runs(paragraph, str(f.found or ""), f.quote or "")
        if not runs:
            continue
        for run in runs:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        document.add_comment(runs, text=f.message, author=AUTHOR, initials=INITIALS)
        placed += 1
    if placed:
        buffer = io.BytesIO()
        document.save(buffer)
        atomic_write(target, buffer.getvalue())
    return placed


def _figure_runs(paragraph, figure: str, quote: str) -> list:
    """The runs of a paragraph that hold the figure as written (split out of a longer run so that only
    it is shaded), searched inside the quoted sentence; else the runs of the sentence."""
    text = paragraph.text
    figure = figure.rstrip("%分").replace(" 分", "").strip()
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
