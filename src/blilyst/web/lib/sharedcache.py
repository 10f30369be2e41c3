"""The core's cache store (:mod:`blilyst.cachestore`: SSB's answers, the plan's figures, drawn charts) kept in
Django's cache framework, alias ``shared`` in the settings: Redis when ``BLILYST_REDIS_URL`` is set, so every
app process and worker on every machine shares one cache; a folder of this machine otherwise (Django's file
cache under ``$BLILYST_CACHE_DIR/web``), shared by the processes of one machine."""

from __future__ import annotations

import logging

from django.core.cache import BaseCache, caches

from blilyst import cachestore

ALIAS = "shared"
log = logging.getLogger(__name__)

try:  # Redis is optional ('blilyst[redis]'); without it only the file cache's OSError can happen
    from redis.exceptions import RedisError

    CACHE_DOWN: tuple[type[Exception], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - the dev and redis extras install it
    CACHE_DOWN = (OSError,)


class DjangoCacheStore:
    """:class:`blilyst.cachestore.CacheStore` over one of Django's caches. Entries never expire (their keys
    name the data and code they were made from); Redis' memory limit and the file cache's entry limit evict
    old ones, so :meth:`prune` has nothing to do.

    A cache that cannot be reached (Redis down or restarting, a full disk) costs time, not pages: reads answer
    "nothing kept" and writes keep nothing, with a warning in the log the first time and when it is back."""

    def __init__(self, cache: BaseCache, alias: str = ALIAS):
        self.cache = cache
        self.alias = alias
        self.down = False

    def __repr__(self) -> str:
        return f"DjangoCacheStore({self.alias!r})"

    def _failed(self, exc: Exception) -> None:
        if not self.down:
            log.warning(
                "The %r cache cannot be reached (%s); figures and charts are computed without it.", self.alias, exc
            )
        self.down = True

    def _worked(self) -> None:
        if self.down:
            log.warning("The %r cache answers again.", self.alias)
        self.down = False

    def get(self, key: str) -> bytes | None:
        try:
            data = self.cache.get(cachestore.check_key(key))
        except CACHE_DOWN as exc:
            self._failed(exc)
            return None
        self._worked()
        return data if isinstance(data, bytes) else None

    def set(self, key: str, data: bytes) -> None:
        try:
            self.cache.set(cachestore.check_key(key), data, timeout=None)
        except CACHE_DOWN as exc:
            self._failed(exc)
        else:
            self._worked()

    def delete(self, key: str) -> None:
        try:
            self.cache.delete(cachestore.check_key(key))
        except CACHE_DOWN as exc:
            self._failed(exc)

    def prune(self, folder: str, keep: str) -> None:
        return None


def install() -> None:
    """Make Django's ``shared`` cache the core's store (called once when the app starts)."""
    cachestore.install(DjangoCacheStore(caches[ALIAS]))
