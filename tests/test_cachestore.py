"""The one cache store of the core (blilyst.cachestore): keys, the folder store, which store is used."""

from __future__ import annotations

import pytest

from blilyst import cachestore
from blilyst.cachestore import FolderStore, check_key


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
