"""``blilyst project`` through the real entry point, on the bundled data."""

import json

import pandas as pd
import pytest

from blilyst.cli import main


@pytest.fixture(autouse=True)
def bundled_only(tmp_path, monkeypatch):
    from blilyst.stats.snapshot import load_snapshot

    monkeypatch.setenv("BLILYST_DATA_DIR", str(tmp_path / "no-local-snapshot"))
    monkeypatch.setenv("COLUMNS", "160")
    load_snapshot.cache_clear()
    yield
    load_snapshot.cache_clear()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_project_table_states_base_year_sources_estimates_and_assumptions(capsys):
    code, out, err = run(capsys, "--lang", "en", "project", "Fyresdal", "--years", "5")
    assert code == 0, err
    assert "4032 Fyresdal: Trend (10 years), 2026-2031" in out
    assert "1,274" in out  # registered population 1 January 2026, in English format (--lang en)
    for needle in ("Base year: 1 January 2026", "Kilde: Statistisk sentralbyrå", "Estimated:", "Assumption: migration"):
        assert needle in out


def test_project_json_in_bokmal_for_target_seeking(capsys):
    code, out, err = run(
        capsys, "project", "4032", "--scenario", "target-seeking", "--years", "10", "--format", "json", "--lang", "nb"
    )
    assert code == 0, err
    payload = json.loads(out)
    assert [r["working_age"] for r in payload["rows"]] == [739.0] * 11
    assert any("flere innflyttere i året" in n for n in payload["notes"])
    assert any(n.startswith("Scenario «Målsøkende»: ") for n in payload["notes"])


def test_project_csv_with_input_file(capsys, tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("kind,region,year,sex,age,value\nnet_migration_total,4032,,,,25\n")
    code, out, err = run(
        capsys, "--lang", "en", "project", "4032", "--years", "3", "--format", "csv", "--input", str(f)
    )
    assert code == 0, err
    rows = [line for line in out.splitlines() if line and not line.startswith("#")]
    frame = pd.DataFrame([r.split(",") for r in rows[1:]], columns=rows[0].split(","))
    assert frame["net_migration"].iloc[:3].astype(float).tolist() == [25.0, 25.0, 25.0]
    assert "# Assumption: user file 1: net migrants a year in all: 1 row from " in out


def test_project_xlsx_has_notes_sheet(capsys, tmp_path):
    target = tmp_path / "f.xlsx"
    code, _out, err = run(
        capsys,
        "project",
        "4032",
        "--scenario",
        "housing-led",
        "--dwellings",
        "5",
        "--years",
        "4",
        "--format",
        "xlsx",
        "--output",
        str(target),
    )
    assert code == 0, err
    sheets = pd.read_excel(target, sheet_name=None)
    assert {"result", "summary", "population", "extra_migrants", "notes"} <= set(sheets)
    assert sheets["notes"]["notes"].str.contains("5 nye boliger i året i snitt").any()  # bokmål, the default


def test_project_errors_are_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "--lang", "en", "project", "4032", "--scenario", "boom")
    assert code == 1 and err.startswith("Error: --scenario: unknown scenario 'boom'")
    code, out, err = run(capsys, "--lang", "en", "project", "4032", "--scenario", "housing-led")
    assert code == 1 and err.startswith("Error: --dwellings: ")  # the option typed, not the parameter name
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,region,year,sex,age,value\nfertility,4032,,,130,0.1\n")
    code, out, err = run(capsys, "--lang", "en", "project", "4032", "--input", str(bad))
    assert code == 1 and "bad.csv, row 2, field 'age'" in err
    code, _out, err = run(capsys, "--lang", "en", "project", "4032", "--format", "xlsx")
    assert code == 1 and "--output" in err


