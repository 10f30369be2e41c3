"""The municipality's key figures beside its labour-market region, its county and Norway.

The guidance asks a plan to read its own figures against the places around it: is an ageing population
or a migration loss particular to the municipality, or shared by the region? :func:`regional_comparison`
computes the same five figures for four areas from the bundled snapshot — registered population by age
(latest year and ten years before) and the components of change 2011–2025 — summing municipalities by the
register's labour-market (BA) region and county of the current structure:

* population change over the last ten years, per cent;
* share aged 67 and over, and aged 20–66, in the latest year;
* natural increase and net migration per 1 000 residents a year in 2011–2025 (sums divided by the mean of
  the start and end population and by the 15 years).

Areas are sums of whole municipalities, so Norway is all 357 municipalities of the snapshot.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from blilyst.i18n import format_number, format_percent, format_signed, override
from blilyst.i18n import gettext as _
from blilyst.plan.document import TableSpec
from blilyst.stats.credit import SSB_CREDIT

YEARS_BACK = 10
COMPONENT_YEARS = (2011, 2025)


def _by_municipality(population: pd.DataFrame) -> pd.DataFrame:
    """Per municipality: total, aged 67+ and aged 20–66 in the latest year, and the total ten years before
    (one pass over the two years needed, not over all 1.6 million rows per area)."""
    year = int(population["year"].max())
    two = population[population["year"].isin([year, year - YEARS_BACK])]
    now = two[two["year"] == year]
    table = pd.DataFrame(
        {
            "total": now.groupby("municipality")["population"].sum(),
            "old": now[now["age"] >= 67].groupby("municipality")["population"].sum(),
            "work": now[now["age"].between(20, 66)].groupby("municipality")["population"].sum(),
            "before": two[two["year"] == year - YEARS_BACK].groupby("municipality")["population"].sum(),
        }
    ).fillna(0.0)
    table.attrs["year"] = year
    return table


def _area_figures(people: pd.DataFrame, components: pd.DataFrame, codes: list[str]) -> dict[str, float]:
    area = people.loc[people.index.intersection(codes)].sum()
    comp = components[components["municipality"].isin(codes)]
    mean_pop = (float(comp["pop_start"].sum()) + float(comp["pop_end"].sum())) / 2
    years = COMPONENT_YEARS[1] - COMPONENT_YEARS[0] + 1
    return {
        "change": (area["total"] - area["before"]) / area["before"] if area["before"] else float("nan"),
        "old": area["old"] / area["total"],
        "work": area["work"] / area["total"],
        "natural": 1000 * float(comp["natural_increase_sum"].sum()) / mean_pop / years if mean_pop else float("nan"),
        "net": 1000 * float(comp["net_migration_sum"].sum()) / mean_pop / years if mean_pop else float("nan"),
    }


def regional_comparison(code: str, snapshot: Any, register: Any, lang: str = "nb") -> TableSpec:
    """Key figures for the municipality, its labour-market region, its county and Norway (one column each)."""
    frame = register.frame()
    me = frame.loc[frame["code"] == code].iloc[0]
    areas = [
        (str(me["name"]), [code]),
        (str(me["ba_region_name"]), frame.loc[frame["ba_region_code"] == me["ba_region_code"], "code"].tolist()),
        (str(me["county_name"]), frame.loc[frame["county_code"] == me["county_code"], "code"].tolist()),
        ("", frame["code"].tolist()),
    ]
    with override(lang):
        people = _by_municipality(snapshot.population)
        figures = [_area_figures(people, snapshot.components_2011_2025, codes) for _n, codes in areas]
        year = int(people.attrs["year"])
        first, last = COMPONENT_YEARS
        rows = [
            (
                _("Population change %(first)d–%(last)d") % {"first": year - YEARS_BACK, "last": year},
                [format_signed(100 * f["change"], 1) + "\u00a0%" for f in figures],
            ),
            (_("Share aged 67 and over, %(year)d") % {"year": year}, [format_percent(f["old"], 1) for f in figures]),
            (_("Share aged 20–66, %(year)d") % {"year": year}, [format_percent(f["work"], 1) for f in figures]),
            (
                _("Natural increase per 1 000 residents a year, %(first)d–%(last)d") % {"first": first, "last": last},
                [format_signed(f["natural"], 1) for f in figures],
            ),
            (
                _("Net migration per 1 000 residents a year, %(first)d–%(last)d") % {"first": first, "last": last},
                [format_signed(f["net"], 1) for f in figures],
            ),
        ]
        header = [
            _("Key figure"),
            areas[0][0],
            _("Labour-market region: %(name)s") % {"name": areas[1][0]},
            _("County: %(name)s") % {"name": areas[2][0]},
            _("Norway"),
        ]
        table = pd.DataFrame([[label, *values] for label, values in rows], columns=header)
        note = _(
            "Areas are sums of whole municipalities (the labour-market region and county of today's structure, "
            "Norway = all %(n)s municipalities). Natural increase and net migration: sums over %(first)d–%(last)d "
            "divided by the mean population and the number of years; net migration is estimated where it is not "
            "registered."
        ) % {"n": format_number(len(areas[3][1])), "first": first, "last": last}
        title = _("%(name)s beside its region, its county and Norway") % {"name": areas[0][0]}
    return TableSpec(title, table, SSB_CREDIT, note, widths=(3.0, 1.3, 1.6, 1.5, 1.1))
