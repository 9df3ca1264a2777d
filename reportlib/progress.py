"""What a running batch tells people and job schedulers: the report on stdout as projects finish, a
progress bar on a terminal's stderr, one log line per project otherwise (cron) and in ``--log-file``."""

from __future__ import annotations

import logging
import time
from typing import IO, Callable

from .batchjson import BatchJson
from .projects import Project
from .render import file_lines, project_lines
from .summary import STATUS_ZH

log = logging.getLogger("reportlib.progress")
LOGGER = "reportlib"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def setup_logging(quiet: bool, log_file: str | None, debug: bool, stderr: IO[str]) -> logging.Handler | None:
    """The library's log lines: on stderr at INFO when it is not a terminal (a job's log), WARNING on a
    terminal (the progress bar shows the rest), ERROR with ``--quiet``; and everything at INFO or
    above into ``log_file``."""
    logger = logging.getLogger(LOGGER)
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    logger.propagate = False
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    console = logging.StreamHandler(stderr)
    console.setLevel(logging.DEBUG if debug else logging.ERROR if quiet else
                     logging.WARNING if _is_terminal(stderr) else logging.INFO)
    console.setFormatter(logging.Formatter("%(asctime)s %(message)s", TIME_FORMAT))
    logger.addHandler(console)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setLevel(logging.INFO)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", TIME_FORMAT))
        logger.addHandler(handler)
        return handler
    return None


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def project_event(p: Project, output_root=None) -> str:
    """One line about a finished project: its name, status, counts and where the output went."""
    where = f" → {output_root / p.folder}" if output_root is not None else ""
    unreadable = [f.error for f in p.files if f.error and f.status == "error"]
    return (f"{p.name}  {STATUS_ZH.get(p.status, p.status)}  {len(p.files)} 个文件  错误 {p.count('error')}  "
            f"警告 {p.count('warning')}{where}" + "".join(f"\n    {e}" for e in unreadable))


class Reporter:
    """Receives each project in order (a :class:`~reportlib.batch.Batch` listener)."""

    def __init__(self, total: Callable[[], int], out: Callable[..., None] | None, stderr: IO[str], quiet: bool,
                 as_json: bool = False, output_root=None) -> None:
        self.total, self.out, self.stderr, self.quiet = total, out, stderr, quiet
        self.output_root = output_root
        self.bar = not quiet and _is_terminal(stderr)
        self.done = 0
        self.pending: list[str] = []  # project lines, printed after the files
        self.started = time.monotonic()
        self.json = BatchJson(lambda text: out(text, nl=False)) if as_json and out else None

    def __call__(self, project: Project) -> None:
        self.done += 1
        log.info("%s", project_event(project, self.output_root))
        if not project.written and not project.restored:
            for note in project.notes:
                log.error("%s", note)  # an output missing: said even with --quiet
        if self.json is not None:
            self.json.add(project)
        elif self.out is not None:
            for f in project.files:
                self.out("\n".join(file_lines(f)))
            self.pending.extend(project_lines(project))
        if self.bar:
            self._draw()

    def _draw(self) -> None:
        width = 30
        total = self.total()
        filled = int(width * self.done / max(total, 1))
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{total} 个项目 "
                          f"{rate:.1f} 个/秒")
        self.stderr.flush()

    def abort(self, summary: dict, error: str) -> None:
        """The batch stopped early: ``--json`` still gets a whole object, with its ``error``."""
        if self.bar:
            self.stderr.write("\n")
            self.bar = False
        if self.json is not None:
            self.json.close(summary, error)
            self.json = None

    def finish(self, summary: dict, last_line: str) -> None:
        if self.bar:
            self.stderr.write("\n")
            self.stderr.flush()
        if self.json is not None:
            self.json.close(summary)
            return
        if self.out is None:
            return
        if self.pending:
            self.out("\n项目：\n" + "\n".join(self.pending))
        self.out(last_line)
