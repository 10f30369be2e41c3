"""Server-side charts (blilyst.web.lib.charts): SVG from a Vega-Lite spec, with table, text and source."""

from __future__ import annotations

import base64

import pandas as pd


def test_a_chart_becomes_an_svg_image_with_its_table_and_source():
    from blilyst.web.lib import charts

    data = pd.DataFrame({"year": [2024, 2025, 2026], "population": [2458, 2473, 2463]})
    spec = charts.line_chart(data, x="year", y="population", title="Kviteseid")
    chart = charts.web_chart(
        "kviteseid", "Folketall", spec, "Folketallet gikk fra 2 458 til 2 463.", data, estimated=True
    )
    assert chart.src.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(chart.src.split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "Kviteseid" in svg and "2026" in svg
    assert chart.header == ("year", "population")
    assert chart.rows[-1] == ("2026", "2\xa0463")  # a year is never grouped, a count is
    assert chart.source == "Kilde: Statistisk sentralbyrå" and chart.estimated


def test_rendering_is_cached_per_spec():
    from blilyst.web.lib import charts

    data = pd.DataFrame({"band": ["0–9", "10–19"], "persons": [12, -3]})
    spec = charts.bar_chart(data, x="band", y="persons")
    first = charts.render_svg(spec)
    hits = charts._svg_from_json.cache_info().hits
    assert charts.render_svg(dict(spec)) == first
    assert charts._svg_from_json.cache_info().hits == hits + 1


def test_the_plans_chart_specs_keep_their_estimate_mark():
    from blilyst.plan import needs
    from blilyst.web.lib import charts

    web = charts.from_chart_spec("pyramid", needs.pyramid_future("4028", "trend", "nb"))
    assert web.estimated and "framskrevet" in web.title
    assert web.header == ("Alder", "Menn", "Kvinner")
    assert len(web.rows) == 19  # 0–4 … 85–89, 90+


def test_axis_numbers_are_written_the_norwegian_way_in_bokmal():
    from blilyst.web.lib import charts

    data = pd.DataFrame({"year": [2024, 2025], "population": [2550, 2600]})
    spec = charts.line_chart(data, x="year", y="population")
    assert ">2\xa0550<" in charts.render_svg(spec, "nb")
    assert ">2,550<" in charts.render_svg(spec, "en")
