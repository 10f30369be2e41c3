"""SSB's answers kept in the cache store, so that a second run is served without SSB (offline-fast).

The store is the process's one cache store (:mod:`blilyst.cachestore`: the folder ``$BLILYST_CACHE_DIR``,
default ``~/.cache/blilyst``, for the CLI; Django's cache in the web app, Redis when configured, so a refresh
run by any worker on any machine finds the answers another fetched). Keys:
``ssb/<kind>/<table id>/<query hash>/<stamp hash>.json`` where the query hash is a SHA-256 of the canonical
query (endpoint, selection, codelists, language) and the stamp hash one of the table's ``updated`` stamp. A
new publication therefore misses the cache; ``…/<query hash>/latest`` names the newest entry of a query, at
hand when SSB cannot be reached.

Every entry is a small JSON envelope ``{"format": 2, "key", "stored", "stored_at", "updated", "sha256",
"body"}``. An entry that cannot be read or whose checksum does not match is discarded with a
:class:`CorruptCacheWarning` and fetched again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from blilyst.cachestore import CacheStore, FolderStore, check_key, current, default_cache_dir
from blilyst.i18n import gettext as _

__all__ = ["CacheEntry", "CorruptCacheWarning", "ResponseCache", "default_cache_dir", "query_hash"]

FORMAT = 2
FOLDER = "ssb"


class CorruptCacheWarning(UserWarning):
    """A cached SSB answer was unreadable; it was deleted and will be fetched again."""


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
    stored_at: float
    key: str


class ResponseCache:
    """Checksummed JSON entries of SSB answers keyed by (kind, table, query, updated stamp).

    ``directory``: keep them in that folder (a :class:`~blilyst.cachestore.FolderStore`); ``store``: in that
    store; neither: in the process's store (:func:`blilyst.cachestore.current`, looked up at each use)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None, *, store: CacheStore | None = None):
        if directory is not None and store is not None:
            raise ValueError(_("give a directory or a store, not both"))
        self._store = FolderStore(directory) if directory is not None else store

    @property
    def store(self) -> CacheStore:
        return self._store if self._store is not None else current()

    def __repr__(self) -> str:
        return f"ResponseCache({self.store!r})"

    # -- keys ---------------------------------------------------------------------------------
    def _query_key(self, kind: str, table: str, query: Any) -> str:
        return f"{FOLDER}/{_safe(kind)}/{_safe(table or '_')}/{query_hash(query)}"

    def key_for(self, kind: str, table: str, query: Any, updated: str | None) -> str:
        stamp = hashlib.sha256((updated or "").encode("utf-8")).hexdigest()[:32]
        return f"{self._query_key(kind, table, query)}/{stamp}.json"

    # -- read ---------------------------------------------------------------------------------
    def _read(self, key: str) -> CacheEntry | None:
        raw = self.store.get(key)
        if raw is None:
            return None
        try:
            env = json.loads(raw.decode("utf-8"))
            if isinstance(env, dict) and isinstance(env.get("format"), int) and env["format"] < FORMAT:
                self.store.delete(key)  # written by an older version: fetched again, nothing to warn about
                return None
            if env.get("format") != FORMAT:
                raise ValueError(_("unknown cache format {format}").format(format=repr(env.get("format"))))
            body_text = json.dumps(env["body"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            if hashlib.sha256(body_text.encode("utf-8")).hexdigest() != env["sha256"]:
                raise ValueError(_("checksum does not match"))
            return CacheEntry(
                body=env["body"], updated=env.get("updated"), stored=env["stored"], stored_at=env["stored_at"], key=key
            )
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
            self._discard(key, str(exc))
            return None

    def _discard(self, key: str, why: str) -> None:
        msg = _("Cached SSB answer {key} is corrupt ({why}); it was deleted and will be fetched again.").format(
            key=key, why=why
        )
        # One channel for the user: the warning (the CLI prints it as one line).
        warnings.warn(msg, CorruptCacheWarning, stacklevel=3)
        self.store.delete(key)

    def get(self, kind: str, table: str, query: Any, updated: str | None) -> Any | None:
        """The cached body for this query and ``updated`` stamp, or ``None``."""
        entry = self._read(self.key_for(kind, table, query, updated))
        return entry.body if entry else None

    def latest(self, kind: str, table: str, query: Any) -> CacheEntry | None:
        """The most recently stored entry of a query whatever its stamp (used when SSB is unreachable)."""
        pointer = self.store.get(f"{self._query_key(kind, table, query)}/latest")
        if pointer is None:
            return None
        try:
            key = check_key(pointer.decode("ascii"))
        except ValueError:  # UnicodeDecodeError included: a damaged pointer, as if there were none
            return None
        return self._read(key)

    def get_fresh(self, kind: str, table: str, query: Any, max_age_s: float) -> Any | None:
        """The newest entry of a query if it was stored less than ``max_age_s`` seconds ago."""
        entry = self.latest(kind, table, query)
        if entry is None:
            return None
        return entry.body if time.time() - entry.stored_at < max_age_s else None

    # -- write --------------------------------------------------------------------------------
    def put(self, kind: str, table: str, query: Any, updated: str | None, body: Any) -> str:
        """Store ``body`` (JSON-serialisable) under its stamp and as the query's latest; returns the key."""
        key = self.key_for(kind, table, query, updated)
        body_text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        now = time.time()
        env = {
            "format": FORMAT,
            "key": {"kind": kind, "table": table, "query": query},
            "stored": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds"),
            "stored_at": now,
            "updated": updated,
            "sha256": hashlib.sha256(body_text.encode("utf-8")).hexdigest(),
            "body": body,
        }
        # the C encoder: fast
        data = json.dumps(env, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self.store.set(key, data)
        self.store.set(f"{self._query_key(kind, table, query)}/latest", key.encode("ascii"))
        return key
