"""Chart axes and the tables behind charts are written in the page's language (blilyst.web.lib.charts)."""

from __future__ import annotations

import pandas as pd

from blilyst.i18n import override
from blilyst.web.lib import charts

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "data": {"values": [{"year": 2006, "persons": 2550}, {"year": 2026, "persons": 1200}]},
    "mark": "bar",
    "encoding": {"x": {"field": "year", "type": "ordinal"}, "y": {"field": "persons", "type": "quantitative"}},
}


def test_axis_numbers_are_norwegian_on_norwegian_pages_and_english_on_english_ones():
    norwegian = charts.render_svg(SPEC, "nb")
    english = charts.render_svg(SPEC, "en")
    assert "2\u00a0500" in norwegian and "2,500" not in norwegian
    assert "2,500" in english
    # years are ordinal: never grouped, in either language
    assert "2006" in norwegian and "2\u00a0006" not in norwegian and "2,006" not in english


def test_the_table_behind_a_chart_follows_the_active_language_and_leaves_years_alone():
    frame = pd.DataFrame({"År": [2006, 2026], "Personer": [2550, 1200.5]})
    with override("nn"):
        header, rows = charts.table_rows(frame)
    assert header == ("År", "Personer")
    assert rows == (("2006", "2\u00a0550"), ("2026", "1\u00a0200,5"))
    with override("en"):
        _header, rows = charts.table_rows(frame.rename(columns={"År": "Year"}))
    assert rows == (("2006", "2,550"), ("2026", "1,200.5"))
