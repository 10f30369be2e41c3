"""The municipality's key figures beside its neighbours, its labour-market region, its county and Norway.

The guidance asks a plan to read its own figures against the places around it: is an ageing population
or a migration loss particular to the municipality, or shared by the region? :func:`regional_comparison`
computes every figure of the plan's key-figure table for five areas from the bundled snapshot — registered
population by age (latest year and ten years before), the components of change 2011–2025 and the immigrant
population — summing municipalities:

* **neighbours**: up to :data:`NEIGHBOURS` municipalities in the same county or labour-market (BA) region
  that exchange the most commuters with it (SSB 03321, both directions; at least :data:`MIN_COMMUTERS`),
  since the offline data have no map of shared borders;
* the register's labour-market (BA) region and county of the current structure, and all of Norway.

The figures, each for one stated period:

* population on 1 January of the latest year and ten years before, and the change in per cent;
* share aged 67 and over (latest year and ten years before) and aged 20–66 (latest year);
* natural increase and net migration per 1 000 residents a year in 2011–2025 (sums divided by the mean of
  the start and end population and by the 15 years);
* immigrants as a share of the population in the immigrant table's last year, and the change in the
  immigrant population over its last ten years, in per cent.

Areas are sums of whole municipalities, so Norway is all 357 municipalities of the snapshot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from blilyst.i18n import format_list, format_number, format_percent, format_signed, override
from blilyst.i18n import gettext as _
from blilyst.plan.document import TableSpec
from blilyst.stats.credit import SSB_CREDIT

if TYPE_CHECKING:
    from blilyst.stats.register import Register
    from blilyst.stats.snapshot import Snapshot

YEARS_BACK = 10
COMPONENT_YEARS = (2011, 2025)
NEIGHBOURS = 5  # at most this many neighbours
MIN_COMMUTERS = 10  # commuters both ways, fewer is not a neighbour


def _by_municipality(population: pd.DataFrame, immigrant_year: int | None) -> pd.DataFrame:
    """Per municipality: total, aged 67+ and aged 20–66 in the latest year, the total and the aged 67+ ten
    years before, and the total in the immigrant table's last year (one pass over the years needed)."""
    year = int(population["year"].max())
    years = [year, year - YEARS_BACK] + ([immigrant_year] if immigrant_year is not None else [])
    some = population[population["year"].isin(years)]
    now = some[some["year"] == year]
    before = some[some["year"] == year - YEARS_BACK]
    columns = {
        "total": now.groupby("municipality")["population"].sum(),
        "old": now[now["age"] >= 67].groupby("municipality")["population"].sum(),
        "work": now[now["age"].between(20, 66)].groupby("municipality")["population"].sum(),
        "before": before.groupby("municipality")["population"].sum(),
        "old_before": before[before["age"] >= 67].groupby("municipality")["population"].sum(),
    }
    if immigrant_year is not None:
        columns["total_imm_year"] = some[some["year"] == immigrant_year].groupby("municipality")["population"].sum()
    table = pd.DataFrame(columns).fillna(0.0)
    table.attrs["year"] = year
    return table


def _immigrants(immigrants_by_reason: pd.DataFrame) -> tuple[pd.DataFrame, tuple[int, int] | None]:
    """Immigrants living in each municipality in the table's last year and ten years before."""
    imm = immigrants_by_reason[immigrants_by_reason["reason"] == "all"]
    if imm.empty:
        return pd.DataFrame(columns=["now", "before"]), None
    last = int(imm["year"].max())
    first = max(int(imm["year"].min()), last - YEARS_BACK)
    table = pd.DataFrame(
        {
            "now": imm[imm["year"] == last].groupby("municipality")["persons"].sum(),
            "before": imm[imm["year"] == first].groupby("municipality")["persons"].sum(),
        }
    ).fillna(0.0)
    return table, (first, last)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else float("nan")


def _area_figures(
    people: pd.DataFrame, components: pd.DataFrame, immigrants: pd.DataFrame, codes: list[str]
) -> dict[str, float]:
    area = people.loc[people.index.intersection(codes)].sum()
    comp = components[components["municipality"].isin(codes)]
    imm = immigrants.loc[immigrants.index.intersection(codes)].sum()
    mean_pop = (float(comp["pop_start"].sum()) + float(comp["pop_end"].sum())) / 2
    years = COMPONENT_YEARS[1] - COMPONENT_YEARS[0] + 1
    return {
        "total": float(area["total"]),
        "before": float(area["before"]),
        "change": _ratio(area["total"] - area["before"], area["before"]),
        "old": _ratio(area["old"], area["total"]),
        "old_before": _ratio(area["old_before"], area["before"]),
        "work": _ratio(area["work"], area["total"]),
        "natural": 1000 * float(comp["natural_increase_sum"].sum()) / mean_pop / years if mean_pop else float("nan"),
        "net": 1000 * float(comp["net_migration_sum"].sum()) / mean_pop / years if mean_pop else float("nan"),
        "imm_share": _ratio(float(imm.get("now", 0.0)), float(area.get("total_imm_year", 0.0))),
        "imm_change": _ratio(float(imm.get("now", 0.0)) - float(imm.get("before", 0.0)), float(imm.get("before", 0.0))),
    }


