"""Two app processes with separate disks share SSB's answers, the plan's figures and drawn charts through Redis
(BLILYST_REDIS_URL); runs where a Redis server answers on 127.0.0.1:6379 and is skipped with a message where
none does."""

import os
import socket
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("BLILYST_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


needs_redis = pytest.mark.skipif(
    not _redis_answers(), reason="no Redis server on 127.0.0.1:6379: the shared-cache test needs one"
)

PROCESS = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from blilyst import cachestore
    from blilyst.plan import diskcache, rendered
    from blilyst.stats.cache import ResponseCache
    from blilyst.web.lib.sharedcache import DjangoCacheStore

    what, role = sys.argv[1], sys.argv[2]
    assert isinstance(cachestore.current(), DjangoCacheStore), "Django's cache was not installed as the store"
    assert "Redis" in type(cachestore.current().cache).__name__

    def draw() -> bytes:
        if role == "second":
            raise SystemExit("the second process had to draw the chart itself")
        return b"<svg>drawn by the first process</svg>"

    print(rendered.cached(what, "svg", draw).decode())
    if role == "first":
        diskcache.store(what, {"figure": 1274})
        ResponseCache().put("data", "07459", {"q": what}, "2026-02-24T07:00:00Z", {"value": [2463]})
    else:
        print(diskcache.load(what))
        print(ResponseCache().get("data", "07459", {"q": what}, "2026-02-24T07:00:00Z"))
    """
)


def _run(tmp_path: Path, name: str, what: str, role: str) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "blilyst.web.settings",
        "BLILYST_REDIS_URL": REDIS_URL,
        "BLILYST_CACHE_DIR": str(tmp_path / name),  # each process its own disk, as on two machines
        "BLILYST_PLAN_DISK_CACHE": "on",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, what, role], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@needs_redis
def test_a_cache_entry_made_in_one_process_is_seen_by_another(tmp_path: Path) -> None:
    what = f"test-{uuid.uuid4()}"
    first = _run(tmp_path, "machine-a", what, "first")
    second = _run(tmp_path, "machine-b", what, "second")
    assert first.splitlines()[0] == "<svg>drawn by the first process</svg>"
    assert second.splitlines() == [
        "<svg>drawn by the first process</svg>",
        "{'figure': 1274}",
        "{'value': [2463]}",
    ]
    assert not any((tmp_path / "machine-b").rglob("*.*"))  # nothing was drawn or stored on B's disk


def test_a_cache_that_cannot_be_reached_costs_time_not_pages(caplog) -> None:
    """Redis down (here: nothing listens on the port): the store answers 'nothing kept', keeps nothing, and a
    chart is drawn instead of failing the page; the log says so once. Needs no Redis server."""
    from django.core.cache.backends.redis import RedisCache

    from blilyst import cachestore
    from blilyst.plan import rendered
    from blilyst.web.lib.sharedcache import DjangoCacheStore, install

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    store = DjangoCacheStore(RedisCache(f"redis://127.0.0.1:{port}/0", {}), alias="test-down")
    assert store.get("charts/a.svg") is None
    store.set("charts/a.svg", b"<svg/>")
    store.delete("charts/a.svg")
    cachestore.install(store)
    try:
        assert rendered.cached("down", "svg", lambda: b"<svg>drawn</svg>") == b"<svg>drawn</svg>"
    finally:
        install()  # the web app's own store again
    assert store.down
    assert caplog.text.count("cannot be reached") == 1
