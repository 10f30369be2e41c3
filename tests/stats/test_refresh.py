"""``blilyst data refresh`` end to end against a local PxWebApi serving real numbers.

The local server's tables are JSON-stat 2 cubes in the shape of SSB's recorded 07459 answer, filled
with the real data in ``data/raw``: 07459 from the csdata file (SSB 07459 at 2024 borders), 06913 from
statman's 2011–2025 sums (spread over the years), 09588 from Telemark fylkeskommune's migration-by-age
file, 13470 from the real 2017 place-of-work totals in valg_analyser (see :func:`jobs_cube`).

06913's annual contents are *derived*, since data/raw has no registered births or deaths by municipality
and year: "Folketilvekst" is the real change in the 07459 totals (1 January ``t+1`` minus ``t``),
"Levendefødte" the real number of 0-year-olds on 1 January ``t+1`` (a slight undercount of births:
infants who died or moved away are missing), "Fødselsoverskudd" and "Nettoinnflytting" statman's real
15-year sums spread evenly over the years, and "Døde" = Levendefødte − Fødselsoverskudd, so that the
cube is consistent in itself. The refresh code sees the same shape and labels as SSB's table.
"""

from __future__ import annotations

import functools
import hashlib
import json
import socket
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.stats.conftest import V0, Reply

from blilyst.errors import SsbResponseError, SsbUnavailable
from blilyst.i18n import override
from blilyst.stats.cache import ResponseCache
from blilyst.stats.pxweb import PxWebClient
from blilyst.stats.refresh import refresh_snapshot
from blilyst.stats.snapshot import load_snapshot

RAW = Path(__file__).resolve().parents[2] / "data" / "raw"
UPDATED = {
    "07459": "2026-02-20T07:00:00Z",
    "06913": "2026-04-15T06:00:00Z",
    "09588": "2026-03-10T07:00:00Z",
    "13470": "2026-05-28T06:00:00Z",
}
POP_YEARS = [2011, 2024, 2025, 2026]
LIVE_JOB_POP_YEARS = [2016, 2017, 2018]  # 1 January stocks the attractiveness model needs for jobs 2015-2017
TELEMARK = {
    "Porsgrunn": "4001",
    "Skien": "4003",
    "Notodden": "4005",
    "Siljan": "4010",
    "Bamble": "4012",
    "Kragerø": "4014",
    "Kragerå": "4014",
    "Drangedal": "4016",
    "Nome": "4018",
    "Midt-Telemark": "4020",
    "Seljord": "4022",
    "Hjartdal": "4024",
    "Tinn": "4026",
    "Kviteseid": "4028",
    "Nissedal": "4030",
    "Fyresdal": "4032",
    "Tokke": "4034",
    "Vinje": "4036",
}


# Kviteseid 2024 as registered in SSB 01223 (K4 row of Telemark fylkeskommune's export)
KVITESEID_2024_MOVES = {"immigration": 21, "emigration": 14, "domestic_in": 121, "domestic_out": 108}


def _dim(label, codes, labels=None, **extension):
    d = {
        "label": label,
        "category": {
            "index": {c: i for i, c in enumerate(codes)},
            "label": dict(zip(codes, labels or codes, strict=False)),
        },
    }
    if extension:
        d["extension"] = extension
    return d


def _cube(table_id, label, dims: dict, values: np.ndarray) -> dict:
    flat = values.ravel()
    status = {str(i): ".." for i in np.flatnonzero(np.isnan(flat))}
    return {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": "Statistisk sentralbyrå",
        "updated": UPDATED[table_id],
        "id": list(dims),
        "size": [len(d["category"]["index"]) for d in dims.values()],
        "dimension": dims,
        "value": [None if np.isnan(v) else int(v) for v in flat],
        "status": status,
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "extension": {"px": {"tableid": table_id, "decimals": 0}},
    }


AGE_CODES = [f"{a:03d}" for a in range(105)] + ["105+"]
AGE_LABELS = [f"{a} år" for a in range(105)] + ["105 år eller eldre"]
REGION_CODELISTS = [{"id": "agg_KommSummer", "label": "Kommuner, summert"}, {"id": "vs_Kommun", "label": "Kommuner"}]


