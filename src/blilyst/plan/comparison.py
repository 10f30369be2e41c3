"""Similar municipalities to compare with, chosen automatically and editable.

A figure means more beside the figures of places like it. The comparison set has two parts:

1. **Structural peers**: municipalities in the same SSB centrality class (Klass 128) that are nearest in
   size and age structure — Euclidean distance on standardised ``log(population)`` and share aged 67+,
   standardised by their spread across all 357 municipalities so neither dominates.
2. **Neighbours in the labour market**: the other municipalities of the same labour-market (BA) region,
   nearest first by the same distance (they share the commuting area, whatever their centrality).

The user can add and remove municipalities (:meth:`ComparisonSet.with_added`, :meth:`ComparisonSet.without`).
Inputs are plain frames: ``register.frame()`` and ``snapshot.population`` of the shared contract.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from blilyst.axes import PENSION_AGE, WORKING_AGE
from blilyst.errors import InputError, UnknownMunicipality
from blilyst.i18n import N_, gettext, override

# Translated at use time (Peer.reason_label).
REASON_LABELS: dict[str, str] = {
    "centrality": N_("Same centrality, similar size and age structure"),
    "region": N_("Same labour-market region"),
    "user": N_("Added by the user"),
}


def municipality_profile(
    register_frame: pd.DataFrame, population: pd.DataFrame, year: int | None = None
) -> pd.DataFrame:
    """One row per municipality: register columns plus ``population``, ``share_67_plus``,
    ``share_20_66`` and ``log_population`` in ``year`` (latest by default), indexed by code."""
    year = int(population["year"].max()) if year is None else int(year)
    pop = population[population["year"] == year]
    if pop.empty:
        raise InputError("year", gettext("no population figures for {year}").format(year=year))
    ages = pop["age"].to_numpy()
    values = pop["population"].to_numpy(dtype=float)
    keys = pop["municipality"].astype(str).to_numpy()
    frame = pd.DataFrame(
        {
            "code": keys,
            "total": values,
            "old": np.where(ages >= PENSION_AGE, values, 0.0),
            "work": np.where((ages >= WORKING_AGE[0]) & (ages <= WORKING_AGE[1]), values, 0.0),
        }
    )
    sums = frame.groupby("code").sum()
    profile = register_frame.set_index("code").join(sums, how="inner")
    profile["population"] = profile.pop("total").astype(int)
    profile["share_67_plus"] = profile.pop("old") / profile["population"]
    profile["share_20_66"] = profile.pop("work") / profile["population"]
    profile["log_population"] = np.log(profile["population"].clip(lower=1))
    profile.attrs["year"] = year
    return profile


def distances(profile: pd.DataFrame, code: str) -> pd.Series:
    """Standardised distance from ``code`` to every municipality on log population and share 67+."""
    if code not in profile.index:
        raise UnknownMunicipality(code)
    cols = ["log_population", "share_67_plus"]
    values = profile[cols].astype(float)
    spread = values.std(ddof=0).replace(0, 1.0)
    z = (values - values.loc[code]) / spread
    distance: pd.Series = np.sqrt((z**2).sum(axis=1))
    return distance


@dataclass(frozen=True)
class Peer:
    code: str
    name: str
    reason: str  # "centrality", "region" or "user"
    distance: float | None = None

    def reason_label(self, lang: str | None = "nb") -> str:
        with override(lang):
            return gettext(REASON_LABELS[self.reason])


@dataclass(frozen=True)
class ComparisonSet:
    municipality: str
    name: str
    peers: tuple[Peer, ...]
    year: int | None = None

    def codes(self) -> list[str]:
        return [p.code for p in self.peers]

    def with_added(self, code: str, name: str = "") -> ComparisonSet:
        if code == self.municipality:
            raise InputError("code", gettext("a municipality cannot be compared with itself"))
        if code in self.codes():
            return self
        return replace(self, peers=(*self.peers, Peer(code, name or code, "user")))

    def without(self, code: str) -> ComparisonSet:
        if code not in self.codes():
            raise InputError("code", gettext("{code} is not in the comparison set").format(code=code))
        return replace(self, peers=tuple(p for p in self.peers if p.code != code))

    def to_frame(self, lang: str = "nb") -> pd.DataFrame:
        return pd.DataFrame(
            [
                {"code": p.code, "name": p.name, "reason": p.reason_label(lang), "distance": p.distance}
                for p in self.peers
            ],
            columns=["code", "name", "reason", "distance"],
        )


def choose_peers(
    code: str,
    register_frame: pd.DataFrame,
    population: pd.DataFrame,
    *,
    n: int = 5,
    max_region: int = 5,
    year: int | None = None,
    profile: pd.DataFrame | None = None,
) -> ComparisonSet:
    """The ``n`` nearest municipalities in the same centrality class, then up to ``max_region`` others from
    the same labour-market region (nearest first, skipping those already chosen)."""
    if n < 0 or max_region < 0:
        raise InputError("n", gettext("the number of peers cannot be negative"))
    profile = profile if profile is not None else municipality_profile(register_frame, population, year)
    code = str(code)
    if code not in profile.index:
        raise UnknownMunicipality(code)
    dist = distances(profile, code).drop(code)
    me = profile.loc[code]
    same_class = dist[profile.loc[dist.index, "centrality_class"] == me["centrality_class"]]
    peers: list[Peer] = []
    for other, d in same_class.sort_values(kind="stable").head(n).items():
        peers.append(Peer(other, profile.loc[other, "name"], "centrality", float(d)))
    chosen = {p.code for p in peers}
    region = dist[(profile.loc[dist.index, "ba_region_code"] == me["ba_region_code"]) & ~dist.index.isin(chosen)]
    for other, d in region.sort_values(kind="stable").head(max_region).items():
        peers.append(Peer(other, profile.loc[other, "name"], "region", float(d)))
    return ComparisonSet(code, str(me["name"]), tuple(peers), profile.attrs.get("year"))


def comparison_table(
    comparison: ComparisonSet,
    profile: pd.DataFrame,
    components: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Key figures for the municipality and its peers (the municipality first): population, share 67+,
    share 20–66, and — when ``components`` (``snapshot.components_2011_2025``) is given — population growth
    (births, deaths and migration; border changes left out) and net migration 2011–2025 per 1 000
    inhabitants at the start, empty (NaN, never infinite) for municipalities without a 2011 population."""
    codes = [comparison.municipality] + [c for c in comparison.codes() if c in profile.index]
    missing = [c for c in comparison.codes() if c not in profile.index]
    if missing:
        raise UnknownMunicipality(missing[0])
    table = profile.loc[
        codes, ["name", "centrality_class", "ba_region_name", "population", "share_67_plus", "share_20_66"]
    ].copy()
    table.insert(0, "is_subject", [c == comparison.municipality for c in codes])
    if components is not None:
        comp = components.set_index(components["municipality"].astype(str))
        comp = comp.reindex(codes)
        # growth by births, deaths and migration only: people moved by border changes are left out, and a
        # municipality without a population of its own in 2011 (the 2020 splits) has no growth to compare
        start = comp["pop_start"].where(comp["pop_start"] > 0)
        table["growth_2011_2025"] = comp["population_change_sum"] / start
        table["net_migration_per_1000"] = 1000 * comp["net_migration_sum"] / start
        table["boundary_change"] = comp["boundary_change_sum"]
        table["comparable"] = comp["comparable"] & start.notna()
    return table.reset_index().rename(columns={"index": "code"})


def rank_in(table: pd.DataFrame, column: str) -> tuple[int, int]:
    """Where the subject stands on ``column`` within the comparison table: (rank from the top, n)."""
    values = table[column].astype(float)
    order = values.rank(ascending=False, method="min")
    subject = table.index[table["is_subject"]][0]
    return int(order.loc[subject]), int(values.notna().sum())


def from_snapshot(code: str, *, n: int = 5, max_region: int = 5, year: int | None = None) -> ComparisonSet:
    """:func:`choose_peers` on the register and the loaded snapshot (the usual entry point for the app)."""
    from blilyst.stats.register import get_register
    from blilyst.stats.snapshot import load_snapshot

    register = get_register()
    code = register.resolve(code).code
    return choose_peers(code, register.frame(), load_snapshot().population, n=n, max_region=max_region, year=year)