def test_project_several_and_all(capsys):
    code, out, err = run(capsys, "project", "Fyresdal,Vinje", "--years", "2", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert {r["municipality"] for r in rows} == {"4032", "4036"}
    assert [r["population"] for r in rows if r["year"] == 2026] == [1274.0, 3829.0]
    code, out, err = run(capsys, "project", "all", "--years", "1", "--format", "csv")
    assert code == 0, err
    data = [line for line in out.splitlines() if line and not line.startswith("#")]
    assert len(data) == 1 + 357 * 2


def test_scenarios_are_listed_in_both_languages(capsys):
    code, out, err = run(capsys, "scenarios", "--lang", "nb", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert {r["scenario"] for r in rows} >= {"trend", "housing-led", "target-seeking", "stochastic"}
    assert any(r["title"] == "Målsøkende" for r in rows)
    code, out, err = run(capsys, "scenarios")  # bokmål by default
    assert code == 0 and "Målsøkende" in out and "Framskrivingsalternativer" in out
    code, out, err = run(capsys, "--lang", "nn", "scenarios")
    assert code == 0 and "Målsøkjande" in out and "Framskrivingsalternativ" in out
    code, out, err = run(capsys, "scenarios", "--lang", "en")
    assert code == 0 and "Target-seeking" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--years", "0"], "Error: --years: must be a whole number of years between 1 and 100; got 0"),
        (["--years", "1000"], "Error: --years: must be a whole number of years between 1 and 100; got 1000"),
        (["--scenario", "foo"], "Error: --scenario: unknown scenario 'foo'"),
        (["--by-age", "--by-age-group"], "Error: --by-age: choose --by-age or --by-age-group, not both"),
        (["--dwellings", "20"], "Error: --dwellings: applies to --scenario housing-led only, not 'trend'"),
        (["--scenario", "housing-led", "--dwellings", "-5"], "Error: --dwellings: new dwellings a year must be"),
        (
            ["--scenario", "employment-led", "--jobs-growth", "-2"],
            "Error: --jobs-growth: give the yearly growth as a share",
        ),
        (["--scenario", "employment-led", "--jobs-growth", "nan"], "Error: --jobs-growth: give the yearly growth"),
        (
            ["--scenario", "employment-led", "--jobs-target", "-5"],
            "Error: --jobs-target: must be a number of jobs above 0",
        ),
        (["--scenario", "stochastic", "--simulations", "0"], "Error: --simulations: need at least 10 simulations"),
        (
            ["--scenario", "stochastic", "--simulations", "100000000"],
            "Error: --simulations: 100000000 simulations of 1 municipality over 20 years need about 54.8 GiB",
        ),
        (["--window", "50"], "Error: --window: 50 years before 2026 reaches 1976; data start in 2006"),
        (["--lang", "de"], "Error: --lang: 'de' is not a language blilyst writes; use nb, nn or en"),
        (
            ["--format", "xlsx", "--output", "/nonexistent-blilyst/dir/x.xlsx"],
            "Error: --output: the folder '/nonexistent-blilyst/dir' does not exist",
        ),
    ],
)
def test_project_nasty_options_give_one_line_and_non_zero_exit(capsys, argv, message):
    code, out, err = run(capsys, "--lang", "en", "project", "Fyresdal", *argv)
    assert code == 1
    assert err.startswith(message), err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""


def test_project_errors_in_the_commands_language(capsys):
    code, _, err = run(capsys, "project", "4032", "--scenario", "boom")
    assert code == 1 and err.startswith("Feil: --scenario: ukjent alternativ «boom»; velg et av trend, ")
    code, _, err = run(capsys, "project", "4032", "--by-age", "--by-age-group", "--lang", "nn")
    assert err == "Feil: --by-age: vel --by-age eller --by-age-group, ikkje begge\n"
    code, _, err = run(capsys, "project", "4032", "--years", "0")
    assert err == "Feil: --years: må være et helt antall år mellom 1 og 100; fikk 0\n"  # no parameter names


