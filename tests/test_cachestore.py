"""The one cache store of the core (blilyst.cachestore): keys, the folder store, which store is used."""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import time

import pytest

from blilyst import cachestore
from blilyst.cachestore import FolderStore, check_key
from blilyst.errors import BlilystError
from blilyst.i18n import override


@pytest.mark.parametrize("key", ["", "/a", "a/", "a//b", "../a", "a/../b", "a/./b", "a b", "a\\b", "ø", "x" * 201])
def test_a_key_that_could_leave_the_folder_or_is_not_portable_is_refused(key):
    with pytest.raises(ValueError, match="not a cache key"):
        check_key(key)


def test_the_folder_store_keeps_deletes_and_prunes(tmp_path):
    store = FolderStore(tmp_path)
    assert store.get("plan/v1/ab/abc.pickle") is None
    store.set("plan/v1/ab/abc.pickle", b"one")
    store.set("plan/v2/cd/cde.pickle", b"two")
    assert store.get("plan/v1/ab/abc.pickle") == b"one"
    assert (tmp_path / "plan" / "v1" / "ab" / "abc.pickle").read_bytes() == b"one"
    store.prune("plan", "v2")
    assert store.get("plan/v1/ab/abc.pickle") is None and store.get("plan/v2/cd/cde.pickle") == b"two"
    store.delete("plan/v2/cd/cde.pickle")
    store.delete("plan/v2/cd/cde.pickle")  # absent: nothing happens
    assert store.get("plan/v2/cd/cde.pickle") is None


def test_a_folder_that_cannot_be_used_keeps_nothing_and_says_so(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    store = FolderStore(blocker)
    store.set("charts/a.svg", b"<svg/>")
    assert store.get("charts/a.svg") is None
    assert "cannot be written" in caplog.text


def test_the_default_store_follows_the_environment_and_an_installed_one_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path / "c"))
    assert isinstance(cachestore.current(), FolderStore) and cachestore.current().root == tmp_path / "c"
    other = FolderStore(tmp_path / "other")
    cachestore.install(other)
    try:
        assert cachestore.current() is other
    finally:
        cachestore.install(None)
    assert cachestore.current().root == tmp_path / "c"


# --- The folder store's cap ----------------------------------------------------------------------------------


def _age(store: FolderStore, key: str, seconds_ago: float) -> None:
    when = time.time() - seconds_ago
    os.utime(store.path(key), (when, when))


def _folder_bytes(root) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and p.name != cachestore.LOCK_NAME)


def test_a_trim_removes_the_least_recently_used_entries_down_to_four_fifths_of_the_cap(tmp_path):
    store = FolderStore(tmp_path, max_bytes=10**9)  # no trim while filling
    for n in range(10):
        store.set(f"charts/{n}.svg", b"x" * 100)
        _age(store, f"charts/{n}.svg", 10_000 - n * 100)  # 0 is the oldest, 9 the newest
    _age(store, "charts/0.svg", 0)  # the oldest was just used
    removed = store.trim(cap=900)
    assert removed == 300  # 1000 bytes over a cap of 900: down to 720 or less, whole entries
    left = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert left == ["0.svg", "4.svg", "5.svg", "6.svg", "7.svg", "8.svg", "9.svg"]
    assert store.trim(cap=900) == 0  # under the cap: nothing to do


def test_reading_an_entry_marks_it_used(tmp_path):
    store = FolderStore(tmp_path)
    store.set("ssb/a.json", b"{}")
    _age(store, "ssb/a.json", 2 * cachestore.TOUCH_AFTER)
    assert store.get("ssb/a.json") == b"{}"
    assert time.time() - store.path("ssb/a.json").stat().st_mtime < 60


def test_writing_keeps_the_folder_under_its_cap(tmp_path):
    store = FolderStore(tmp_path, max_bytes=2000)
    for n in range(50):
        store.set(f"plan/v/{n:02d}.pickle", bytes([n]) * 100)
        assert _folder_bytes(tmp_path) <= 2000
    assert store.get("plan/v/49.pickle") == bytes([49]) * 100  # the newest are kept
    assert store.get("plan/v/00.pickle") is None