@pytest.fixture(scope="module")
def csdata():
    d = pd.read_parquet(RAW / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    return d[d.calyear.isin(POP_YEARS + LIVE_JOB_POP_YEARS) & d.granularity_geo.isin(["municip", "nation"])]


def population_cubes(csdata, years: list[int] | None = None) -> tuple[dict, dict]:
    years = years or POP_YEARS
    csdata = csdata[csdata.calyear.isin(years)]
    mun = csdata[csdata.granularity_geo == "municip"]
    codes = sorted(mun.location_code.str[-4:].unique())
    regions = [f"K-{c}" for c in codes] + ["K-Rest"]
    arr = np.zeros((len(regions), 2, 106, 1, len(years)))
    r = mun.location_code.str[-4:].map({c: i for i, c in enumerate(codes)}).to_numpy()
    s = (mun.sex.astype(str) == "female").to_numpy().astype(int)
    y = mun.calyear.map({yr: i for i, yr in enumerate(years)}).to_numpy()
    arr[r, s, mun.age.to_numpy(), 0, y] = mun.pop_jan1_n.to_numpy()
    arr[-1] = 7  # persons with unknown municipality: not a municipality
    arr[codes.index("1580"), :, :, 0, years.index(2024)] = np.nan  # pretend SSB has no Haram 2024
    common = {
        "Kjonn": _dim("kjønn", ["1", "2"], ["Menn", "Kvinner"]),
        "Alder": _dim("alder", AGE_CODES, AGE_LABELS, codelists=[{"id": "vs_AlleAldre00B"}]),
        "ContentsCode": _dim("statistikkvariabel", ["Personer1"], ["Personer"]),
        "Tid": _dim("år", [str(y) for y in years]),
    }
    municipal = _cube(
        "07459",
        "07459: Befolkning, etter region, kjønn, alder, statistikkvariabel og år",
        {"Region": _dim("region", regions, regions, codelists=REGION_CODELISTS), **common},
        arr,
    )
    nat = csdata[csdata.granularity_geo == "nation"]
    arr = np.zeros((1, 2, 106, 1, len(years)))
    arr[
        0,
        (nat.sex.astype(str) == "female").to_numpy().astype(int),
        nat.age.to_numpy(),
        0,
        nat.calyear.map({yr: i for i, yr in enumerate(years)}).to_numpy(),
    ] = nat.pop_jan1_n.to_numpy()
    nation = _cube(
        "07459",
        municipal["label"],
        {"Region": _dim("region", ["0"], ["Hele landet"], codelists=REGION_CODELISTS), **common},
        arr,
    )
    return municipal, nation


@functools.lru_cache(maxsize=1)
def municipal_stocks() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Real 07459 (csdata) per municipality and 1 January: (total population, 0-year-olds), years as columns."""
    d = pd.read_parquet(RAW / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    d = d[d.granularity_geo == "municip"].assign(code=lambda f: f.location_code.str[-4:])
    total = d.groupby(["code", "calyear"], observed=True).pop_jan1_n.sum().unstack()
    infants = d[d.age == 0].groupby(["code", "calyear"], observed=True).pop_jan1_n.sum().unstack()
    return total, infants


def components_cube(years: range = range(2011, 2026)) -> dict:
    """06913 in the shape PXWEBAPI.md (corrected 2026-12-06) records from real queries: with codelist
    ``agg_KommSummerHist`` the region codes come back as ``K_4028`` (underscore, not ``K-``); contents
    ``Folkemengde, Levende, Dode, Fodselsoverskudd, Innflyttinger, Utflyttinger, Nettoinnflytting,
    Folketilvekst``, where in- and out-migration are all moves (domestic and international together); no age.
    The labels are SSB's bokmål wording for those contents. Values: see the module docstring; the
    population change is the real 07459 change less statman's border adjustment, put in the year
    statman names (``grenseavvik_maks_aar``), since SSB's registered change excludes border moves."""
    st = pd.read_csv(RAW / "statman" / "befolkningsvekst_kommune_2011_2025.csv", dtype={"kommunenummer": str})
    years = list(years)
    total, infants = municipal_stocks()
    contents = [
        "Folkemengde",
        "Levende",
        "Dode",
        "Fodselsoverskudd",
        "Innflyttinger",
        "Utflyttinger",
        "Nettoinnflytting",
        "Folketilvekst",
    ]
    labels = [
        "Folkemengde 31. desember",
        "Levendefødte",
        "Døde",
        "Fødselsoverskudd",
        "Innflyttinger",
        "Utflyttinger",
        "Nettoinnflytting",
        "Folketilvekst",
    ]
    arr = np.full((len(st), len(contents), len(years)), np.nan)
    for k, col in [(3, "fodselsoverskudd_sum"), (6, "nettoinnflytting_sum")]:
        sums = st[col].to_numpy().astype(int)
        # evenly: one more in the last (sum mod 15) years, so the 15-year sum is exact
        spread = (sums // 15)[:, None] + (np.arange(15)[None, :] >= 15 - (sums % 15)[:, None])
        arr[:, k, :] = spread[:, [y - 2011 for y in years]]
    codes = st.kommunenummer.to_numpy()
    arr[:, 0, :] = total.loc[codes, [y + 1 for y in years]].to_numpy()
    arr[:, 1, :] = infants.loc[codes, [y + 1 for y in years]].to_numpy()
    arr[:, 2, :] = arr[:, 1, :] - arr[:, 3, :]
    change = total.loc[codes, [y + 1 for y in years]].to_numpy() - total.loc[codes, years].to_numpy()
    border = (st.folkemengde_slutt - st.folkemengde_start - st.folketilvekst_sum).to_numpy()
    in_year = st.grenseavvik_maks_aar.to_numpy()[:, None] == np.array(years)[None, :]
    arr[:, 7, :] = change - np.where(in_year, border[:, None], 0)
    regions = [f"K_{c}" for c in st.kommunenummer]
    return _cube(
        "06913",
        "06913: Befolkning og endringer, etter region, statistikkvariabel og år",
        {
            "Region": _dim(
                "region", regions, list(st.kommune), codelists=[{"id": "agg_KommSummerHist"}, {"id": "vs_Kommun"}]
            ),
            "ContentsCode": _dim("statistikkvariabel", contents, labels),
            "Tid": _dim("år", [str(y) for y in years]),
        },
        arr,
    )


@functools.lru_cache(maxsize=1)
def telemark_01223() -> pd.DataFrame:
    """Telemark fylkeskommune's real export of SSB 01223 (the K4 rows: the whole year), 17 municipalities
    1997-2025, with our municipality numbers."""
    t = pd.read_csv(RAW / "telemark_fk" / "befolkningsendringer_01223_telemark.csv")
    return t.assign(code=t["Kommune"].map(TELEMARK), year=t["Ved utgangen av året"])


def migration_cube() -> dict:
    """09588 in the shape PXWEBAPI.md records: ``Region`` x ``ContentsCode`` x ``Tid`` only (codelist
    ``agg_KommGjeldende``), no age and no sex (an ``Alder`` selection gets a 400 "Non-existent variable",
    which the local server answers too); contents in- and out-migration, net domestic, immigration and
    emigration (labels in SSB's bokmål wording; here in/out count all moves, domestic plus international,
    so the refresh must tell them apart by the net domestic figure). Values: Telemark fylkeskommune's
    real 01223 figures for the 17 Telemark municipalities (the only municipalities data/raw has)."""
    t = telemark_01223()
    codes, years = sorted(t.code.unique()), sorted(t.year.unique())
    contents = ["Innflytting", "Utflytting", "NettoInnenlandsk", "Innvandring", "Utvandring"]
    labels = ["Innflyttinger", "Utflyttinger", "Netto innenlandsk flytting", "Innvandringer", "Utvandringer"]
    columns = [
        t["Innflytting, innalandsk"] + t["Innvandring"],
        t["Utflytting, innalandsk"] + t["Utvandring"],
        t["Netto innenlandsk innflytting"],
        t["Innvandring"],
        t["Utvandring"],
    ]
    arr = np.full((len(codes), len(contents), len(years)), np.nan)
    r, y = t.code.map(codes.index).to_numpy(), t.year.map(years.index).to_numpy()
    for k, col in enumerate(columns):
        arr[r, k, y] = col.to_numpy()
    return _cube(
        "09588",
        "09588: Flytting, etter region, statistikkvariabel og år",
        {
            "Region": _dim("region", [f"K-{c}" for c in codes], codelists=[{"id": "agg_KommGjeldende"}]),
            "ContentsCode": _dim("statistikkvariabel", contents, labels),
            "Tid": _dim("år", [str(y) for y in years]),
        },
        arr,
    )


def jobs_cube() -> dict:
    """13470 in SSB's shape (region x industry x sex x age x contents x year) holding the one thing
    data/raw has from it: the real total of employed persons by place of work, 4th quarter 2017, per
    municipality at 2024 borders (valg_analyser's akvakultur_syss_2017_13470_arbeidssted.csv). Only the
    totals are real; the other industry and sex cells are present but empty (".."), so the refresh
    must pick the totals from the metadata by label."""
    t = pd.read_csv(RAW / "valg_analyser" / "akvakultur_syss_2017_13470_arbeidssted.csv", dtype={"kom2024": str})
    codes = list(t.kom2024)
    arr = np.full((len(codes), 2, 3, 1, 1, 1), np.nan)
    arr[:, 0, 0, 0, 0, 0] = t.syss_total_2017.to_numpy()
    return _cube(
        "13470",
        "13470: Sysselsatte per 4. kvartal, etter arbeidsstedskommune, næring (SN2007), "
        "kjønn, alder, statistikkvariabel og år",
        {
            "Region": _dim("arbeidsstedsregion", [f"K-{c}" for c in codes], codelists=REGION_CODELISTS),
            "NACE2007": _dim("næring (SN2007)", ["00-99", "03"], ["Alle næringer", "Fiske og akvakultur"]),
            "Kjonn": _dim("kjønn", ["0", "1", "2"], ["Begge kjønn", "Menn", "Kvinner"]),
            "Alder": _dim("alder", ["15-74"], ["15-74 år"]),
            "ContentsCode": _dim("statistikkvariabel", ["Sysselsatte"], ["Sysselsatte personer"]),
            "Tid": _dim("år", ["2017"]),
        },
        arr,
    )


@pytest.fixture(scope="module")
def cubes(csdata):
    return (*population_cubes(csdata), components_cube(), migration_cube(), jobs_cube())


@pytest.fixture
def ssb(fake_pxweb, cubes):
    municipal, nation, components, migration, jobs = cubes
    fake_pxweb.add(municipal, codelist="agg_KommSummer")
    fake_pxweb.add(nation)
    fake_pxweb.add(components, codelist="agg_KommSummerHist")
    fake_pxweb.add(migration, codelist="agg_KommGjeldende")
    fake_pxweb.add(jobs, codelist="agg_KommSummer")
    return fake_pxweb


@pytest.fixture
def dest(tmp_path, monkeypatch):
    path = tmp_path / "local-snapshot"
    monkeypatch.setenv("BLILYST_DATA_DIR", str(path))
    load_snapshot.cache_clear()
    yield path
    load_snapshot.cache_clear()


def make_client(server, tmp_path, sleeps, **kw):
    return PxWebClient(
        server.v2,
        v0_url=server.v0,
        cache=ResponseCache(tmp_path / "cache"),
        sleep=sleeps,
        table_info_ttl=0,
        offline_cache=False,
        max_cells=kw.pop("max_cells", 120_000),
        **kw,
    )


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(path)).encode() + f.read_bytes())
    return h.hexdigest()


