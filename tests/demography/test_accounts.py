"""Demographic accounts on the real snapshot, validated against SSB's registered figures."""

from __future__ import annotations

import numpy as np
import pytest

from blilyst.demography.accounts import (
    COMPONENTS,
    accounts_from_snapshot,
    build_accounts,
    compare_with_period_sums,
    registered_period,
)
from blilyst.errors import InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


@pytest.fixture(scope="module")
def accounts(snap):
    return accounts_from_snapshot(snapshot=snap)


def test_accounts_cover_every_municipality_and_year(accounts, snap):
    assert len(accounts.municipalities) == 357
    assert accounts.years[0] == 2006
    assert accounts.years[-1] == int(snap.population.year.max()) - 1
    # domestic/international only where registered: the Telemark municipalities (SSB 01223)
    assert set(accounts.totals.component) == set(COMPONENTS)
    split = accounts.totals[accounts.totals.component == "domestic_in"].municipality
    assert set(split) == {c for c in accounts.municipalities if c.startswith("40")}


def test_accounting_identity_holds_for_every_row(accounts):
    assert accounts.check_identity() < 1e-6


def test_every_figure_says_registered_or_estimated(accounts):
    assert set(accounts.totals.source) == {"registered", "estimated"}
    assert accounts.totals.value.notna().all()
    by_age = accounts.by_age("4036")
    assert set(by_age.source) == {"registered", "estimated"}


def test_telemark_migration_is_registered_elsewhere_estimated(accounts):
    w = accounts.wide()
    fyresdal = w[(w.municipality == "4032") & (w.year == 2022)].iloc[0]
    # SSB 01223 for Fyresdal 2022: 68 domestic + 25 immigrants in, 53 + 4 out, 7 born, 16 died
    assert (fyresdal.in_migration, fyresdal.out_migration, fyresdal.net_migration) == (93, 57, 36)
    assert (fyresdal.births, fyresdal.deaths, fyresdal.international_net) == (7, 16, 21)
    assert fyresdal.estimated == ""
    oslo = w[(w.municipality == "0301") & (w.year == 2022)].iloc[0]
    assert "net_migration" in oslo.estimated
    assert np.isnan(oslo.in_migration)  # gross flows are not in the offline data
    assert oslo.residual == 0


def test_residual_term_is_small_where_migration_is_registered(accounts):
    """Registered Telemark migration against estimated births and deaths: the account closes with a
    residual of median 7 persons a year (0.13 % of the population), mostly local mortality above the
    national level."""
    w = accounts.wide()
    t = w[w.municipality.str.startswith("40") & (w.year >= 2016)]
    assert len(t) == 170
    assert t.residual.abs().median() < 8
    assert (t.residual.abs() / t.population_start).median() < 0.0015


def test_estimates_match_ssb_sums_2011_2025(accounts, snap):
    """Estimated natural increase and net migration summed 2011-2025 against SSB table 06913.

    323 municipalities comparable over the period (SSB's own flag; this drops the 2020 splits and
    Ålesund/Haram). Measured: median absolute error 1.09 % of the 2011 population for net migration
    and 1.10 % for natural increase (90th percentile 2.8 % and 3.0 %); correlation 0.997 for net
    migration. The two errors mirror each other because the population change is exact.
    """
    v = compare_with_period_sums(accounts, snap.components_2011_2025)
    assert len(v) == 323
    assert not v.municipality.isin(["1806", "1875", "5055", "5056", "5059", "1508", "1580"]).any()
    nm, ni = v.net_migration_error_pct.abs(), v.natural_increase_error_pct.abs()
    assert nm.median() < 1.2 and ni.median() < 1.2
    assert nm.quantile(0.9) < 3.0 and ni.quantile(0.9) < 3.1
    assert nm.max() < 7.5
    assert np.corrcoef(v.net_migration_est, v.net_migration_sum)[0, 1] > 0.99
    # nationally the estimated net migration is within 1 % of SSB's 424 085
    assert abs(v.net_migration_error.sum()) / v.net_migration_sum.sum() < 0.01


def test_registered_period_for_vinje(snap):
    reg = registered_period(snap.components_2011_2025, "4036")
    assert reg["natural_increase_sum"] == -9
    assert reg["comparable"] is True


def test_flagged_stocks_are_estimated(accounts):
    t = accounts.totals
    row = t[(t.municipality == "1580") & (t.year == 2015) & (t.component == "population_start")]
    assert row.source.item() == "estimated"
    row = t[(t.municipality == "1580") & (t.year == 2024) & (t.component == "population_start")]
    assert row.source.item() == "registered"


