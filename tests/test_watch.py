"""The drop folder: files are taken once written, lock files and our own outputs are ignored, a bad file
does not stop the watch, and SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from conftest import DATA, ROOT
from reportlib.schema import Config
from reportlib.watch import watch

QUESTIONNAIRE = DATA / "seed001_盲人按摩_问卷统计表.xlsx"


def wait_for(predicate, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def watching(tmp_path):
    """A watcher on ``tmp_path/inbox`` writing into ``inbox/out`` (OUTPUT inside INBOX), in a thread."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(inbox, inbox / "out", Config()),
                              kwargs={"settle": 0.3, "stop": stop, "on_line": lines.append, "tick": 0.05,
                                      "poll": 0.1}, daemon=True)
    thread.start()
    assert wait_for(lambda: any("  正在监视 " in line for line in lines))
    yield inbox, lines
    stop.set()
    thread.join(timeout=10)
    assert not thread.is_alive()


def _about(lines, name):
    return [line for line in lines if name in line and "→" in line]


def test_a_workbook_is_taken_once_it_is_completely_written(watching):
    inbox, lines = watching
    data = QUESTIONNAIRE.read_bytes()
    target = inbox / "盲人按摩问卷统计表.xlsx"
    with target.open("wb") as fh:  # a slow copy over the network: half, a pause, the rest
        fh.write(data[: len(data) // 2])
        fh.flush()
        time.sleep(1.0)
        assert not _about(lines, target.name)  # its size stood still, but it does not open yet
        fh.write(data[len(data) // 2:])
    assert wait_for(lambda: _about(lines, target.name))
    line = _about(lines, target.name)[0]
    assert "有发现  错误 27，警告 0  → " in line and line.endswith("盲人按摩问卷统计表_校核.xlsx")
    assert (inbox / "out" / "盲人按摩" / "盲人按摩问卷统计表_校核.xlsx").exists()
    time.sleep(1.5)  # its own outputs (inside INBOX) must not trigger another round
    assert len(_about(lines, target.name)) == 1


def test_lock_and_temporary_files_are_ignored(watching):
    inbox, lines = watching
    for name in ("~$盲人按摩问卷统计表.xlsx", ".~盲人按摩问卷统计表.xlsx", "~WRL0001.tmp", "保存中.tmp", ".隐藏.xlsx"):
        (inbox / name).write_bytes(b"\0" * 165)
    (inbox / "说明.docx").write_bytes(b"PK")
    time.sleep(1.5)
    assert lines == [line for line in lines if "  正在监视 " in line]


def test_a_replaced_attachment_redoes_its_project_and_a_bad_file_does_not_stop_the_watch(watching):
    inbox, lines = watching
    (inbox / "坏的资金使用情况表.xlsx").write_bytes(b"%PDF-1.4 scanned")
    assert wait_for(lambda: _about(lines, "坏的资金使用情况表.xlsx"))
    assert "无法读取" in _about(lines, "坏的资金使用情况表.xlsx")[0] and "PDF" in _about(lines, "坏的资金使用情况表.xlsx")[0]
    target = inbox / "盲人按摩问卷统计表.xlsx"
    target.write_bytes(QUESTIONNAIRE.read_bytes())
    assert wait_for(lambda: _about(lines, target.name))
    replacement = DATA / "variant004_question_own_row.xlsx"
    tmp = inbox / "盲人按摩问卷统计表.xlsx.part.tmp"  # saved under a temporary name, then renamed
    tmp.write_bytes(replacement.read_bytes())
    os.replace(tmp, target)
    assert wait_for(lambda: len(_about(lines, target.name)) == 2)
    assert "错误 27" not in _about(lines, target.name)[1]


def test_sigterm_stops_the_watch_cleanly(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    (inbox / "盲人按摩问卷统计表.xlsx").write_bytes(QUESTIONNAIRE.read_bytes())
    proc = subprocess.Popen([sys.executable, str(ROOT / "process.py"), "watch", str(inbox), "-o", str(out),
                             "--settle", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        seen = []
        for line in proc.stdout:
            seen.append(line)
            if "  正在监视 " in line:
                break
        assert any("盲人按摩问卷统计表.xlsx  有发现" in line for line in seen)
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "已停止监视" in rest
    assert not list(out.rglob("*.tmp")) and not (out / ".staging").exists()
    assert (out / "findings.json").exists() and (out / ".manifest.json").exists()