def _split_groups(flagged: pd.DataFrame, register_frame: pd.DataFrame) -> list[set[str]]:
    """Municipalities whose figures are fixed shares of one merged municipality, as groups (Ålesund and Haram;
    Narvik and Hamarøy; Heim, Hitra and Orkland): ``flagged`` has ``municipality`` and a key column per split;
    the partners of a split are in the same county."""
    if flagged.empty:
        return []
    county = dict(zip(register_frame["code"], register_frame["county_code"], strict=True))
    keyed = flagged.assign(county=flagged["municipality"].map(county))
    keys = [c for c in keyed.columns if c != "municipality"]
    return [set(g["municipality"]) for _k, g in keyed.groupby(keys)]


def _breaks(codes: list[str], groups: list[set[str]]) -> bool:
    """True when ``codes`` holds part of a split group but not all of it: its sum is then no real figure."""
    have = set(codes)
    return any(have & g and not g <= have for g in groups)


def _not_comparable(
    figures: dict[str, float], codes: list[str], stock_groups: list[set[str]], immigrant_groups: list[set[str]]
) -> None:
    """Empty the figures that rest on a fixed-share stock or immigrant count of part of a split (in place)."""
    if _breaks(codes, stock_groups):
        figures.update(before=float("nan"), change=float("nan"), old_before=float("nan"))
    if _breaks(codes, immigrant_groups):
        figures.update(imm_share=float("nan"), imm_change=float("nan"))


def neighbours(code: str, commuting: pd.DataFrame | None, register_frame: pd.DataFrame) -> list[str]:
    """The municipalities in ``code``'s county or labour-market region that exchange the most commuters with
    it (both directions, the commuting table's latest year), at most :data:`NEIGHBOURS`, largest first."""
    if commuting is None or commuting.empty:
        return []
    me = register_frame.loc[register_frame["code"] == code].iloc[0]
    near = register_frame.loc[
        (register_frame["county_code"] == me["county_code"])
        | (register_frame["ba_region_code"] == me["ba_region_code"]),
        "code",
    ]
    c = commuting[commuting["year"] == commuting["year"].max()]
    c = c[(c["residence"] != c["workplace"]) & ((c["residence"] == code) | (c["workplace"] == code))]
    other = c["residence"].where(c["workplace"] == code, c["workplace"])
    flows = c.assign(other=other).groupby("other")["persons"].sum()
    flows = flows[flows.index.isin(set(near)) & (flows >= MIN_COMMUTERS)]
    return list(flows.sort_values(ascending=False, kind="stable").head(NEIGHBOURS).index.astype(str))


def _pct(share: float) -> str:
    return "–" if pd.isna(share) else format_percent(share, 1)


def _signed_pct(share: float) -> str:
    if pd.isna(share):
        return "–"
    return format_percent(share, 1, signed=True)


def _signed(value: float) -> str:
    return "–" if pd.isna(value) else format_signed(value, 1)


