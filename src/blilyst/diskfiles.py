"""Files written so that a crash or a second process never sees half of one: the one way blilyst writes a file
it keeps (the cache folder of :mod:`blilyst.cachestore`)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, suffix: str = ".tmp") -> None:
    """Write ``data`` to ``path``: to a temporary file in the same folder (made if missing), flushed to disk,
    then renamed over ``path``. On any failure the temporary file is removed and the error raised; ``path``
    is then as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
