"""The command line contract: JSON shape, exit codes, messages for unreadable files."""

from __future__ import annotations

import json
import re
import shutil

from openpyxl import Workbook

from conftest import DATA, ROOT, corrected_path, invoke
from reportlib import batch
from reportlib.findings import CATALOGUE
from reportlib.schema import Config


def test_check_json_is_the_library_result():
    path = DATA / "seed004_职业技能培训_问卷统计表.xlsx"
    res = invoke("check", "--json", path)
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data == json.loads(json.dumps(batch.check([path], Config()).to_json(), ensure_ascii=False))
    entry = data["files"][0]
    assert set(entry) >= {"path", "kind", "status", "error", "findings", "figures"}
    assert (entry["kind"], entry["status"], entry["error"]) == ("questionnaire", "findings", None)
    f = entry["findings"][0]
    assert set(f) >= {"code", "severity", "sheet", "cell", "message", "found", "expected"}
    assert entry["figures"]["satisfaction"] == 96.86
    assert {"respondents", "questions", "satisfaction", "option_weights"} <= set(entry["figures"])


def test_exit_codes():
    assert invoke("check", DATA / "seed002_服务状况调查_问卷统计表.xlsx").exit_code == 0
    assert invoke("check", DATA / "seed001_盲人按摩_问卷统计表.xlsx").exit_code == 1
    assert invoke("check", DATA / "nope.xlsx").exit_code == 2
    assert invoke("check").exit_code == 2
    assert invoke("check", "--option-weights", "1,0.8,abc", DATA).exit_code == 2


def test_wrong_number_of_weights_is_a_usage_error():
    res = invoke("check", "--option-weights", "1,0.8", DATA / "seed001_盲人按摩_问卷统计表.xlsx")
    assert res.exit_code == 2 and "需要 5 个权重" in res.output


def _bad_files(folder):
    (folder / "损坏.xlsx").write_bytes(b"PK\x03\x04 this is not a zip at all")
    (folder / "加密.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (folder / "其实是PDF.xlsx").write_bytes(b"%PDF-1.4\n%...")
    (folder / "空文件.xlsx").write_bytes(b"")
    (folder / "~$锁文件.xlsx").write_bytes(b"\0" * 165)
    (folder / "旧格式.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "说明.docx").write_bytes(b"ignored")
    shutil.copyfile(DATA / "seed002_服务状况调查_问卷统计表.xlsx", folder / "好的.xlsx")


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path):
    _bad_files(tmp_path)
    res = invoke("check", "--json", tmp_path)
    assert res.exit_code == 2
    files = {p.rsplit("/", 1)[-1]: f for f in json.loads(res.stdout)["files"] for p in [f["path"]]}
    assert "说明.docx" not in files
    assert files["好的.xlsx"]["status"] == "clean"
    assert files["~$锁文件.xlsx"]["status"] == "skipped"
    for name in ("损坏.xlsx", "加密.xlsx", "其实是PDF.xlsx", "空文件.xlsx", "旧格式.xls"):
        assert files[name]["status"] == "error", name
        assert name in files[name]["error"]
    assert "取消密码保护" in files["加密.xlsx"]["error"]
    assert "PDF" in files["其实是PDF.xlsx"]["error"]
    assert "另存为 .xlsx" in files["旧格式.xls"]["error"]


def test_workbook_without_a_table(tmp_path):
    wb = Workbook()
    wb.active["A1"] = "随便写点什么"
    wb.save(tmp_path / "无表.xlsx")
    wb = Workbook()
    ws = wb.active
    for c, h in enumerate(["一级指标", "权重分", "得分", "扣分", "得分率"], 1):
        ws.cell(1, c, h)
    wb.save(tmp_path / "指标.xlsx")
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "单位：万元"
    for c, h in enumerate(["项目", "预算资金", "实际支出", "结余资金"], 1):
        ws.cell(2, c, h)
    wb.save(tmp_path / "资金.xlsx")
    data = json.loads(invoke("check", "--json", tmp_path).stdout)["files"]
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in data}
    assert by_name["无表.xlsx"]["status"] == "error" and "没有找到可识别" in by_name["无表.xlsx"]["error"]
    blank = by_name["指标.xlsx"]
    assert (blank["kind"], [f["code"] for f in blank["findings"]]) == ("indicators", ["empty-table"])
    funds = by_name["资金.xlsx"]
    assert (funds["kind"], [(f["code"], f["cell"]) for f in funds["findings"]]) == ("funds", [("empty-table", "A2")])


def test_run_writes_into_output_and_prints_a_summary(inbox, tmp_path):
    out = tmp_path / "out"
    res = invoke("run", inbox, "-o", out)
    assert res.exit_code == 1
    assert "5 个项目、5 个文件" in res.output
    assert (out / "findings.json").exists()
    assert (corrected_path(out, "seed001_盲人按摩_问卷统计表")).exists()


def test_run_keeps_relative_folders(tmp_path):
    inbox = tmp_path / "in"
    (inbox / "县区A").mkdir(parents=True)
    shutil.copyfile(DATA / "seed002_服务状况调查_问卷统计表.xlsx", inbox / "县区A" / "表.xlsx")
    assert invoke("run", inbox, "-o", tmp_path / "out").exit_code == 0
    assert (tmp_path / "out" / "县区A" / "表_校核.xlsx").exists()


