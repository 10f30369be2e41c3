"""Drawn charts kept on disk between processes (blilyst.plan.rendered), for the document's PNGs."""

from __future__ import annotations

import pytest

SPEC = {
    "data": {"values": [{"year": 2025, "population": 2473}, {"year": 2026, "population": 2463}]},
    "mark": "bar",
    "encoding": {"x": {"field": "year", "type": "ordinal"}, "y": {"field": "population", "type": "quantitative"}},
}


def test_a_png_is_drawn_once_and_read_back_in_a_fresh_process(tmp_path, monkeypatch):
    import vl_convert

    from blilyst.plan import document

    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("BLILYST_PLAN_DISK_CACHE", raising=False)
    document._render_cached.cache_clear()
    png = document.render_chart_png(SPEC)
    assert png.startswith(b"\x89PNG") and len(list((tmp_path / "charts").glob("*.png"))) == 1

    document._render_cached.cache_clear()
    monkeypatch.setattr(vl_convert, "vegalite_to_png", lambda *a, **k: pytest.fail("drawn again"))
    assert document.render_chart_png(SPEC) == png
    document._render_cached.cache_clear()


def test_other_options_are_another_picture_and_off_means_off(tmp_path, monkeypatch):
    from blilyst.plan.rendered import cached

    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path))
    assert cached("a", "png", lambda: b"1") == b"1"
    assert cached("a", "png", lambda: b"2") == b"1"  # read back, not drawn
    assert cached("b", "png", lambda: b"2") == b"2"
    monkeypatch.setenv("BLILYST_PLAN_DISK_CACHE", "off")
    assert cached("a", "png", lambda: b"3") == b"3"
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(blocker))
    monkeypatch.delenv("BLILYST_PLAN_DISK_CACHE")
    assert cached("c", "png", lambda: b"4") == b"4"  # an unwritable folder only costs the drawing
