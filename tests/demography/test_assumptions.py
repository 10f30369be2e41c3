"""User assumption files: what they change, and errors that name the row and field."""

import json

import numpy as np
import pytest

from blilyst.demography.assumptions import AssumptionsFileError, read_assumptions
from blilyst.demography.scenario_options import TrendOptions
from blilyst.demography.scenarios import run_scenario
from blilyst.errors import ImportFileError, InputError
from blilyst.i18n import override
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture(autouse=True, scope="module")
def _english_messages():
    """These tests read the English wording of the file's errors (they are written in the active language)."""
    with override("en"):
        yield


FYRESDAL = "4032"


@pytest.fixture(scope="module")
def snap():
    return load_snapshot()


def _csv(tmp_path, text, name="a.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_net_migration_total_replaces_the_trend(tmp_path, snap):
    f = _csv(tmp_path, "kind,region,year,sex,age,value\nnet_migration_total,4032,2026-2035,,,40\n")
    res = run_scenario(FYRESDAL, "trend", 10, TrendOptions(assumptions=f), snapshot=snap)
    np.testing.assert_allclose(res.engine.net_migration.sum(axis=(2, 3))[:, 0], 40.0, atol=1e-9)
    assert res.assumption_texts("en")["user file 1"].startswith("net migrants a year in all: 1 row from ")
    assert res.assumption_texts("nn")["brukarfil 1"].startswith("nettoinnflyttarar i året i alt: 1 rad frå ")


def test_semicolon_csv_with_base_population_and_fertility(tmp_path, snap):
    f = _csv(
        tmp_path,
        "kind;region;year;sex;age;value\n"
        "population;4032;2026;female;0-105;600\n"
        "population;4032;;male;;650\n"
        "fertility;4032;;;;0\n"
        "fertility;4032;;;20-39;0.05\n"
        "net_migration_rate;4032;;;;0\n",
    )
    res = run_scenario(FYRESDAL, "trend", 3, TrendOptions(assumptions=f), snapshot=snap)
    assert res.population[0].sum() == pytest.approx(1250)
    # 20 ages x 0.05 = TFR 1.0; births in the first year are 0.05 x women aged 20-39 (averaged over the year)
    women = res.population[:2, 0, 1, 20:40].mean(axis=0).sum()
    assert res.engine.births[0].sum() == pytest.approx(0.05 * women, rel=0.02)


def test_json_file_with_mortality(tmp_path, snap):
    p = tmp_path / "a.json"
    p.write_text(
        json.dumps(
            {
                "rows": [
                    {"kind": "mortality", "region": "4032", "age": "80-105", "value": 1.0},
                    {"kind": "net_migration_rate", "region": "4032", "value": 0},
                ]
            }
        )
    )
    res = run_scenario(FYRESDAL, "trend", 1, TrendOptions(assumptions=p), snapshot=snap)
    base = run_scenario(FYRESDAL, "trend", 1, snapshot=snap)
    assert res.population[1, 0, :, 81:].sum() < 0.5 * base.population[1, 0, :, 81:].sum()


@pytest.mark.parametrize(
    "text, row, field",
    [
        ("kind,region,year,sex,age,value\nbirths,4032,,,,3\n", 2, "kind"),
        ("kind,region,year,sex,age,value\nfertility,403,,,,0.1\n", 2, "region"),
        ("kind,region,year,sex,age,value\nfertility,4032,,,20-24,0.1\nfertility,4032,,,110,0.1\n", 3, "age"),
        ("kind,region,year,sex,age,value\nfertility,4032,,,24-20,0.1\n", 2, "age"),
        ("kind,region,year,sex,age,value\nfertility,4032,,,25,-0.1\n", 2, "value"),
        ("kind,region,year,sex,age,value\nfertility,4032,,,25,12\n", 2, "value"),
        ("kind,region,year,sex,age,value\nmortality,4032,,x,25,0.1\n", 2, "sex"),
        ("kind,region,year,sex,age,value\nmortality,4032,,,25,abc\n", 2, "value"),
        ("kind,region,year,sex,value\nmortality,4032,,,0.1\n", 1, "age"),
    ],
)
def test_errors_name_row_and_field(tmp_path, text, row, field):
    with pytest.raises(AssumptionsFileError) as info:
        read_assumptions(_csv(tmp_path, text))
    assert (info.value.row, info.value.field) == (row, field)
    assert f"row {row}" in str(info.value) and f"'{field}'" in str(info.value)
    assert isinstance(info.value, ImportFileError)


def test_rows_outside_the_projection(tmp_path, snap):
    f = _csv(tmp_path, "kind,region,year,sex,age,value\nnet_migration_total,4032,2090,,,5\n")
    with pytest.raises(AssumptionsFileError) as info:
        run_scenario(FYRESDAL, "trend", 5, TrendOptions(assumptions=f), snapshot=snap)
    assert (info.value.row, info.value.field) == (2, "year")
    f = _csv(tmp_path, "kind,region,year,sex,age,value\nnet_migration_total,4036,,,,5\n")
    with pytest.raises(AssumptionsFileError) as info:
        run_scenario(FYRESDAL, "trend", 5, TrendOptions(assumptions=f), snapshot=snap)
    assert info.value.field == "region"


def test_missing_and_wrong_files(tmp_path):
    with pytest.raises(AssumptionsFileError) as info:
        read_assumptions(tmp_path / "nope.csv")
    assert info.value.field == "file"
    bad = tmp_path / "a.json"
    bad.write_text("{not json")
    with pytest.raises(AssumptionsFileError) as info:
        read_assumptions(bad)
    assert info.value.field == "json"


def test_gross_flows_replace_the_trend_and_show_in_the_accounts(tmp_path, snap):
    f = _csv(
        tmp_path,
        "kind,region,year,sex,age,value\n"
        "in_migration,4032,,,,60\n"
        "immigration,4032,,,,10\n"
        "out_migration_rate,4032,,,,0.04\n"
        "emigration_rate,4032,,,,0.005\n",
    )
    res = run_scenario(FYRESDAL, "trend", 3, TrendOptions(assumptions=f), snapshot=snap)
    eng = res.engine
    np.testing.assert_allclose(eng.inflow[:, 0].sum(axis=(1, 2)), 70.0, atol=1e-9)
    # out-migrants: 4.5 % of each end-of-year cohort's start population; the newborn cohort's base is
    # the infants aged 0 on 1 January
    start = res.population[0, 0]
    assert eng.outflow[0, 0].sum() == pytest.approx(0.045 * (start.sum() + start[:, 0].sum()), rel=1e-9)
    assert np.abs(eng.account_residual()).max() < 1e-8


def test_out_migration_rate_above_one_is_refused(tmp_path):
    with pytest.raises(AssumptionsFileError) as info:
        read_assumptions(_csv(tmp_path, "kind,region,year,sex,age,value\nout_migration_rate,4032,,,,1.5\n"))
    assert (info.value.row, info.value.field) == (2, "value")


def test_counts_that_empty_a_cohort_name_the_municipality_sex_age_and_year(tmp_path, snap):
    f = _csv(tmp_path, "kind,region,year,sex,age,value\nnet_migration_total,4032,,,,-5000\n")
    with override("nb"), pytest.raises(InputError) as info:
        run_scenario(FYRESDAL, "trend", 5, TrendOptions(assumptions=f), snapshot=snap)
    assert info.value.field == "a.csv: net_migration"
    # the counts are spread by Fyresdal's own registered in-migrant ages (2016-2025); a true minus in bokmål
    assert "folketallet i 4032 Fyresdal negativt (\u221210,8): menn på 0 år ved utgangen av 2026" in str(info.value)


def test_a_folder_is_not_an_assumptions_file(tmp_path):
    with pytest.raises(AssumptionsFileError) as info:
        read_assumptions(tmp_path)
    assert info.value.field == "file" and "is not a file" in str(info.value)


def test_a_population_total_keeps_the_registered_age_structure_and_is_not_called_registered(tmp_path, snap):
    f = _csv(tmp_path, "kind,region,year,sex,age,value\npopulation,4032,,,,1000\n")
    res = run_scenario(FYRESDAL, "trend", 3, TrendOptions(assumptions=f), snapshot=snap)
    reg = run_scenario(FYRESDAL, "trend", 3, snapshot=snap)
    assert res.population[0].sum() == pytest.approx(1000)
    # the registered 1 274 scaled to 1 000: same shares by sex and age (67+ stays 278/1274)
    np.testing.assert_allclose(res.population[0], reg.population[0] * 1000 / 1274, rtol=1e-12)
    assert res.summary().status.tolist() == ["user file", "projected", "projected", "projected"]
    assert res.notes("en")[0] == "Base year: 1 January 2026 (population from a.csv); projected to 1 January 2029."
    assert reg.summary().status.iloc[0] == "registered"
    assert reg.notes("en")[0].startswith("Base year: 1 January 2026 (registered population)")


def test_a_file_error_is_written_in_the_active_language(tmp_path):
    with override("nn"), pytest.raises(AssumptionsFileError) as info:
        read_assumptions(_csv(tmp_path, "kind,region,year,sex,age,value\nbirths,4032,,,,3\n"))
    assert str(info.value).startswith("a.csv, rad 2, feltet «kind»: «births» er ikkje ein av population, fertility")
