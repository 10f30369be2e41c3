"""On-disk cache of SSB answers, so that a second run is served from disk (offline-fast).

Layout: ``<cache dir>/ssb/<kind>/<table id>/<query hash>/<stamp hash>.json`` where the query hash is
a SHA-256 of the canonical query (endpoint, selection, codelists, language) and the stamp hash one of
the table's ``updated`` stamp. A new publication therefore misses the cache, and the newest entry of a
query is still at hand when SSB cannot be reached.

Every entry is a small JSON envelope ``{"format": 1, "key", "stored", "updated", "sha256", "body"}``
written to a temporary file in the same folder and renamed into place, so a crash never leaves half a
file. An entry that cannot be read or whose checksum does not match is discarded with a
:class:`CorruptCacheWarning` and fetched again.

The cache folder is ``$BLILYST_CACHE_DIR`` or ``~/.cache/blilyst``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from blilyst.diskfiles import write_atomic

FORMAT = 1


class CorruptCacheWarning(UserWarning):
    """A cached SSB answer was unreadable; it was deleted and will be fetched again."""


def default_cache_dir() -> Path:
    """``$BLILYST_CACHE_DIR`` or ``~/.cache/blilyst`` (read each time, so tests can point it elsewhere)."""
    env = os.environ.get("BLILYST_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "blilyst"


def query_hash(query: Any) -> str:
    """SHA-256 of a JSON-serialisable query in canonical form (sorted keys, no spaces)."""
    canonical = json.dumps(query, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _safe(part: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in part)
    return keep[:60] or "_"


@dataclass(frozen=True)
class CacheEntry:
    body: Any
    updated: str | None
    stored: str
    path: Path


class ResponseCache:
    """Atomic, checksummed JSON cache of SSB answers keyed by (kind, table, query, updated stamp)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None):
        self.root = Path(directory).expanduser() if directory else default_cache_dir()
        self.directory = self.root / "ssb"

    def __repr__(self) -> str:
        return f"ResponseCache({str(self.root)!r})"

    # -- paths --------------------------------------------------------------------------------
    def _query_dir(self, kind: str, table: str, query: Any) -> Path:
        return self.directory / _safe(kind) / _safe(table or "_") / query_hash(query)

    def path_for(self, kind: str, table: str, query: Any, updated: str | None) -> Path:
        stamp = hashlib.sha256((updated or "").encode("utf-8")).hexdigest()[:32]
        return self._query_dir(kind, table, query) / f"{stamp}.json"

    # -- read ---------------------------------------------------------------------------------
    def _read(self, path: Path) -> CacheEntry | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._discard(path, f"cannot be read ({exc})")
            return None
        try:
            env = json.loads(raw.decode("utf-8"))
            body_text = json.dumps(env["body"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            if env.get("format") != FORMAT:
                raise ValueError(f"unknown cache format {env.get('format')!r}")
            if hashlib.sha256(body_text.encode("utf-8")).hexdigest() != env["sha256"]:
                raise ValueError("checksum does not match")
            return CacheEntry(body=env["body"], updated=env.get("updated"), stored=env["stored"], path=path)
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            self._discard(path, f"is corrupt ({exc})")
            return None

    def _discard(self, path: Path, why: str) -> None:
        msg = f"Cached SSB answer {path} {why}; it was deleted and will be fetched again."
        # One channel for the user: the warning (the CLI prints it as one line).
        warnings.warn(msg, CorruptCacheWarning, stacklevel=3)
        with contextlib.suppress(OSError):
            path.unlink()

    def get(self, kind: str, table: str, query: Any, updated: str | None) -> Any | None:
        """The cached body for this query and ``updated`` stamp, or ``None``."""
        entry = self._read(self.path_for(kind, table, query, updated))
        return entry.body if entry else None

    def latest(self, kind: str, table: str, query: Any) -> CacheEntry | None:
        """The most recently stored entry of a query whatever its stamp (used when SSB is unreachable)."""
        folder = self._query_dir(kind, table, query)
        if not folder.is_dir():
            return None
        for path in sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True):
            entry = self._read(path)
            if entry is not None:
                return entry
        return None

    def get_fresh(self, kind: str, table: str, query: Any, max_age_s: float) -> Any | None:
        """The newest entry of a query if it was stored less than ``max_age_s`` seconds ago."""
        entry = self.latest(kind, table, query)
        if entry is None:
            return None
        try:
            age = time.time() - entry.path.stat().st_mtime
        except OSError:
            return None
        return entry.body if age < max_age_s else None

    # -- write --------------------------------------------------------------------------------
    def put(self, kind: str, table: str, query: Any, updated: str | None, body: Any) -> Path:
        """Store ``body`` (JSON-serialisable) atomically: temp file in the same folder, then rename."""
        path = self.path_for(kind, table, query, updated)
        path.parent.mkdir(parents=True, exist_ok=True)
        body_text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        env = {
            "format": FORMAT,
            "key": {"kind": kind, "table": table, "query": query},
            "stored": datetime.now(UTC).isoformat(timespec="seconds"),
            "updated": updated,
            "sha256": hashlib.sha256(body_text.encode("utf-8")).hexdigest(),
            "body": body,
        }
        # the C encoder: fast
        write_atomic(path, json.dumps(env, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), suffix=".json")
        return path

    def clear(self) -> int:
        """Delete every cached SSB answer; returns how many files were removed."""
        n = 0
        if self.directory.is_dir():
            for path in self.directory.rglob("*.json"):
                path.unlink(missing_ok=True)
                n += 1
        return n