def test_year_range_and_bad_years(snap):
    a = build_accounts(snap.population, snap.mortality, municipalities=["4036", "4032"], years=(2015, 2020))
    assert a.years == [2015, 2016, 2017, 2018, 2019, 2020]
    assert a.municipalities == ["4036", "4032"]
    with pytest.raises(InputError, match="years"):
        build_accounts(snap.population, snap.mortality, municipalities=["4036"], years=(1990, 1995))
    with pytest.raises(InputError, match="municipalities: ingen folketall for 9999"):  # bokmål, the default
        build_accounts(snap.population, snap.mortality, municipalities=["9999"], years=(2015, 2016))
    with override("nn"), pytest.raises(InputError, match="years: ikkje mogleg å lage rekneskap for 1990, 1991"):
        build_accounts(snap.population, snap.mortality, municipalities=["4036"], years=(1990, 1995))
    with override("en"), pytest.raises(InputError, match="years: no account possible for 1990, 1991, "):
        build_accounts(snap.population, snap.mortality, municipalities=["4036"], years=(1990, 1995))


def test_cli_accounts_marks_estimates(capsys):
    import blilyst.cli.accounts  # noqa: F401  (registers the command)
    from blilyst.cli import main

    assert main(["accounts", "Vinje", "--years", "2022-2023", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "municipality,year,component,value,source"
    assert "4036,2022,net_migration,80.0,registered" in out
    assert ",births," in out and "beregnet" in out  # the method note, in bokmål by default
    assert "# Folketall 1. januar: SSB-tabell 07459" in out  # notes in the language (bokmål by default)
    assert main(["accounts", "Vinje", "--years", "2022"]) == 0
    table = capsys.readouterr().out
    assert "* = anslått; tall uten * er registrert." in table and "80" in table


def test_cli_accounts_bad_years(capsys):
    import blilyst.cli.accounts  # noqa: F401
    from blilyst.cli import main

    assert main(["accounts", "Vinje", "--years", "2025-2020"]) == 1
    assert capsys.readouterr().err == "Feil: --years: spennet 2025-2020 går baklengs\n"


def test_registered_telemark_moves_include_international_migration(snap):
    """The Telemark file counts all moves: in 2025 its in-migration to the 17 municipalities
    (9 248) exceeds the domestic moves in the 13864 origin-destination flows (7 552) by 1 696,
    and out-migration (8 841) exceeds domestic out-moves (8 116) by 725. So about +970 of the net
    +407 was international and about -560 domestic (if the OD extract is complete)."""
    m = snap.migration_by_age
    m = m[m.year == 2025][["in_migration", "out_migration"]].sum()
    od = snap.od_flows[snap.od_flows.year == 2025]
    dom_in = od[od.direction == "in"].moves.sum()
    dom_out = od[od.direction == "out"].moves.sum()
    assert (m.in_migration, m.out_migration, dom_in, dom_out) == (9248, 8841, 7552, 8116)
    international_net = (m.in_migration - dom_in) - (m.out_migration - dom_out)
    assert international_net == 971


def test_domestic_moves_give_estimated_international_net(snap):
    """With domestic-only registered moves (SSB 09588 after a refresh) the total stays the residual
    estimate and international net migration is estimated as total minus domestic."""
    a = build_accounts(
        snap.population,
        snap.mortality,
        migration_by_age=snap.migration_by_age,
        municipalities=["4036", "0301"],
        years=(2022, 2023),
        migration_scope="domestic",
    )
    t = a.totals.set_index(["municipality", "year", "component"])
    assert t.loc[("4036", 2022, "domestic_net"), "value"] == 80
    assert t.loc[("4036", 2022, "domestic_net"), "source"] == "registered"
    intl = t.loc[("4036", 2022, "international_net")]
    net = t.loc[("4036", 2022, "net_migration")]
    assert intl.source == "estimated" and net.source == "estimated"
    assert intl.value == pytest.approx(net.value - 80)
    assert ("0301", 2022, "domestic_net") not in t.index
    assert a.check_identity() < 1e-6
    with pytest.raises(InputError, match="migration_scope"):
        build_accounts(
            snap.population, snap.mortality, municipalities=["4036"], years=(2022, 2022), migration_scope="galactic"
        )


def test_registered_annual_components_replace_estimates_where_given(snap):
    import pandas as pd

    # Component inputs as SSB 06913 would give them (persons chosen for the test; the stocks are SSB's real
    # 07459 figures): Fyresdal 2022 complete, Oslo 2022 births only, every other municipality-year absent.
    rows = [
        ("4032", 2022, c, v)
        for c, v in [
            ("births", 11),
            ("deaths", 20),
            ("immigration", 30),
            ("emigration", 5),
            ("domestic_in", 70),
            ("domestic_out", 60),
            ("net_migration", 35),
            ("population_change", 6),
        ]
    ]
    rows.append(("0301", 2022, "births", 8_500))
    comp = pd.DataFrame(rows, columns=["municipality", "year", "component", "persons"])
    acc = build_accounts(
        snap.population,
        snap.mortality,
        migration_by_age=snap.migration_by_age,
        components_annual=comp,
        municipalities=["0301", "4032"],
        years=(2021, 2022),
    )
    assert acc.check_identity() < 1e-6
    w = acc.wide().set_index(["municipality", "year"])
    f = w.loc[("4032", 2022)]
    # the registered components take precedence over the Telemark file's 93 in / 57 out
    assert (f.in_migration, f.out_migration, f.net_migration) == (100, 65, 35)
    assert (f.domestic_net, f.international_net, f.natural_increase) == (10, 25, -9)
    assert (f.population_start, f.population_end) == (_total(snap, "4032", 2022), _total(snap, "4032", 2023))
    assert f.residual == _total(snap, "4032", 2023) - _total(snap, "4032", 2022) + 9 - 35
    assert f.estimated == ""
    earlier = w.loc[("4032", 2021)]
    assert "births" in earlier.estimated and "net_migration" not in earlier.estimated  # Telemark file
    oslo = w.loc[("0301", 2022)]
    assert (
        oslo.births == 8_500
        and {"deaths", "natural_increase", "net_migration", "residual"} <= set(oslo.estimated.split(", "))
        and "births" not in oslo.estimated
    )
    est = acc.residual.totals().set_index(["municipality", "year"]).loc[("0301", 2022)]
    # more births registered than estimated: the residual takes the difference, the rest still closes
    assert oslo.residual == pytest.approx(est.births - 8_500)
    assert any("Registrerte fødte, døde" in n and "2 kommuneår (2022–2022)" in n for n in acc.notes)


def _total(snap, code, year):
    p = snap.population
    return int(p.loc[(p.municipality == code) & (p.year == year), "population"].sum())


def test_accounts_without_annual_components_fall_back_to_moves_by_age_and_estimates(snap):
    acc = build_accounts(
        snap.population,
        snap.mortality,
        migration_by_age=snap.migration_by_age,
        municipalities=["4032"],
        years=(2022, 2022),
    )
    assert not any("Registrerte fødte" in n for n in acc.notes)
    row = acc.wide().iloc[0]
    assert (row.in_migration, row.out_migration, row.net_migration) == (93, 57, 36)  # the Telemark file
    assert "births" in row.estimated and "deaths" in row.estimated


def test_cli_accounts_table_shows_border_changes_so_each_row_adds_up():
    """Tønsberg 2016: +2 215 people came by a border change; the table has the column, so 1 January
    plus births, deaths, net migration, border change and residual gives the next 1 January (issue 8)."""
    from blilyst.cli.accounts import accounts_output, accounts_table

    with override("en"):
        acc, _frame, _title, notes = accounts_output("3905", "2016-2016")
        table = accounts_table(acc)
    row = table.iloc[0]
    assert row["border ch."] == "2,215*"
    number = {k: float(str(v).rstrip("*").replace(",", "").replace("−", "-")) for k, v in row.items() if k != "Year"}
    moved = number["net mig."] + number["border ch."] + number["residual"]
    assert number["pop. 1 Jan"] + number["nat. incr."] + moved == pytest.approx(number["pop. 1 Jan next"], abs=1.5)


def test_cli_accounts_notes_name_registered_components_in_the_language():
    """Notodden's registered components (SSB 01223) are named in words, never as code keys."""
    from blilyst.cli.accounts import accounts_output

    with override("nb"):
        *_rest, notes = accounts_output("4005", "2020-2021")
    note = next(n for n in notes if n.startswith("Registrerte fødte"))
    assert "domestic_in" not in note and "immigration" not in note
    assert "innvandring" in note and "innenlandsk innflytting" in note


def test_cli_accounts_check_against_ssb_never_prints_a_merged_split_artefact_as_migration():
    """Haram's 1 January stocks 2006–2023 are half of the merged Ålesund: the 2011–2025 check against SSB
    06913 says net migration cannot be estimated instead of printing −21 496 (issue 8)."""
    from blilyst.cli.accounts import accounts_output

    with override("en"):
        *_rest, notes = accounts_output("1580")
    check = next(n for n in notes if n.startswith("Check against SSB 06913"))
    assert "net migration 453" in check
    assert "21,496" not in check and "cannot be estimated" in check


def test_cli_accounts_note_on_estimated_stocks_is_in_the_language():
    """Haram's fixed-share stocks were explained in the snapshot's stored English inside a bokmål note."""
    from blilyst.cli.accounts import accounts_output

    for lang, words in (("nb", "er et anslag"), ("nn", "er eit anslag"), ("en", "is an estimate")):
        with override(lang):
            *_rest, notes = accounts_output("1580", "2019-2019")
        note = next(n for n in notes if n.startswith("1580:") and "2006-2019" in n)
        assert f"Haram 2006–2019 {words}" in note, note
        if lang != "en":
            assert "is an estimate" not in note and "fixed split" not in note
