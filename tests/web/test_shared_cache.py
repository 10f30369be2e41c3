"""Two app processes with separate disks share the plan's figures and charts through Redis
(BLILYST_REDIS_URL); runs where a Redis server answers on 127.0.0.1:6379, like the PostgreSQL tests."""

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


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379")

PROCESS = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from blilyst import diskfiles
    from blilyst.plan import diskcache, rendered

    what, role = sys.argv[1], sys.argv[2]
    assert diskfiles.shared_store() is not None, "the shared store was not installed"

    def draw() -> bytes:
        if role == "second":
            raise SystemExit("the second process had to draw the chart itself")
        return b"<svg>drawn by the first process</svg>"

    print(rendered.cached(what, "svg", draw).decode())
    if role == "first":
        diskcache.store(what, {"figure": 1274})
    else:
        print(diskcache.load(what))
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


def test_a_cache_entry_made_in_one_process_is_seen_by_another(tmp_path: Path) -> None:
    what = f"test-{uuid.uuid4()}"
    first = _run(tmp_path, "machine-a", what, "first")
    second = _run(tmp_path, "machine-b", what, "second")
    assert first.splitlines()[0] == "<svg>drawn by the first process</svg>"
    assert second.splitlines() == ["<svg>drawn by the first process</svg>", "{'figure': 1274}"]
    assert not (tmp_path / "machine-b" / "charts").exists()  # nothing was drawn or stored on B's disk
