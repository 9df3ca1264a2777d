"""The OUTPUT folder of ``run``: one run at a time, a staging folder of its own, no leftovers.

A run takes ``OUTPUT/.lock`` with an exclusive ``flock``, writes its pid into it and removes it when it
ends.  The kernel releases the lock when the holder exits, however it exits (SIGKILL included), so a
lock file left by a killed run is simply taken over; a second run on the same OUTPUT while the first is alive waits up to
``wait`` seconds for it and then refuses with a message naming the holder.  Staging
(``OUTPUT/.staging/<pid>``) is private to the run; what earlier runs left there, and the temporary
files (``.name.xxxx.tmp``) of writes they did not finish, are removed once the lock is held, since no
other run can be writing them then.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import time
from pathlib import Path

LOCK = ".lock"
STAGING = ".staging"
#: the temporary files :func:`reportlib.fsio.atomic_stream` writes beside their target
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


class OutputError(Exception):
    """OUTPUT cannot be used: not writable, full, busy, or the inbox itself.  The message is Chinese,
    names the folder and says what to do."""


def describe(exc: OSError, where: Path) -> str:
    """A Chinese line for an error writing under ``where``."""
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return f"“{where}”所在磁盘已满（或超出配额），无法写出；请清理空间后重新运行，已完成的项目会沿用"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"没有写入“{where}”的权限（或该位置只读）；请换一个输出文件夹（-o）或修改其权限后重新运行"
    return f"无法写入“{where}”（{exc.strerror or exc}）；请检查该文件夹后重新运行"


class OutputFolder:
    """Hold OUTPUT for one run: ``with OutputFolder(output) as out: out.staging …``."""

    def __init__(self, output: Path, wait: float = 0.0) -> None:
        self.root = Path(output)
        self.wait = wait
        self.staging = self.root / STAGING / str(os.getpid())
        self._fh = None

    def __enter__(self) -> "OutputFolder":
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._fh = open(self.root / LOCK, "a+", encoding="utf-8")
        except OSError as exc:
            raise OutputError(describe(exc, self.root)) from exc
        self._lock()
        try:
            self._fh.seek(0)
            self._fh.truncate()
            self._fh.write(f"{os.getpid()}\n")
            self._fh.flush()
            self._clean()
            self.staging.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.__exit__(None, None, None)
            raise OutputError(describe(exc, self.root)) from exc
        return self

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, as before
            return
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                if self._same_file():
                    return
                self._fh.close()  # the holder removed the file as it finished: lock the new one
                self._fh = open(self.root / LOCK, "a+", encoding="utf-8")
                continue
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.2)
            except OSError:  # a file system without locks (some network shares): go on unlocked
                return
        self._fh.seek(0)
        holder = self._fh.read().strip() or "?"
        self._fh.close()
        self._fh = None
        raise OutputError(f"输出文件夹“{self.root}”正由另一次运行（进程 {holder}）使用；"
                          "请等它结束后再运行，或换一个输出文件夹（-o）")

    def _same_file(self) -> bool:
        try:
            return os.fstat(self._fh.fileno()).st_ino == os.stat(self.root / LOCK).st_ino
        except OSError:
            return False

    def _clean(self) -> None:
        """What runs that were killed or ran out of space left: staging folders and temporary files."""
        shutil.rmtree(self.root / STAGING, ignore_errors=True)
        for path in self.root.rglob(".*.tmp"):
            if path.is_file() and _TEMPORARY.match(path.name):
                path.unlink(missing_ok=True)

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.root / STAGING, ignore_errors=True)
        if self._fh is not None:
            try:
                (self.root / LOCK).unlink()  # while still held: a run waiting for it locks a new file
            except OSError:
                pass
            self._fh.close()  # releases the lock
            self._fh = None
