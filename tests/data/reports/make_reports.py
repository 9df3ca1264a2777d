"""Build the five seed reports as Word documents from their texts (``seed00N.txt``, the published
reports' text as ``../shared/seeds/`` holds it): each non-empty line a paragraph, each run of
tab-indented lines a table (one cell a line, rows separated by a blank line) written as a Word table
in its place.  The paragraphs stay the text's paragraphs, so a paragraph number is the same in the
.txt and the .docx.

Run ``python tests/data/reports/make_reports.py`` to rebuild ``seed00N.docx`` after changing a text.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def blocks(text: str) -> list[str | list[list[str]]]:
    """The text's paragraphs and tables in order, as reports/read.py reads a text report (a table
    written one cell a line, tab-indented, or one row a line with tabs between three or more cells)."""
    out: list[str | list[list[str]]] = []
    rows: list[list[str]] = []
    cells: list[str] = []
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        if line.startswith("\t"):
            cells.append(stripped)
            continue
        if cells:
            rows.append(cells)
            cells = []
        if not stripped:
            continue
        if stripped.startswith("|") and stripped.endswith("|"):  # a Markdown row (the reader's rule too)
            split = [c.strip() for c in stripped.strip("|").split("|")]
            if not all(set(c) <= set(":-") and c.count("-") >= 3 for c in split):
                rows.append(split)
            continue
        if len(split := [c.strip() for c in stripped.split("\t")]) >= 3:  # a row a line, tab between cells
            rows.append(split)
            continue
        if rows:
            out.append(rows)
            rows = []
        out.append(stripped)
    if rows:
        out.append(rows)
    return out


def build(text: str, merged_header: bool = False) -> bytes:
    """The Word document of a report's text; ``merged_header`` writes a table's first header cell
    merged over two header rows (a 一级指标 column whose header spans the rows of the measure headers),
    as offices often print a level-1 table."""
    import docx

    document = docx.Document()
    document.core_properties.author = "seed"
    for block in blocks(text):
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(r) for r in block)
        extra = 1 if merged_header else 0
        table = document.add_table(rows=len(block) + extra, cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(block):
            for c, value in enumerate(row):
                table.cell(r + extra if r else 0, c).text = value
        if merged_header:  # 一级指标 over two header rows, 评分情况 over the measures, their names below
            for c in range(1, width):
                table.cell(1, c).text = block[0][c] if c < len(block[0]) else ""
            first = table.cell(0, 0).merge(table.cell(1, 0))
            first.text = block[0][0]
            span = table.cell(0, 1).merge(table.cell(0, width - 1))
            span.text = "评分情况"
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable(buffer.getvalue())


def _stable(data: bytes) -> bytes:
    """The package with fixed member dates and no creation time, so a rebuild is byte for byte the same."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                import re
                body = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", body)
            member = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            out.writestr(member, body)
    return target.getvalue()


def main() -> None:
    for source in sorted(HERE.glob("seed00*.txt")):
        (HERE / f"{source.stem}.docx").write_bytes(build(source.read_text(encoding="utf-8")))
        print(source.stem + ".docx")


if __name__ == "__main__":
    main()
