"""Reading a submitted report (issue 18, first step): paragraphs numbered as a reader counts them and the
embedded tables, from .docx, .pdf (through LibreOffice), .txt / .md and .doc; one clear line for what
cannot be read."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from conftest import DATA
from reportlib.reports import ReportError, read_report

#: the seed reports' texts as published (copied from ../shared/seeds/)
SEED_000 = DATA / "reports" / "seed000.txt"
SOFFICE = shutil.which("soffice")


def seed_lines() -> list[str]:
    return [line.strip() for line in SEED_000.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_docx(path: Path) -> Path:
    """Seed 000 as a Word report: its paragraphs, with a level-1 table after the 评价结论 heading whose
    header cells are merged (权重分 over two rows)."""
    document = docx.Document()
    for n, line in enumerate(seed_lines()):
        document.add_paragraph(line)
        if n == 3:
            table = document.add_table(rows=3, cols=3)
            table.cell(0, 0).merge(table.cell(1, 0)).text = "一级指标"
            table.cell(0, 1).merge(table.cell(0, 2)).text = "得分情况"
            table.cell(1, 1).text, table.cell(1, 2).text = "权重分", "得分"
            for c, text in enumerate(("C项目绩效", "60", "55")):
                table.cell(2, c).text = text
    document.add_paragraph("")  # empty paragraphs are not counted
    document.save(str(path))
    return path


def test_a_docx_gives_its_paragraphs_in_order_numbered_and_its_tables(tmp_path):
    report = read_report(seed_docx(tmp_path / "报告.docx"))
    lines = seed_lines()
    assert [p.text for p in report.paragraphs] == lines
    assert [p.n for p in report.paragraphs] == list(range(1, len(lines) + 1))
    stated = next(p for p in report.paragraphs if "最终自评得分94分" in p.text)
    assert lines[stated.n - 1] == stated.text
    assert report.tables == [[["一级指标", "得分情况", "得分情况"], ["一级指标", "权重分", "得分"],
                              ["C项目绩效", "60", "55"]]]  # a merged cell's text in each cell it covers


def test_text_and_markdown_reports(tmp_path):
    (tmp_path / "a.txt").write_text("一、项目概况\n\n本项目预算资金 110 万元。\n", encoding="gb18030")
    report = read_report(tmp_path / "a.txt")
    assert [(p.n, p.text) for p in report.paragraphs] == [(1, "一、项目概况"), (2, "本项目预算资金 110 万元。")]
    (tmp_path / "b.md").write_text("# 报告\n\n| 指标 | 得分 |\n| --- | ---: |\n| A | 20 |\n\n满意度 96.6 分。\n",
                                   encoding="utf-8")
    md = read_report(tmp_path / "b.md")
    assert [p.text for p in md.paragraphs] == ["报告", "满意度 96.6 分。"] and md.tables == [[["指标", "得分"], ["A", "20"]]]


@pytest.mark.skipif(SOFFICE is None, reason="needs LibreOffice")
def test_a_pdf_and_a_doc_through_libreoffice(tmp_path):
    source = seed_docx(tmp_path / "报告.docx")
    for target in ("pdf", "doc"):
        subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to",
                        target, "--outdir", str(tmp_path / target), str(source)], check=True, capture_output=True,
                       timeout=180)
    pdf = read_report(tmp_path / "pdf" / "报告.pdf")
    assert any("最终自评得分94分" in p.text.replace(" ", "") for p in pdf.paragraphs)
    assert pdf.paragraphs[0].text.replace(" ", "") == "摘要"
    doc = read_report(tmp_path / "doc" / "报告.doc")
    assert [p.text for p in doc.paragraphs] == seed_lines() and doc.tables


def test_what_cannot_be_read_is_one_line_naming_the_file(tmp_path):
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    encrypted = tmp_path / "加密.docx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    scanned = tmp_path / "扫描.pdf"
    from PIL import Image
    Image.new("RGB", (200, 200), "white").save(scanned)  # a page of pixels, no text layer
    for path, words in ((broken, "不是有效的 .docx"), (encrypted, "已加密"), (scanned, "没有文字层"),
                        (tmp_path / "表.xlsx", "不是能读取的报告格式")):
        with pytest.raises(ReportError) as caught:
            read_report(path, path.name)
        message = str(caught.value)
        assert message.startswith(path.name + "：") and words in message and "\n" not in message


def test_a_table_typed_a_row_a_line_with_tabs_is_a_table_and_a_contents_line_stays_a_paragraph(tmp_path):
    """Seed 003's text: its contents lines (title, tab, page) and its tables copied out of Word a row a
    line with tabs between the cells."""
    path = tmp_path / "报告.txt"
    path.write_text("目 录\n一、基本情况\t4\n表4-2：项目管理指标得分情况\n一级指标\t二级指标\t三级指标\t权重\t得分\n"
                    "B. 项目管理(20分)\tB1 资金管理(12)\tB11. 资金到位率\t4\t4\n小计\t\t20\t—\t18\n项目管理指标得分18分。\n",
                    encoding="utf-8")
    report = read_report(path)
    assert [p.text for p in report.paragraphs] == ["目 录", "一、基本情况\t4", "表4-2：项目管理指标得分情况", "项目管理指标得分18分。"]
    assert report.tables == [[["一级指标", "二级指标", "三级指标", "权重", "得分"],
                              ["B. 项目管理(20分)", "B1 资金管理(12)", "B11. 资金到位率", "4", "4"],
                              ["小计", "", "20", "—", "18"]]]