def test_project_broken_input_files_and_outputs_name_the_field(capsys, tmp_path):
    code, out, err = run(capsys, "--lang", "en", "project", "4032", "--input", str(tmp_path))
    assert code == 1 and err.startswith(f"Error: {tmp_path.name}, field 'file': '{tmp_path}' is not a file")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, out, err = run(capsys, "--lang", "en", "project", "4032", "--input", str(broken))
    assert code == 1 and err.startswith("Error: broken.json, field 'json': not valid JSON")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    code, out, err = run(capsys, "--lang", "en", "project", "4032", "--input", str(binary))
    assert code == 1 and "binary.csv, row 1, field 'kind'" in err
    code, out, err = run(
        capsys, "--lang", "en", "project", "4032", "--years", "2", "--format", "csv", "--output", str(tmp_path)
    )
    assert code == 1 and err.startswith(f"Error: --output: cannot write '{tmp_path}'")
    code, _out, err = run(capsys, "--lang", "en", "project", "all", "--format", "xlsx")
    assert code == 1 and err.startswith("Error: --output: xlsx needs a file name")


def test_project_xlsx_opened_with_openpyxl_states_base_year_sources_estimates_assumptions(capsys, tmp_path):
    import openpyxl

    target = tmp_path / "trend.xlsx"
    code, _out, err = run(
        capsys, "--lang", "en", "project", "Fyresdal", "--years", "3", "--format", "xlsx", "--output", str(target)
    )
    assert code == 0, err
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames == ["result", "summary", "age_groups", "population", "notes"]
    notes = [row[0] for row in book["notes"].iter_rows(min_row=2, values_only=True)]
    assert notes[0] == "4032 Fyresdal: Trend (10 years), 2026-2029"
    assert notes[1] == "Base year: 1 January 2026 (registered population); projected to 1 January 2029."
    assert any(n.startswith("Source: Population 1 January") and "Kilde: Statistisk sentralbyrå" in n for n in notes)
    assert any(n.startswith("Estimated: Net migration by sex and age 2016–2025: residual") for n in notes)
    assert any(
        n.startswith("Assumption: migration: domestic net migration rates by sex and age, 2016–2025") for n in notes
    )
    assert any(n.startswith("Net immigration to Norway: the mean") for n in notes)
    result = list(book["result"].iter_rows(values_only=True))
    assert result[0][:2] == ("year", "population") and result[1][:2] == (2026, 1274)
    assert [r[-1] for r in result[1:]] == ["registered", "projected", "projected", "projected"]


def test_project_target_that_cannot_be_reached_says_so(capsys):
    code, out, err = run(
        capsys,
        "--lang",
        "en",
        "project",
        "4032",
        "--scenario",
        "target-seeking",
        "--target-population",
        "1",
        "--target",
        "population",
        "--format",
        "csv",
    )
    assert code == 0, err
    assert "# Assumption: target not reached: Fyresdal 2046: 222 against 1" in out
    assert "Even so, the target is not reached." in out


def test_project_xlsx_writes_sheets_too_long_for_excel_wide(capsys, tmp_path, monkeypatch):
    """All 357 municipalities by single-year age is 1.6 million rows, more than a sheet holds
    (1 048 576): such a sheet is written with one column per age. Shown here with a lower limit."""
    import openpyxl

    import blilyst.cli.demography as cli_demography

    monkeypatch.setattr(cli_demography, "EXCEL_ROWS", 1000)
    target = tmp_path / "wide.xlsx"
    code, out, err = run(
        capsys, "project", "Fyresdal", "--years", "5", "--by-age", "--format", "xlsx", "--output", str(target)
    )
    assert code == 0, err
    book = openpyxl.load_workbook(target, read_only=True)
    rows = list(book["population"].iter_rows(values_only=True))
    assert rows[0][:5] == ("municipality", "name", "year", "sex", "status") and rows[0][-1] == "age 105"
    assert len(rows) == 1 + 6 * 2  # years x sexes
    assert sum(sum(r[5:]) for r in rows[1:] if r[2] == 2026) == pytest.approx(1274)
    result = list(book["result"].iter_rows(values_only=True))
    assert result[0][:3] == ("year", "sex", "status") and len(result) == 1 + 6 * 2
    monkeypatch.setattr(cli_demography, "EXCEL_ROWS", 5)
    code, _out, err = run(
        capsys, "--lang", "en", "project", "Fyresdal", "--years", "5", "--format", "xlsx", "--output", str(target)
    )
    assert code == 1 and err.startswith("Error: --format: the sheet 'result' has 6 rows, more than Excel holds")


