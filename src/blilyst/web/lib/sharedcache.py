"""The core's cache store (:mod:`blilyst.cachestore`: SSB's answers, the plan's figures, drawn charts) for the
web app. With Redis (``BLILYST_REDIS_URL``, Django's cache alias ``shared`` in the settings) every app process
and worker on every machine shares one cache through Django's cache framework. Without it the web app uses the
core's own folder store, :class:`blilyst.cachestore.FolderStore` over ``$BLILYST_CACHE_DIR``: the folder and
format the command line uses, so on one machine an SSB answer fetched by ``blilyst data refresh`` is served to
the web app and the other way round, and there is one cache folder to size and clear, not two."""

from __future__ import annotations

import logging

from django.core.cache import BaseCache, caches
from django.core.cache.backends.filebased import FileBasedCache

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


def store_for(cache: BaseCache) -> cachestore.CacheStore:
    """The core's store over Django's ``shared`` cache: the command line's folder store when that cache is only
    a folder of this machine (a second file cache of the same bytes in another format would keep every SSB
    answer twice), Django's cache otherwise (Redis, or what a deployment configured)."""
    if isinstance(cache, FileBasedCache):
        return cachestore.FolderStore()
    return DjangoCacheStore(cache)


def install() -> None:
    """Make the core use the web app's store (called once when the app starts)."""
    cachestore.install(store_for(caches[ALIAS]))
