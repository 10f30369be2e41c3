"""The one cache abstraction of blilyst: bytes kept by key, shared by every process that uses the same store.

Three things are kept this way, each under its own first key segment:

* ``ssb/…``    SSB's answers (:mod:`blilyst.stats.cache`), so a second run or refresh is served without SSB,
* ``plan/…``   computed figures (:mod:`blilyst.plan.diskcache`), so a fresh process skips seconds of work,
* ``charts/…`` drawn charts (:mod:`blilyst.plan.rendered`), so a fresh process does not start the chart engine.

The core (CLI, scripts) uses :class:`FolderStore`: one file per key under ``$BLILYST_CACHE_DIR`` (default
``~/.cache/blilyst``), the key being the file's path there. The web app uses the same folder store on one
machine, so the CLI and the web app keep one copy of each SSB answer; with ``BLILYST_REDIS_URL`` it installs a
store over Django's cache framework at start (:mod:`blilyst.web.lib.sharedcache`), so every process on every
machine shares one cache. Which store is used is decided in one place, :func:`current`.

Keys are ``/``-separated segments of letters, digits, ``.``, ``_`` and ``-`` (at most 200 characters) and say
what the bytes were made from (data, code version, arguments), so an entry never has to be invalidated: new
data or new code means new keys. A store may drop any entry at any time (the caller then computes it again);
it never returns bytes other than those stored under the key.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
from pathlib import Path
from typing import Protocol

from blilyst.diskfiles import write_atomic

log = logging.getLogger(__name__)

SWITCH = "BLILYST_PLAN_DISK_CACHE"
_KEY = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")


class CacheStore(Protocol):
    """Bytes by key (see the module docstring for the keys)."""

    def get(self, key: str) -> bytes | None:
        """The bytes stored under ``key``, or ``None`` when there are none (or they could not be read)."""
        ...

    def set(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key``; a store that cannot keep it logs why and keeps nothing."""
        ...

    def delete(self, key: str) -> None:
        """Forget ``key`` (nothing happens when it is absent)."""
        ...

    def prune(self, folder: str, keep: str) -> None:
        """Forget everything under ``folder/`` except ``folder/keep/`` (the entries of older code versions).
        A store that evicts old entries by itself (Redis, Django's caches) may do nothing."""
        ...


def check_key(key: str) -> str:
    if len(key) > 200 or not _KEY.fullmatch(key) or any(part in {".", ".."} for part in key.split("/")):
        raise ValueError(f"not a cache key: {key!r}")
    return key


def default_cache_dir() -> Path:
    """``$BLILYST_CACHE_DIR`` or ``~/.cache/blilyst`` (read each time, so tests can point it elsewhere)."""
    env = os.environ.get("BLILYST_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "blilyst"


class FolderStore:
    """One file per key under a folder (default: :func:`default_cache_dir`, read at each use). Files are
    written atomically; a folder that cannot be read or written is logged and only means nothing is kept."""

    def __init__(self, root: str | os.PathLike[str] | None = None):
        self._root = Path(root).expanduser() if root is not None else None

    @property
    def root(self) -> Path:
        return self._root if self._root is not None else default_cache_dir()

    def __repr__(self) -> str:
        return f"FolderStore({str(self.root)!r})"

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def get(self, key: str) -> bytes | None:
        path = self.path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:  # a file where a folder should be, no permission
            log.warning("Cache file %s cannot be read (%s); it is made again.", path, exc.strerror or exc)
            return None

    def set(self, key: str, data: bytes) -> None:
        path = self.path(key)
        try:
            write_atomic(path, data)
        except OSError as exc:
            log.warning("Cache folder %s cannot be written (%s); nothing is kept.", path.parent, exc.strerror or exc)

    def delete(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self.path(key).unlink()

    def prune(self, folder: str, keep: str) -> None:
        parent = self.path(folder)
        try:
            others = [p for p in parent.iterdir() if p.is_dir() and p.name != keep]
        except OSError:
            return
        for other in others:
            shutil.rmtree(other, ignore_errors=True)


_installed: CacheStore | None = None


def install(store: CacheStore | None) -> None:
    """Use ``store`` for every cache of this process (``None``: the default :class:`FolderStore` again)."""
    global _installed
    _installed = store


def installed() -> CacheStore | None:
    return _installed


def current() -> CacheStore:
    """The store every cache of this process uses: the installed one, else the folder store."""
    return _installed if _installed is not None else FolderStore()


def plan_caches_enabled() -> bool:
    """False when ``BLILYST_PLAN_DISK_CACHE`` is off/0/false/no: the figure and chart caches then keep nothing
    (SSB's answers are still kept: they are what makes a second refresh work without SSB)."""
    return os.environ.get(SWITCH, "").strip().lower() not in {"off", "0", "false", "no"}
