"""The report draft (.docx and .md), its charts, and the batch summary 汇总.xlsx, read back."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from conftest import DATA
from reportlib import batch, draft
from reportlib.schema import Config
from test_projects import PROJECTS, SEEDS, seed_inbox

FOLDER_000 = "2022年“乡村振兴”残疾人帮扶项目"
NAME_004 = "昆明市残疾人综合服务中心2022年残疾人职业技能培训及就业服务项目"


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    base = tmp_path_factory.mktemp("drafts")
    inbox = base / "in"
    shutil.copytree(PROJECTS, inbox)
    for stem in ("seed001_盲人按摩", "seed003_自治区残疾人事业"):  # flat files beside the folder project
        seed_inbox(base, {stem: None})
    out = base / "out"
    return out, batch.run(inbox, out, Config())


def text_of(path: Path) -> tuple[str, list[list[list[str]]]]:
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return body, tables


def test_every_project_gets_its_folder_draft_and_findings(ran):
    out, result = ran
    names = sorted(p.name for p in result.projects)
    assert names == sorted([FOLDER_000, NAME_004, "seed001_盲人按摩", "seed003_自治区残疾人事业"])
    for p in result.projects:
        folder = out / p.folder
        assert (folder / f"{p.name}绩效自评报告（草稿）.docx").exists()
        assert (folder / f"{p.name}绩效自评报告（草稿）.md").exists()
        saved = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
        assert saved["project"]["name"] == p.name and len(saved["files"]) == len(p.files)
    assert not list(out.rglob("*.tmp")) and [p.name for p in out.rglob(".*")] == [".manifest.json"]


def test_seed000_draft_numbers_come_from_the_corrected_tables(ran):
    out, _ = ran
    body, tables = text_of(out / FOLDER_000 / f"{FOLDER_000}绩效自评报告（草稿）.docx")
    assert body.splitlines()[0] == "2022年昆明市“乡村振兴”残疾人帮扶项目补助经费绩效自评报告（草稿）"
    # every number as the corrected table shows it: its 合计 and scores with two decimals, 9.625 as 9.63
    assert "最终自评得分 94.00 分（满分 100.00 分），评定等级为“优”" in body
    assert "满意度调查共收回有效问卷 40 份，10 个问题，按各题人数重新计算的综合满意度为 97.09 分（问卷统计表中写的是 96.68 分，已更正）" in body
    assert "得分率最低的是第2题" in body and "得 9.63 分（满分 10 分，得分率 96.25%）" in body
    assert "本项目预算 110万元，实际支出 110万元，预算执行率 100.00%（实际支出 ÷ 到位资金）" in body
    level1 = next(t for t in tables if t[0][0] == "一级指标")
    assert level1 == [["一级指标", "权重分", "得分", "扣分", "得分率"], ["A项目决策", "20.00", "20.00", "0.00", "100.00%"],
                      ["B项目管理", "20.00", "19.00", "1.00", "95.00%"], ["C项目绩效", "60.00", "55.00", "5.00", "91.67%"],
                      ["合计", "100.00", "94.00", "6.00", ""]]
    options = next(t for t in tables if t[0][0] == "选项")
    assert options[1] == ["A 非常满意", "285", "71.43%"] and len(options) == 6
    # what the checks found, corrected and to review, with the cross-check among them
    # 存在的问题 as the genre writes it, a paragraph per attachment; the cell-by-cell list in the appendix
    assert "1 处得分与同行的扣分、得分率矛盾，已更正" in body
    appendix = next(t for t in tables if t[0] == ["序号", "附件", "单元格", "原值", "更正为", "处理", "原因"])
    assert appendix[1][:6] == ["1", "指标表", "指标得分!C5", "57.00", "55.00", "已更正"]
    assert appendix[1][6].startswith("扣分 5.00 与得分率 91.67% 都表明得分应为 55")
    cross = next(r for r in appendix if r[2].endswith("!F7"))
    assert cross[3:6] == ["96.68%", "97.09%", "需核对"] and "问卷统计表" in cross[6]
    # prose the tool cannot know is a marked placeholder, never invented
    assert body.count("【待作者填写：") >= 8
    assert "1. 指标体系评分表：附件1 绩效评价指标体系评分表.xlsx" in body
    assert len(docx.Document(str(out / FOLDER_000 / f"{FOLDER_000}绩效自评报告（草稿）.docx")).inline_shapes) == 2


def test_the_word_styles_carry_chinese_fonts(ran):
    out, _ = ran
    document = docx.Document(str(out / FOLDER_000 / f"{FOLDER_000}绩效自评报告（草稿）.docx"))
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style, font in (("Normal", "宋体"), ("Heading 1", "黑体"), ("Heading 2", "黑体"), ("Title", "黑体")):
        fonts = document.styles[style].element.rPr.find(qn + "rFonts")
        assert fonts.get(qn + "eastAsia") == font, style
        assert fonts.get(qn + "asciiTheme") is None


def test_seed001_overspending_and_the_markdown_twin(ran):
    out, result = ran
    project = next(p for p in result.projects if p.name == "seed001_盲人按摩")
    md = (out / project.folder / "seed001_盲人按摩绩效自评报告（草稿）.md").read_text(encoding="utf-8")
    assert "本项目预算 16万元，实际支出 24万元，预算执行率 150.00%（实际支出 ÷ 到位资金）。实际支出超过可用资金，须说明原因。" in md
    assert "| C项目绩效 | 60.00 | 56.00 | 4.00 | 93.33% |" in md
    assert "按各题人数重新计算的综合满意度为 92.52 分（问卷统计表中写的是 93.78 分，已更正）" in md
    assert "![图1 一级指标权重分与得分](seed001_盲人按摩绩效自评报告（草稿）_图1_一级指标得分.png)" in md
    assert (out / project.folder / "seed001_盲人按摩绩效自评报告（草稿）_图1_一级指标得分.png").read_bytes()[:4] == b"\x89PNG"


def test_seed003_yes_no_survey_and_missing_nothing(ran):
    out, result = ran
    project = next(p for p in result.projects if p.name == "seed003_自治区残疾人事业")
    body, tables = text_of(out / project.folder / "seed003_自治区残疾人事业绩效自评报告（草稿）.docx")
    # 20 beneficiaries answered questions 1-3 and 100 residents questions 4-5: 120 questionnaires
    assert "满意度调查共收回有效问卷 120 份（第1–3题 20 份，第4–5题 100 份），5 个问题，满意度为 100.00%。" in body
    assert "综合满意度 100.00%。" in body and "100.00 分" not in body
    assert "最终自评得分 98 分（满分 100 分），评定等级为“优”" in body
    assert ["塔什库尔干塔吉克自治县残疾人联合会", "25.40", "25.40", "25.40", "0.00"] in next(t for t in tables if t[0][0] == "项目/单位")  # as its 0.00 cells show them


def test_a_name_with_markup_characters_stays_text(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    book = load_workbook(DATA / "seed002_服务状况调查_问卷统计表.xlsx")
    ws = book.worksheets[0]
    title = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "满意度调查问卷" in c.value)
    title.value = "A<B>&C项目社会公众满意度调查问卷统计表"
    book.save(inbox / "调查.xlsx")
    result = batch.run(inbox, tmp_path / "out", Config())
    (project,) = result.projects
    assert project.full_name == "A<B>&C项目" and project.name == "A_B_&C项目"
    body, _ = text_of(project.outputs["draft_docx"])
    assert body.splitlines()[0] == "A<B>&C项目绩效自评报告（草稿）"
    assert "缺少指标体系评分表、资金使用情况表" in body


def test_control_characters_from_a_workbook_do_not_corrupt_the_docx(tmp_path):
    result = batch.check([seed_inbox(tmp_path, ["seed002_服务状况调查"])], Config())
    (project,) = result.projects
    project.full_name = "项目\x07名称\x1f"
    ctx = draft.context(project, Config())
    data = draft.render_docx(ctx, draft.template_file(draft.DOCX_TEMPLATE, None), {})
    (tmp_path / "x.docx").write_bytes(data)
    assert text_of(tmp_path / "x.docx")[0].splitlines()[0] == "项目名称绩效自评报告（草稿）"


def test_without_a_cjk_font_the_charts_are_left_out_and_said_so(tmp_path, monkeypatch):
    monkeypatch.setattr(draft, "cjk_font", lambda names: None)
    result = batch.run(seed_inbox(tmp_path, ["seed004_职业技能培训"]), tmp_path / "out", Config())
    (project,) = result.projects
    md = project.outputs["draft_md"].read_text(encoding="utf-8")
    assert "图表未生成：本机没有可显示中文的字体" in md and "![" not in md
    assert not list((tmp_path / "out").rglob("*.png"))
    assert any("图表未生成" in n for n in project.notes)
    assert len(docx.Document(str(project.outputs["draft_docx"])).inline_shapes) == 0


def test_a_users_template_folder_replaces_the_bundled_one(tmp_path):
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "报告草稿.md.j2").write_text("# {{ project.name }}\n预算执行率：{{ funds.execution_rate }}\n",
                                             encoding="utf-8")
    result = batch.run(seed_inbox(tmp_path, ["seed004_职业技能培训"]), tmp_path / "out", Config(), templates)
    (project,) = result.projects
    assert project.outputs["draft_md"].read_text(encoding="utf-8") == "# seed004_职业技能培训\n预算执行率：84.27%\n"
    assert project.outputs["draft_docx"].exists()  # no docx in the folder: the bundled one


def test_the_batch_summary_workbook(ran):
    out, result = ran
    path = out / "汇总.xlsx"
    wb = load_workbook(path)
    ws = wb["项目汇总"]
    header = [c.value for c in ws[1]]
    assert header[:9] == ["项目", "指标体系评分表", "资金使用情况表", "问卷统计表", "项目支出绩效自评表", "状态", "错误", "警告",
                          "总分"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {p.name for p in result.projects}
    seed000 = dict(zip(header, rows[FOLDER_000]))
    assert (seed000["总分"], seed000["等级"], seed000["满意度"], seed000["预算"], seed000["支出"],
            seed000["预算执行率"], seed000["金额单位"]) == (94, "优", 97.09, 110, 110, 1, "万元")
    assert seed000["错误"] == next(p for p in result.projects if p.name == FOLDER_000).count("error")
    assert seed000["项目支出绩效自评表"] == "—"  # optional: absent, not missing
    assert ws[f"{chr(64 + header.index('项目文件夹') + 1)}2"].hyperlink is not None
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref
    issues = wb["问题清单"]
    total = sum(len(f.findings) for p in result.projects for f in p.files) + sum(len(p.findings) for p in result.projects)
    assert issues.max_row - 1 == total and issues.freeze_panes == "A2" and issues.auto_filter.ref.startswith("A1:J")
    assert [c.value for c in issues[1]][-1] == "代码"  # the code last, after the Chinese columns
    cross = [r for r in issues.iter_rows(min_row=2, values_only=True) if r[9] == "satisfaction-indicator-mismatch"]
    assert {(r[0], r[2], r[3]) for r in cross} >= {(FOLDER_000, "项目绩效", "F7"), (NAME_004, "绩效目标", "F14")}
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    # printed A4 landscape, one page wide, the header row on every page
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToHeight) == ("landscape", 9, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage  # fitToWidth 1 is the default xlsxwriter leaves out
    assert ws.print_title_rows == "$1:$1"


def test_text_and_summary_lines(tmp_path):
    from click.testing import CliRunner
    from process import cli
    res = CliRunner().invoke(cli, ["run", str(seed_inbox(tmp_path, list(SEEDS)[:2])), "-o", str(tmp_path / "o")])
    assert "共 2 个项目、6 个文件" in res.output
    assert "seed000_乡村振兴  [✓指标✓资金✓问卷]" in res.output


def test_a_third_party_evaluation_is_a_绩效评价报告(tmp_path):
    """``run --evaluation``: the draft is titled and named 绩效评价报告, not 绩效自评报告."""
    from click.testing import CliRunner
    from process import cli
    inbox = seed_inbox(tmp_path, list(SEEDS)[:1])
    res = CliRunner().invoke(cli, ["run", str(inbox), "-o", str(tmp_path / "o"), "--evaluation", "--quiet"])
    assert res.exit_code == 1, res.output
    drafts = sorted((tmp_path / "o").rglob("*报告（草稿）.docx"))
    assert [d.name for d in drafts] == ["seed000_乡村振兴绩效评价报告（草稿）.docx"]
    title = docx.Document(str(drafts[0])).paragraphs[0].text
    assert title.endswith("绩效评价报告（草稿）") and "自评" not in title
