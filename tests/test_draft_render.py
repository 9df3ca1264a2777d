"""Every draft of the bundled examples and of the test fixtures, rendered by LibreOffice, checked for what
can be checked mechanically: A4 pages numbered in the footer, captions for the tables and charts, no
internal text (schema paths, options, English codes), every figure the draft takes from a table printed as
the corrected table displays it, every placeholder shaded."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX

from conftest import DATA, ROOT
from reportlib import batch
from reportlib.formats import read_workbook
from reportlib.schema import Config
from reportlib.values import Number

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None or shutil.which("pdfinfo") is None,
                                reason="needs LibreOffice and poppler-utils")
INTERNAL = re.compile(r"schemas/|\.yaml|--[a-z]|\b[a-z]+(?:-[a-z]+)+\b")


@pytest.fixture(scope="module")
def drafts(tmp_path_factory):
    """Every draft (.docx) with its project folder and its PDF, from one LibreOffice run."""
    out = tmp_path_factory.mktemp("render")
    found = []
    for name, inbox in (("examples", ROOT / "input_templates" / "examples"), ("fixtures", DATA)):
        batch.run(inbox, out / name, Config(), jobs=1)
        found += sorted((out / name).rglob("*绩效自评报告（草稿）.docx"))
    pdf = out / "pdf"
    pdf.mkdir()
    copies = []
    for n, path in enumerate(found):
        copies.append(pdf / f"{n}.docx")
        shutil.copy(path, copies[-1])
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{out / 'profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(pdf), *map(str, copies)], check=True, capture_output=True, timeout=600)
    return [(path, pdf / f"{n}.pdf") for n, path in enumerate(found)]


def _text(document) -> str:
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _displayed(folder: Path) -> set[str]:
    """What the numeric cells of a project's corrected workbooks display."""
    shown = set()
    for book in folder.glob("*_校核.xlsx"):
        for sheet in read_workbook(book).sheets:
            for (r, c) in sheet.values:
                parsed = sheet.parsed(r, c)
                if isinstance(parsed, Number):
                    shown.add(parsed.display())
    return shown


def test_there_is_a_draft_for_every_project(drafts):
    assert len(drafts) >= 20


def test_every_page_is_a4_and_numbered_in_its_footer(drafts):
    for path, pdf in drafts:
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        assert "(A4)" in info, path.name
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        for page in range(1, pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                                  capture_output=True, text=True).stdout
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            assert lines and lines[-1] == str(page), (path.name, page, lines[-1:])
        footer = docx.Document(str(path)).sections[0].footer._element.xml
        assert "w:fldChar" in footer and " PAGE " in footer


def test_tables_and_charts_have_captions_and_no_internal_text(drafts):
    for path, _ in drafts:
        document = docx.Document(str(path))
        captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
        assert all(re.match(r"^[表图]\d ", c) for c in captions), captions
        assert len([c for c in captions if c.startswith("表")]) >= len(document.tables) - 1  # and the 附表
        assert len([c for c in captions if c.startswith("图")]) == len(document.inline_shapes)
        text = _text(document)
        assert not INTERNAL.findall(text), (path.name, INTERNAL.findall(text)[:5])
        assert "Title" not in {p.style.name for p in document.paragraphs[1:]}


def test_every_placeholder_is_shaded(drafts):
    for path, _ in drafts:
        for paragraph in docx.Document(str(path)).paragraphs:
            for run in paragraph.runs:
                if re.search(r"【待作者填写：[^…]", run.text):
                    assert run.font.highlight_color == WD_COLOR_INDEX.YELLOW, (path.name, run.text)


def test_figures_are_printed_as_the_corrected_tables_display_them(drafts):
    """The total score, the satisfaction, the lowest question's score and the fund totals of a draft are
    each a value some cell of the project's corrected workbooks displays."""
    checked = 0
    for path, _ in drafts:
        text = _text(docx.Document(str(path)))
        shown = _displayed(path.parent)
        figures = re.findall(r"最终自评得分 ([\d.]+) 分", text) + re.findall(r"综合满意度为 ([\d.]+) 分", text) + \
            re.findall(r"得 ([\d.]+) 分（满分", text) + \
            re.findall(r"(?:预算资金|实际到位|实际支出|结余) ([\d.,]+)(?:万元|元|千元|亿元)", text)
        for figure in figures:
            zero_as_dash = float(figure.replace(",", "")) == 0 and "0" in shown  # a 结余 of "-", at the table's decimals
            assert figure in shown or zero_as_dash, (path.name, figure)
        checked += len(figures)
    assert checked >= 60
