"""The bundled snapshot holds the real numbers, and the loader survives corrupt files."""

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from blilyst.errors import SnapshotError
from blilyst.i18n import override
from blilyst.stats.register import get_register
from blilyst.stats.snapshot import BUNDLED_DIR, DATASETS, load_snapshot, write_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot(BUNDLED_DIR)


@pytest.fixture
def no_local(tmp_path, monkeypatch):
    """Point the local snapshot at an empty directory (and forget loaded snapshots)."""
    monkeypatch.setenv("BLILYST_DATA_DIR", str(tmp_path / "local"))
    load_snapshot.cache_clear()
    yield tmp_path / "local"
    load_snapshot.cache_clear()


def _pop_total(snap, code, year):
    p = snap.population
    return int(p.loc[(p.municipality == code) & (p.year == year), "population"].sum())


def test_population_covers_357_municipalities_2006_to_2026_by_sex_and_age(snap):
    p = snap.population
    assert snap.origin == "bundled"
    assert sorted(p.municipality.unique()) == get_register().codes()
    assert (p.year.min(), p.year.max()) == (2006, 2026)  # 2005 is incomplete in the source: skipped
    assert set(p.sex) == {"male", "female"}
    assert (p.age.min(), p.age.max()) == (0, 105)
    assert len(p) == 21 * 357 * 2 * 106
    assert p.population.dtype == np.int64 and p.municipality.dtype == object


def test_national_total_2024_is_ssbs(snap):
    nat = snap.national_population
    assert int(nat.loc[nat.year == 2024, "population"].sum()) == 5_550_203
    # the municipalities add up to the nation within the source's +-55 for persons with unknown municipality
    by_year = snap.population.groupby("year").population.sum() - nat.groupby("year").population.sum()
    assert by_year.abs().max() <= 55


def test_rural_municipalities_real_totals(snap):
    assert _pop_total(snap, "4032", 2026) == 1274  # Fyresdal
    assert _pop_total(snap, "4032", 2011) == 1351
    assert _pop_total(snap, "4036", 2026) == 3829  # Vinje
    assert _pop_total(snap, "4036", 2011) == 3661


def test_statman_end_population_equals_snapshot_2026_for_all_357(snap):
    comp = snap.components_2011_2025.set_index("municipality")
    pop2026 = snap.population[snap.population.year == 2026].groupby("municipality").population.sum()
    assert len(comp) == 357
    pd.testing.assert_series_equal(comp.pop_end.sort_index(), pop2026.sort_index(), check_names=False)


def test_start_population_differs_from_ssb_exactly_where_flagged(snap):
    comp = snap.components_2011_2025.set_index("municipality")
    pop2011 = snap.population[snap.population.year == 2011].groupby("municipality").population.sum()
    differs = set(comp.index[comp.pop_start != pop2011.reindex(comp.index)])
    flags = snap.population_flags
    flagged_2011 = set(flags.loc[(flags.year_from <= 2011) & (flags.year_to >= 2011), "municipality"])
    assert flagged_2011 == {"1508", "1580", "1806", "1875", "5055", "5056", "5059"}
    assert differs == flagged_2011


def test_alesund_and_haram_are_flagged_before_2024_as_a_50_50_split(snap):
    flags = snap.population_flags
    for code in ("1508", "1580"):
        rows = flags[flags.municipality == code]
        assert rows.year_from.min() == 2006 and rows.year_to.max() == 2023
        assert rows.note.str.contains("50%").all()
    assert _pop_total(snap, "1508", 2020) == _pop_total(snap, "1580", 2020) == 33_140
    assert _pop_total(snap, "1508", 2024) != _pop_total(snap, "1580", 2024)
    assert not flags.municipality.isin(["4036", "0301"]).any()


