"""The fault suite: hostile and broken files, unwritable and full output, killed and concurrent runs,
lock files, and a seeded fuzz of mutated workbooks.  Every case asserts what a user relies on: no
internal error, complete JSON, memory bounded per file, inputs byte-identical, a clear line naming the
file or folder.  ``--fuzz-cases N`` sets the number of mutated workbooks (CI: 24; locally a few hundred).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, invoke, sha256
from faults import (dense_sheet, examples, merged_column, mutate, repeated_ods, span_html, strings_bomb, tall_sheet,
                    truncated, zip_bomb)
from reportlib import batch as batches
from reportlib.outdir import OutputFolder
from reportlib.schema import Config

PEAK_MB = 500  # what one check of one hostile file may cost, the whole process included

_MEASURED = """
import resource, runpy, sys
sys.argv = ["process.py"] + sys.argv[1:]
code = 0
try:
    runpy.run_path("process.py", run_name="__main__")
except SystemExit as exc:
    code = exc.code if isinstance(exc.code, int) else 1
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(f"PEAK_KB {peak}", file=sys.stderr)
sys.exit(code)
"""


def cli(*args, timeout: float = 300) -> tuple[subprocess.CompletedProcess, float]:
    """The CLI in a process of its own: its result and its peak resident memory in MB (workers too)."""
    res = subprocess.run([sys.executable, "-c", _MEASURED, *map(str, args)], cwd=ROOT, capture_output=True,
                         text=True, timeout=timeout)
    peak = next((int(line.split()[1]) for line in res.stderr.splitlines() if line.startswith("PEAK_KB")), 0)
    return res, peak / 1024


def hashes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_examples(folder: Path, prefixes: tuple[str, ...] = ("乡村振兴", "盲人按摩")) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in examples():
        if path.name.startswith(prefixes):
            shutil.copyfile(path, folder / path.name)
    return folder


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


# -- output that cannot be written -------------------------------------------------------------------

def test_output_that_is_not_a_folder_is_a_clear_message_exit_2_and_the_summary(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    res = invoke("run", copy_examples(tmp_path / "in"), "-o", blocker / "out")
    assert res.exit_code == 2 and res.exception is None or isinstance(res.exception, SystemExit)
    assert f"无法写入“{blocker / 'out'}”" in res.stderr
    assert "共 0 个项目" in res.stdout


def test_one_project_folder_that_cannot_be_made_does_not_stop_the_others(tmp_path):
    inbox = copy_examples(tmp_path / "in")
    out = tmp_path / "out"
    out.mkdir()
    (out / "盲人按摩").write_text("a file where the project's folder should go")
    res = invoke("run", inbox, "-o", out)
    assert res.exit_code == 2, res.stdout
    assert "项目“盲人按摩”的输出未能放入文件夹" in res.stderr
    assert (out / "乡村振兴" / "乡村振兴绩效自评报告（草稿）.docx").is_file()
    assert "1 项输出未能写出" in res.stdout
    (out / "盲人按摩").unlink()  # the clerk moves the file away: the next run does that project, reuses the other
    again = invoke("run", inbox, "-o", out)
    assert again.exit_code == 1 and "（其中 1 个项目未变，沿用上次结果）" in again.stdout
    assert (out / "盲人按摩" / "盲人按摩绩效自评报告（草稿）.docx").is_file()


def test_a_draft_lost_to_a_full_disk_is_redone_once_space_is_freed(tmp_path, monkeypatch):
    inbox = copy_examples(tmp_path / "in")
    out = tmp_path / "out"
    real = batches.write_drafts

    def full(project, folder, config, template_dir=None):
        if project.name == "盲人按摩":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(project, folder, config, template_dir)

    monkeypatch.setattr(batches, "write_drafts", full)
    first = invoke("run", inbox, "-o", out)
    assert first.exit_code == 2 and "磁盘已满" in first.stderr
    monkeypatch.setattr(batches, "write_drafts", real)
    again = invoke("run", inbox, "-o", out)
    assert again.exit_code == 1 and "（其中 1 个项目未变，沿用上次结果）" in again.stdout
    assert (out / "盲人按摩" / "盲人按摩绩效自评报告（草稿）.docx").is_file()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 600 KB tmpfs where this machine allows mounting one (as root), else the test is skipped."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if shutil.which("mount") is None or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here; the full disk is simulated in the test above")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_real_full_disk_gives_notes_exit_2_the_summary_and_no_half_files(tmp_path, tiny_disk):
    inbox = copy_examples(tmp_path / "in", ("乡村振兴", "盲人按摩", "服务状况调查", "职业技能培训", "示例"))
    res, _ = cli("run", inbox, "-o", tiny_disk / "out", "--jobs", "1")
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr[-2000:]
    assert "磁盘已满" in res.stderr and "共 " in res.stdout.splitlines()[-2 if "结果已写入" in res.stdout else -1]
    assert not [p for p in (tiny_disk / "out").rglob("*") if p.name.endswith(".tmp")]
    for path in (tiny_disk / "out").rglob("*.xlsx"):
        import zipfile
        assert zipfile.ZipFile(path).testzip() is None  # every file there is whole


# -- two runs, killed runs, lock files ---------------------------------------------------------------

def test_a_second_run_on_the_same_output_refuses_while_the_first_holds_it(tmp_path):
    inbox, out = copy_examples(tmp_path / "in"), tmp_path / "out"
    with OutputFolder(out):
        res = invoke("run", inbox, "-o", out)
        assert res.exit_code == 2 and f"输出文件夹“{out}”正由另一次运行（进程 {os.getpid()}）使用" in res.stderr
        assert (out / ".staging" / str(os.getpid())).is_dir()  # the holder's staging is left alone
    assert not (out / ".lock").exists()
    (out / ".lock").write_text("99999999\n")  # what a killed run leaves: a file nobody holds
    assert invoke("run", inbox, "-o", out).exit_code == 1
    assert not (out / ".lock").exists() and not (out / ".staging").exists()


def _processes_mentioning(text: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if text in (entry / "cmdline").read_bytes().decode("utf-8", "replace"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see the workers")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_run_leaves_no_workers_no_temporary_files_and_resumes(tmp_path, how):
    inbox = tmp_path / "in"
    for k in range(80):  # 80 projects of 3 workbooks
        copy_examples(inbox / f"项目{k:02d}", ("乡村振兴",))
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "process.py", "run", str(inbox), "-o", str(out), "--jobs", "2",
                             "--quiet"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(out.glob("项目*/findings.json"))) < 3:
        time.sleep(0.05)
    time.sleep(2.2)  # past one manifest save
    proc.send_signal(how)
    proc.communicate(timeout=60)
    assert proc.returncode in (-signal.SIGKILL, 130), proc.returncode
    deadline = time.monotonic() + 10
    while _processes_mentioning(str(out)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_mentioning(str(out)) == []  # the workers died with their parent
    done = len(json.loads((out / ".manifest.json").read_text(encoding="utf-8"))["projects"])
    assert done >= 3
    res = invoke("run", inbox, "-o", out, "--quiet")
    assert res.exit_code == 1
    assert f"（其中 {done} 个项目未变，沿用上次结果）" in res.stdout
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")] and not (out / ".staging").exists()
    assert len(list(out.glob("项目*/项目*绩效自评报告（草稿）.docx"))) == 80


def test_office_lock_files_take_no_part_in_grouping_or_naming(tmp_path):
    inbox = copy_examples(tmp_path / "in", ("乡村振兴",))
    shutil.copyfile(inbox / "乡村振兴_问卷统计表.xlsx", inbox / "~$乡村振兴_问卷统计表.xlsx")
    (inbox / ".~lock.乡村振兴_资金使用情况表.xlsx#").write_text("x")
    (inbox / "gone_问卷统计表.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    out = tmp_path / "out"
    res = invoke("run", inbox, "-o", out)
    assert res.exit_code == 1, res.stdout
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["乡村振兴"]
    assert (out / "乡村振兴" / "乡村振兴绩效自评报告（草稿）.docx").is_file()
    files = json.loads((out / "findings.json").read_text(encoding="utf-8"))["files"]
    skipped = {Path(f["path"]).name: f["error"] for f in files if f["status"] == "skipped"}
    assert set(skipped) == {"~$乡村振兴_问卷统计表.xlsx", "gone_问卷统计表.xlsx"}
    assert "链接" in skipped["gone_问卷统计表.xlsx"]
    # a lock file that comes and goes changes nothing: the project is restored
    (inbox / "~$乡村振兴_问卷统计表.xlsx").unlink()
    assert "（其中 1 个项目未变，沿用上次结果）" in invoke("run", inbox, "-o", out).stdout


def test_run_refuses_the_inbox_as_its_output(tmp_path):
    inbox = copy_examples(tmp_path / "in", ("乡村振兴",))
    before = hashes(inbox)
    res = invoke("run", inbox, "-o", inbox)
    assert res.exit_code == 2 and "输出文件夹不能就是要处理的文件夹" in res.stderr
    assert hashes(inbox) == before
    assert invoke("run", inbox, "-o", inbox / "结果").exit_code == 1  # inside it stays allowed


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


def test_what_killed_runs_left_is_removed_and_nothing_else(tmp_path):
    inbox, out = copy_examples(tmp_path / "in", ("乡村振兴",)), tmp_path / "out"
    (out / "乡村振兴").mkdir(parents=True)
    (out / ".staging" / "4242").mkdir(parents=True)
    leftovers = [out / ".findings.json.k2j4_x9a.tmp", out / "乡村振兴" / ".乡村振兴_问卷统计表_校核.xlsx.abcdefgh.tmp",
                 out / ".staging" / "4242" / "x.xlsx"]
    mine = [out / "说明.tmp", out / "乡村振兴" / ".备份.tmp"]  # a person's files that only look alike
    for path in leftovers + mine:
        path.write_text("x")
    assert invoke("run", inbox, "-o", out).exit_code == 1
    assert [p.exists() for p in leftovers] == [False] * 3 and all(p.exists() for p in mine)


def test_every_line_of_the_watch_log_carries_one_time_stamp(tmp_path):
    import re
    inbox, out, log = copy_examples(tmp_path / "in", ("乡村振兴",)), tmp_path / "out", tmp_path / "watch.log"
    proc = subprocess.Popen([sys.executable, "process.py", "watch", str(inbox), "-o", str(out), "--log-file", str(log),
                             "--settle", "0.2", "--poll", "0.3", "--jobs", "1"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (out / "汇总.xlsx").exists():
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert lines and all(len(re.findall(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", line)) == 1 for line in lines), lines


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
