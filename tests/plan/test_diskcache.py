"""The needs analysis kept between processes by the core alone (the CLI): in the folder store under
$BLILYST_CACHE_DIR/plan. The web app's path, Django's cache, is tested in tests/web/planning."""

from __future__ import annotations

import pytest

from blilyst import cachestore


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("BLILYST_PLAN_DISK_CACHE", raising=False)
    assert isinstance(cachestore.current(), cachestore.FolderStore)
    return tmp_path


def _fresh_process():
    from blilyst.plan import needs

    for name in dir(needs):
        fn = getattr(needs, name)
        if hasattr(fn, "cache_clear") and name not in {"snapshot", "register"}:
            fn.cache_clear()


def test_key_figures_are_read_back_from_the_folder_in_a_fresh_process(cache_dir, monkeypatch):
    from blilyst.plan import needs

    _fresh_process()
    first = needs.key_figures("4028")
    assert first.population == 2463
    assert len(list((cache_dir / "plan").rglob("*.pickle"))) >= 1

    _fresh_process()
    monkeypatch.setattr(needs, "population_rows", lambda code: pytest.fail("recomputed instead of read back"))
    assert needs.key_figures("4028") == first


def test_an_unreadable_file_is_recomputed_and_replaced(cache_dir):
    from blilyst.plan import diskcache, needs

    _fresh_process()
    k = diskcache.key(needs.snapshot(), "blilyst.plan.needs.key_figures", ("4028",))
    path = cachestore.FolderStore(cache_dir).path(diskcache.store_key(k))
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a pickle")
    assert needs.key_figures("4028").population == 2463
    assert diskcache.load(k).population == 2463


def test_an_unwritable_folder_only_costs_time(tmp_path, monkeypatch):
    from blilyst.plan import needs

    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(blocker))
    _fresh_process()
    assert needs.key_figures("4028").population == 2463


def test_switched_off_nothing_is_written(cache_dir, monkeypatch):
    from blilyst.plan import needs

    monkeypatch.setenv("BLILYST_PLAN_DISK_CACHE", "off")
    _fresh_process()
    needs.key_figures("4028")
    assert not any(cache_dir.rglob("*.pickle"))


def test_files_of_another_code_version_are_removed(cache_dir):
    from blilyst.plan import diskcache, needs

    stale = cache_dir / "plan" / "0123456789abcdef" / "ab"
    stale.mkdir(parents=True)
    (stale / "ab.pickle").write_bytes(b"old")
    diskcache._pruned.clear()
    _fresh_process()
    needs.key_figures("4028")
    folders = [p.name for p in (cache_dir / "plan").iterdir()]
    assert folders == [diskcache.code_fingerprint()[:16]]