def test_population_cube_is_shaped_year_region_sex_age(snap):
    codes, years, cube = snap.population_cube()
    assert cube.shape == (21, 357, 2, 106) and cube.dtype == np.float64
    assert cube[years.index(2024)].sum() == pytest.approx(5_550_203, abs=55)
    codes, years, sub = snap.population_cube(["4036", "4032"], [2026, 2011])
    assert codes == ["4036", "4032"] and years == [2026, 2011]
    assert sub[0, 1].sum() == 1274 and sub[1, 0].sum() == 3661
    p = snap.population
    fyresdal_men_2026 = p[(p.municipality == "4032") & (p.year == 2026) & (p.sex == "male")]
    assert np.array_equal(sub[0, 1, 0], fyresdal_men_2026.sort_values("age").population.to_numpy())
    with pytest.raises(SnapshotError, match="3825"):
        snap.population_cube(["3825"])


def test_rates_and_births(snap):
    m = snap.mortality
    infant_2023 = m[(m.year == 2023) & (m.age == 0)].set_index("sex").mx
    assert infant_2023["female"] == pytest.approx(0.001777) and infant_2023["male"] == pytest.approx(0.002296)
    assert m.age.max() == 110
    f = snap.fertility
    assert f.loc[(f.year == 2022) & (f.age == 30), "asfr"].item() == pytest.approx(0.11686)
    assert (f.age.min(), f.age.max()) == (12, 55)
    b = snap.births
    assert b[b.year == 2023].births.sum() == 51_980


def test_immigrants_and_refugees_mapped_to_2024_codes(snap):
    imm = snap.immigrants_by_reason.set_index(["municipality", "year", "reason"]).persons
    assert imm[("4036", 2006, "all")] == 169  # K3825 Vinje in the source
    assert imm[("4036", 2021, "refugee")] == 130
    assert imm[("0301", 2006, "all")] == 93_502
    assert set(snap.immigrants_by_reason.municipality) <= set(get_register().codes())
    ref = snap.refugee_settlement.set_index(["municipality", "year", "measure"]).persons
    assert ref[("4036", 2016, "bosatt")] == 20  # 0834 Vinje, pre-2020 code
    assert ref[("4036", 2023, "vedtak")] == 55  # 3825 Vinje
    assert ref[("4036", 2023, "anmodning")] == 60
    split = snap.immigrants_by_reason
    assert split.loc[split.municipality == "1508", "apportioned"].any()


def test_jobs_2005_2015_mapped_from_428_and_2017(snap):
    jobs = snap.jobs
    totals = jobs.groupby("year").jobs.sum()
    assert totals[2015] == pytest.approx(2_568_610)  # S15 over the 428 old municipalities
    assert totals[2017] == 2_606_556
    assert jobs.groupby("year").municipality.nunique().tolist() == [357, 357, 357]
    vinje = jobs[jobs.municipality == "4036"].set_index("year").jobs
    assert (vinje[2005], vinje[2015]) == (1627, 1773)  # 0834 Vinje
    old = snap.jobs_old_structure
    assert old.old_code.nunique() == 428
    tysfjord = old[old.old_code == "1850"]
    assert set(tysfjord.current_code) == {"1806", "1875"} and tysfjord.weight.sum() == pytest.approx(1)


def test_telemark_migration_and_od_flows(snap):
    mig = snap.migration_by_age
    assert set(mig.municipality) <= {m.code for m in get_register().all() if m.county_code == "40"}
    fyresdal = mig[(mig.municipality == "4032") & (mig.year == 2025)]
    assert (fyresdal.in_migration.sum(), fyresdal.out_migration.sum()) == (70, 41)
    assert (fyresdal.in_migration - fyresdal.out_migration == fyresdal.net_migration).all()
    assert mig[mig.municipality == "4014"].year.nunique() == 10  # Kragerø, spelt "Kragerå" in 2025
    od = snap.od_flows
    assert od.groupby("direction").moves.sum().to_dict() == {"in": 7552, "out": 8116}
    skien_fyresdal = od[(od.origin == "4003") & (od.destination == "4032") & (od.direction == "in")]
    assert skien_fyresdal.moves.item() == 15