def file_digests(path: Path) -> dict[str, str]:
    return {str(f.relative_to(path)): hashlib.sha256(f.read_bytes()).hexdigest() for f in path.rglob("*.json")}


def test_refresh_writes_a_local_snapshot_with_real_numbers(ssb, ssb_server, tmp_path, sleeps, dest):
    steps = []
    result = refresh_snapshot(
        dest,
        client=make_client(ssb_server, tmp_path, sleeps),
        first_year=2024,
        progress=lambda step, done, total: steps.append((step, done, total)),
    )
    assert result.skipped == {}
    assert result.tables == UPDATED
    assert result.datasets["population"] == 3 * 357 * 2 * 106
    assert ("07459 population by municipality", 2, 2) in steps  # 228k cells in two requests
    assert {s for s, _, _ in steps} >= {
        "07459 population of Norway",
        "06913 population change",
        "09588 moves",
        "07459 population totals",
    }

    snap = load_snapshot()
    assert snap.origin == "local"
    pop = snap.population
    totals = pop.groupby(["municipality", "year"])["population"].sum()
    assert totals["4028", 2025] == 2_473  # Kviteseid
    assert totals["4032", 2026] == 1_274  # Fyresdal
    assert "9999" not in totals.index.get_level_values(0) and pop.municipality.nunique() == 357
    assert snap.national_population.query("year == 2024")["population"].sum() == 5_550_203
    flags = snap.population_flags
    assert flags.to_dict("records")[0] | {"note": ""} == {
        "municipality": "1580",
        "year_from": 2024,
        "year_to": 2024,
        "note": "",
    }
    assert totals["1580", 2024] == 0 and totals["1580", 2025] == 9_409  # Haram

    comp = snap.components_2011_2025.set_index("municipality")
    kviteseid = comp.loc["4028"]
    assert (kviteseid.pop_start, kviteseid.pop_end) == (2_501, 2_463)
    assert (kviteseid.natural_increase_sum, kviteseid.net_migration_sum) == (-159, 126)
    assert (kviteseid.population_change_sum, kviteseid.residual_sum) == (-38, -5)
    assert bool(kviteseid.comparable)
    assert comp.loc["4036", "population_change_sum"] == 168  # Vinje

    annual = snap.components_annual
    assert list(annual.columns) == ["municipality", "year", "component", "persons"]
    from_06913 = annual[~annual.municipality.isin(set(TELEMARK.values()))]
    # 06913's in- and out-migration are all moves (PXWEBAPI.md): no domestic component is made of them
    assert set(from_06913.component) == {"births", "deaths", "net_migration", "population_change"}
    # 09588 adds registered immigration, emigration and domestic moves where it has them (here Telemark)
    assert set(annual[annual.municipality == "4028"].component) == {
        "births",
        "deaths",
        "net_migration",
        "population_change",
        "immigration",
        "emigration",
        "domestic_in",
        "domestic_out",
    }
    assert annual.municipality.nunique() == 357  # K_4028 answers are read: nothing dropped
    assert sorted(from_06913.year.unique()) == list(range(2011, 2026))
    a = annual.set_index(["municipality", "year", "component"]).persons
    # Kviteseid 2024: 0-year-olds 1 Jan 2025 (23) as births, 2473 - 2458 (07459) as population change
    assert (a["4028", 2024, "births"], a["4028", 2024, "population_change"]) == (23, 15)
    assert a["4028", 2024, "deaths"] == 33 and a["4028", 2024, "net_migration"] == 9
    assert a["0301", 2025, "births"] == 8_986  # Oslo's 0-year-olds on 1 January 2026
    # Kviteseid 2024 from 09588 (Telemark fylkeskommune's real 01223 figures): domestic moves are the
    # in- and out-migration less immigration and emigration, found by the net domestic figure
    moves = {k: a["4028", 2024, k] for k in ("immigration", "emigration", "domestic_in", "domestic_out")}
    assert moves == KVITESEID_2024_MOVES
    kv = annual[annual.municipality == "4028"].pivot_table(index="year", columns="component", values="persons")
    kv = kv.loc[2011:2025, ["births", "deaths", "net_migration", "population_change"]]
    assert kv.sum().to_dict() == {"births": 295, "deaths": 454, "net_migration": 126, "population_change": -38}
    entry = snap.manifest["datasets"]["components_annual"]
    assert (entry["ssb_table"], entry["date"], entry["origin"]) == ("06913+09588", "2026-04-15", "local")
    assert "06913: Befolkning og endringer" in entry["provenance"]

    # 09588 has no age: migration by age stays the bundled Telemark data set
    assert snap.manifest["datasets"]["migration_by_age"]["origin"] == "bundled"

    entry = snap.manifest["datasets"]["population"]
    assert entry["ssb_table"] == "07459" and entry["credit"] == "Kilde: Statistisk sentralbyrå"
    assert entry["date"] == "2026-02-20" and entry["origin"] == "local"
    assert snap.manifest["datasets"]["mortality"]["origin"] == "bundled"  # the rest stays bundled