def regional_comparison(code: str, snapshot: Snapshot, register: Register, lang: str = "nb") -> TableSpec:
    """Every key figure for the municipality, its neighbours, its labour-market region, its county and Norway
    (one column each)."""
    frame = register.frame()
    me = frame.loc[frame["code"] == code].iloc[0]
    names = dict(zip(frame["code"], frame["name"], strict=True))
    near = neighbours(code, snapshot.commuting, frame)
    areas = [
        (str(me["name"]), [code]),
        ("", near),
        (str(me["ba_region_name"]), frame.loc[frame["ba_region_code"] == me["ba_region_code"], "code"].tolist()),
        (str(me["county_name"]), frame.loc[frame["county_code"] == me["county_code"], "code"].tolist()),
        ("", frame["code"].tolist()),
    ]
    if not near:
        areas.pop(1)
    with override(lang):
        immigrants, imm_years = _immigrants(snapshot.immigrants_by_reason)
        people = _by_municipality(snapshot.population, imm_years[1] if imm_years else None)
        figures = [_area_figures(people, snapshot.components_2011_2025, immigrants, codes) for _n, codes in areas]
        year = int(people.attrs["year"])
        before = year - YEARS_BACK
        # merged-then-split municipalities: an area with only part of a split has no comparable earlier figure
        flags = snapshot.population_flags
        stock_groups = _split_groups(
            flags.loc[(flags["year_from"] <= before) & (flags["year_to"] >= before), ["municipality", "year_from"]],
            frame,
        )
        imm = snapshot.immigrants_by_reason
        imm_groups: list[set[str]] = []
        if imm_years and "apportioned" in imm:
            shared = imm.loc[imm["year"].isin(imm_years) & imm["apportioned"].astype(bool), ["municipality"]]
            imm_groups = _split_groups(shared.drop_duplicates(), frame)
        for f, (_n, codes) in zip(figures, areas, strict=True):
            _not_comparable(f, codes, stock_groups, imm_groups)
        first, last = COMPONENT_YEARS
        rows = [
            (
                _("Population 1 January %(year)d") % {"year": year},
                [format_number(f["total"]) for f in figures],
            ),
            (
                _("Population 1 January %(year)d") % {"year": before},
                ["–" if pd.isna(f["before"]) else format_number(f["before"]) for f in figures],
            ),
            (
                _("Population change %(first)d–%(last)d") % {"first": before, "last": year},
                [_signed_pct(f["change"]) for f in figures],
            ),
            (_("Share aged 67 and over, %(year)d") % {"year": year}, [_pct(f["old"]) for f in figures]),
            (_("Share aged 67 and over, %(year)d") % {"year": before}, [_pct(f["old_before"]) for f in figures]),
            (_("Share aged 20–66, %(year)d") % {"year": year}, [_pct(f["work"]) for f in figures]),
            (
                _("Natural increase per 1 000 residents a year, %(first)d–%(last)d") % {"first": first, "last": last},
                [_signed(f["natural"]) for f in figures],
            ),
            (
                _("Net migration per 1 000 residents a year, %(first)d–%(last)d") % {"first": first, "last": last},
                [_signed(f["net"]) for f in figures],
            ),
        ]
        if imm_years:
            rows += [
                (
                    _("Immigrants as a share of the population, %(year)d") % {"year": imm_years[1]},
                    [_pct(f["imm_share"]) for f in figures],
                ),
                (
                    _("Change in the immigrant population %(first)d–%(last)d")
                    % {"first": imm_years[0], "last": imm_years[1]},
                    [_signed_pct(f["imm_change"]) for f in figures],
                ),
            ]
        header = [_("Key figure"), areas[0][0]]
        if near:
            header.append(_("Neighbours"))
        header += [
            _("Labour-market region: %(name)s") % {"name": areas[-3][0]},
            _("County: %(name)s") % {"name": areas[-2][0]},
            _("Norway"),
        ]
        table = pd.DataFrame([[label, *values] for label, values in rows], columns=header)
        note = _(
            "Areas are sums of whole municipalities (the labour-market region and county of today's structure, "
            "Norway = all %(n)s municipalities). Natural increase and net migration: sums over %(first)d–%(last)d "
            "divided by the mean population and the number of years; net migration is estimated where it is not "
            "registered."
        ) % {"n": format_number(len(areas[-1][1])), "first": first, "last": last}
        broken = [g for g in [*stock_groups, *imm_groups] if any(_breaks(codes, [g]) for _n, codes in areas)]
        split = sorted({c for g in broken for c in g}, key=lambda c: list(names).index(c))
        if split:
            note += " " + _(
                "%(names)s: merged and split again, so their earlier populations and immigrant counts are fixed "
                "shares of the merged municipality; an area with only part of it shows '–' for those figures."
            ) % {"names": format_list([names[c] for c in split])}
        if near:
            year_c = int(snapshot.commuting["year"].max())
            note += " " + _(
                "Neighbours: %(names)s — the municipalities of the same county or labour-market region that "
                "exchange the most commuters with %(name)s (SSB 03321, %(year)d, both directions)."
            ) % {"names": format_list([names[c] for c in near]), "name": areas[0][0], "year": year_c}
        title = _("%(name)s beside its neighbours, its region, its county and Norway") % {"name": areas[0][0]}
    widths = (3.0, 1.2, 1.2, 1.4, 1.3, 1.0) if near else (3.0, 1.3, 1.6, 1.5, 1.1)
    return TableSpec(title, table, SSB_CREDIT, note, widths=widths)