def test_sources_give_table_licence_and_credit_for_every_data_set(snap):
    src = snap.sources()
    assert list(src.columns) == ["dataset", "description", "ssb_table", "source_file", "date", "licence", "credit"]
    assert set(src.dataset) == set(DATASETS) | {"components_annual"}  # Telemark's 01223, bundled
    assert (src.licence.str.len() > 0).all() and (src.credit.str.len() > 0).all()
    pop = src.set_index("dataset").loc["population"]
    assert pop.ssb_table == "07459" and pop.credit == "Kilde: Statistisk sentralbyrå"
    assert isinstance(snap.version, str) and snap.version


def test_default_load_uses_bundled_without_local(no_local):
    snap = load_snapshot()
    assert snap.origin == "bundled"
    assert load_snapshot() is snap  # cached


def _small_population(snap, years=(2026,)):
    p = snap.population
    return p[p.year.isin(years)].copy()


def test_write_snapshot_makes_a_local_snapshot_that_takes_precedence(snap, no_local):
    pop = _small_population(snap)
    pop.loc[pop.municipality == "4032", "population"] += 1
    manifest = {
        "version": "test-1",
        "datasets": {
            "population": {
                "description": "test",
                "ssb_table": "07459",
                "source_file": "api",
                "date": "2026-03-01",
                "licence": "CC BY 4.0",
                "credit": "Kilde: Statistisk sentralbyrå",
            }
        },
    }
    write_snapshot({"population": pop}, manifest, no_local)
    local = load_snapshot()
    assert local.origin == "local" and local.version == "test-1"
    assert _pop_total(local, "4032", 2026) == 1274 + 212
    assert len(local.mortality) == len(snap.mortality)  # not in the local snapshot: from the bundled one
    assert local.sources().set_index("dataset").loc["population", "date"] == "2026-03-01"


def test_a_failed_write_leaves_the_previous_snapshot(snap, no_local):
    manifest = {
        "version": "v1",
        "datasets": {
            "births": {
                "description": "b",
                "ssb_table": "x",
                "source_file": "x",
                "date": "x",
                "licence": "x",
                "credit": "x",
            }
        },
    }
    write_snapshot({"births": snap.births}, manifest, no_local)
    bad = snap.births.drop(columns="births")
    with pytest.raises(SnapshotError, match="births"):
        write_snapshot({"births": bad}, {**manifest, "version": "v2"}, no_local)
    assert json.loads((no_local / "manifest.json").read_text())["version"] == "v1"
    assert not [p for p in no_local.parent.iterdir() if ".tmp-" in p.name]


def test_a_corrupt_local_snapshot_falls_back_to_bundled_with_a_warning(snap, no_local):
    manifest = {
        "version": "v1",
        "datasets": {
            "births": {
                "description": "b",
                "ssb_table": "x",
                "source_file": "x",
                "date": "x",
                "licence": "x",
                "credit": "x",
            }
        },
    }
    write_snapshot({"births": snap.births}, manifest, no_local)
    (no_local / "births.parquet").write_bytes(b"not parquet at all")
    load_snapshot.cache_clear()
    with pytest.warns(RuntimeWarning, match="births.parquet"):
        fallback = load_snapshot()
    assert fallback.origin == "bundled"
    assert fallback.births.births.sum() == snap.births.births.sum()


def test_a_corrupt_snapshot_directory_raises_naming_the_file_and_the_fix(tmp_path):
    copy = tmp_path / "snap"
    shutil.copytree(BUNDLED_DIR, copy)
    (copy / "population.parquet").write_bytes(b"\x00" * 100)
    with pytest.raises(SnapshotError) as info:
        load_snapshot(copy)
    # what to do, in the active language (bokmål unless told otherwise)
    assert "population.parquet" in str(info.value) and "Slett den lokale øyeblikksbildemappen" in str(info.value)
    (copy / "manifest.json").unlink()
    with pytest.raises(SnapshotError, match="manifest.json"):
        load_snapshot(tmp_path / "snap")