def test_project_from_an_earlier_base_year_and_a_national_level(capsys):
    code, out, err = run(
        capsys,
        "--lang",
        "en",
        "project",
        "Lørenskog",
        "--base-year",
        "2016",
        "--years",
        "10",
        "--international",
        "20000",
        "--format",
        "json",
    )
    assert code == 0, err
    payload = json.loads(out)
    assert payload["title"] == "3222 Lørenskog: Trend (10 years), 2016-2026"
    assert payload["rows"][0]["year"] == 2016 and payload["rows"][-1]["year"] == 2026
    assert any("20,000 net immigrants a year to Norway" in n for n in payload["notes"])


def test_project_with_a_bad_national_level_says_what_to_give(capsys):
    code, _out, err = run(capsys, "project", "Fyresdal", "--international", "lots")
    assert code != 0
    assert "«lots» er ikke et nasjonalt nivå" in err and "trend, low, high" in err  # bokmål, the default


def test_backtest_summary_compares_with_registered_populations(capsys):
    code, out, err = run(capsys, "backtest", "--base-year", "2021", "--horizon", "5", "--format", "csv")
    assert code == 0, err
    frame = pd.read_csv(__import__("io").StringIO(out), comment="#")
    row = frame.iloc[0]
    assert (row["base_year"], row["horizon"], row["year"]) == (2021, 5, 2026)
    assert row["norway_registered"] == 5_627_400  # registered 1 January 2026 (SSB 07459)
    assert abs(row["norway_error"]) < 0.02
    assert "# Utelatt fra 2021: 1508, 1580" in out  # bokmål by default
    code, out, err = run(capsys, "backtest", "--base-year", "2021", "--horizon", "5", "--lang", "en", "--format", "csv")
    assert code == 0, err
    assert "# Left out from 2021: 1508, 1580" in out


def test_backtest_says_which_national_level_it_used_and_points_to_the_other(capsys):
    """The default level (what a projection made then assumes) and the registered one (Norway's figure given,
    as SSB tests its regional projections) answer different questions; the output names both (issue 8)."""
    args = ("backtest", "--base-year", "2021", "--horizon", "5", "--format", "csv")
    code, out, err = run(capsys, *args, "--lang", "en")
    assert code == 0, err
    assert "# Net immigration to Norway from 2021: the mean of Norway's net immigration over the 2011-2020" in out
    assert "--international registered gives Norway's registered net immigration" in out
    assert "# People moved by a border change since the start year are added to the projection" in out
    code, out, err = run(capsys, *args, "--international", "registered")
    assert code == 0, err
    assert "# Nettoinnvandring til Norge fra 2021: Norges nettoinnvandring slik den ble registrert i 2021" in out
    assert "slik SSBs regionale modell henter Norges tall fra den nasjonale framskrivingen" in out
    assert "--international trend (standard)" in out
    code, out, err = run(capsys, *args, "--international", "registered", "--lang", "nn")
    assert code == 0, err
    assert "# Nettoinnvandring til Noreg frå 2021:" in out and "--international trend (standard) prøver det" in out


def test_project_notes_in_nynorsk(capsys):
    """The assumptions, sources and estimates are worded in the command's language, numbers in its format."""
    code, out, err = run(
        capsys, "project", "4032", "--scenario", "low", "--years", "3", "--format", "csv", "--lang", "nn"
    )
    assert code == 0, err
    notes = [line for line in out.splitlines() if line.startswith("#")]
    assert any(
        n.startswith("# Føresetnad: fruktbarheit: nasjonalt aldersmønster") and n.endswith("\u221210\u00a0%")
        for n in notes
    )
    assert any(n.startswith("# Føresetnad: flytting: innanlandske nettoflytteratar") for n in notes)
    assert any(n.startswith("# Kjelde: Dødelegheit: Human Mortality Database, Noreg") for n in notes)
    # Fyresdal is in Telemark: its births are registered (SSB 01223), a source, not an estimate
    assert any(n.startswith("# Kjelde: Fødde per kommune 2016–2025: SSB-tabell 01223, registrert") for n in notes)
    assert not any(n.startswith("# Anslått: Fødde per kommune") for n in notes)
