"""Commuting (SSB 03321, 2017) in the evidence and the employment-led scenario, on the bundled data."""

from __future__ import annotations

import numpy as np
import pytest

from blilyst.demography.commuting import commuting_for, local_shares
from blilyst.demography.scenario_options import EmploymentOptions
from blilyst.demography.scenarios import run_scenario
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


def test_kviteseid_2017_as_ssb_counted_it(snap):
    """SOURCES.md: 1 085 jobs and 1 226 working residents, 725 both, 162 worked in Seljord, 57 in Oslo."""
    c = commuting_for(snap.commuting, "4028")
    assert c is not None and c.year == 2017
    assert (c.jobs, c.employed_residents, c.work_locally) == (1085, 1226, 725)
    assert c.out_to[0] == ("4022", 162) and ("0301", 57) in c.out_to
    assert c.local_share == pytest.approx(725 / 1226) and c.in_commuter_share == pytest.approx(1 - 725 / 1085)
    assert commuting_for(snap.commuting.iloc[0:0], "4028") is None


def test_every_municipality_has_commuting_and_the_matrix_adds_up(snap):
    share, year = local_shares(snap.commuting, sorted(snap.population.municipality.unique()))
    assert year == 2017 and len(share) == 357 and np.isfinite(share).all()
    assert ((share > 0) & (share <= 1)).all()
    assert snap.commuting.persons.sum() == pytest.approx(2_609_737, abs=5)  # SSB's 2017 total, to rounding


def test_employment_led_growth_goes_partly_to_in_commuters(snap):
    """With 1 % more jobs a year, Kviteseid's employed residents grow by 59 % of that (its residents' share
    working at home), not by all of it: fewer extra in-migrants are needed."""
    opts = EmploymentOptions(jobs_growth=0.01)
    res = run_scenario("4028", "employment-led", 10, opts, snapshot=snap)
    assert "SSB 03321 2017" in res.assumptions["labour force"].word("en") and "59%" in res.assumptions[
        "labour force"
    ].word("en")

    class WithoutCommuting:  # the same snapshot without the matrix: the old proportional assumption
        def __getattr__(self, name: str):
            frame = getattr(snap, name)
            return frame.iloc[0:0] if name == "commuting" else frame

    old = run_scenario("4028", "employment-led", 10, opts, snapshot=WithoutCommuting())
    assert "base-year ratio" in old.assumptions["labour force"].word("en")
    assert res.extra_migrants.sum() < old.extra_migrants.sum()
