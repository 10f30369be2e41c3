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
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_dir() -> Path | None:
    """``$BLILYST_CACHE_DIR/charts`` (default ``~/.cache/blilyst/charts``), or ``None`` when switched off."""
    from blilyst.stats.cache import default_cache_dir

    if os.environ.get("BLILYST_PLAN_DISK_CACHE", "").strip().lower() in {"off", "0", "false", "no"}:
        return None
    return default_cache_dir() / "charts"


def cached(what: str, suffix: str, draw: Callable[[], bytes]) -> bytes:
    """The bytes ``draw()`` returns for ``what`` (a text naming everything the drawing depends on), read from
    disk when drawn before, else drawn and stored."""
    folder = cache_dir()
    if folder is None:
        return draw()
    path = folder / f"{hashlib.sha256(what.encode('utf-8')).hexdigest()}.{suffix}"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = draw()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        pass
    return data
