"""Drawn charts kept on disk between processes, named by what was drawn.

vl-convert needs about a second to start its engine in a fresh process and 0.1–0.3 s per chart after that.
A chart is fully determined by its Vega-Lite spec, the output format and options and the vl-convert
version, so the bytes are stored under ``$BLILYST_CACHE_DIR/charts`` (default ``~/.cache/blilyst/charts``)
as ``<sha256 of all that>.<suffix>`` and read back instead of drawn again — by the web pages' SVGs
(:mod:`blilyst.web.lib.charts`) and the plan document's PNGs (:mod:`blilyst.plan.document`).

Only charts of aggregate statistics are drawn. Writes are atomic; an unreadable file is drawn again; a
folder that cannot be written only means drawing every time. ``BLILYST_PLAN_DISK_CACHE=off`` turns it off.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from pathlib import Path

from blilyst.diskfiles import plan_caches_enabled, shared_store, write_atomic

log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """``$BLILYST_CACHE_DIR/charts`` (default ``~/.cache/blilyst/charts``), or ``None`` when switched off."""
    from blilyst.stats.cache import default_cache_dir

    if not plan_caches_enabled():
        return None
    return default_cache_dir() / "charts"


def cached(what: str, suffix: str, draw: Callable[[], bytes]) -> bytes:
    """The bytes ``draw()`` returns for ``what`` (a text naming everything the drawing depends on), read from
    disk when drawn before, else drawn and stored."""
    folder = cache_dir()
    if folder is None:
        return draw()
    shared = shared_store()
    if shared is not None:
        key = f"chart:{hashlib.sha256(what.encode('utf-8')).hexdigest()}.{suffix}"
        data = shared.get(key)
        if data is None:
            data = draw()
            shared.set(key, data)
        return data
    path = folder / f"{hashlib.sha256(what.encode('utf-8')).hexdigest()}.{suffix}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = draw()
    try:
        write_atomic(path, data)
    except OSError as exc:  # only slower: the chart is drawn again next time
        log.warning("Chart cache folder %s cannot be written (%s); charts are drawn each time.", folder, exc)
    return data
