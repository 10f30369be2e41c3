"""Charts rendered on the server: a Vega-Lite spec (built with altair) to SVG with vl-convert, offline.

A page never loads a chart library or anything from a CDN. Each chart reaches the template as a
:class:`WebChart`: the SVG as a ``data:`` image (so the page's Content-Security-Policy, which forbids
inline styles, does not apply inside it), a short ``alt`` text, a longer text alternative in words, the
data table behind it, the source line ("Kilde: Statistisk sentralbyrå") and whether the figures are
estimated. Templates show all of it with ``planning/chart.html``.

Rendering is cached per process on the spec's JSON, so the same chart for the same municipality is
drawn once (the first vl-convert call in a process takes about a second to start its engine; later
ones about 0.1 s).
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from blilyst import i18n
from blilyst.plan.document import is_year_column
from blilyst.stats.credit import SSB_CREDIT


@functools.lru_cache(maxsize=512)  # ~20-40 kB each: at most ~20 MB per process
def _svg_from_json(spec_json: str, lang: str) -> str:
    """The SVG for a spec, drawn by vl-convert and kept on disk by :mod:`blilyst.plan.rendered` (the same
    spec is the same picture, so a fresh process does not start the chart engine for a chart drawn before)."""
    from importlib.metadata import version

    import vl_convert as vlc

    from blilyst.plan.rendered import cached

    locale = i18n.d3_format_locale(lang)
    what = f"svg|{version('vl-convert-python')}|{json.dumps(locale, sort_keys=True)}|{spec_json}"
    svg = cached(what, "svg", lambda: vlc.vegalite_to_svg(json.loads(spec_json), format_locale=locale).encode())
    return svg.decode("utf-8")


def render_svg(spec: Mapping, lang: str | None = None) -> str:
    """The Vega-Lite ``spec`` as SVG text with the axes' numbers written as in ``lang`` (default: the page's
    language; cached per process)."""
    return _svg_from_json(json.dumps(spec, sort_keys=True, default=str), i18n.normalise(lang))


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@dataclass(frozen=True)
class WebChart:
    """Everything a page shows for one chart (see the module docstring)."""

    key: str
    title: str
    src: str  # data: URI of the SVG
    alt_text: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    source: str = SSB_CREDIT
    estimated: bool = False
    note: str = ""

    @property
    def table_id(self) -> str:
        return f"table-{self.key}"


def _cell(value: object, year: bool = False) -> str:
    """A table cell in the active language's format (2 550 and 0,5 in Norwegian; 2,550 and 0.5 in English)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, bool):
        return str(value)
    if year and isinstance(value, int | float) and float(value).is_integer():
        return i18n.format_year(int(value))
    if isinstance(value, float):
        return i18n.format_number(value, 0 if value.is_integer() else 1)
    if isinstance(value, int):
        return i18n.format_number(value)
    return str(value)


def table_rows(frame: pd.DataFrame) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(header, rows) of ``frame`` as display strings in the active language."""
    header = tuple(str(c) for c in frame.columns)
    years = [is_year_column(c) for c in frame.columns]
    rows = tuple(
        tuple(_cell(v, y) for v, y in zip(row, years, strict=True)) for row in frame.itertuples(index=False, name=None)
    )
    return header, rows


def web_chart(
    key: str,
    title: str,
    spec: Mapping,
    alt_text: str,
    table: pd.DataFrame,
    *,
    source: str = SSB_CREDIT,
    estimated: bool = False,
    note: str = "",
    lang: str | None = None,
) -> WebChart:
    """Render ``spec`` and bundle it with its text alternative and table."""
    header, rows = table_rows(table)
    return WebChart(key, title, svg_data_uri(render_svg(spec, lang)), alt_text, header, rows, source, estimated, note)


def from_chart_spec(key: str, chart, *, note: str = "", lang: str | None = None) -> WebChart:
    """A :class:`blilyst.plan.document.ChartSpec` (the plan document's chart) for a page."""
    return web_chart(
        key,
        chart.title,
        chart.spec,
        chart.alt_text,
        chart.table,
        source=chart.source,
        estimated=chart.estimated,
        note=note,
        lang=lang,
    )


def line_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str | None = None,
    x_title: str = "",
    y_title: str = "",
    title: str = "",
    dashed: str | None = None,
    width: int = 420,
    height: int = 240,
) -> dict:
    """A simple line chart spec (years on x). ``dashed``: a boolean column drawn with a dashed stroke
    (estimated or projected values)."""
    import altair as alt

    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:O", title=x_title, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        "y": alt.Y(f"{y}:Q", title=y_title, scale=alt.Scale(zero=False)),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title="")
    if dashed:
        enc["strokeDash"] = alt.StrokeDash(f"{dashed}:N", title="")
    chart = alt.Chart(data).mark_line(point=True).encode(**enc).properties(width=width, height=height, title=title)
    return chart.to_dict()


def bar_chart(
    data: pd.DataFrame,
    *,
    x: str,
    y: str,
    color: str | None = None,
    x_title: str = "",
    y_title: str = "",
    title: str = "",
    sort: Sequence[str] | None = None,
    width: int = 420,
    height: int = 240,
    horizontal: bool = False,
) -> dict:
    """A bar chart spec; ``color`` groups bars side by side."""
    import altair as alt

    cat: alt.X | alt.Y = alt.X(f"{x}:N", title=x_title, sort=list(sort) if sort else None, axis=alt.Axis(labelAngle=0))
    val: alt.X | alt.Y = alt.Y(f"{y}:Q", title=y_title)
    enc: dict[str, Any]
    if horizontal:
        cat = alt.Y(f"{x}:N", title=x_title, sort=list(sort) if sort else None)
        val = alt.X(f"{y}:Q", title=y_title)
        enc = {"y": cat, "x": val}
        if color:
            enc["yOffset"] = f"{color}:N"
    else:
        enc = {"x": cat, "y": val}
        if color:
            enc["xOffset"] = f"{color}:N"
    if color:
        enc["color"] = alt.Color(f"{color}:N", title="")
    chart = alt.Chart(data).mark_bar().encode(**enc).properties(width=width, height=height, title=title)
    return chart.to_dict()
