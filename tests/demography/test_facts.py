"""Headline facts computed from the snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from blilyst.demography.accounts import accounts_from_snapshot
from blilyst.demography.facts import change_components, growth_without_migration, migration_age_profile
from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def accounts(snap):
    return accounts_from_snapshot(snapshot=snap)


def test_growth_without_migration_2012(accounts, snap):
    """The guidance: "300 municipalities grew in 2012; nearly half would have shrunk without
    immigration" (428 municipalities then). On today's 357: 243 grew in 2012, 86 of them had more
    deaths than births (registered for Telemark, SSB 01223; estimated elsewhere), and 90 grew by less than
    their immigrant population did."""
    with override("en"):
        fact = growth_without_migration(accounts, snap.immigrants_by_reason)
    with override("nn"):
        fact_nn = growth_without_migration(accounts, snap.immigrants_by_reason)
    row = fact.frame.set_index("year").loc[2012]
    assert (row.municipalities, row.grew, row.grew_only_by_migration) == (357, 243, 86)
    assert row.grew_only_by_immigrants == 90
    assert "estimated" in fact.text and "rekna ut" in fact_nn.text and "kommunar" in fact_nn.text
    assert "births" in fact.estimated


def test_growth_after_2022_was_mostly_migration(accounts):
    fact = growth_without_migration(accounts)
    t = fact.frame.set_index("year")
    # with the refugee arrivals from Ukraine, most growing municipalities grew only by migration
    assert t.loc[2022, "grew"] == 271 and t.loc[2022, "share_only_by_migration"] > 0.6
    assert "grew_only_by_immigrants" not in t  # no immigrant stocks given


def test_change_components_nationally_last_ten_years(accounts, snap):
    with override("en"):
        fact = change_components(accounts, immigrants=snap.immigrants_by_reason)
    total = fact.frame.set_index("municipality").loc["total"]
    # population change 2016-2025 equals the change in the 1 January stocks
    assert (total.population_start, total.population_end) == (5_213_985, 5_627_400)
    assert total.change == 413_415
    moved = total.boundary_change  # border changes cancel out over the country, up to SSB's unmatched pairs
    assert abs(moved) < 300
    assert total.change == pytest.approx(total.births - total.deaths + total.net_migration + moved + total.residual)
    assert total.births_share + total.deaths_share + total.net_migration_share == pytest.approx(1.0)
    assert "net immigration" in fact.text and "changed by +413,415" in fact.text
    with override("nb"):
        assert "seg med +413\u00a0415: " in change_components(accounts).text


def test_change_components_for_vinje(accounts):
    fact = change_components(accounts, ["4036"])
    row = fact.frame.set_index("municipality").loc["4036"]
    assert row.change == 102
    assert row.net_migration == 118  # registered (SSB 01223, 2016-2025)
    assert row.registered_years == 10
    with pytest.raises(InputError, match="municipalities"):
        change_components(accounts, ["9999"])


def test_age_profile_registered_for_vinje(snap):
    fact = migration_age_profile(snap.migration_by_age, municipalities=["4036"])
    prof = fact.frame.set_index("age_group")
    assert prof.in_share.sum() == pytest.approx(1.0)
    # 2016-2025, ages 0-70: 348 in-migrants aged 25-29, 375 out; 30-39 is the largest in-group
    assert (prof.loc["25-29", "in_migration"], prof.loc["25-29", "out_migration"]) == (348, 375)
    assert prof.in_share.idxmax() == "30-39"
    assert set(prof.source) == {"registered"}


def test_age_profile_estimated_elsewhere(snap, accounts):
    fact = migration_age_profile(
        snap.migration_by_age, accounts=accounts, municipalities=["0301"], years=list(range(2016, 2026))
    )
    prof = fact.frame.set_index("age_group")
    assert set(prof.source) == {"estimated"}
    # Oslo gains young adults and loses families with small children
    assert prof.loc["20-24", "net_migration"] > 40_000
    assert prof.loc["0-5", "net_migration"] < -15_000
    assert prof.loc["30-39", "net_migration"] < 0


def test_change_components_split_domestic_international_when_registered(snap):
    from blilyst.demography.accounts import build_accounts

    acc = build_accounts(
        snap.population,
        snap.mortality,
        migration_by_age=snap.migration_by_age,
        municipalities=["4036", "4032"],
        years=(2016, 2025),
        migration_scope="domestic",
    )
    fact = change_components(acc)
    f = fact.frame.set_index("municipality")
    assert f.loc["4036", "domestic_net"] == 119
    assert f.loc["4036", "international_net"] == pytest.approx(f.loc["4036", "net_migration"] - 119)
    assert f.loc["total", "domestic_net"] == f.loc["4036", "domestic_net"] + f.loc["4032", "domestic_net"]


def test_age_profile_leaves_out_the_years_a_merged_split_municipality_has_no_migration(snap, accounts):
    """Haram's and Ålesund's stocks 2006–2023 are half of the merged Ålesund each: their difference is not
    migration (it summed to −4 948 at ages 50–66 for Haram), so only 2024–2025 count, and the sentence says
    so (issue 8)."""
    years = list(range(2016, 2026))
    with override("en"):
        haram = migration_age_profile(None, accounts=accounts, municipalities=["1580"], years=years)
        alesund = migration_age_profile(None, accounts=accounts, municipalities=["1508"], years=years)
    assert haram.text.startswith("2024–2025:")
    assert "2016–2023 are left out" in haram.text
    assert haram.frame.net_migration.abs().max() < 300
    # Ålesund gained at every age in 2024–2025: never "the largest net out-migration" of a positive number
    assert alesund.frame.net_migration.min() > 0
    assert "more moved in than out at every age" in alesund.text and "out-migration is at" not in alesund.text


def test_components_of_a_merged_split_municipality_give_no_change_and_name_it(accounts, snap):
    """Haram's start stock (2016) is a fixed share of the merged Ålesund: no change (−22 623 was printed) and
    no immigrant change from the half-and-half split of Ålesund's immigrants; the sentence names Haram, not
    1580 (issue 8)."""
    with override("en"):
        fact = change_components(accounts, ["1580"], immigrants=snap.immigrants_by_reason)
        dyroy = change_components(accounts, ["5528"])
    row = fact.frame.set_index("municipality").loc["1580"]
    assert pd.isna(row.change) and pd.isna(row.net_migration)
    assert "immigrant_change" not in fact.frame or pd.isna(row.immigrant_change)
    assert "22,623" not in fact.text and "Haram had" in fact.text and "1580" not in fact.text
    assert "the population of Dyrøy changed by" in dyroy.text


def test_growth_without_immigrant_growth_says_how_old_its_figures_are(accounts, snap):
    """The immigrants by reason end on 1 January 2021: the sentence on 2020 says how old that is and why later
    years show '–' (issue 8: a sentence built on data older than three years says so)."""
    import datetime as dt

    with override("en"):
        text = growth_without_migration(accounts, snap.immigrants_by_reason).text
    age = dt.date.today().year - 2021
    assert "In 2020, 161 municipalities grew" in text
    assert f"These figures are from 2021, {age} years ago" in text
    assert "the immigrant figures end in 2021" in text


def test_a_year_without_net_migration_is_not_counted_as_registered(accounts):
    """Haram's components said registered_years 8 for 2016–2025: the 8 years with no net migration at all (fixed
    shares) were counted as registered (issue 8)."""
    row = change_components(accounts, ["1580"]).frame.set_index("municipality").loc["1580"]
    assert row.registered_years == 0
    assert change_components(accounts, ["4036"]).frame.set_index("municipality").loc["4036"].registered_years == 10
