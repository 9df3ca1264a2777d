"""The five seed reports as Word documents (``tests/data/reports/seed00N.docx``, built from the
published texts by ``make_reports.py``), each in a project folder with its transcribed attachments,
checked from the CLI: every finding of each report by code, paragraph (or table cell), quote, found
and expected — and nothing else, so that every consistent statement (seed 004's 97.361 / 82.050854 /
15.310146万元, seed 002's 96.6分, seed 001's 73% 非常满意, seed 000's 94分 in its 摘要) is shown to raise
nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import DATA
from process import cli
from reportlib.reports import read_report

SEEDS = {"000": "乡村振兴", "001": "盲人按摩", "002": "服务状况调查", "003": "自治区残疾人事业", "004": "职业技能培训"}
KINDS = ("指标体系评分表", "资金使用情况表", "问卷统计表")
REPORTS = DATA / "reports"

#: each seed's findings: (code, paragraph or (table, row, col), a piece of the quote, found, expected)
EXPECTED = {
    "000": [
        # a paragraph copied from another report: another project's name and another score
        ("report-score-mismatch", 105, "最终自评得分96分", "96", "94.00"),
        ("report-other-project", 105, "残疾人医疗保险补助经费", "市残联2022年度残疾人医疗保险补助经费",
         "2022年昆明市“乡村振兴”残疾人帮扶项目补助经费"),
        # "3.项目绩效（满分60分，评价得分55分）" is right: the attachment's level-1 cell C5 says 57.00
        ("report-confirms-table", 131, "评价得分55分", "55 分", "55 分"),
        # 40 valid questionnaires, but question 1 holds 39 answers; 96.68 is the table's own 最终得分
        ("report-questionnaires-mismatch", 139, "收回有效问卷40份", "40", "39"),
        ("report-satisfaction-mismatch", 139, "群众满意度", "96.68 分", "97.09 分"),
        # the level-1 table printed in the report: C项目绩效 57.00 beside its own 扣分 5.00 and 91.67%
        ("report-category-mismatch", (1, 4, 3), "C项目绩效", "57.00 分", "55.00 分"),
    ],
    "001": [("report-satisfaction-mismatch", 137, "满意度为94%", "94%", "92.52%")],
    "002": [("report-category-mismatch", (2, 3, 5), "B项目管理", "99.50%", "93.00%")],
    "003": [("report-confirms-table", 34, "项目过程类指标权重20分，得分18分，得分率90%", "90%", "90%")],  # the text is right
    # 82.050854 / 97.361 = 84.2749…%: the 摘要 and 项目概况 round it up to 84.28%, later paragraphs have 84.27%
    "004": [("report-rate-mismatch", 16, "为预算金额的84.28%", "84.28%", "84.27%"),
            ("report-rate-mismatch", 36, "为预算金额的84.28%", "84.28%", "84.27%"),
            ("report-satisfaction-mismatch", 69, "实际满意度97.47%", "97.47%", "96.86%"),
            ("report-satisfaction-mismatch", 141, "满意度综合得分为97.47分", "97.47 分", "96.86 分")],
}


def seed_folder(inbox: Path, seed: str, report: bytes | None = None) -> Path:
    """``inbox/<name>/``: the seed's three attachments and its report as ``<name>绩效自评报告.docx``."""
    name = SEEDS[seed]
    folder = inbox / name
    folder.mkdir(parents=True)
    for kind in KINDS:
        (folder / f"{name}_{kind}.xlsx").write_bytes((DATA / f"seed{seed}_{name}_{kind}.xlsx").read_bytes())
    (folder / f"{name}绩效自评报告.docx").write_bytes(report or (REPORTS / f"seed{seed}.docx").read_bytes())
    return folder


def report_findings(inbox: Path) -> dict[str, list[dict]]:
    """``check --json`` over the inbox: each project's report findings."""
    data = json.loads(CliRunner().invoke(cli, ["check", "--json", str(inbox)]).stdout)
    return {Path(f["path"]).parent.name: f["findings"] for f in data["files"] if f["kind"] == "report"}


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    inbox = tmp_path_factory.mktemp("seeds") / "收件"
    for seed in SEEDS:
        seed_folder(inbox, seed)
    return report_findings(inbox)