def test_a_failure_midway_leaves_the_previous_local_snapshot_intact(ssb, ssb_server, tmp_path, sleeps, dest):
    refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    before = tree_digest(dest)
    cached_data = file_digests(tmp_path / "cache" / "ssb" / "data")
    newer = components_cube()
    newer["updated"] = "2026-11-20T07:00:00Z"  # SSB publishes: the cached 06913 answer is out of date
    ssb.add(newer, codelist="agg_KommSummerHist")
    ssb.fail["06913"] = lambda req: Reply(500, {"title": "Internal Server Error"})
    ssb_server.route(V0 + "/no/table/06913/", Reply(500))
    with pytest.raises(SsbResponseError, match="500"):
        refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps, retries=1), first_year=2025)
    assert tree_digest(dest) == before
    after = file_digests(tmp_path / "cache" / "ssb" / "data")
    assert cached_data.items() <= after.items()  # no cached answer was lost or overwritten
    assert sorted(p.name for p in dest.parent.iterdir()) == ["cache", dest.name]  # no temporary leftovers
    load_snapshot.cache_clear()
    assert load_snapshot().population.year.max() == 2026


def test_offline_refresh_changes_nothing(tmp_path, sleeps, dest):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dest.mkdir()
    (dest / "keep.txt").write_text("previous", encoding="utf-8")
    client = PxWebClient(
        f"http://127.0.0.1:{port}/api/pxwebapi/v2", v0_url=None, cache=ResponseCache(tmp_path / "cache"), sleep=sleeps
    )
    with override("en"), pytest.raises(SsbUnavailable, match="You are offline or SSB is not answering"):
        refresh_snapshot(dest, client=client)
    assert [p.name for p in dest.iterdir()] == ["keep.txt"]


def test_missing_optional_tables_are_skipped_and_earlier_local_data_kept(ssb, ssb_server, tmp_path, sleeps, dest):
    refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    del ssb.tables["13470"]
    for path in ("", "/metadata", "/data"):
        ssb_server.routes.pop((None, f"/api/pxwebapi/v2/tables/13470{path}"))
    result = refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    assert "SSB har ingen tabell «13470»" in result.skipped["jobs"]  # bokmål, the default
    assert "beholdt fra forrige lokale øyeblikksbilde" in result.skipped["jobs"]
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["datasets"]["jobs"]["ssb_table"] == "13470"
    assert len(pd.read_parquet(dest / "jobs.parquet")) == result.datasets["jobs"]


