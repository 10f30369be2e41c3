"""Files written so that a crash or a second process never sees half of one: the one way blilyst's three
disk caches (SSB answers in :mod:`blilyst.stats.cache`, computed figures in :mod:`blilyst.plan.diskcache`,
drawn charts in :mod:`blilyst.plan.rendered`) store what they keep."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

SWITCH = "BLILYST_PLAN_DISK_CACHE"


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


def plan_caches_enabled() -> bool:
    """False when ``BLILYST_PLAN_DISK_CACHE`` is off/0/false/no: the figure and chart caches then keep nothing."""
    return os.environ.get(SWITCH, "").strip().lower() not in {"off", "0", "false", "no"}


class SharedStore(Protocol):
    """Bytes by key, shared by every process on every machine (the web app plugs in Django's cache, Redis
    when ``BLILYST_REDIS_URL`` is set). Keys already say what the bytes were made from."""

    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, data: bytes) -> None: ...


_shared: SharedStore | None = None


def use_shared_store(store: SharedStore | None) -> None:
    """Keep the figure and chart caches in ``store`` instead of this machine's disk (None: the disk again)."""
    global _shared
    _shared = store


def shared_store() -> SharedStore | None:
    return _shared
