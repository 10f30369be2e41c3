"""``blilyst data`` and ``blilyst municipality`` through the real entry point, on the bundled data."""

import json

import pytest

from blilyst.cli import app, main


@pytest.fixture(autouse=True)
def bundled_only(tmp_path, monkeypatch):
    from blilyst.stats.snapshot import load_snapshot

    monkeypatch.setenv("BLILYST_DATA_DIR", str(tmp_path / "no-local-snapshot"))
    monkeypatch.setenv("COLUMNS", "120")
    load_snapshot.cache_clear()
    yield
    load_snapshot.cache_clear()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_data_show_kviteseid_2026_prints_the_real_population_by_age(capsys):
    code, out, err = run(capsys, "data", "show", "kviteseid", "--year", "2026")
    assert code == 0, err
    assert "4028 Kviteseid: folketall 1. januar 2026, 2\u00a0463 personer" in out  # bokmål by default
    assert "┃ Alder ┃ Menn ┃ Kvinner ┃ Totalt ┃" in out  # the terminal's headers too, not the frame's keys
    assert "Kilde: Statistisk sentralbyrå" in out and "07459" in out
    row0 = next(line for line in out.splitlines() if line.startswith("│") and line.split("│")[1].strip() == "0")
    assert [c.strip() for c in row0.strip("│").split("│")] == ["0", "12", "8", "20"]


def test_data_show_csv_by_age_sums_to_the_total(capsys):
    code, out, _ = run(capsys, "data", "show", "4032", "--year", "2026", "--by", "age", "--format", "csv")
    assert code == 0
    lines = [line for line in out.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "age,population"
    assert len(lines) == 1 + 106
    assert sum(int(line.split(",")[1]) for line in lines[1:]) == 1274  # Fyresdal 1 January 2026
    assert any(line.startswith("# Kilde: Statistisk sentralbyrå") for line in out.splitlines())


def test_data_show_json_by_sex_notes_the_haram_estimate(capsys):
    code, out, _ = run(capsys, "data", "show", "Haram", "--year", "2020", "--by", "sex", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert sum(r["population"] for r in payload["rows"]) == 33_140
    assert any("50 %" in n.replace("\u00a0", " ") and "anslag" in n for n in payload["notes"])
    assert not any("is an estimate" in n for n in payload["notes"])  # never the stored English in bokmål
    code, out, _ = run(capsys, "--lang", "en", "data", "show", "Haram", "--year", "2020", "--format", "json")
    notes = json.loads(out)["notes"]
    assert any(n.startswith("Haram 2020–2023 is an estimate") and "50%" in n for n in notes)


def test_data_show_defaults_to_the_latest_year(capsys):
    code, out, _ = run(capsys, "data", "show", "Vinje", "--by", "sex")
    assert code == 0 and "1. januar 2026" in out and "3\u00a0829 personer" in out
    code, out, _ = run(capsys, "data", "show", "Vinje", "--by", "sex", "--lang", "nn")
    assert code == 0 and "folketal 1. januar 2026, 3\u00a0829 personar" in out and "│ kvinne │" in out
    code, out, _ = run(capsys, "data", "show", "Vinje", "--by", "sex", "--lang", "en")
    assert code == 0 and "population 1 January 2026, 3,829 persons" in out and "│ female │" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (("data", "show", "Atlantis"), ["No municipality matches 'Atlantis'"]),
        (("data", "show", "Herøy"), ["more than one", "1515", "1818"]),
        (("data", "show", "Vinje", "--year", "1990"), ["--year", "2006–2026"]),
        (("municipality", "find", "qqqqqqqq"), ["No municipality matches"]),
    ],
)
def test_bad_input_is_one_line_and_a_non_zero_exit(capsys, argv, words):
    code, out, err = run(capsys, "--lang", "en", *argv)
    assert code != 0
    assert err.startswith("Error: ") and err.count("\n") == 1
    assert "Traceback" not in err + out
    for word in words:
        assert word in err


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("nb", "Feil: Ingen kommune passer til «Atlantis». Oppgi et firesifret kommunenummer (f.eks. 4036)"),
        ("nn", "Feil: Ingen kommune passar til «Atlantis». Oppgje eit firesifra kommunenummer (t.d. 4036)"),
    ],
)
def test_bad_input_is_said_in_the_commands_language(capsys, lang, line):
    code, _, err = run(capsys, "data", "show", "Atlantis", "--lang", lang)
    assert code == 1 and err.startswith(line) and err.count("\n") == 1


def test_municipality_find_notes_an_old_code(capsys):
    code, out, _ = run(capsys, "municipality", "find", "0834", "--format", "json")
    assert code == 0
    rows = json.loads(out)["rows"]
    assert rows[0]["code"] == "4036" and "3825" in rows[0]["note"] and "0834 Vinje" in rows[0]["note"]


def test_municipality_list_by_county(capsys):
    code, out, _ = run(capsys, "municipality", "list", "--county", "Telemark", "--format", "csv")
    assert code == 0
    lines = [line for line in out.splitlines() if line and not line.startswith("#")]
    assert len(lines) == 1 + 17
    assert any(line.startswith("4032,Fyresdal,40,Telemark") for line in lines)