def test_the_web_apps_own_file_cache_and_writes_under_way_are_left_alone(tmp_path):
    store = FolderStore(tmp_path, max_bytes=10**9)
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "abc.djcache").write_bytes(b"w" * 5000)
    store.set("charts/a.svg", b"a" * 100)
    young = tmp_path / "charts" / ".tmp-young.tmp"
    young.write_bytes(b"y" * 5000)
    stale = tmp_path / "charts" / ".tmp-stale.tmp"
    stale.write_bytes(b"s" * 10)
    old = time.time() - 2 * cachestore.STALE_TEMPORARY
    os.utime(stale, (old, old))
    assert store.trim(cap=200) == 0  # 100 bytes of entries: under the cap
    assert (tmp_path / "web" / "abc.djcache").exists() and young.exists() and store.get("charts/a.svg")
    assert not stale.exists()  # left by a process that died while writing


def test_only_one_process_trims_a_folder_at_a_time(tmp_path):
    store = FolderStore(tmp_path, max_bytes=10**9)
    store.set("charts/a.svg", b"a" * 100)
    with open(tmp_path / cachestore.LOCK_NAME, "a") as other:  # another process trimming
        fcntl.flock(other, fcntl.LOCK_EX)
        assert store.trim(cap=10) == 0
        assert store.get("charts/a.svg") == b"a" * 100
    assert store.trim(cap=10) == 100


def test_the_cap_comes_from_the_environment_and_a_bad_one_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv(cachestore.MAX_MB_VARIABLE, raising=False)
    assert FolderStore(tmp_path).max_bytes == cachestore.DEFAULT_MAX_MB * 2**20
    monkeypatch.setenv(cachestore.MAX_MB_VARIABLE, "5")
    assert FolderStore(tmp_path).max_bytes == 5 * 2**20
    for bad in ("0", "-1", "1.5", "lots"):
        monkeypatch.setenv(cachestore.MAX_MB_VARIABLE, bad)
        with override("en"), pytest.raises(BlilystError, match=f"{cachestore.MAX_MB_VARIABLE}={bad} is not a size"):
            FolderStore(tmp_path).set("charts/a.svg", b"a")
    with override("nn"), pytest.raises(BlilystError, match="er ikkje ein storleik"):
        cachestore.max_cache_bytes()


def _write_and_read(root: str, worker: int, rounds: int) -> list[str]:
    """One of two processes writing the same keys into one small folder (see the test below)."""
    store = FolderStore(root, max_bytes=40 * 1024)
    wrong = []
    for n in range(rounds):
        key = f"plan/v/{(n * 7 + worker) % 120:03d}.pickle"
        store.set(key, _content(key))
        other = f"plan/v/{(n * 13) % 120:03d}.pickle"
        data = store.get(other)
        if data is not None and data != _content(other):
            wrong.append(other)
    return wrong


def _content(key: str) -> bytes:
    return key.encode() * 64  # about a kilobyte that names its key


def test_two_processes_writing_one_folder_keep_it_bounded_and_every_entry_whole(tmp_path):
    ctx = multiprocessing.get_context("fork")  # spawn could not import this test module by name
    with ctx.Pool(2) as pool:
        results = pool.starmap(_write_and_read, [(str(tmp_path), 0, 400), (str(tmp_path), 1, 400)])
    assert results == [[], []]  # a read found the bytes written under its key, or nothing
    entries = list(tmp_path.rglob("*.pickle"))
    assert entries and all(p.read_bytes() == _content(str(p.relative_to(tmp_path))) for p in entries)
    assert not list(tmp_path.rglob(".tmp-*"))
    # each process may add a twentieth of the cap between two looks
    assert _folder_bytes(tmp_path) <= 40 * 1024 * (1 + 2 * cachestore.CHECK_EVERY)