def test_human_output_names_cells_and_figures():
    res = invoke("check", DATA / "seed001_盲人按摩_问卷统计表.xlsx")
    assert "share-mismatch" in res.output and "问卷统计表!G18" in res.output
    assert "满意度 92.52（表中为 93.78）" in res.output


def test_every_command_has_help():
    for command in ("check", "run"):
        res = invoke(command, "--help")
        assert res.exit_code == 0 and len(res.output) > 100


def test_readme_documents_every_code_and_opens_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in CATALOGUE:
        assert f"`{code}`" in readme, code
    blocks = re.findall(r"```(?:bash|sh)?\n(.*?)```", readme, re.S)
    assert "process.py run" in blocks[0] and "pytest" in blocks[1]
    assert (ROOT / ".ci" / "run").read_text().count(blocks[1].strip()) == 1


def test_xml_bomb_is_refused_not_expanded(tmp_path):
    import zipfile
    src = DATA / "seed002_服务状况调查_问卷统计表.xlsx"
    bomb = tmp_path / "炸弹.xlsx"
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i else "")) * 10}">' for i in range(1, 9))
           + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol8;</t></is></c></row></sheetData></worksheet>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bomb, "w") as zout:
        for item in zin.infolist():
            data = lol.encode() if item.filename == "xl/worksheets/sheet1.xml" else zin.read(item.filename)
            zout.writestr(item, data)
    entry = json.loads(invoke("check", "--json", bomb).stdout)["files"][0]
    assert entry["status"] == "error" and "炸弹.xlsx" in entry["error"]
    assert "不安全的 XML" in entry["error"] and "\n" not in entry["error"]


def test_grade_bands_option():
    path = DATA / "seed000_乡村振兴_指标体系评分表.xlsx"
    res = invoke("check", "--json", "--grade-bands", "xinjiang-2022", path)
    assert res.exit_code == 1
    entry = json.loads(res.stdout)["files"][0]
    assert (entry["kind"], entry["figures"]["grade"], entry["figures"]["grade_bands"]["中"]) == ("indicators", "优", 70.0)
    assert [(f["code"], f["cell"]) for f in entry["findings"]] == [("score-inconsistent", "C5")]
    bad = invoke("check", "--grade-bands", "优:abc", path)
    assert bad.exit_code == 2 and "--grade-bands" in bad.output


def test_default_inbox_holds_every_attachment_checked_so_far(tmp_path):
    res = invoke("run", "-o", tmp_path / "out")
    assert res.exit_code == 1  # the seeds' real mistakes
    data = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    kinds = {f["kind"] for f in data["files"]}
    assert kinds == {"questionnaire", "indicators", "funds", "self-evaluation"} and data["summary"]["unreadable"] == 0


def test_a_checker_failure_is_reported_and_the_batch_goes_on(tmp_path, monkeypatch):
    from reportlib import indicators

    def broken(sheets, config):
        if sheets:  # a questionnaire's sheets never reach the indicator checks
            raise IndexError("boom")
        return []

    for name in ("seed000_乡村振兴_指标体系评分表.xlsx", "seed002_服务状况调查_问卷统计表.xlsx"):
        shutil.copyfile(DATA / name, tmp_path / name)
    monkeypatch.setattr(indicators, "check_sheets", broken)
    data = json.loads(invoke("check", "--json", tmp_path).stdout)
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in data["files"]}
    failed = by_name["seed000_乡村振兴_指标体系评分表.xlsx"]
    assert failed["status"] == "error" and "seed000_乡村振兴_指标体系评分表.xlsx" in failed["error"]
    assert "IndexError" in failed["error"]
    assert by_name["seed002_服务状况调查_问卷统计表.xlsx"]["status"] == "clean"


def test_text_output_of_a_fund_table_shows_its_amounts_in_full_and_the_rate_basis():
    res = invoke("check", DATA / "seed004_职业技能培训_资金使用情况表.xlsx")
    assert res.exit_code == 0
    assert "4 项：预算 97.361、支出 82.050854、结余 15.310146（万元）；预算执行率 84.27%（按预算）" in res.output


def test_a_fund_sheet_whose_header_cannot_be_read_is_named_as_such(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "资金"
    ws["A1"] = "单位：万元"
    ws["A2"] = "本项目预算110万元，到位110万元，实际支出110万元，结余0万元，执行率100%。"
    wb.save(tmp_path / "资金说明.xlsx")
    data = json.loads(invoke("check", "--json", tmp_path).stdout)["files"]
    assert (data[0]["kind"], data[0]["status"]) == ("funds", "error")
    assert "工作表“资金”像是资金使用情况表，但没有找到能识别的表头" in data[0]["error"]


def test_an_internal_failure_is_said_as_such_not_as_a_usage_error(monkeypatch):
    """A bug of the tool exits 2 with a message saying it is the tool's own failure and what to send;
    it is never dressed as "Usage: … Error: …" (that is for a wrong option)."""
    from click.testing import CliRunner
    from process import cli
    from reportlib import batch as batches

    def broken(*args, **kwargs):
        raise ValueError("PosixPath('.') has an empty name")
    monkeypatch.setattr(batches, "check", broken)
    res = CliRunner().invoke(cli, ["check", str(DATA / "seed000_乡村振兴_问卷统计表.xlsx")])
    assert res.exit_code == 2
    assert "本工具内部出错" in res.output and "--debug" in res.output and "ValueError" in res.output
    assert "Usage:" not in res.output and "Try '" not in res.output
