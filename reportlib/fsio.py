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


@contextmanager
def atomic_stream(target: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``target`` (by a rename) only when the block ends without an error;
    until then it is a temporary file beside it, removed if the block fails or is interrupted."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; outputs are ordinary shared files
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
