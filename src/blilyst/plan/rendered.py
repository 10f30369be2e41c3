"""Drawn charts kept between processes, named by what was drawn.

vl-convert needs about a second to start its engine in a fresh process and 0.1–0.3 s per chart after that.
A chart is fully determined by its Vega-Lite spec, the output format and options and the vl-convert
version, so the bytes are kept in the process's cache store (:mod:`blilyst.cachestore`: the folder
``$BLILYST_CACHE_DIR/charts`` for the CLI, Django's cache in the web app, Redis when configured) under
``charts/<sha256 of all that>.<suffix>`` and read back instead of drawn again — by the web pages' SVGs
(:mod:`blilyst.web.lib.charts`) and the plan document's PNGs (:mod:`blilyst.plan.document`).

Only charts of aggregate statistics are drawn. A store that cannot keep anything only means drawing every
time. ``BLILYST_PLAN_DISK_CACHE=off`` turns it off.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from blilyst import cachestore

FOLDER = "charts"


def store_key(what: str, suffix: str) -> str:
    return f"{FOLDER}/{hashlib.sha256(what.encode('utf-8')).hexdigest()}.{suffix}"


def cached(what: str, suffix: str, draw: Callable[[], bytes]) -> bytes:
    """The bytes ``draw()`` returns for ``what`` (a text naming everything the drawing depends on), read from
    the cache store when drawn before, else drawn and stored."""
    if not cachestore.plan_caches_enabled():
        return draw()
    store = cachestore.current()
    key = store_key(what, suffix)
    data = store.get(key)
    if data is None:
        data = draw()
        store.set(key, data)
    return data
