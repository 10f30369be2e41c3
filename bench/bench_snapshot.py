"""Loading the bundled snapshot (all 13 data sets, all 357 municipalities) against reading the raw file.

Run: ``.venv/bin/python -m pytest bench/bench_snapshot.py --benchmark-only -p no:randomly``
(the file is collected when named on the command line).

Baseline, in the same session: reading the raw csdata population parquet (``data/raw``) and filtering
it to what the snapshot's population holds (municipalities, 2006+, four-digit codes). The snapshot
load does that and reads and validates the twelve other data sets, so it should be in the same range
and well under a second. Every round starts cold (caches cleared), so nothing is served from memory.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from blilyst.stats.build_snapshot import default_raw_dir
from blilyst.stats.register import REGISTER_FILE, Register
from blilyst.stats.snapshot import BUNDLED_DIR, DATASETS, load_snapshot

RAW_POPULATION = default_raw_dir() / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet"


def _raw_population() -> pd.DataFrame:
    raw = pd.read_parquet(RAW_POPULATION)
    raw = raw[(raw.granularity_geo == "municip") & (raw.calyear >= 2006)]
    return pd.DataFrame(
        {
            "municipality": raw.location_code.str[-4:],
            "year": raw.calyear,
            "sex": raw.sex,
            "age": raw.age,
            "population": raw.pop_jan1_n,
        }
    )


def _load_cold():
    load_snapshot.cache_clear()
    return load_snapshot(BUNDLED_DIR)


@pytest.mark.skipif(not RAW_POPULATION.exists(), reason="the baseline needs data/raw (a source checkout)")
def test_baseline_read_raw_csdata_population(benchmark):
    frame = benchmark(_raw_population)
    assert len(frame) == 21 * 357 * 2 * 106


def test_load_whole_snapshot(benchmark):
    snap = benchmark(_load_cold)
    assert set(snap.frames) == set(DATASETS)
    assert len(snap.population) == 21 * 357 * 2 * 106
    assert benchmark.stats.stats.mean < 1.0  # the promise in the docs: well under a second


def test_population_cube_all_municipalities(benchmark):
    def cube():
        snap = _load_cold()
        return snap.population_cube()

    _codes, _years, array = benchmark(cube)
    assert array.shape == (21, 357, 2, 106)


def test_register_load_and_resolve(benchmark):
    payload = json.loads(REGISTER_FILE.read_text(encoding="utf-8"))

    def build_and_resolve():
        reg = Register(payload)
        return [reg.resolve(t).code for t in ("kviteseid", "3825", "Aalesund", "Tromso")]

    assert benchmark(build_and_resolve) == ["4028", "4036", "1508", "5501"]
