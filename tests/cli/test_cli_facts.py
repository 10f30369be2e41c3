"""``blilyst facts``: the guidance's headline facts through the real entry point, on the bundled data."""

import json

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


def test_facts_json_has_all_three_with_estimates_and_sources(capsys):
    code, out, err = run(capsys, "facts", "--format", "json", "--lang", "en")
    assert code == 0, err
    facts = {f["fact"]: f for f in json.loads(out)["facts"]}
    assert set(facts) == {"growth_without_migration", "change_components", "migration_age_profile"}
    growth = {r["year"]: r for r in facts["growth_without_migration"]["rows"]}
    # 2012 on today's 357: 243 grew, 86 only because of net migration, 90 by less than their immigrants
    assert (growth[2012]["grew"], growth[2012]["grew_only_by_migration"], growth[2012]["grew_only_by_immigrants"]) == (
        243,
        86,
        90,
    )
    assert "births" in facts["growth_without_migration"]["estimated"]
    total = next(r for r in facts["change_components"]["rows"] if r["municipality"] == "total")
    assert (total["population_start"], total["population_end"], total["change"]) == (5_213_985, 5_627_400, 413_415)
    assert total["births_share"] + total["deaths_share"] + total["net_migration_share"] == pytest.approx(1.0)
    assert any(n.startswith("Estimated: births, deaths") for n in facts["change_components"]["notes"])
    assert any(n.startswith("Source: SSB 07459") for n in facts["change_components"]["notes"])
    ages = facts["migration_age_profile"]
    assert ages["title"] == "Who arrives and who leaves, by age (the 17 municipalities with registered moves by age)"


def test_facts_table_marks_estimates_for_vinje(capsys):
    code, out, err = run(capsys, "--lang", "en", "facts", "Vinje", "--fact", "components")
    assert code == 0, err
    assert "Components of population change, last 10 years (4036 Vinje)" in out
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.startswith("│")}
    # registered, SSB 01223 (bundled for the Telemark municipalities): no stars
    assert "335" in lines["births"] and "353" in lines["deaths"] and "118" in lines["net migration"]
    assert "155" in lines["international net migration"] and "102" in lines["change"]
    assert "* = estimated." not in out
    assert "Births and deaths are registered (SSB 01223)." in " ".join(out.split())


def test_facts_national_net_migration_is_marked_estimated(capsys):
    code, out, err = run(capsys, "facts", "--fact", "components", "--lang", "nb")
    assert code == 0, err
    assert "│ nettoinnflytting*" in out and "* = anslått." in out
    assert "Anslått: fødte, døde, nettoinnflytting (der den ikke er registrert)" in out
    assert "Kilde: SSB 07459, HMD Norge" not in out and "Kilde: HMD Norge" in out


def test_facts_ages_estimated_for_oslo_csv(capsys):
    code, out, err = run(capsys, "facts", "Oslo", "--fact", "ages", "--format", "csv", "--lang", "en")
    assert code == 0, err
    rows = [line.split(",") for line in out.splitlines() if line and not line.startswith("#")]
    assert rows[0] == ["age_group", "net_migration", "source"]
    by_group = {r[0]: (float(r[1]), r[2]) for r in rows[1:]}
    assert by_group["20-24"][0] > 40_000 and by_group["0-5"][0] < -15_000
    assert {s for _, s in by_group.values()} == {"estimated"}
    assert "# Estimated: net migration" in out  # a note for people, in words


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--format", "csv"], "Error: --fact: CSV holds one table"),
        (["--fact", "foo"], "Error: --fact: unknown fact 'foo'"),
        (["--last-years", "0"], "Error: --last-years: must be at least 1; got 0"),
        (["--last-years", "30"], "Error: --last-years: the accounts cover 20 years (2006–2025); got 30"),
        (["--lang", "de"], "Error: --lang: 'de' is not a language blilyst writes; use nb, nn or en"),
        (["Nowhereville"], "Error: No municipality matches 'Nowhereville'"),
    ],
)
def test_facts_bad_options_are_one_line(capsys, argv, message):
    code, out, err = run(capsys, "--lang", "en", "facts", *argv)
    assert code == 1 and err.startswith(message), err
    assert len(err.strip().splitlines()) == 1 and out == ""


def test_facts_bad_options_in_nynorsk(capsys):
    code, _, err = run(capsys, "facts", "--fact", "foo", "--lang", "nn")
    assert code == 1 and err == "Feil: --fact: ukjent faktum «foo»; vel ein av all, growth, components, ages\n"


def test_facts_has_no_xlsx(capsys):
    code, _out, err = run(capsys, "--lang", "en", "facts", "--format", "xlsx")
    assert code == 2 and err.startswith(
        "Error: Invalid value for '--format': 'xlsx' is not one of 'table', 'csv', 'json'"
    )
