"""The five seed reports against their own attachments (issue 18, third step): each finding the issue
names, by code, paragraph and quote, and nothing where the text and the tables agree."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA
from reportlib.audit import audit_file
from reportlib.batch import finish_project
from reportlib.projects import Project
from reportlib.reports import read_report
from reportlib.reports.compare import compare_report
from reportlib.reports.stated import stated_figures
from reportlib.schema import Config

SEEDS = {"000": "seed000_乡村振兴", "001": "seed001_盲人按摩", "002": "seed002_服务状况调查",
         "003": "seed003_自治区残疾人事业", "004": "seed004_职业技能培训"}
KINDS = ("指标体系评分表", "资金使用情况表", "问卷统计表")


def project_of(seed: str, config: Config) -> Project:
    """A seed's three attachments, checked and cross-checked, as one project."""
    files = [audit_file(DATA / f"{SEEDS[seed]}_{kind}.xlsx", config)[0] for kind in KINDS]
    project = Project(name=SEEDS[seed], folder=Path(SEEDS[seed]), named_by="folder", files=files)
    finish_project(project, config)
    return project


def compared(seed: str):
    config = Config()
    report = read_report(DATA / "reports" / f"seed{seed}.txt")
    return report, compare_report(stated_figures(report), project_of(seed, config), config)


