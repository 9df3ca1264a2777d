"""The drop folder: process workbooks as staff save them into INBOX.

watchdog reports file events; a workbook is taken once it is completely written (its size and time
have not changed for ``settle`` seconds and, for the zip-based formats, its archive opens).  Each time
files settle, ``run`` goes over the inbox again; its manifest restores every project whose inputs are
unchanged, so only the project whose attachment was added or replaced is redone, and one line is logged
per file of it (time, file, status, errors / warnings, where the output went).  Office lock and
temporary files, hidden files and everything under OUTPUT (which may sit inside INBOX) are ignored, so
the watcher never reacts to its own outputs.  A run that fails is logged and the watch goes on.
"""

from __future__ import annotations

import logging
import threading
import time
import zipfile
from pathlib import Path
from typing import Callable

from . import batch as batches
from .inputs import WORKBOOK_SUFFIXES, inside, is_temporary
from .outdir import OutputError
from .projects import Project
from .render import STATUS_ZH
from .schema import Config

#: how long a watch waits for a `run` that holds OUTPUT before it reports and waits for the next event
WAIT_FOR_OTHER_RUN = 600.0

log = logging.getLogger(__name__)


def wanted(path: Path, inbox: Path, output: Path) -> bool:
    """A workbook staff dropped: not a lock or temporary file, not hidden, not under OUTPUT."""
    if inside(path, output.resolve()):
        return False
    try:
        parts = path.resolve().relative_to(inbox.resolve()).parts
    except ValueError:
        return False
    if any(part.startswith(".") for part in parts[:-1]):
        return False
    return not is_temporary(path) and path.suffix.lower() in WORKBOOK_SUFFIXES


def complete(path: Path) -> bool:
    """Whether a settled file opens: a zip-based workbook still being copied has no central directory."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
        if head.startswith(b"PK"):
            with zipfile.ZipFile(path):
                pass
        return True
    except (OSError, zipfile.BadZipFile):
        return False


class Pending:
    """Paths seen in events, until they have settled."""

    def __init__(self, settle: float, give_up: float = 120.0) -> None:
        self.settle, self.give_up = settle, give_up
        self.seen: dict[Path, tuple[float, float, tuple]] = {}  # path -> (first seen, last change, stat)
        self.lock = threading.Lock()

    def touch(self, path: Path) -> None:
        now = time.monotonic()
        with self.lock:
            first = self.seen.get(path, (now, now, ()))[0]
            self.seen[path] = (first, now, _stat(path))

    def settled(self) -> list[Path]:
        """Paths whose size and time stood still for ``settle`` seconds and that open (or were deleted)."""
        now, ready = time.monotonic(), []
        with self.lock:
            for path, (first, changed, stat) in list(self.seen.items()):
                current = _stat(path)
                if current != stat:
                    self.seen[path] = (first, now, current)
                    continue
                if now - changed < self.settle:
                    continue
                if current and not complete(path) and now - first < self.give_up:
                    continue  # still being written by a program that pre-allocates the file
                ready.append(path)
                del self.seen[path]
        return ready


def _stat(path: Path) -> tuple:
    try:
        st = path.stat()
        return st.st_size, st.st_mtime_ns
    except OSError:
        return ()


def watch(inbox: Path, output: Path, config: Config, template_dir: Path | None = None, *, jobs: int = 1,
          settle: float = 2.0, poll: float | None = None, stop: threading.Event | None = None,
          on_line: Callable[[str], None] | None = None, tick: float = 0.25) -> None:
    """Process INBOX once, then every time workbooks settle in it, until ``stop`` is set (or Ctrl-C)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    inbox, output = Path(inbox).resolve(), Path(output).resolve()
    stop = stop or threading.Event()
    say = on_line or (lambda line: log.info("%s", line))
    pending = Pending(settle)

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.is_directory or event.event_type in ("opened", "closed_no_write"):
                return
            for attr in ("src_path", "dest_path"):
                raw = getattr(event, attr, None)
                if raw:
                    path = Path(raw.decode() if isinstance(raw, bytes) else raw)
                    if wanted(path, inbox, output):
                        pending.touch(path)

    observer = PollingObserver(timeout=poll) if poll else Observer()
    observer.schedule(Handler(), str(inbox), recursive=True)
    observer.start()
    try:
        _process(inbox, output, config, template_dir, jobs, None, say)
        say(f"{_now()}  正在监视 {inbox}（输出到 {output}）；按 Ctrl-C 停止")
        while not stop.is_set():
            stop.wait(tick)
            ready = pending.settled()
            if ready and not stop.is_set():
                _process(inbox, output, config, template_dir, jobs, ready, say)
    finally:
        observer.stop()
        observer.join(timeout=5)


def _now() -> str:
    """The time stamp every watch line starts with (and the only one: the log file adds none)."""
    return time.strftime("%Y-%m-%d %H:%M:%S")


def _process(inbox: Path, output: Path, config: Config, template_dir: Path | None, jobs: int,
             changed: list[Path] | None, say: Callable[[str], None]) -> None:
    """One incremental run; a line per file of every project that was (re)done, and for deletions."""
    batch = batches.Batch(keep=False)

    def report(project: Project) -> None:
        if project.restored:
            return
        for f in project.files:
            if f.status == "skipped":  # a lock file beside a workbook someone has open
                continue
            where = f.output or (output / project.folder)
            detail = f.error or f"错误 {f.errors}，警告 {f.warnings}"
            say(f"{_now()}  {f.display_path}  {STATUS_ZH.get(f.status, f.status)}  "
                f"{detail}  → {where}")

    batch.listeners.append(report)
    try:
        batches.run(inbox, output, config, template_dir, jobs=jobs, batch=batch, wait=WAIT_FOR_OTHER_RUN)
    except OutputError as exc:
        say(f"{_now()}  {exc}；继续监视")
        return
    except Exception as exc:  # the watch goes on; the next event retries
        log.debug("run failed", exc_info=True)
        say(f"{_now()}  处理失败（{type(exc).__name__}: {exc}），继续监视")
        return
    for path in changed or []:
        if not path.exists():
            say(f"{_now()}  {path}  已删除，所在项目已重新汇总")
