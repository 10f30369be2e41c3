"""The needs analysis and the rendered charts kept on disk between processes (plan.diskcache, lib.charts)."""

from __future__ import annotations

import dataclasses

import pytest


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("BLILYST_PLAN_DISK_CACHE", raising=False)
    return tmp_path


def _fresh_process():
    """Forget everything the needs module and the chart renderer keep in memory (as a new process would)."""
    from blilyst.plan import needs
    from blilyst.web.lib import charts

    for name in dir(needs):
        fn = getattr(needs, name)
        if hasattr(fn, "cache_clear") and name not in {"snapshot", "register"}:
            fn.cache_clear()
    charts._svg_from_json.cache_clear()


def test_key_figures_are_read_back_from_disk_in_a_fresh_process(cache_dir, monkeypatch):
    from blilyst.plan import needs

    _fresh_process()
    first = needs.key_figures("4028")
    assert first.population == 2463 and first.year == 2026
    assert len(list((cache_dir / "plan").rglob("*.pickle"))) >= 1

    _fresh_process()
    monkeypatch.setattr(needs, "population_rows", lambda code: pytest.fail("recomputed instead of read from disk"))
    again = needs.key_figures("4028")
    assert again == first


def test_a_new_snapshot_gives_new_keys(cache_dir):
    from blilyst.plan import diskcache, needs

    snap = needs.snapshot()
    other = dataclasses.replace(snap, manifest={**snap.manifest, "version": "refreshed"})
    assert diskcache.key(snap, "f", ("4028",)) != diskcache.key(other, "f", ("4028",))
    assert diskcache.key(snap, "f", ("4028",)) != diskcache.key(snap, "f", ("4036",))
    assert diskcache.key(snap, "f", ("4028",)) == diskcache.key(snap, "f", ("4028",))


def test_an_unreadable_file_is_recomputed_and_replaced(cache_dir):
    from blilyst.plan import diskcache, needs

    _fresh_process()
    k = diskcache.key(needs.snapshot(), "blilyst.plan.needs.key_figures", ("4028",))
    path = diskcache._path(k)
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
    from blilyst.web.lib import charts

    monkeypatch.setenv("BLILYST_PLAN_DISK_CACHE", "off")
    _fresh_process()
    chart = needs.pyramid_now("4028", "nb")
    charts.render_svg(chart.spec)
    assert not any(cache_dir.rglob("*.pickle")) and not any(cache_dir.rglob("*.svg"))


def test_a_rendered_svg_is_read_back_from_disk(cache_dir, monkeypatch):
    import vl_convert

    from blilyst.plan import needs
    from blilyst.web.lib import charts

    _fresh_process()
    spec = needs.pyramid_now("4028", "nb").spec
    svg = charts.render_svg(spec)
    assert svg.startswith("<svg") and len(list((cache_dir / "charts").glob("*.svg"))) == 1

    _fresh_process()
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("drawn again"))
    assert charts.render_svg(spec) == svg


def test_files_of_another_code_version_are_removed(cache_dir):
    from blilyst.plan import diskcache, needs

    stale = cache_dir / "plan" / "0123456789abcdef" / "ab"
    stale.mkdir(parents=True)
    (stale / "ab.pickle").write_bytes(b"old")
    diskcache._swept.clear()
    _fresh_process()
    needs.key_figures("4028")
    folders = [p.name for p in (cache_dir / "plan").iterdir()]
    assert folders == [diskcache.code_fingerprint()[:16]]
