"""The core's cache store (:mod:`blilyst.cachestore`: SSB's answers, the plan's figures, drawn charts) kept in
Django's cache framework, alias ``shared`` in the settings: Redis when ``BLILYST_REDIS_URL`` is set, so every
app process and worker on every machine shares one cache; a folder of this machine otherwise (Django's file
cache under ``$BLILYST_CACHE_DIR/web``), shared by the processes of one machine."""

from __future__ import annotations

from django.core.cache import BaseCache, caches

from blilyst import cachestore

ALIAS = "shared"


class DjangoCacheStore:
    """:class:`blilyst.cachestore.CacheStore` over one of Django's caches. Entries never expire (their keys
    name the data and code they were made from); Redis' memory limit and the file cache's entry limit evict
    old ones, so :meth:`prune` has nothing to do."""

    def __init__(self, cache: BaseCache, alias: str = ALIAS):
        self.cache = cache
        self.alias = alias

    def __repr__(self) -> str:
        return f"DjangoCacheStore({self.alias!r})"

    def get(self, key: str) -> bytes | None:
        data = self.cache.get(cachestore.check_key(key))
        return data if isinstance(data, bytes) else None

    def set(self, key: str, data: bytes) -> None:
        self.cache.set(cachestore.check_key(key), data, timeout=None)

    def delete(self, key: str) -> None:
        self.cache.delete(cachestore.check_key(key))

    def prune(self, folder: str, keep: str) -> None:
        return None


def install() -> None:
    """Make Django's ``shared`` cache the core's store (called once when the app starts)."""
    cachestore.install(DjangoCacheStore(caches[ALIAS]))
