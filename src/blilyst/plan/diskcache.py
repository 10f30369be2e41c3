"""The needs analysis kept between processes, keyed by the data and the code that computed it.

The evidence page's figures come from a projection of all 357 municipalities, one rate estimate, the
attractiveness model and per municipality the demographic accounts. In a fresh process (a restarted
server, a new worker, another machine) these cost seconds although nothing has changed. :func:`on_disk`
keeps a function's result as a pickle in the process's cache store (:mod:`blilyst.cachestore`: the folder
``$BLILYST_CACHE_DIR/plan`` for the CLI, Django's cache in the web app, Redis when configured), keyed by

* the snapshot in use (origin and its full ``manifest.json``: a data refresh gives new keys),
* a fingerprint of the code that computes the figures (the ``.py`` files at the package's top, e.g.
  ``axes.py``, and every ``.py`` file of ``blilyst.stats``, ``blilyst.demography`` and ``blilyst.plan``,
  and the altair version), so an upgrade never reads a figure an older version computed; the entries sit
  under one folder per fingerprint and a folder store removes the folders of other versions the first time
  a process writes,
* the function and its arguments.

Only aggregate SSB statistics are stored (no personal data). An unreadable entry is deleted and recomputed;
a store that cannot keep anything only makes the page slower. ``BLILYST_PLAN_DISK_CACHE=off`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from blilyst import cachestore

if TYPE_CHECKING:
    from blilyst.stats.snapshot import Snapshot

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)

FORMAT = 1
FOLDER = "plan"
_PACKAGES = ("stats", "demography", "plan")


def enabled() -> bool:
    return cachestore.plan_caches_enabled()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the source of the packages that compute the figures (sorted paths and contents)."""
    import altair

    import blilyst

    root = Path(blilyst.__file__).parent
    h = hashlib.sha256(f"format={FORMAT};altair={altair.__version__}".encode())
    paths = sorted(root.glob("*.py"))  # axes.py, errors.py, ...
    for package in _PACKAGES:
        paths += sorted((root / package).rglob("*.py"))
    for path in paths:
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def data_fingerprint(snapshot: Snapshot) -> str:
    manifest = json.dumps(snapshot.manifest, sort_keys=True, default=str)
    return hashlib.sha256(f"{snapshot.origin}|{snapshot.path}|{manifest}".encode()).hexdigest()


def key(snapshot: Snapshot, name: str, args: tuple[Any, ...]) -> str:
    text = f"{data_fingerprint(snapshot)}|{code_fingerprint()}|{name}|{args!r}"
    return hashlib.sha256(text.encode()).hexdigest()


def store_key(k: str) -> str:
    """Where entry ``k`` sits in the store: one folder per code version, so older versions' entries can go."""
    return f"{FOLDER}/{code_fingerprint()[:16]}/{k[:2]}/{k}.pickle"


_pruned: set[str] = set()


def _prune(store: cachestore.CacheStore) -> None:
    """Remove the entries of other code versions (never read again), once per process and store."""
    if repr(store) in _pruned:
        return
    _pruned.add(repr(store))
    store.prune(FOLDER, code_fingerprint()[:16])


def load(k: str) -> Any:
    """The stored value for key ``k``, or ``None`` (absent or unreadable: an unreadable entry is deleted)."""
    store = cachestore.current()
    where = store_key(k)
    data = store.get(where)
    if data is None:
        return None
    try:
        return pickle.loads(data)  # written by store() below, never by a user
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError) as exc:
        # a truncated or foreign entry: recompute rather than fail the page
        log.warning("Plan cache entry %s was unreadable (%s); it is recomputed.", where, exc)
        store.delete(where)
        return None


def store(k: str, value: object) -> None:
    store = cachestore.current()
    _prune(store)
    store.set(store_key(k), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def on_disk(snapshot: Callable[[], Snapshot]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: keep the function's result in the cache store (see the module docstring). ``snapshot`` returns the
    snapshot in use; arguments must have a stable ``repr`` (strings, numbers, tuples, None)."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if not enabled() or kwargs:  # keyword calls are not keyed: computed each time
                return fn(*args, **kwargs)
            k = key(snapshot(), name, tuple(args))
            stored = load(k)
            if stored is not None:
                return cast(R, stored)
            value = fn(*args, **kwargs)
            if value is not None:
                store(k, value)
            return value

        return wrapper

    return wrap