def test_data_sources_lists_every_data_set_with_its_licence(capsys):
    code, out, _ = run(capsys, "data", "sources", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0] == "key,dataset,description,ssb_table,source_file,date,licence,credit"
    assert 'population,Folketall,"Folketall 1. januar' in out and "od_flows,Flyttinger mellom kommuner," in out
    assert "eldre materiale" in out and "older material" not in out
    assert out.count("Kilde: Statistisk sentralbyrå") >= 10


def test_build_snapshot_refuses_a_missing_raw_directory(capsys, tmp_path):
    # the full rebuild through this command runs once, in tests/stats/test_build_snapshot.py
    code, _, err = run(capsys, "data", "build-snapshot", "--raw", str(tmp_path / "nothing"))
    assert code != 0 and err.startswith("Feil: --raw: ") and err.rstrip().endswith("er ikke en mappe")


def test_every_data_and_municipality_command_has_help_ending_with_an_example():
    import typer.main

    from blilyst.cli import _register_commands

    _register_commands()
    group = typer.main.get_command(app)
    for name in ("data", "municipality"):
        sub = group.commands[name]
        assert "Example: blilyst" in (sub.help or "")
        for cmd_name, cmd in sub.commands.items():
            if cmd_name == "refresh":
                continue  # engineer B's command, tested with it
            last = (cmd.help or "").strip().splitlines()[-1]
            assert last.startswith("Example: blilyst "), f"{name} {cmd_name}"


def test_data_show_kviteseid_2026_equals_the_raw_file_at_every_age_and_sex(capsys):
    import pandas as pd

    from blilyst.stats.build_snapshot import default_raw_dir

    code, out, err = run(capsys, "data", "show", "kviteseid", "--year", "2026", "--format", "csv")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line and not line.startswith("#")]
    assert lines[0] == "age,male,female,total"
    shown = {int(a): (int(m), int(f)) for a, m, f, _ in (line.split(",") for line in lines[1:])}
    raw = pd.read_parquet(default_raw_dir() / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    raw = raw[(raw.location_code == "municip_nor4028") & (raw.calyear == 2026)]
    expected = raw.pivot_table(index="age", columns="sex", values="pop_jan1_n", aggfunc="sum", observed=True)
    assert len(shown) == len(expected) == 106
    assert shown == {int(a): (int(r.male), int(r.female)) for a, r in expected.iterrows()}
    assert sum(m + f for m, f in shown.values()) == 2_463


def test_data_show_an_old_code_notes_what_happened_to_it(capsys):
    code, out, _ = run(capsys, "data", "show", "0834", "--year", "2026", "--by", "sex", "--format", "json")
    assert code == 0
    payload = json.loads(out)
    assert payload["title"].startswith("4036 Vinje") and sum(r["population"] for r in payload["rows"]) == 3_829
    assert any("0834 Vinje" in n and "4036 Vinje" in n for n in payload["notes"])
    code, out, _ = run(capsys, "data", "show", "Vinje", "--by", "sex", "--format", "json")
    assert not any("0834" in n or "3825" in n for n in json.loads(out)["notes"])


def _use_local(monkeypatch, path):
    from blilyst.stats.snapshot import load_snapshot

    monkeypatch.setenv("BLILYST_DATA_DIR", str(path))
    load_snapshot.cache_clear()


def test_a_corrupt_local_snapshot_is_one_warning_line_and_the_bundled_data_are_shown(capsys, tmp_path, monkeypatch):
    import shutil

    from blilyst.stats.snapshot import BUNDLED_DIR

    local = tmp_path / "local"
    shutil.copytree(BUNDLED_DIR, local)
    (local / "population.parquet").write_bytes(b"PAR1 not really parquet")
    _use_local(monkeypatch, local)
    code, out, err = run(capsys, "--lang", "en", "data", "show", "kviteseid", "--year", "2026", "--by", "sex")
    assert code == 0 and "2,463 persons" in out
    assert err.startswith("Warning: The local snapshot is corrupt") and err.count("\n") == 1
    assert "population.parquet" in err and "Traceback" not in err and "snapshot.py:" not in err

    (local / "manifest.json").write_text("{ not json", encoding="utf-8")
    _use_local(monkeypatch, local)
    code, out, err = run(capsys, "--lang", "en", "data", "sources", "--format", "csv")
    assert code == 0 and 'population,Population,"Population on 1 January' in out
    assert err.startswith("Warning:") and "manifest.json" in err and err.count("\n") == 1


def test_blilyst_data_dir_pointing_at_a_file_is_a_warning_not_a_traceback(capsys, tmp_path, monkeypatch):
    garbage = tmp_path / "garbage"
    garbage.write_bytes(b"\x00\x01 not a directory")
    _use_local(monkeypatch, garbage)
    code, out, err = run(capsys, "--lang", "en", "data", "show", "4032", "--year", "2026", "--by", "sex")
    assert code == 0 and "1,274 persons" in out
    assert err.startswith("Warning: The local snapshot directory") and "not a directory" in err
    assert "Traceback" not in err