def test_a_snapshot_with_a_wrong_schema_is_refused(tmp_path, snap):
    copy = tmp_path / "snap"
    shutil.copytree(BUNDLED_DIR, copy)
    snap.births.rename(columns={"births": "count"}).to_parquet(copy / "births.parquet")
    with pytest.raises(SnapshotError, match="births"):
        load_snapshot(copy)


def test_write_snapshot_accepts_an_empty_data_set_and_refuses_bad_codes(snap, no_local):
    entry = {
        "description": "f",
        "ssb_table": "07459",
        "source_file": "api",
        "date": "2026",
        "licence": "CC BY 4.0",
        "credit": "Kilde: Statistisk sentralbyrå",
    }
    empty_flags = pd.DataFrame({"municipality": [], "year_from": [], "year_to": [], "note": []})
    write_snapshot(
        {"population_flags": empty_flags}, {"version": "e", "datasets": {"population_flags": entry}}, no_local
    )
    local = load_snapshot()
    assert local.origin == "local" and len(local.population_flags) == 0
    jobs = snap.jobs.assign(municipality=snap.jobs.municipality.str.lstrip("0"))
    with pytest.raises(SnapshotError, match="kolonnen «municipality» må inneholde firesifrede kommunenumre"):  # nb
        write_snapshot({"jobs": jobs}, {"version": "x", "datasets": {"jobs": entry}}, no_local)
    with override("nn"), pytest.raises(SnapshotError, match="må innehalde firesifra kommunenummer som tekst, fekk 301"):
        write_snapshot({"jobs": jobs}, {"version": "x", "datasets": {"jobs": entry}}, no_local)
    with override("en"), pytest.raises(SnapshotError, match="must hold four-digit municipality codes as strings"):
        write_snapshot({"jobs": jobs}, {"version": "x", "datasets": {"jobs": entry}}, no_local)


def test_a_local_snapshot_path_that_is_a_file_falls_back_to_bundled_with_a_warning(tmp_path, monkeypatch):
    garbage = tmp_path / "garbage"
    garbage.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("BLILYST_DATA_DIR", str(garbage))
    load_snapshot.cache_clear()
    try:
        with pytest.warns(RuntimeWarning, match="er ikke en mappe"):
            snap = load_snapshot()
        assert snap.origin == "bundled" and len(snap.population) == 21 * 357 * 2 * 106
    finally:
        load_snapshot.cache_clear()


