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
    code, out, err = run(capsys, "project", "Fyresdal", "--years", "5")
    assert code == 0, err
    assert "4032 Fyresdal: Trend (10 years), 2026-2031" in out
    assert "1 274" in out  # registered population 1 January 2026
    for needle in ("Base year: 1 January 2026", "Kilde: Statistisk sentralbyrå", "Estimated:", "Assumption: migration"):
        assert needle in out


def test_project_json_in_bokmal_for_target_seeking(capsys):
    code, out, err = run(capsys, "project", "4032", "--scenario", "target-seeking", "--years", "10", "--format", "json",
                         "--lang", "nb")
    assert code == 0, err
    payload = json.loads(out)
    assert [r["working_age"] for r in payload["rows"]] == [739.0] * 11
    assert any("flere innflyttere i året" in n for n in payload["notes"])
    assert any(n.startswith("Scenario target-seeking: Målsøkende") for n in payload["notes"])


def test_project_csv_with_input_file(capsys, tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text("kind,region,year,sex,age,value\nnet_migration_total,4032,,,,25\n")
    code, out, err = run(capsys, "project", "4032", "--years", "3", "--format", "csv", "--input", str(f))
    assert code == 0, err
    rows = [line for line in out.splitlines() if line and not line.startswith("#")]
    frame = pd.DataFrame([r.split(",") for r in rows[1:]], columns=rows[0].split(","))
    assert frame["net_migration"].iloc[:3].astype(float).tolist() == [25.0, 25.0, 25.0]
    assert "# Assumption: user file 1: net_migration_total" in out


def test_project_xlsx_has_notes_sheet(capsys, tmp_path):
    target = tmp_path / "f.xlsx"
    code, out, err = run(capsys, "project", "4032", "--scenario", "housing-led", "--dwellings", "5", "--years", "4",
                         "--format", "xlsx", "--output", str(target))
    assert code == 0, err
    sheets = pd.read_excel(target, sheet_name=None)
    assert {"result", "summary", "population", "extra_migrants", "notes"} <= set(sheets)
    assert sheets["notes"]["notes"].str.contains("dwellings").any()


def test_project_errors_are_one_line(capsys, tmp_path):
    code, out, err = run(capsys, "project", "4032", "--scenario", "boom")
    assert code == 1 and err.startswith("Error: --scenario: unknown scenario 'boom'")
    code, out, err = run(capsys, "project", "4032", "--scenario", "housing-led")
    assert code == 1 and "dwellings_per_year" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,region,year,sex,age,value\nfertility,4032,,,130,0.1\n")
    code, out, err = run(capsys, "project", "4032", "--input", str(bad))
    assert code == 1 and "bad.csv, row 2, field 'age'" in err
    code, out, err = run(capsys, "project", "4032", "--format", "xlsx")
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
    code, out, err = run(capsys, "scenarios")
    assert code == 0 and "Target-seeking" in out
