"""Workforce measures against the registered population."""

import numpy as np
import pytest

from blilyst.demography.workforce import retirements_by_industry, workforce_frame, workforce_measures
from blilyst.errors import InputError
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def fyresdal():
    snap = load_snapshot()
    _codes, _years, cube = snap.population_cube(municipalities=["4032"], years=[2016, 2026])
    p = snap.population
    return cube, p[p["municipality"] == "4032"]


def _count(p, year, lo, hi):
    return p.loc[(p["year"] == year) & p["age"].between(lo, hi), "population"].sum()


def test_measures_equal_direct_counts_from_the_register_data(fyresdal):
    cube, p = fyresdal
    m = workforce_measures(cube[1, 0])
    assert m["population"] == _count(p, 2026, 0, 105) == 1274
    assert m["working_age"] == _count(p, 2026, 20, 66)
    assert m["age_67_plus"] == _count(p, 2026, 67, 105)
    assert m["reaching_67"] == _count(p, 2026, 66, 66)
    assert m["reaching_20"] == _count(p, 2026, 19, 19)
    assert m["old_age_dependency"] == pytest.approx(_count(p, 2026, 67, 105) / _count(p, 2026, 20, 66))


def test_fyresdal_is_ageing(fyresdal):
    cube, _ = fyresdal
    m = workforce_measures(cube[:, 0])
    assert m["old_age_dependency"][1] > m["old_age_dependency"][0]


def test_frame_labels(fyresdal):
    cube, _ = fyresdal
    f = workforce_frame(cube, ["4032"], [2016, 2026])
    assert f["year"].tolist() == [2016, 2026]
    assert np.isfinite(f["replacement_ratio"]).all()
    _, p = fyresdal
    row = f.set_index("year").loc[2026]
    assert row.replacement_ratio == pytest.approx(_count(p, 2026, 19, 19) / _count(p, 2026, 66, 66))
    assert row.population == 1274 and row.municipality == "4032"


def test_retirements_by_industry_says_what_data_it_needs():
    with pytest.raises(InputError) as info:
        retirements_by_industry()
    assert "07984" in str(info.value)


def test_too_few_ages():
    with pytest.raises(InputError):
        workforce_measures(np.ones((2, 50)))


def test_retirements_by_industry_from_a_users_table():
    """Hand-computed: health care has 10 aged 66 and 30 aged 60-65 (5 a year), teaching 4 aged 64."""
    import pandas as pd

    emp = pd.DataFrame(
        {
            "industry": ["health", "health", "teaching", "health"],
            "age": [66, "60-65", "64", "30-39"],
            "employed": [10, 30, 4, 100],
        }
    )
    f = retirements_by_industry(emp, base_year=2026, years=8)
    health = f[f.industry == "health"].set_index("year").retiring
    # aged 66 on 1 January 2026 reach 67 in 2026; aged 65 in 2027; ... aged 60 in 2032; aged 59 in 2033
    assert health.tolist() == [10, 5, 5, 5, 5, 5, 5, 0]
    teaching = f[f.industry == "teaching"].set_index("year").retiring
    assert teaching[2028] == 4 and teaching.sum() == 4
    assert f[(f.industry == "health") & (f.year == 2026)].share.iloc[0] == pytest.approx(10 / 140)


@pytest.mark.parametrize(
    "frame, field",
    [
        ({"industry": ["a"], "age": [60]}, "employed"),
        ({"industry": ["a"], "age": [60], "employed": [-1]}, "employed"),
        ({"industry": ["a"], "age": ["sixty"], "employed": [1]}, "age"),
        ({"industry": ["a"], "age": ["70-60"], "employed": [1]}, "age"),
        ({"industry": ["a"], "age": [200], "employed": [1]}, "age"),
    ],
)
def test_retirements_by_industry_bad_tables_name_the_field(frame, field):
    import pandas as pd

    with pytest.raises(InputError) as info:
        retirements_by_industry(pd.DataFrame(frame), base_year=2026)
    assert info.value.field == field
