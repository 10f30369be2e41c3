"""The needs analysis kept on disk between processes, keyed by the data and the code that computed it.

The evidence page's figures come from a projection of all 357 municipalities, one rate estimate, the
attractiveness model and per municipality the demographic accounts. In a fresh process (a restarted
server, a new worker) these cost seconds although nothing has changed. :func:`on_disk` stores a function's
result as a pickle under ``$BLILYST_CACHE_DIR/plan`` (default ``~/.cache/blilyst/plan``), keyed by

* the snapshot in use (origin and its full ``manifest.json``: a data refresh gives new keys),
* a fingerprint of the code that computes the figures (the ``.py`` files at the package's top, e.g.
  ``axes.py``, and every ``.py`` file of ``blilyst.stats``, ``blilyst.demography`` and ``blilyst.plan``,
  and the altair version), so an upgrade never reads a figure an older version
  computed; the files sit in one folder per fingerprint and the folders of other versions are removed the
  first time a process writes,
* the function and its arguments.

Only aggregate SSB statistics are stored (no personal data). Files are written atomically; an unreadable
file is deleted and recomputed; a folder that cannot be written only means nothing is kept (the page is the
same, only slower). ``BLILYST_PLAN_DISK_CACHE=off`` turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

from blilyst.diskfiles import plan_caches_enabled, shared_store, write_atomic

if TYPE_CHECKING:
    from blilyst.stats.snapshot import Snapshot

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)

FORMAT = 1
_PACKAGES = ("stats", "demography", "plan")


def cache_dir() -> Path:
    from blilyst.stats.cache import default_cache_dir

    return default_cache_dir() / "plan"


def enabled() -> bool:
    return plan_caches_enabled()


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


def _version_dir() -> Path:
    """One folder per code fingerprint, so the files an older version wrote can be removed at once."""
    return cache_dir() / code_fingerprint()[:16]


def _path(k: str) -> Path:
    return _version_dir() / k[:2] / f"{k}.pickle"


_swept: set[str] = set()


def _sweep() -> None:
    """Remove the folders of other code versions (never read again), once per process and folder."""
    import shutil

    here = _version_dir()
    if str(here) in _swept:
        return
    _swept.add(str(here))
    try:
        others = [p for p in here.parent.iterdir() if p.is_dir() and p.name != here.name]
    except OSError:
        return
    for other in others:
        shutil.rmtree(other, ignore_errors=True)


def load(k: str) -> Any:
    """The stored value for key ``k``, or ``None`` (absent, unreadable: an unreadable file is deleted)."""
    shared = shared_store()
    if shared is not None:
        data = shared.get(f"plan:{k}")
        return None if data is None else pickle.loads(data)  # written by store() below, never by a user
    path = _path(k)
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    except FileNotFoundError:
        return None
    except OSError as exc:  # the cache folder cannot be read (a file in its place, no permission)
        log.warning("Plan cache file %s cannot be read (%s); figures are recomputed.", path, exc.strerror or exc)
        return None
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, IndexError, TypeError, ValueError) as exc:
        # a truncated or foreign file: recompute rather than fail the page
        log.warning("Plan cache file %s was unreadable (%s); it is recomputed.", path, exc)
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def store(k: str, value: object) -> None:
    shared = shared_store()
    if shared is not None:
        shared.set(f"plan:{k}", pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        return
    path = _path(k)
    _sweep()
    try:
        write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:
        log.warning(
            "Plan cache folder %s cannot be written (%s); figures are recomputed in each process.",
            path.parent,
            exc.strerror or exc,
        )


def on_disk(snapshot: Callable[[], Snapshot]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator: keep the function's result on disk (see the module docstring). ``snapshot`` returns the
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