def seed001_folder(tmp_path: Path, report: Path | None = None) -> tuple[Path, list[str]]:
    """收件/盲人按摩 with seed 001's attachments and its report written as .docx (at ``report``, else in
    the folder as 盲人按摩绩效自评报告.docx); the folder and the report's lines."""
    import docx
    folder = tmp_path / "收件" / "盲人按摩"
    folder.mkdir(parents=True)
    for kind in KINDS:
        (folder / f"盲人按摩_{kind}.xlsx").write_bytes((DATA / f"seed001_盲人按摩_{kind}.xlsx").read_bytes())
    lines = [x.strip() for x in (DATA / "reports" / "seed001.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(report or folder / "盲人按摩绩效自评报告.docx"))
    return folder, lines


def codes(found, code):
    return [f for f in found if f.code == code]


def test_seed000_a_paragraph_copied_from_another_report_and_a_question_with_39_answers():
    report, found = compared("000")
    other = codes(found, "report-other-project")
    assert len(other) == 1 and "残疾人医疗保险补助经费" in other[0].message and "96分" in other[0].quote
    assert "残疾人医疗保险补助经费" in report.paragraphs[other[0].paragraph - 1].text
    score = codes(found, "report-score-mismatch")
    assert [(f.found, f.paragraph) for f in score] == [("96", other[0].paragraph)]  # 94 is right, 96 is not
    counted = codes(found, "report-questionnaires-mismatch")
    assert counted and counted[0].found == "40" and "第1题只有 39 人作答" in counted[0].message


def test_seed001_94_percent_is_the_tables_93_78_rounded_not_the_recomputed_92_52():
    _, found = compared("001")
    [f] = codes(found, "report-satisfaction-mismatch")
    assert (f.found, f.expected) == ("94%", "92.52%") and "满意度为94%" in f.quote
    assert "写的最终得分 93.78%一致" in f.message  # the table's own 最终得分 93.78 rounds to 94


def test_seed003_the_text_confirms_that_table_3_1_is_wrong():
    _, found = compared("003")
    confirmed = codes(found, "report-confirms-table")
    assert any("项目过程得分率" in f.message and "98.00%" in f.message for f in confirmed), [f.message for f in found]
    assert not [f for f in codes(found, "report-category-mismatch") if "项目过程" in f.message]


def test_seed004_the_text_agrees_with_the_tables_stated_97_47_while_the_survey_gives_96_86():
    _, found = compared("004")
    satisfaction = [f for f in codes(found, "report-satisfaction-mismatch") if f.found == "97.47 分"]
    assert satisfaction and satisfaction[0].expected == "96.86 分" and "写的最终得分 97.47 分一致" in satisfaction[0].message
    # the amounts it states are the fund table's: 97.361, 82.050854 (and 15.310146 as 结余)
    assert not codes(found, "report-amount-mismatch"), [f.message for f in codes(found, "report-amount-mismatch")]


def test_seed002_states_96_6_which_is_the_tables_96_60():
    _, found = compared("002")
    assert not codes(found, "report-score-mismatch")
    assert all((f.paragraph or f.table) and f.quote for f in found)


def test_a_report_in_its_project_folder_is_checked_with_its_attachments(tmp_path):
    """check --json over a project folder holding seed 001's attachments and its report as .docx: the
    report is a file of kind report, its finding points at the paragraph and quotes the sentence."""
    import json

    from click.testing import CliRunner

    from process import cli
    folder, lines = seed001_folder(tmp_path)
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4 not a report")  # a file without a report word: not read
    res = CliRunner().invoke(cli, ["check", "--json", str(tmp_path / "收件")])
    data = json.loads(res.stdout)
    assert [p["name"] for p in data["projects"]] == ["盲人按摩"] and len(data["files"]) == 4
    report = next(f for f in data["files"] if f["kind"] == "report")
    [finding] = report["findings"]
    assert finding["code"] == "report-satisfaction-mismatch" and finding["found"] == "94%"
    assert lines[finding["paragraph"] - 1].count(finding["quote"]) == 1 and "满意度为94%" in finding["quote"]
    assert "cell" in finding and finding["cell"] is None


def test_run_writes_the_report_with_a_comment_on_the_figure_and_leaves_the_input(tmp_path):
    import hashlib

    import docx
    from docx.enum.text import WD_COLOR_INDEX

    from reportlib import batch
    folder, _ = seed001_folder(tmp_path)
    source = folder / "盲人按摩绩效自评报告.docx"
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    result = batch.run(tmp_path / "收件", tmp_path / "out", Config(), jobs=1)
    report = next(f for p in result.projects for f in p.files if f.kind == "report")
    assert report.output is not None and report.output.name == "盲人按摩绩效自评报告_校核.docx"
    annotated = docx.Document(str(report.output))
    [comment] = list(annotated.comments)
    assert "92.52%" in comment.text and comment.author == "绩效表格校核"
    shaded = [r.text for p in annotated.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    assert shaded == ["94"]
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the input is never touched


def test_seed002_the_level_1_table_printed_in_the_report_has_99_50_for_93_00():
    _, found = compared("002")
    wrong = [f for f in codes(found, "report-category-mismatch") if f.table is not None]
    assert [(f.found, f.expected, f.row, f.col) for f in wrong] == [("99.50%", "93.00%", 3, 5)], \
        [f.message for f in found]
    assert wrong[0].paragraph is None and "表2第3行第5列" in wrong[0].message and "B项目管理" in wrong[0].message
    assert set(wrong[0].to_json()) >= {"table", "row", "col", "quote"} and "paragraph" not in wrong[0].to_json()


def test_a_report_with_no_figures_says_nothing(tmp_path):
    from reportlib.reports.read import Paragraph, Report
    config = Config()
    project = project_of("001", config)
    report = Report(tmp_path / "报告.docx", "docx", [Paragraph(1, "一、项目概况"), Paragraph(2, "本项目按计划实施。")])
    assert stated_figures(report) == [] and compare_report([], project, config) == []


def test_a_text_finding_names_the_table_cell_it_was_compared_with():
    _, found = compared("001")
    [f] = codes(found, "report-satisfaction-mismatch")
    assert f.related == [{"path": str(DATA / "seed001_盲人按摩_问卷统计表.xlsx"), "sheet": "问卷统计表", "cell": "D38",
                          "value": "92.52%"}]


def seed001_converted(tmp_path: Path, to: str):
    """The batch over seed 001's folder with its report converted by LibreOffice to ``to`` (pdf, doc);
    the batch result and the report's FileResult."""
    import shutil
    import subprocess

    import pytest

    from reportlib import batch
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip(f"needs LibreOffice to make the .{to}")
    source = tmp_path / "盲人按摩绩效自评报告.docx"
    folder, _ = seed001_folder(tmp_path, report=source)
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", to,
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    result = batch.run(tmp_path / "收件", tmp_path / "out", Config(), jobs=1)
    return result, next(f for p in result.projects for f in p.files if f.kind == "report")


def test_a_pdf_report_in_its_project_has_its_findings_in_the_json_and_no_annotated_copy(tmp_path):
    result, report = seed001_converted(tmp_path, "pdf")
    assert report.path.suffix == ".pdf" and report.output is None
    [finding] = report.findings
    assert finding.code == "report-satisfaction-mismatch" and "94%" in finding.quote.replace(" ", "")
    assert not list((tmp_path / "out").rglob("*_校核.docx"))
    [note] = result.projects[0].notes  # the note says so, in the printed report and the project's JSON
    assert "不生成带批注的副本" in note and "PDF" in note and "盲人按摩绩效自评报告.pdf" in note
    assert result.projects[0].written  # a PDF without comments is no output missing


def test_a_doc_report_gets_its_annotated_copy_through_libreoffice(tmp_path):
    import docx
    result, report = seed001_converted(tmp_path, "doc")
    assert report.path.suffix == ".doc" and report.output.name == "盲人按摩绩效自评报告_校核.docx"
    [comment] = list(docx.Document(str(report.output)).comments)
    assert "92.52%" in comment.text and not result.projects[0].notes


def test_a_figure_of_another_year_is_not_compared_with_this_years_tables(tmp_path):
    from reportlib.reports.read import Paragraph, Report
    config = Config()
    project = project_of("003", config)  # 2022年自治区财政残疾人事业发展补助资金项目: 执行率 100%
    text = "2021年该项目预算执行率为95%，2022年预算执行率为100%。截至2022年12月31日，预算执行率为96%。"
    report = Report(tmp_path / "报告.docx", "docx", [Paragraph(1, text)])
    found = compare_report(stated_figures(report), project, config)
    assert [(f.code, f.found) for f in found] == [("report-rate-mismatch", "96%")]
