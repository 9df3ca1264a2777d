"""The fault suite, part two: output that cannot be written (a folder in the way, a full disk, a real
tmpfs), two runs on one OUTPUT, killed runs resumed, lock files and dangling links, the inbox as its own
output, the leftovers of killed runs and the watch log.  Part one, tests/test_faults.py, is hostile
files, values no table holds, the fuzz and dying workers."""

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

from conftest import ROOT, invoke
from faults import cli, copy_examples, hashes
from reportlib import batch as batches
from reportlib.outdir import OutputFolder


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
