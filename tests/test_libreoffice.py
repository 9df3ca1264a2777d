"""The corrected workbook opens in a real spreadsheet client and recalculates to the cached values."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from conftest import DATA, corrected_path
from reportlib import batch
from reportlib.schema import Config

SOFFICE = shutil.which("soffice")
RECALC = """<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>"""

if not SOFFICE and os.environ.get("CI"):
    pytest.fail("LibreOffice (soffice) is required under CI; .ci/run installs libreoffice-calc", pytrace=False)
pytestmark = pytest.mark.skipif(not SOFFICE, reason="LibreOffice not installed (apt-get install libreoffice-calc)")


def _convert(src: Path, outdir: Path, profile: Path) -> Path:
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=180)
    return outdir / (src.stem + ".xlsx")


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    """A throwaway LibreOffice profile told to recalculate every formula when it loads a file."""
    base = tmp_path_factory.mktemp("lo")
    profile = base / "profile"
    seed = base / "seed.xlsx"
    wb = xlsxwriter.Workbook(seed)
    wb.add_worksheet().write_number(0, 0, 1)
    wb.close()
    _convert(seed, base / "warm", profile)  # first start creates the profile
    xcu = profile / "user" / "registrymodifications.xcu"
    text = xcu.read_text(encoding="utf-8")
    xcu.write_text(text.replace("</oor:items>", RECALC + "</oor:items>"), encoding="utf-8")
    return profile


def test_libreoffice_really_recalculates(profile, tmp_path):
    stale = tmp_path / "stale.xlsx"
    wb = xlsxwriter.Workbook(stale)
    ws = wb.add_worksheet()
    ws.write_number(0, 0, 2)
    ws.write_formula(0, 1, "=A1*3", None, 999)  # a wrong cached value
    wb.close()
    out = _convert(stale, tmp_path / "conv", profile)
    assert load_workbook(out, data_only=True).active["B1"].value == 6


# at_least: the formulas the corrected copy holds, the tool's corrections and the input's own formulas
@pytest.mark.parametrize("name, at_least", [
    ("seed004_职业技能培训_问卷统计表", 20), ("seed001_盲人按摩_问卷统计表", 14),
    ("variant004_funds_typos", 1), ("seed003_自治区残疾人事业_指标体系评分表", 2),
    ("variant002_text_percent_grade", 2), ("../../input_templates/examples/示例_按模板填写_指标体系评分表", 60),
    ("variant003_funds_sources", 1), ("../../input_templates/examples/示例_按模板填写_资金使用情况表", 30),
])
def test_recalculated_values_equal_the_cached_ones(profile, tmp_path, name, at_least):
    inbox = tmp_path / "in"
    inbox.mkdir()
    source = DATA / f"{name}.xlsx"
    name = source.stem
    shutil.copyfile(source, inbox / f"{name}.xlsx")
    batch.run(inbox, tmp_path / "out", Config())
    ours = corrected_path(tmp_path / "out", f"{name}")
    recalculated = _convert(ours, tmp_path / "conv", profile)
    formulas = load_workbook(ours)
    cached = load_workbook(ours, data_only=True)
    again = load_workbook(recalculated, data_only=True)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    mine = cached[ws.title][cell.coordinate].value
                    theirs = again[ws.title][cell.coordinate].value
                    if mine in (None, ""):  # an unfilled template row's formula shows ""
                        assert theirs in (None, ""), (ws.title, cell.coordinate)
                        continue
                    if isinstance(mine, str):  # a grade
                        assert theirs == mine, (ws.title, cell.coordinate)
                    else:
                        assert theirs == pytest.approx(mine, abs=1e-9), (ws.title, cell.coordinate)
                    checked += 1
    assert checked >= at_least


def test_drafts_and_the_summary_open_and_convert_in_libreoffice(profile, tmp_path):
    """Writer converts each report draft and Calc the summary: they open without a repair prompt."""
    from test_projects import PROJECTS
    result = batch.run(PROJECTS, tmp_path / "out", Config())
    sources = [p.outputs["draft_docx"] for p in result.projects] + [tmp_path / "out" / "汇总.xlsx"]
    plain = tmp_path / "plain"  # LibreOffice's command line is happiest with plain ASCII names
    plain.mkdir()
    for i, src in enumerate(sources):
        copy = plain / f"f{i}{src.suffix}"
        shutil.copyfile(src, copy)
        done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                               "--outdir", str(tmp_path / "pdf"), str(copy)], capture_output=True, timeout=180, text=True)
        pdf = tmp_path / "pdf" / f"f{i}.pdf"
        assert done.returncode == 0 and pdf.exists() and pdf.stat().st_size > 5000, (src, done.stderr)
        assert "Error" not in done.stderr, (src, done.stderr)
    if shutil.which("pdftotext"):  # the Chinese text survives: the fonts the styles name were found
        text = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "f0.pdf"), "-"], capture_output=True,
                              text=True).stdout
        assert "绩效自评报告（草稿）" in text and "评定等级为“优”" in text