def as_expected(finding: dict) -> tuple:
    where = finding.get("paragraph") or (finding["table"], finding["row"], finding["col"])
    return finding["code"], where, finding["found"], finding["expected"]


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_each_seed_report_raises_exactly_the_findings_of_its_text(checked, seed):
    found = checked[SEEDS[seed]]
    assert [as_expected(f) for f in found] == [(c, w, f, e) for c, w, _, f, e in EXPECTED[seed]], \
        [f["message"] for f in found]
    report = read_report(REPORTS / f"seed{seed}.docx")
    for finding, (_, where, piece, _, _) in zip(found, EXPECTED[seed]):
        assert piece in finding["quote"]
        if isinstance(where, int):  # the quote is the paragraph's sentence, as written
            assert finding["quote"] in report.paragraphs[where - 1].text
            assert "table" not in finding
        else:
            table, row, col = where
            assert finding["quote"] == " | ".join(report.tables[table - 1][row - 1]) and "paragraph" not in finding
        assert all(r["path"].endswith(".xlsx") and r["sheet"] for r in finding.get("related") or [])


def test_a_text_that_copies_the_tables_wrong_figure_says_so(checked):
    [satisfaction] = [f for f in checked["乡村振兴"] if f["code"] == "report-satisfaction-mismatch"]
    assert "写的最终得分 96.68 分一致" in satisfaction["message"] and "表格和报告都要更正" in satisfaction["message"]
    assert "C37" in satisfaction["message"]
    [printed] = checked["服务状况调查"]  # the report's table copies the attachment's 得分情况!E4
    assert "“得分情况”!E4）写的一致" in printed["message"] and printed["related"][0]["cell"] == "E4"
    [confirmed] = checked["自治区残疾人事业"]
    assert confirmed["severity"] == "info" and "表3-1" in confirmed["message"] and "C7" in confirmed["message"]


def test_a_level_1_table_with_merged_header_cells_reads_the_same(tmp_path):
    """Seed 002's level-1 table printed with 一级指标 merged over two header rows and 评分情况 over the
    measures: the same finding, one row further down."""
    sys.path.insert(0, str(REPORTS))
    try:
        from make_reports import build
    finally:
        sys.path.remove(str(REPORTS))
    text = (REPORTS / "seed002.txt").read_text(encoding="utf-8")
    seed_folder(tmp_path / "收件", "002", report=build(text, merged_header=True))
    [finding] = report_findings(tmp_path / "收件")[SEEDS["002"]]
    assert as_expected(finding) == ("report-category-mismatch", (2, 4, 5), "99.50%", "93.00%")


def test_the_built_reports_are_the_texts(tmp_path):
    """``make_reports.py`` rebuilds the committed documents byte for byte, and a document's paragraphs
    and tables are its text's."""
    sys.path.insert(0, str(REPORTS))
    try:
        from make_reports import build
    finally:
        sys.path.remove(str(REPORTS))
    for seed in SEEDS:
        source = REPORTS / f"seed{seed}.txt"
        assert build(source.read_text(encoding="utf-8")) == (REPORTS / f"seed{seed}.docx").read_bytes(), seed
        docx, text = read_report(REPORTS / f"seed{seed}.docx"), read_report(source)
        assert docx.paragraphs == text.paragraphs
        assert [[[c for c in row if c] for row in t] for t in docx.tables] == \
            [[[c for c in row if c] for row in t] for t in text.tables]


def test_a_figure_in_a_table_of_the_report_gets_its_comment_in_that_cell(tmp_path):
    import docx
    from docx.enum.text import WD_COLOR_INDEX

    from reportlib import batch
    from reportlib.schema import Config
    seed_folder(tmp_path / "收件", "002")
    result = batch.run(tmp_path / "收件", tmp_path / "out", Config(), jobs=1)
    [report] = [f for p in result.projects for f in p.files if f.kind == "report"]
    annotated = docx.Document(str(report.output))
    [comment] = list(annotated.comments)
    assert "93.00%" in comment.text and "B项目管理" in comment.text
    cell = annotated.tables[1].rows[2].cells[4]  # 表2第3行第5列
    assert [r.text for r in cell.paragraphs[0].runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW] == ["99.50"]
    assert 'w:commentReference' in cell._tc.xml