def test_an_optional_tables_400_is_reported_and_skipped(ssb, ssb_server, tmp_path, sleeps, dest):
    """A 4xx on an optional table (here 09588 answering 400 "Non-existent variable", as SSB does when asked
    for a variable the table lacks) is reported and skipped; the rest of the refresh is written."""
    ssb.fail["09588"] = lambda req: Reply(400, {"title": "Non-existent variable", "status": 400})
    result = refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    assert "SSB avviste spørringen mot tabell 09588" in result.skipped["09588"]
    assert "Non-existent variable" in result.skipped["09588"]
    annual = load_snapshot().components_annual
    assert set(annual.component) == {"births", "deaths", "net_migration", "population_change"}  # 06913 only


def test_09588_is_never_asked_for_an_age(ssb, ssb_server, tmp_path, sleeps, dest):
    refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    asked = ssb_server.hits("/api/pxwebapi/v2/tables/09588/data")
    assert asked and all("valueCodes[Alder]" not in r.query for r in asked)
    assert all(r.query.get("codelist[Region]") == ["agg_KommGjeldende"] for r in asked if r.method == "GET")


def test_an_incomplete_answer_is_refused(ssb, ssb_server, tmp_path, sleeps, dest):
    with pytest.raises(SsbResponseError, match="mangler 1 av dagens kommuner \\(9999\\)"):
        refresh_snapshot(
            dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2025, municipalities=["4028", "9999"]
        )
    assert not dest.exists()


def test_accounts_use_registered_annual_components_where_the_table_has_them(ssb, ssb_server, tmp_path, sleeps, dest):
    from blilyst.demography.accounts import accounts_from_snapshot

    ssb.add(components_cube(range(2011, 2025)), codelist="agg_KommSummerHist")  # 2025 not yet published
    result = refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2024)
    # 06913 without 2025 cannot give the 2011-2025 sums: refused, never written short
    assert result.skipped["components_2011_2025"].startswith("avvist: natural_increase_sum for 2011–2025")
    snap = load_snapshot()
    annual = snap.components_annual
    assert annual[annual.component == "births"].year.max() == 2024
    acc = accounts_from_snapshot(["0301", "4028"], snapshot=snap)
    assert acc.years == [2024, 2025]
    assert acc.check_identity() < 1e-6
    w = acc.wide().set_index(["municipality", "year"])
    kv = w.loc[("4028", 2024)]
    assert (kv.population_start, kv.births, kv.deaths, kv.net_migration, kv.population_end) == (2_458, 23, 33, 9, 2_473)
    assert kv.natural_increase == -10 and kv.residual == 2_473 - 2_458 + 10 - 9  # 16: closes the account
    assert kv.estimated == ""  # every figure registered
    # 09588's registered moves (Kviteseid 2024): gross in = domestic in + immigration, and the split
    moves = KVITESEID_2024_MOVES
    assert (kv.domestic_in, kv.domestic_out) == (moves["domestic_in"], moves["domestic_out"])
    assert kv.in_migration == moves["domestic_in"] + moves["immigration"]
    assert kv.international_net == moves["immigration"] - moves["emigration"]
    oslo = w.loc[("0301", 2024)]
    assert pd.isna(oslo.in_migration)  # 06913 has no gross moves apart and 09588 none for Oslo here: none made up
    later = w.loc[("0301", 2025)]
    assert {"births", "deaths", "net_migration"} <= set(later.estimated.split(", ")) and later.residual == 0
    t = acc.totals.set_index(["municipality", "year", "component"]).source
    assert t["0301", 2024, "births"] == "registered" and t["0301", 2025, "births"] == "estimated"
    assert t["0301", 2024, "natural_increase"] == "registered"


def quarterly_cube(annual: dict) -> dict:
    """01223 in the shape PXWEBAPI.md records: quarters ``2011K1``..``K4``, ``agg_KommSummer`` with ``K-``
    codes, contents ``Folketallet1, Fodte2, Dode3, Fodselsoverskudd4, Innvandring5, Utvandring6,
    Tilflytting7, Fraflytting8, Nettoinnflytting9, Folketilvekst10, Folketallet11`` with the bokmål labels
    of Telemark fylkeskommune's real 01223 export ("Folkevekst" for the change), and flows **cumulative
    within the year**: K4 is the whole year. The yearly figures are 06913's (above); K1-K3 are a quarter,
    half and three quarters of them (derived), and the moves of the Telemark municipalities are their real
    01223 figures."""
    codes = [
        "Folketallet1",
        "Fodte2",
        "Dode3",
        "Fodselsoverskudd4",
        "Innvandring5",
        "Utvandring6",
        "Tilflytting7",
        "Fraflytting8",
        "Nettoinnflytting9",
        "Folketilvekst10",
        "Folketallet11",
    ]
    labels = [
        "Befolkning ved inngangen av kvartalet",
        "Fødde",
        "Døde",
        "Fødselsoverskudd",
        "Innvandring",
        "Utvandring",
        "Innflytting, innalandsk",
        "Utflytting, innalandsk",
        "Nettoinnflytting inkl. inn- og utvandring",
        "Folkevekst",
        "Befolkning ved utgangen av kvartalet",
    ]
    yearly = np.array([np.nan if v is None else v for v in annual["value"]]).reshape(annual["size"])
    regions = [f"K-{c[2:]}" for c in annual["dimension"]["Region"]["category"]["index"]]
    years = [int(y) for y in annual["dimension"]["Tid"]["category"]["index"]]
    values = np.full((len(regions), len(codes), len(years)), np.nan)
    # 06913 order: Folkemengde, Levende, Dode, Fodselsoverskudd, Innflyttinger, Utflyttinger, Netto, Folketilvekst
    for ours, theirs in ((1, 1), (2, 2), (3, 3), (8, 6), (9, 7)):
        values[:, ours] = yearly[:, theirs]
    t = telemark_01223()
    t = t[t.year.isin(years)]
    rows, cols = t.code.map(lambda c: regions.index(f"K-{c}")).to_numpy(), t.year.map(years.index).to_numpy()
    for k, col in (
        (4, "Innvandring"),
        (5, "Utvandring"),
        (6, "Innflytting, innalandsk"),
        (7, "Utflytting, innalandsk"),
    ):
        values[rows, k, cols] = t[col].to_numpy()
    cumulative = np.stack([np.round(values * q / 4) for q in (1, 2, 3)] + [values], axis=-1)
    quarters = cumulative.reshape(len(regions), len(codes), len(years) * 4)
    dims = {
        "Region": _dim("region", regions, codelists=[{"id": "agg_KommSummer"}]),
        "ContentsCode": _dim("statistikkvariabel", codes, labels),
        "Tid": _dim("kvartal", [f"{y}K{q}" for y in years for q in range(1, 5)]),
    }
    cube = _cube(
        "06913", "01223: Befolkningsendringer i kvartalet, etter region, statistikkvariabel og kvartal", dims, quarters
    )
    cube["extension"]["px"]["tableid"] = "01223"
    return cube


