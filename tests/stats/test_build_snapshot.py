"""Rebuilding from data/raw gives exactly the committed register and snapshot, and agrees with the raw files."""

import json

import pandas as pd
import pytest

from blilyst.errors import SnapshotError
from blilyst.i18n import override
from blilyst.stats import build_snapshot as bs
from blilyst.stats.register import REGISTER_FILE, Register
from blilyst.stats.snapshot import BUNDLED_DIR, DATASETS, load_snapshot

RAW = bs.default_raw_dir()


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """One full rebuild, through the maintainers' command ``blilyst data build-snapshot``."""
    from blilyst.cli import main

    out = tmp_path_factory.mktemp("rebuilt")
    assert main(["data", "build-snapshot", "--raw", str(RAW), "--dest", str(out / "snapshot")]) == 0
    load_snapshot.cache_clear()
    return out, json.loads((out / "snapshot" / "manifest.json").read_text())


def test_the_committed_register_is_what_the_raw_files_give(rebuilt):
    out, _ = rebuilt
    assert json.loads((out / "register.json").read_text()) == json.loads(REGISTER_FILE.read_text())


def test_the_committed_snapshot_is_what_the_raw_files_give(rebuilt):
    out, manifest = rebuilt
    fresh = load_snapshot(out / "snapshot")
    bundled = load_snapshot(BUNDLED_DIR)
    for name in DATASETS:
        pd.testing.assert_frame_equal(fresh.frame(name), bundled.frame(name), obj=name)
    assert fresh.manifest["datasets"] == bundled.manifest["datasets"]
    assert manifest["credit"] == "Kilde: Statistisk sentralbyrå"
    assert all(e["rows"] > 0 and e["licence"] and e["credit"] for e in manifest["datasets"].values())


def test_population_equals_the_raw_07459_export_for_2024():
    raw = pd.read_csv(RAW / "csdata" / "norway_population_by_age_sex_2024.csv", sep=";", skiprows=2, encoding="latin-1")
    raw = raw[raw.region.str.match(r"K-\d{4} ")]
    raw["municipality"] = raw.region.str[2:6]
    raw["age"] = raw.age.str.extract(r"^(\d+)")[0].astype(int)
    snap = load_snapshot(BUNDLED_DIR)
    p = snap.population[snap.population.year == 2024]
    wide = p.pivot_table(index=["municipality", "age"], columns="sex", values="population").reset_index()
    merged = raw.merge(wide, on=["municipality", "age"])
    assert len(merged) == 357 * 106
    assert (merged["Persons 2024 Males"] == merged.male).all()
    assert (merged["Persons 2024 Females"] == merged.female).all()


def test_statman_end_population_equals_the_raw_csdata_2026():
    statman = pd.read_csv(RAW / "statman" / "befolkningsvekst_kommune_2011_2025.csv", dtype={"kommunenummer": str})
    raw = pd.read_parquet(RAW / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    raw = raw[(raw.granularity_geo == "municip") & (raw.calyear == 2026)]
    totals = raw.groupby(raw.location_code.str[-4:]).pop_jan1_n.sum()
    assert len(statman) == 357
    assert (statman.set_index("kommunenummer").folkemengde_slutt == totals.reindex(statman.kommunenummer).values).all()


def test_mapping_old_codes_conserves_persons():
    register = Register(json.loads(REGISTER_FILE.read_text()))
    frame = pd.DataFrame(
        {
            "old_code": ["0834", "1507", "3817", "0822"],
            "year": [2015, 2021, 2021, 2015],
            "persons": [10.0, 100.0, 7.0, 5.0],
        }
    )
    out = bs._map_codes(frame, register, "old_code", ["persons"], ["year"]).set_index(["municipality", "year"])
    assert out.persons.sum() == 122
    assert out.loc[("1508", 2021), "persons"] == 50 and out.loc[("1580", 2021), "apportioned"]
    assert out.loc[("4020", 2015), "persons"] == 5 and not out.loc[("4036", 2015), "apportioned"]


def test_a_missing_raw_directory_is_a_clear_error(tmp_path):
    with pytest.raises(SnapshotError, match="data/raw"):
        bs.build_register(tmp_path)
    with pytest.raises(SnapshotError, match="mangler. build-snapshot kjøres i en kildekodekopi"):  # bokmål
        bs.build_register(tmp_path)
    with override("en"), pytest.raises(SnapshotError, match="is missing. build-snapshot runs in a source checkout"):
        bs.build_register(tmp_path)
