"""Writing files so that no reader ever sees half of one: a temporary name beside the target, then an
atomic rename.  Every output of the tool goes through here; :mod:`reportlib.outdir` removes what
interrupted writes left (``.name.xxxxxxxx.tmp``)."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator


def atomic_write(target: Path, data: bytes) -> None:
    """Write to a temporary file beside ``target`` and rename it, so no half-written file is left."""
    with atomic_stream(target) as fh:
        fh.write(data)


class AtomicFile:
    """A binary file that becomes ``target`` (by a rename) on :meth:`commit`; until then a temporary
    file beside it, which :meth:`discard` removes.  For a file written over a long time by more than
    one block of code (the batch's findings.json); :func:`atomic_stream` is the usual way."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent)
        self.fh: BinaryIO = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def commit(self) -> None:
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o666 & ~umask)  # mkstemp creates 0600; outputs are ordinary shared files
            os.replace(self.tmp, self.target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        try:
            self.fh.close()
        except OSError:
            pass
        Path(self.tmp).unlink(missing_ok=True)


@contextmanager
def atomic_stream(target: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``target`` (by a rename) only when the block ends without an error;
    until then it is a temporary file beside it, removed if the block fails or is interrupted."""
    file = AtomicFile(target)
    try:
        yield file.fh
    except BaseException:
        file.discard()
        raise
    file.commit()
