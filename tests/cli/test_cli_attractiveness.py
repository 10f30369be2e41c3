"""``blilyst attractiveness`` through the real entry point, on the bundled data, in the table people read."""

import pytest

from blilyst.cli import main


@pytest.fixture(autouse=True)
def bundled_only(tmp_path, monkeypatch):
    from blilyst.stats.snapshot import load_snapshot

    monkeypatch.setenv("BLILYST_DATA_DIR", str(tmp_path / "no-local-snapshot"))
    monkeypatch.setenv("COLUMNS", "200")
    load_snapshot.cache_clear()
    yield
    load_snapshot.cache_clear()


def test_one_municipalitys_table_in_bokmal_and_english(capsys):
    assert main(["attractiveness", "kviteseid"]) == 0
    out, err = capsys.readouterr()
    assert "Kviteseid: nettoinnflytting " in out and " mot " in out and "* = anslått" in out.replace("\n", " "), err
    assert main(["attractiveness", "kviteseid", "--lang", "en"]) == 0
    out, _err = capsys.readouterr()
    assert "Kviteseid: net migration " in out and "% against " in out  # percentages formatted for English


def test_the_models_notes_are_in_the_commands_language(capsys):
    assert main(["attractiveness", "kviteseid", "--lang", "nn"]) == 0
    out = " ".join(capsys.readouterr()[0].split())
    assert "Halde utanfor tilpassinga (folketalet er anslått før 2024): 1508" in out
    assert "Arbeidsplassvekst 2005–2015: sysselsette etter arbeidsstad" in out
    assert "Left out of the fit" not in out and "Job growth" not in out
    assert main(["attractiveness", "kviteseid", "--lang", "en", "--old-structure"]) == 0
    assert "428 municipalities of 2016." in " ".join(capsys.readouterr()[0].split())
