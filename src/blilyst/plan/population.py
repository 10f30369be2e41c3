"""Population figures for the statistics pages, computed once per process from the snapshot.

The snapshot (``blilyst.stats.snapshot``) is read once per process and these tables are derived
from it once, so a page only filters a few hundred rows. No Django here: the same numbers
serve the CLI and the web.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from blilyst.stats.credit import SSB_CREDIT
from blilyst.stats.snapshot import per_snapshot

if TYPE_CHECKING:
    from blilyst.stats.snapshot import Snapshot

AGE_GROUP_WIDTH = 5
OLDEST_GROUP_START = 90  # 90+ collects the ages 90..105+


@dataclass(frozen=True)
class PopulationOverview:
    """All municipalities with their register facts and latest population.

    ``frame`` has the register columns (code, name, county_code, county_name, ba_region_code,
    ba_region_name, centrality_class, centrality_index) plus ``population`` (1 January of ``year``)
    and ``search_key`` (the name folded for search), sorted by code.
    """

    year: int
    frame: pd.DataFrame
    origin: str
    credit: str


def fold(text: str) -> str:
    """Lower case without accents, with æ/ø/å kept apart from a/o: for tolerant search."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@per_snapshot(maxsize=1)
def overview() -> PopulationOverview:
    from blilyst.stats.register import get_register
    from blilyst.stats.snapshot import load_snapshot

    snap = load_snapshot()
    pop = snap.population
    year = int(pop["year"].max())
    totals = pop.loc[pop["year"] == year].groupby("municipality", sort=False)["population"].sum()
    frame = get_register().frame().copy()
    frame["population"] = frame["code"].map(totals).astype("Int64")
    frame["search_key"] = frame["name"].map(fold)
    frame = frame.sort_values("code", ignore_index=True)
    return PopulationOverview(year=year, frame=frame, origin=snap.origin, credit=_credit(snap))


def _credit(snap: Snapshot) -> str:
    """The population data set's credit line from the snapshot's manifest."""
    sources = snap.sources()
    credits = sources.loc[sources["dataset"] == "population", "credit"].dropna()
    return str(credits.iloc[0]) if len(credits) else SSB_CREDIT


def search(text: str = "", county_code: str = "") -> pd.DataFrame:
    """Municipalities whose name (or number) contains ``text``, in ``county_code`` if given."""
    frame = overview().frame
    mask = pd.Series(True, index=frame.index)
    text = text.strip()
    if text:
        key = fold(text)
        mask &= frame["search_key"].str.contains(key, regex=False) | frame["code"].str.startswith(text)
    if county_code:
        mask &= frame["county_code"] == county_code
    return frame.loc[mask]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python dicts (ints, not NumPy scalars; a missing population is None)."""
    columns = ["code", "name", "county_code", "county_name", "centrality_class", "population"]
    return [
        {
            "code": code,
            "name": name,
            "county_code": county_code,
            "county_name": county_name,
            "centrality_class": int(centrality),
            "population": None if pd.isna(pop) else int(pop),
        }
        for code, name, county_code, county_name, centrality, pop in frame[columns].itertuples(index=False)
    ]


def counties() -> list[tuple[str, str]]:
    """(county code, county name) for the county filter, sorted by code."""
    frame = overview().frame[["county_code", "county_name"]].drop_duplicates().sort_values("county_code")
    return list(frame.itertuples(index=False, name=None))


@per_snapshot(maxsize=1)
def _population_by_code() -> pd.DataFrame:
    """The snapshot's population indexed and sorted by municipality: one municipality's rows are
    then a binary-search slice instead of a scan of 1.6 million rows."""
    from blilyst.stats.snapshot import load_snapshot

    return load_snapshot().population.set_index("municipality").sort_index()


def _rows_for(code: str) -> pd.DataFrame:
    pop = _population_by_code()
    if code not in pop.index:
        return pop.iloc[0:0]
    return pop.loc[[code]]


@per_snapshot(maxsize=512)
def _by_age_and_sex(code: str, year: int) -> pd.DataFrame:
    rows = _rows_for(code)
    rows = rows.loc[rows["year"] == year]
    start = (rows["age"].clip(upper=OLDEST_GROUP_START) // AGE_GROUP_WIDTH) * AGE_GROUP_WIDTH
    table = rows.assign(group=start).pivot_table(
        index="group", columns="sex", values="population", aggfunc="sum", fill_value=0
    )
    table = table.reindex(columns=["male", "female"], fill_value=0).astype("int64")
    table["total"] = table["male"] + table["female"]
    table.index.name = "age_from"
    return table.reset_index()


def age_sex_table(code: str, year: int | None = None) -> list[dict[str, Any]]:
    """Population of ``code`` by five-year age group (0–4 … 85–89, 90+) and sex, for ``year``
    (default the latest): rows of ``{"label", "male", "female", "total"}`` ending with a total row."""
    year = overview().year if year is None else year
    table = _by_age_and_sex(code, year)
    rows = []
    for row in table.to_dict("records"):
        start = int(row["age_from"])
        label = f"{start}+" if start >= OLDEST_GROUP_START else f"{start}–{start + AGE_GROUP_WIDTH - 1}"
        rows.append(
            {"label": label, "male": int(row["male"]), "female": int(row["female"]), "total": int(row["total"])}
        )
    return rows


@per_snapshot(maxsize=512)
def _totals_by_year(code: str) -> tuple[tuple[int, int], ...]:
    series = _rows_for(code).groupby("year")["population"].sum()
    return tuple((int(str(year)), int(value)) for year, value in series.items())


def totals_by_year(code: str) -> list[tuple[int, int]]:
    """(year, population on 1 January) for every year in the snapshot."""
    return list(_totals_by_year(code))