def test_quarterly_fallback_01223_takes_k4_as_the_year(ssb, ssb_server, tmp_path, sleeps, dest):
    annual = components_cube()
    del ssb.tables["06913"]
    for path in ("", "/metadata", "/data"):
        ssb_server.routes.pop((None, f"/api/pxwebapi/v2/tables/06913{path}"))
    quarterly = quarterly_cube(annual)
    regions = list(quarterly["dimension"]["Region"]["category"]["index"])
    values = np.array([np.nan if v is None else v for v in quarterly["value"]], dtype=float).reshape(quarterly["size"])
    values[regions.index("K-4028"), :, 0:4] = 0  # Kviteseid 2011 as SSB's aggregate shows "no figure"
    quarterly["value"] = [None if np.isnan(v) else int(v) for v in values.ravel()]
    ssb.add(quarterly, codelist="agg_KommSummer")
    result = refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    assert "01223" in result.tables and "06913" not in result.tables
    snap = load_snapshot()
    a = snap.components_annual.set_index(["municipality", "year", "component"]).persons
    # the K4 figures, not the sum of the cumulative quarters (which would be 2.5 times too large)
    assert (a["4028", 2024, "births"], a["4028", 2024, "deaths"], a["4028", 2024, "population_change"]) == (
        23,
        33,
        15,
    )  # the same as 06913's annual figures
    assert a["0301", 2025, "births"] == 8_986
    assert ("4028", 2011, "births") not in a.index  # all zero: absent, not registered zeros
    assert snap.manifest["datasets"]["components_2011_2025"]["ssb_table"] == "01223"


def test_annual_contents_are_recognised_by_label():
    from blilyst.stats.jsonstat import parse_jsonstat
    from blilyst.stats.refresh import _annual_codes, _component_codes

    # SSB 06913's contents (nynorsk labels as published)
    codes = [
        "Folketalet1",
        "Fodde2",
        "Dode3",
        "Fodselsoverskudd4",
        "Innvandring5",
        "Utvandring6",
        "Innflytting7",
        "Utflytting8",
        "Nettoinnflytting9",
        "Folketilvekst10",
    ]
    labels = [
        "Folketalet 1. januar",
        "Levandefødde",
        "Døde",
        "Fødselsoverskot",
        "Innvandring",
        "Utvandring",
        "Innflytting (innanlandsk)",
        "Utflytting (innanlandsk)",
        "Nettoinnflytting inkl. inn- og utvandring",
        "Folketilvekst",
    ]
    meta = parse_jsonstat(
        {
            "class": "dataset",
            "id": ["ContentsCode"],
            "size": [10],
            "value": [],
            "dimension": {"ContentsCode": _dim("statistikkvariabel", codes, labels)},
        },
        require_values=False,
    )
    assert _annual_codes(meta, _component_codes(meta)) == {
        "births": "Fodde2",
        "deaths": "Dode3",
        "immigration": "Innvandring5",
        "emigration": "Utvandring6",
        "domestic_in": "Innflytting7",
        "domestic_out": "Utflytting8",
        "net_migration": "Nettoinnflytting9",
        "population_change": "Folketilvekst10",
    }


def test_component_contents_are_recognised_by_label_preferring_total_net_migration():
    from blilyst.stats.jsonstat import parse_jsonstat
    from blilyst.stats.refresh import _component_codes

    codes = ["Folketallet1", "Fodselsoverskudd", "Innflytting", "Netto2", "Nettoinnflytting", "Folketilvekst10"]
    labels = [
        "Befolkning 1. januar",
        "Fødselsoverskudd",
        "Innflytting (innenlandsk)",
        "Nettoinnflytting (innenlandsk)",
        "Nettoinnflytting, inklusive inn- og utvandring",
        "Folketilvekst",
    ]
    meta = parse_jsonstat(
        {
            "class": "dataset",
            "id": ["ContentsCode"],
            "size": [6],
            "value": [],
            "dimension": {"ContentsCode": _dim("statistikkvariabel", codes, labels)},
        },
        require_values=False,
    )
    assert _component_codes(meta) == {
        "natural": "Fodselsoverskudd",
        "net": "Nettoinnflytting",
        "change": "Folketilvekst10",
    }


