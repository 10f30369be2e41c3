"""The needs analysis and the rendered charts kept between processes in the web app: without Redis in the core's
folder store under $BLILYST_CACHE_DIR, the one the command line uses (with BLILYST_REDIS_URL through Django's
cache, see tests/web/test_shared_cache.py). The folder store itself is tested in tests/plan/test_diskcache.py."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture
def shared(monkeypatch, tmp_path):
    """The web app's store, over an empty cache folder of this test."""
    from blilyst import cachestore

    monkeypatch.delenv("BLILYST_PLAN_DISK_CACHE", raising=False)
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path / "cache"))
    store = cachestore.current()
    assert isinstance(store, cachestore.FolderStore), "the web app did not use the command line's folder store"
    assert store.root == tmp_path / "cache"
    return store


def _fresh_process():
    """Forget everything the needs module and the chart renderer keep in memory (as a new process would)."""
    from blilyst.plan import needs
    from blilyst.web.lib import charts

    for name in dir(needs):
        fn = getattr(needs, name)
        if hasattr(fn, "cache_clear") and name not in {"snapshot", "register"}:
            fn.cache_clear()
    charts._svg_from_json.cache_clear()


def _key(function: str, *args: object) -> str:
    from blilyst.plan import diskcache, needs

    return diskcache.store_key(diskcache.key(needs.snapshot(), f"blilyst.plan.needs.{function}", args))


def test_key_figures_are_read_back_from_the_shared_cache_in_a_fresh_process(shared, monkeypatch):
    from blilyst.plan import needs

    _fresh_process()
    first = needs.key_figures("4028")
    assert first.population == 2463 and first.year == 2026
    assert isinstance(shared.get(_key("key_figures", "4028")), bytes)

    _fresh_process()
    monkeypatch.setattr(needs, "population_rows", lambda code: pytest.fail("recomputed instead of read back"))
    assert needs.key_figures("4028") == first


def test_a_new_snapshot_gives_new_keys():
    from blilyst.plan import diskcache, needs

    snap = needs.snapshot()
    other = dataclasses.replace(snap, manifest={**snap.manifest, "version": "refreshed"})
    assert diskcache.key(snap, "f", ("4028",)) != diskcache.key(other, "f", ("4028",))
    assert diskcache.key(snap, "f", ("4028",)) != diskcache.key(snap, "f", ("4036",))
    assert diskcache.key(snap, "f", ("4028",)) == diskcache.key(snap, "f", ("4028",))


def test_an_unreadable_entry_is_recomputed_and_replaced(shared):
    from blilyst.plan import diskcache, needs

    _fresh_process()
    shared.set(_key("key_figures", "4028"), b"not a pickle")
    assert needs.key_figures("4028").population == 2463
    k = diskcache.key(needs.snapshot(), "blilyst.plan.needs.key_figures", ("4028",))
    assert diskcache.load(k).population == 2463


def test_switched_off_nothing_is_kept(shared, monkeypatch):
    from blilyst.plan import needs
    from blilyst.web.lib import charts

    monkeypatch.setenv("BLILYST_PLAN_DISK_CACHE", "off")
    _fresh_process()
    chart = needs.pyramid_now("4028", "nb")
    charts.render_svg(chart.spec)
    needs.key_figures("4028")
    assert shared.get(_key("pyramid_now", "4028", "nb")) is None
    assert shared.get(_key("key_figures", "4028")) is None

    monkeypatch.setenv("BLILYST_PLAN_DISK_CACHE", "on")  # the same calls switched on do keep them
    _fresh_process()
    needs.pyramid_now("4028", "nb")
    needs.key_figures("4028")
    assert shared.get(_key("pyramid_now", "4028", "nb")) is not None
    assert shared.get(_key("key_figures", "4028")) is not None


def test_a_rendered_svg_is_read_back_from_the_shared_cache(shared, monkeypatch):
    import vl_convert

    from blilyst.plan import needs
    from blilyst.web.lib import charts

    _fresh_process()
    spec = needs.pyramid_now("4028", "nb").spec
    svg = charts.render_svg(spec)
    assert svg.startswith("<svg")

    _fresh_process()
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("drawn again"))
    assert charts.render_svg(spec) == svg


def test_ssb_answers_go_to_the_shared_cache(shared):
    from blilyst.stats.cache import ResponseCache

    cache = ResponseCache()  # as PxWebClient makes it in a refresh run by a worker
    key = cache.put("data", "07459", {"table": "07459"}, "2026-02-24T07:00:00Z", {"value": [2463]})
    assert isinstance(shared.get(key), bytes)
    assert ResponseCache().latest("data", "07459", {"table": "07459"}).body == {"value": [2463]}


def test_the_web_app_and_the_command_line_keep_ssb_answers_in_one_folder(shared):
    """Without Redis one machine keeps one copy of each SSB answer: what the command line fetched (its own folder
    store, as in `blilyst data refresh`) is what the web app reads, and the other way round."""
    from blilyst import cachestore
    from blilyst.stats.cache import ResponseCache

    cli = ResponseCache(store=cachestore.FolderStore())
    cli.put("data", "07459", {"table": "07459"}, "2026-02-24T07:00:00Z", {"value": [2463]})
    assert ResponseCache().get("data", "07459", {"table": "07459"}, "2026-02-24T07:00:00Z") == {"value": [2463]}
    web = ResponseCache().put("data", "07459", {"table": "07460"}, "2026-02-24T07:00:00Z", {"value": [1]})
    assert (shared.root / web).is_file()
    assert cli.latest("data", "07459", {"table": "07460"}).body == {"value": [1]}
