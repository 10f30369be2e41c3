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

The folder store is bounded: ``$BLILYST_CACHE_MAX_MB`` (default :data:`DEFAULT_MAX_MB`, 1 GiB) caps the bytes
it keeps. A process that has written a twentieth of the cap since it last looked (and the first write of each
process) adds up the folder; when it is over the cap, the least recently used entries are removed until it is
under four fifths of it. Reading an entry marks it used (its modification time, at most every ten minutes).
Several processes may write and trim one folder at once: an entry is written to a temporary file and renamed
into place, a trim removes whole files (a reader that has opened one still reads all of it, a later reader
finds nothing and computes again), and one process trims at a time (a lock file; the others skip their turn).
Between two looks each writing process may add up to a twentieth of the cap, so the folder can briefly be
that much over it. The web app's own small file cache in the same folder (``web/``, limited by its entry
count) is neither counted nor trimmed.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from blilyst.diskfiles import write_atomic
from blilyst.errors import BlilystError

log = logging.getLogger(__name__)

SWITCH = "BLILYST_PLAN_DISK_CACHE"
MAX_MB_VARIABLE = "BLILYST_CACHE_MAX_MB"
#: The folder store's cap when ``$BLILYST_CACHE_MAX_MB`` is not set: room for every SSB answer of a refresh,
#: the figures of every municipality and the charts of every page several times over.
DEFAULT_MAX_MB = 1024
#: A trim removes entries until the folder is under this share of the cap (so it does not trim at every write).
TRIM_TO = 0.8
#: A process adds up the folder again after writing this share of the cap.
CHECK_EVERY = 0.05
#: Reading an entry marks it used when it was last marked longer ago than this (seconds).
TOUCH_AFTER = 600.0
#: A temporary file older than this (seconds) was left by a process that died while writing; a trim removes it.
STALE_TEMPORARY = 3600.0
#: Folders under the cache folder that are not the store's: Django's file cache of the web app (``web/``).
NOT_OURS = frozenset({"web"})
LOCK_NAME = ".trim.lock"
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


def max_cache_bytes() -> int:
    """The folder store's cap in bytes: ``$BLILYST_CACHE_MAX_MB`` megabytes (read each time), else
    :data:`DEFAULT_MAX_MB`. A value that is not a whole number of at least 1 is refused."""
    from blilyst.i18n import gettext as _

    raw = os.environ.get(MAX_MB_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_MB * 2**20
    try:
        megabytes = int(raw)
    except ValueError:
        megabytes = 0
    if megabytes < 1:
        raise BlilystError(
            _("{variable}={value} is not a size: give the cache folder's cap in megabytes, e.g. {default}.").format(
                variable=MAX_MB_VARIABLE, value=raw, default=DEFAULT_MAX_MB
            )
        )
    return megabytes * 2**20


#: Bytes each folder (by its path) was written by this process since it was last added up; absent: never.
_written_since_check: dict[Path, int] = {}


class FolderStore:
    """One file per key under a folder (default: :func:`default_cache_dir`, read at each use), bounded by
    ``max_bytes`` (default: :func:`max_cache_bytes`, read at each use; see the module docstring). Files are
    written atomically; a folder that cannot be read or written is logged and only means nothing is kept."""

    def __init__(self, root: str | os.PathLike[str] | None = None, max_bytes: int | None = None):
        self._root = Path(root).expanduser() if root is not None else None
        self._max_bytes = max_bytes

    @property
    def max_bytes(self) -> int:
        return self._max_bytes if self._max_bytes is not None else max_cache_bytes()

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
            with path.open("rb") as fh:
                data = fh.read()
                last_used = os.fstat(fh.fileno()).st_mtime
        except FileNotFoundError:
            return None
        except OSError as exc:  # a file where a folder should be, no permission
            log.warning("Cache file %s cannot be read (%s); it is made again.", path, exc.strerror or exc)
            return None
        if time.time() - last_used > TOUCH_AFTER:
            with contextlib.suppress(OSError):  # trimmed or replaced meanwhile: nothing to mark
                os.utime(path)
        return data

    def set(self, key: str, data: bytes) -> None:
        path = self.path(key)
        try:
            write_atomic(path, data)
        except OSError as exc:
            log.warning("Cache folder %s cannot be written (%s); nothing is kept.", path.parent, exc.strerror or exc)
            return
        self._count_write(len(data))

    def _count_write(self, size: int) -> None:
        """Add up the folder at the first write of this process and after every twentieth of the cap."""
        root, cap = self.root, self.max_bytes
        written = _written_since_check.get(root)
        if written is not None and written + size < cap * CHECK_EVERY:
            _written_since_check[root] = written + size
            return
        _written_since_check[root] = 0
        self.trim(cap)

    def trim(self, cap: int | None = None) -> int:
        """When the folder holds more than ``cap`` bytes (default: :attr:`max_bytes`), remove the least recently
        used entries until it holds at most :data:`TRIM_TO` of it; returns how many bytes were removed. Does
        nothing while another process trims the same folder."""
        cap = self.max_bytes if cap is None else cap
        root = self.root
        try:
            lock = os.open(root / LOCK_NAME, os.O_CREAT | os.O_RDWR, 0o600)
        except OSError:
            return 0  # no folder yet (nothing to trim) or not writable (set() said so)
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return 0  # another process is trimming this folder now
            return _remove_least_recently_used(root, cap)
        finally:
            os.close(lock)  # also releases the lock

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


def _entries(folder: Path, top: bool) -> Iterator[os.DirEntry[str]]:
    """The store's files under ``folder`` (temporary files of writes under way left out, old ones removed)."""
    try:
        listing = list(os.scandir(folder))
    except OSError:
        return
    now = time.time()
    for entry in listing:
        try:
            if entry.is_dir(follow_symlinks=False):
                if not (top and entry.name in NOT_OURS):
                    yield from _entries(Path(entry.path), top=False)
            elif entry.name.startswith(".tmp-"):
                if now - entry.stat(follow_symlinks=False).st_mtime > STALE_TEMPORARY:
                    os.unlink(entry.path)
            elif entry.is_file(follow_symlinks=False) and not (top and entry.name == LOCK_NAME):
                yield entry
        except OSError:  # removed by another process while listed
            continue


def _remove_least_recently_used(root: Path, cap: int) -> int:
    files: list[tuple[float, int, str]] = []
    for entry in _entries(root, top=True):
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        files.append((info.st_mtime, info.st_size, entry.path))
    total = sum(size for _used, size, _path in files)
    if total <= cap:
        return 0
    files.sort()
    goal, removed = cap * TRIM_TO, 0
    for _used, size, path in files:
        if total - removed <= goal:
            break
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass  # removed by another process (an older code version's folder pruned): gone all the same
        except OSError as exc:
            log.warning("Cache file %s cannot be removed (%s); the folder stays over its cap.", path, exc)
            continue
        removed += size
    log.info("Cache folder %s held %d bytes, over its cap of %d: removed %d bytes.", root, total, cap, removed)
    return removed


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