def _bundled_jobs() -> pd.DataFrame:
    from blilyst.stats import snapshot as snapshot_module

    return pd.read_parquet(snapshot_module.BUNDLED_DIR / "jobs.parquet")


def test_refresh_writes_jobs_from_13470_beside_the_bundled_years(ssb, ssb_server, tmp_path, sleeps, dest):
    """13470's totals are picked from its metadata by label ("Alle næringer", "Begge kjønn", the one
    age group) and merged with the bundled 2005 and 2015 that the table lacks."""
    result = refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    assert result.tables["13470"] == UPDATED["13470"] and "jobs" not in result.skipped
    assert result.datasets["jobs"] == 3 * 357
    (data,) = [r for r in ssb_server.requests if r.path.endswith("/tables/13470/data")]
    if data.method == "POST":
        chosen = {s["variableCode"]: s["valueCodes"] for s in data.json()["selection"]}
    else:
        chosen = {
            k[len("valueCodes[") : -1]: v[0].split(",") for k, v in data.query.items() if k.startswith("valueCodes[")
        }
    assert (chosen["NACE2007"], chosen["Kjonn"], chosen["Alder"]) == (["00-99"], ["0"], ["15-74"])
    snap = load_snapshot()
    jobs = snap.jobs.set_index(["municipality", "year"])
    assert jobs.loc[("0301", 2017), "jobs"] == 471_615 and jobs.loc[("0301", 2017), "source"] == "SSB 13470"
    assert jobs.loc[("1103", 2017), "jobs"] == 79_445  # Stavanger, as in the valg_analyser file
    bundled = _bundled_jobs().set_index(["municipality", "year"])
    assert jobs.loc[("4036", 2005), "jobs"] == bundled.loc[("4036", 2005), "jobs"]
    assert set(jobs.xs(2015, level="year").source) == {"bundled"}
    # the bundled 2017 came from the same table: the live figures equal it; the five municipalities
    # split in 2020 have no figure at today's borders in 2017 (0 in the file), so their bundled counts stay
    j17 = jobs.xs(2017, level="year")
    split = ["1806", "1875", "5055", "5056", "5059"]
    assert sorted(j17[j17.source == "bundled"].index) == split
    assert (j17.jobs == bundled.xs(2017, level="year").jobs.reindex(j17.index)).all()
    entry = snap.manifest["datasets"]["jobs"]
    assert (entry["ssb_table"], entry["origin"], entry["date"]) == ("13470", "local", "2026-05-28")
    assert entry["years"] == {"SSB 13470": [2017], "bundled": [2005, 2015, 2017]}
    assert "years 2017 from 13470" in entry["provenance"]
    assert "(2005: all; 2015: all; 2017: 1806, 1875, 5055, 5056, 5059;" in entry["provenance"]


