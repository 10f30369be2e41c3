"""The core's figure and chart caches kept in Django's cache framework, so that every app process on every
machine shares them: Redis when ``BLILYST_REDIS_URL`` is set (settings ``CACHES["shared"]``), this machine's
disk otherwise (the core's own folder cache, nothing to plug in)."""

from __future__ import annotations

from django.core.cache import BaseCache, caches

from blilyst import diskfiles

ALIAS = "shared"


class DjangoCacheStore:
    """:class:`blilyst.diskfiles.SharedStore` over one of Django's caches (entries never expire: their keys
    name the data and code they were computed from; Redis' own memory limit evicts old ones)."""

    def __init__(self, cache: BaseCache):
        self.cache = cache

    def get(self, key: str) -> bytes | None:
        data = self.cache.get(key)
        return data if isinstance(data, bytes) else None

    def set(self, key: str, data: bytes) -> None:
        self.cache.set(key, data, timeout=None)


def install() -> None:
    """Use the shared cache when settings define one (called once when the app starts)."""
    from django.conf import settings

    if ALIAS in settings.CACHES:
        diskfiles.use_shared_store(DjangoCacheStore(caches[ALIAS]))
