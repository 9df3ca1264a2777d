"""The fault suite, part one: hostile and broken files, values no table holds, a seeded fuzz of mutated
workbooks and dying workers (part two, tests/test_faults_output.py: unwritable and full output, killed
and concurrent runs, lock files).  Every case asserts what a user relies on: no internal error,
complete JSON, memory bounded per file, inputs byte-identical, a clear line naming the file or folder.
``--fuzz-cases N`` sets the number of mutated workbooks (CI: 24; locally a few hundred).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, invoke
from faults import (PEAK_MB, cli, copy_examples, dense_sheet, examples, hashes, merged_column, mutate,
                    repeated_ods, span_html, strings_bomb, tall_sheet, truncated, zip_bomb)
from reportlib import batch as batches
from reportlib.schema import Config

# -- hostile files ----------------------------------------------------------------------------------

HOSTILE_FILES = {
    "zip_bomb_问卷统计表.xlsx": (zip_bomb, "解压后有"),
    "strings_bomb_问卷统计表.xlsx": (strings_bomb, "解压后有"),
    "tall_问卷统计表.xlsx": (tall_sheet, "行还有数据"),
    "dense_问卷统计表.xlsx": (dense_sheet, "单元格超过"),
    "repeated_问卷统计表.ods": (repeated_ods, "单元格超过"),
    "span_问卷统计表.xls": (span_html, "单元格超过"),
    "merged_问卷统计表.xlsx": (merged_column, "合并单元格"),
    "truncated_问卷统计表.xlsx": (truncated, "文件已损坏"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, (make, _) in HOSTILE_FILES.items():
        make(folder / name)
    return folder


def test_hostile_files_are_refused_by_name_and_limit_with_bounded_memory(hostile):
    before = hashes(hostile)
    for name, (_, words) in HOSTILE_FILES.items():
        res, peak = cli("check", "--json", "--jobs", "1", hostile / name)
        data = json.loads(res.stdout)  # always one whole object
        assert res.returncode == 2, (name, res.stderr[-500:])
        [entry] = data["files"]
        assert entry["status"] == "error" and name in entry["error"] and words in entry["error"], entry["error"]
        assert "Traceback" not in res.stderr and "内部出错" not in res.stderr
        assert peak < PEAK_MB, (name, peak)
    assert hashes(hostile) == before


def test_a_folder_of_hostile_files_is_one_batch_that_goes_on(hostile, tmp_path):
    inbox = copy_examples(tmp_path / "in", ("乡村振兴",))
    for path in hostile.iterdir():
        shutil.copyfile(path, inbox / path.name)
    res, peak = cli("run", inbox, "-o", tmp_path / "out", "--jobs", "2", "--quiet")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert peak < PEAK_MB
    summary = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))["summary"]
    assert summary["unreadable"] == len(HOSTILE_FILES) and summary["files"] == len(HOSTILE_FILES) + 3
    assert list((tmp_path / "out").rglob("乡村振兴_问卷统计表_校核.xlsx"))


def test_limits_come_from_the_schema_and_can_be_raised(tmp_path):
    """A site with a genuinely larger table raises the limit in its copy of schemas/."""
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    text = (schemas / "workbook.yaml").read_text(encoding="utf-8").replace("rows: 50000", "rows: 70000")
    (schemas / "workbook.yaml").write_text(text, encoding="utf-8")
    tall = tall_sheet(tmp_path / "tall.xlsx")
    from reportlib.audit import audit_file
    refused, _ = audit_file(tall, Config())
    accepted, _ = audit_file(tall, Config(schema_dir=schemas))
    assert "第 50,001 行还有数据（上限 50,000 行）" in refused.error
    assert accepted.error is None or "上限" not in accepted.error


def test_values_no_table_holds_are_findings_not_crashes(tmp_path):
    import openpyxl
    src = next(p for p in examples() if p.name == "盲人按摩_问卷统计表.xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    ws["F20"], ws["H5"], ws["E8"], ws["E32"] = 1e308, 1e308, 10**30, 1e-300
    wb.save(tmp_path / "huge_问卷统计表.xlsx")
    res = invoke("check", "--json", tmp_path / "huge_问卷统计表.xlsx")
    [entry] = json.loads(res.stdout)["files"]
    assert entry["status"] == "findings", entry.get("error")
    found = {(f["cell"], f["code"]) for f in entry["findings"]}
    assert ("E8", "not-a-number") in found


def test_a_question_without_its_count_label_is_read_by_the_others_order(tmp_path):
    import openpyxl
    src = next(p for p in examples() if p.name == "乡村振兴_问卷统计表.xlsx")
    clean = json.loads(invoke("check", "--json", src).stdout)["files"][0]
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    row = next(c.row for c in ws["B"] if c.value == "人数" and c.row > 8)  # a later question's count row
    ws.cell(row, 2).value = None
    wb.save(tmp_path / "blank_问卷统计表.xlsx")
    entry = json.loads(invoke("check", "--json", tmp_path / "blank_问卷统计表.xlsx").stdout)["files"][0]
    assert [f["code"] for f in entry["findings"] if f["code"] == "row-label-missing"] == ["row-label-missing"]
    assert entry["figures"]["satisfaction"] == clean["figures"]["satisfaction"]
    rest = [(f["code"], f["cell"]) for f in entry["findings"] if f["code"] != "row-label-missing"]
    assert rest == [(f["code"], f["cell"]) for f in clean["findings"]]


def test_fuzzed_workbooks_give_no_internal_error_and_whole_json(tmp_path, request):
    cases = request.config.getoption("--fuzz-cases")
    inbox = tmp_path / "fuzz"
    inbox.mkdir()
    for seed in range(cases):
        mutate(seed, inbox)
    before = hashes(inbox)
    res, peak = cli("check", "--json", "--jobs", "2", inbox, timeout=60 + 10 * cases)
    data = json.loads(res.stdout)
    assert res.returncode in (0, 1, 2) and len(data["files"]) == cases
    internal = [f["error"] for f in data["files"] if f["status"] == "error"
                and any(w in f["error"] for w in ("未能处理", "工作进程意外退出", "内部"))]
    assert not internal, internal  # a table no longer recognisable after a header cell changed is fine
    assert peak < PEAK_MB
    res, peak = cli("run", inbox, "-o", tmp_path / "out", "--jobs", "2", "--quiet", timeout=60 + 10 * cases)
    assert res.returncode in (0, 1, 2) and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert peak < PEAK_MB
    ran = json.loads((tmp_path / "out" / "findings.json").read_text(encoding="utf-8"))
    assert ran["summary"]["unwritten"] == 0, [p["notes"] for p in ran["projects"] if p["notes"]]
    assert ran["summary"]["unreadable"] == data["summary"]["unreadable"]
    assert hashes(inbox) == before


# -- workers ----------------------------------------------------------------------------------------

def _die_on_three(k: int) -> int:
    if k == 3:
        os._exit(9)  # what the kernel's OOM killer does to a worker
    return k * 10


def test_a_worker_that_dies_costs_its_own_task_only():
    from reportlib.workers import in_order
    tasks = [(k,) for k in range(8)]
    assert list(in_order(tasks, _die_on_three, 2, lost=lambda k: f"lost {k}")) == [
        0, 10, 20, "lost 3", 40, 50, 60, 70]


_REAL_CHECK_ONE = batches._check_one


def _dying_check_one(project, members, config):
    if any("盲人按摩" in m[0].name for m in members):
        os._exit(9)
    return _REAL_CHECK_ONE(project, members, config)


def test_a_project_whose_worker_dies_is_that_projects_error(tmp_path, monkeypatch):
    inbox = copy_examples(tmp_path / "in")
    monkeypatch.setattr(batches, "_check_one", _dying_check_one)
    result = batches.check([inbox], Config(), jobs=2)
    by_status = {f.path.name: (f.status, f.error or "") for f in result.files}
    assert all(s == "error" and "工作进程意外退出" in e for n, (s, e) in by_status.items() if "盲人按摩" in n)
    assert all(s != "error" for n, (s, _) in by_status.items() if "乡村振兴" in n)


def test_check_json_stays_whole_when_the_tool_fails_midway(tmp_path, monkeypatch):
    inbox = copy_examples(tmp_path / "in")
    real, seen = batches.claim_folder, []

    def failing(project, used):
        seen.append(project)
        if len(seen) == 2:
            raise RuntimeError("boom")
        return real(project, used)

    monkeypatch.setattr(batches, "claim_folder", failing)
    res = invoke("check", "--json", "--jobs", "1", inbox)
    assert res.exit_code == 2
    data = json.loads(res.stdout)
    assert "内部出错" in data["error"] and data["summary"]["projects"] == 1


def test_a_long_name_keeps_the_drafts_suffix():
    from reportlib.draft import draft_name
    from reportlib.projects import Project
    name = draft_name(Project(name="很长的项目名称" * 50, folder=Path("x"), named_by="title"))
    assert name.endswith("绩效自评报告（草稿）") and len(name) <= 60


def test_a_workbook_made_large_by_its_pictures_is_read(tmp_path):
    """Scanned seals and photographs make an .xlsx large; they are never unpacked, so they are no reason
    to refuse it."""
    import zipfile
    src = next(p for p in examples() if p.name == "乡村振兴_问卷统计表.xlsx")
    big = tmp_path / "带照片_问卷统计表.xlsx"
    shutil.copyfile(src, big)
    with zipfile.ZipFile(big, "a") as z:
        z.writestr(zipfile.ZipInfo("xl/media/image1.jpeg"), os.urandom(25 << 20))  # 25 MB, stored
    assert big.stat().st_size > 25 << 20
    entry = json.loads(invoke("check", "--json", big).stdout)["files"][0]
    assert entry["status"] == "findings" and entry["figures"]["satisfaction"] is not None