def test_attractiveness_runs_on_the_live_job_period(ssb, ssb_server, csdata, tmp_path, sleeps, dest, capsys):
    """With population 2016-2018 refreshed, jobs 2015 (bundled) to 2017 (13470) is a period, and net
    migration 2016-2017 is the *registered* one from components_annual (in this cube: statman's real
    15-year sums spread evenly over the years, see the module docstring)."""
    from blilyst.cli import main
    from blilyst.demography.attractiveness import attractiveness_from_snapshot, available_periods

    municipal, nation = population_cubes(csdata, POP_YEARS + LIVE_JOB_POP_YEARS)
    ssb.add(municipal, codelist="agg_KommSummer")
    ssb.add(nation)
    refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2016)
    snap = load_snapshot()
    periods = available_periods(snap.jobs, sorted(snap.population.year.unique()))
    assert periods == [(2015, 2017)]  # 2005 needs the 2006-2015 stocks, which this refresh did not fetch
    model = attractiveness_from_snapshot(snapshot=snap)  # the default: the only period
    assert model.period == "2015-2017" and model.migration_years == (2016, 2017)
    f = model.frame.set_index("municipality")
    assert set(f[f.in_fit].net_migration_source) == {"registered"}
    assert f.loc["4028", "net_migration"] == 16  # Kviteseid: 126 over 15 years -> 8 + 8
    assert f.loc["4028", "population_start"] == 2_448  # 07459, 1 January 2016
    assert f.loc["0301", "jobs_end"] == 471_615
    assert model.n >= 340 and 0 <= model.r2 <= 1

    assert main(["attractiveness", "Kviteseid", "--period", "2015-2017", "--format", "json", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert any("registered (SSB 06913/01223)" in n for n in payload["notes"])
    assert any("2017: SSB table 13470" in n and "2015: SSB register-based" in n for n in payload["notes"])


def test_missing_13470_keeps_the_bundled_jobs(ssb, ssb_server, tmp_path, sleeps, dest, capsys, monkeypatch):
    from blilyst.cli import main

    del ssb.tables["13470"]
    for path in ("", "/metadata", "/data"):
        ssb_server.routes.pop((None, f"/api/pxwebapi/v2/tables/13470{path}"))
    monkeypatch.setenv("BLILYST_SSB_URL", ssb_server.v2)
    monkeypatch.setenv("BLILYST_SSB_V0_URL", ssb_server.v0)
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path / "cache"))
    assert main(["data", "refresh", "--from-year", "2026", "--format", "json", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    (note,) = [n for n in payload["notes"] if n.startswith("Jobs:")]
    assert "no table '13470'" in note and "the bundled job counts stay in use" in note
    load_snapshot.cache_clear()
    snap = load_snapshot()
    assert snap.manifest["datasets"]["jobs"]["origin"] == "bundled"
    pd.testing.assert_frame_equal(
        snap.jobs.reset_index(drop=True),
        _bundled_jobs().reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
    )


def test_06913s_all_moves_are_not_taken_for_domestic_moves():
    from blilyst.stats.jsonstat import parse_jsonstat
    from blilyst.stats.refresh import _annual_codes, _component_codes

    dims = components_cube()["dimension"]["ContentsCode"]
    meta = parse_jsonstat(
        {
            "class": "dataset",
            "id": ["ContentsCode"],
            "size": [len(dims["category"]["index"])],
            "value": [],
            "dimension": {"ContentsCode": dims},
        },
        require_values=False,
    )
    assert _annual_codes(meta, _component_codes(meta)) == {
        "births": "Levende",
        "deaths": "Dode",
        "net_migration": "Nettoinnflytting",
        "population_change": "Folketilvekst",
    }


def test_region_codes_with_underscore_are_municipalities():
    from blilyst.stats.refresh import _municipality

    assert [_municipality(c) for c in ("K_4028", "K-4028", "4028", "F_40", "F-40", "0", "K-Rest")] == [
        "4028",
        "4028",
        "4028",
        None,
        None,
        None,
        None,
    ]


def test_a_refresh_never_writes_zeros_over_registered_components(ssb, ssb_server, tmp_path, sleeps, dest):
    """06913 answering zeros everywhere (what the old client made of the K_ codes it could not read) is
    refused against the bundled 2011-2025 sums; the bundled figures stay in use and the reason is given."""
    zeros = components_cube()
    zeros["value"] = [0 for _ in zeros["value"]]
    zeros["updated"] = "2026-11-20T07:00:00Z"
    ssb.add(zeros, codelist="agg_KommSummerHist")
    del ssb.tables["09588"]
    for path in ("", "/metadata", "/data"):
        ssb_server.routes.pop((None, f"/api/pxwebapi/v2/tables/09588{path}"))
    result = refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    assert result.skipped["components_2011_2025"].startswith("avvist: natural_increase_sum for 2011–2025 avviker")
    assert result.skipped["components_annual"].startswith("avvist: svaret hadde ingen tall")
    assert not (dest / "components_2011_2025.parquet").exists()
    snap = load_snapshot()
    assert snap.manifest["datasets"]["components_2011_2025"]["origin"] == "bundled"
    comp = snap.components_2011_2025.set_index("municipality")
    assert comp.loc["4028", "net_migration_sum"] == 126  # Kviteseid's registered sum, not 0


def test_a_population_that_differs_from_the_registered_years_is_refused(
    ssb, ssb_server, tmp_path, sleeps, dest, csdata
):
    municipal, _nation = population_cubes(csdata)
    values = np.array([np.nan if v is None else v for v in municipal["value"]], dtype=float)
    regions = list(municipal["dimension"]["Region"]["category"]["index"])
    cube = values.reshape(municipal["size"])
    cube[regions.index("K-4028"), 0, 40, 0, -1] += 5  # five more 40-year-old men in Kviteseid 2026
    municipal["value"] = [None if np.isnan(v) else int(v) for v in cube.ravel()]
    ssb.add(municipal, codelist="agg_KommSummer")
    with pytest.raises(SsbResponseError, match="avviker fra den medfølgende registrerte folkemengden i 1 av"):
        refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2026)
    assert not dest.exists()


def test_a_merged_then_split_municipality_is_flagged_on_both_sides(ssb, ssb_server, tmp_path, sleeps, dest):
    """07459 as PXWEBAPI.md describes Ålesund/Haram: with agg_KommSummer, Haram (1580) merged into Ålesund
    (1508) in 2020 and split off in 2024 is 0 in 2022-2023 and Ålesund whole. Built from the real stocks
    (csdata's Ålesund plus Haram for 2022-2023, Haram 0)."""
    raw = pd.read_parquet(RAW / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    years = [2011, 2022, 2023, 2024, 2025, 2026]
    municipal, nation = population_cubes(raw[raw.granularity_geo.isin(["municip", "nation"])], years)
    ssb.add(nation)
    regions = list(municipal["dimension"]["Region"]["category"]["index"])
    cube = np.array([np.nan if v is None else v for v in municipal["value"]], dtype=float).reshape(municipal["size"])
    cube[regions.index("K-1580"), :, :, 0, years.index(2024)] = (
        raw.query("location_code.str.endswith('1580') and calyear == 2024")[["sex", "age", "pop_jan1_n"]]
        .pivot_table(index="sex", columns="age", values="pop_jan1_n", observed=True)
        .loc[["male", "female"]]
        .to_numpy()
    )
    for t in (years.index(2022), years.index(2023)):
        cube[regions.index("K-1508"), :, :, 0, t] += cube[regions.index("K-1580"), :, :, 0, t]
        cube[regions.index("K-1580"), :, :, 0, t] = 0
    municipal["value"] = [None if np.isnan(v) else int(v) for v in cube.ravel()]
    ssb.add(municipal, codelist="agg_KommSummer")
    refresh_snapshot(dest, client=make_client(ssb_server, tmp_path, sleeps), first_year=2022)
    flags = load_snapshot().population_flags
    spans = {(r.municipality, r.year_from, r.year_to) for r in flags.itertuples()}
    assert {("1580", 2022, 2023), ("1508", 2022, 2023)} <= spans, flags
    assert "include 1580" in flags[flags.municipality == "1508"].note.iloc[0]


def test_a_damaged_previous_local_snapshot_is_replaced_not_carried_over(tmp_path, caplog):
    from blilyst.stats.refresh import _previous_local

    (tmp_path / "manifest.json").write_text("{not json", encoding="utf-8")
    assert _previous_local(tmp_path) is None
    assert "is unreadable" in caplog.text
    (tmp_path / "manifest.json").write_text('{"datasets": {"population": {"file": "gone.parquet"}}}', encoding="utf-8")
    assert _previous_local(tmp_path) is None  # the parquet file is missing: nothing is carried over
    assert _previous_local(tmp_path / "absent") is None