def test_writing_where_a_file_is_in_the_way_is_a_snapshot_error_and_touches_nothing(snap, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file", encoding="utf-8")
    entry = {"description": "b", "ssb_table": "x", "source_file": "x", "date": "x", "licence": "x", "credit": "x"}
    for dest in (blocker, blocker / "snapshot"):
        with pytest.raises(SnapshotError, match="Kan ikke skrive et øyeblikksbilde til .*blocker"):
            write_snapshot({"births": snap.births}, {"version": "v", "datasets": {"births": entry}}, dest)
    assert blocker.read_text(encoding="utf-8") == "a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_every_data_set_names_its_table_raw_files_and_date_and_the_files_exist(snap):
    from blilyst.stats.build_snapshot import default_raw_dir

    raw = default_raw_dir()
    src = snap.sources().set_index("dataset")
    for name, row in src.iterrows():
        # the date a source was taken, or (03321 commuting, no stamp in its source) the data's own year
        assert row.ssb_table and row.date[:4].isdigit() and 2017 <= int(row.date[:4]) <= 2026, name
        files = [f.strip() for f in row.source_file.split(";")]
        assert files and all((raw / f).is_file() for f in files), (name, files)
        assert "Kilde:" in row.credit, name
    assert src.loc["components_2011_2025", "ssb_table"] == "06913"
    assert src.loc["od_flows", "ssb_table"] == "13864"
    assert src.loc["refugee_settlement", "credit"] == "Kilde: IMDi"
    assert snap.manifest["credit"] == "Kilde: Statistisk sentralbyrå"
    assert all(e.get("provenance") for e in snap.manifest["datasets"].values())


def test_components_annual_is_optional_bundled_for_telemark_and_checked_when_written(snap, no_local):
    from blilyst.stats.snapshot import OPTIONAL_DATASETS

    assert "components_annual" in OPTIONAL_DATASETS and "components_annual" not in DATASETS
    bundled = snap.components_annual  # SSB 01223 for the 17 Telemark municipalities, 1997-2025
    assert list(bundled.columns) == ["municipality", "year", "component", "persons"]
    assert bundled.municipality.nunique() == 17 and set(bundled.municipality.str[:2]) == {"40"}
    assert (bundled.year.min(), bundled.year.max()) == (1997, 2025)
    fyresdal = bundled[(bundled.municipality == "4032") & (bundled.year == 2022)].set_index("component").persons
    assert (fyresdal.births, fyresdal.deaths, fyresdal.immigration, fyresdal.domestic_in) == (7, 16, 25, 68)
    assert snap.sources().set_index("dataset").loc["components_annual", "ssb_table"] == "01223"
    # a local snapshot with it: Kviteseid's 2024 population change from the bundled 07459 stocks
    change = _pop_total(snap, "4028", 2025) - _pop_total(snap, "4028", 2024)
    frame = pd.DataFrame(
        {"municipality": ["4028"], "year": [2024], "component": ["population_change"], "persons": [float(change)]}
    )
    entry = {
        "description": "t",
        "ssb_table": "06913",
        "source_file": "api",
        "date": "2026-04-15",
        "licence": "CC BY 4.0",
        "credit": "Kilde: Statistisk sentralbyrå",
    }
    write_snapshot({"components_annual": frame}, {"version": "t", "datasets": {"components_annual": entry}}, no_local)
    local = load_snapshot()
    assert local.components_annual.to_dict("records") == [
        {"municipality": "4028", "year": 2024, "component": "population_change", "persons": 15.0}
    ]
    assert len(local.population) == len(snap.population)  # the rest from the bundled snapshot
    with pytest.raises(SnapshotError, match="components_annual» mangler kolonnene persons"):  # bokmål
        write_snapshot(
            {"components_annual": frame.drop(columns="persons")},
            {"version": "t2", "datasets": {"components_annual": entry}},
            no_local,
        )


def test_a_refresh_by_another_process_is_seen_without_a_restart(snap, no_local):
    """The web workers' case: another process writes the local snapshot; this one sees it at its next
    load_snapshot() (no cache_clear, no restart) and drops what it had computed from the old data."""
    import subprocess
    import sys
    import textwrap

    from blilyst.stats.snapshot import per_snapshot

    calls = []

    @per_snapshot(maxsize=8)
    def fyresdal_2026() -> float:
        calls.append(1)
        return _pop_total(load_snapshot(), "4032", 2026)

    assert load_snapshot().origin == "bundled"
    assert fyresdal_2026() == 1274 and fyresdal_2026() == 1274 and len(calls) == 1

    writer = textwrap.dedent(
        """
        from blilyst.stats.snapshot import BUNDLED_DIR, load_snapshot, local_dir, write_snapshot
        snap = load_snapshot(BUNDLED_DIR)
        pop = snap.population[snap.population.year == 2026].copy()
        pop.loc[pop.municipality == "4032", "population"] += 1
        entry = {"description": "t", "ssb_table": "07459", "source_file": "api", "date": "2026-12-01",
                 "licence": "CC BY 4.0", "credit": "Kilde: Statistisk sentralbyrå"}
        write_snapshot({"population": pop}, {"version": "other-process", "datasets": {"population": entry}},
                       local_dir())
        """
    )
    subprocess.run([sys.executable, "-c", writer], check=True, timeout=120)

    refreshed = load_snapshot()
    assert refreshed.origin == "local" and refreshed.version == "other-process"
    assert fyresdal_2026() == 1274 + 212  # recomputed: one more in each of its 212 sex-age cells
    assert len(calls) == 2
