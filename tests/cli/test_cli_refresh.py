"""``blilyst data refresh`` through the real entry point, against a local PxWebApi (and offline)."""

from __future__ import annotations

import json
import socket

import pytest
from tests.stats.conftest import FakePxWeb, LocalSsb
from tests.stats.test_refresh import components_cube, migration_cube, population_cubes

from blilyst.cli import main
from blilyst.stats.snapshot import load_snapshot


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("BLILYST_DATA_DIR", str(tmp_path / "local"))
    monkeypatch.setenv("BLILYST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "120")
    load_snapshot.cache_clear()
    yield tmp_path
    load_snapshot.cache_clear()


@pytest.fixture(scope="module")
def cubes():
    import pandas as pd
    from tests.stats.test_refresh import POP_YEARS, RAW

    d = pd.read_parquet(RAW / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    d = d[d.calyear.isin(POP_YEARS) & d.granularity_geo.isin(["municip", "nation"])]
    return (*population_cubes(d), components_cube(), migration_cube())


@pytest.fixture
def ssb(cubes, monkeypatch):
    server = LocalSsb()
    fake = FakePxWeb(server)
    municipal, nation, components, migration = cubes
    fake.add(municipal, codelist="agg_KommSummer")
    fake.add(nation)
    fake.add(components, codelist="agg_KommSummerHist")
    fake.add(migration, codelist="agg_KommSummer")
    monkeypatch.setenv("BLILYST_SSB_URL", server.v2)
    monkeypatch.setenv("BLILYST_SSB_V0_URL", server.v0)
    yield server
    server.close()


def test_refresh_writes_the_local_snapshot_and_data_show_uses_it(ssb, env, capsys):
    code = main(["--lang", "en", "data", "refresh", "--from-year", "2026", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    payload = json.loads(out)
    rows = {r["key"]: r for r in payload["rows"]}
    assert rows["components_2011_2025"]["dataset"] == "Population change 2011–2025 by component"  # name and key
    assert rows["population"]["rows"] == 357 * 2 * 106
    assert rows["population"]["ssb_table"] == "07459" and rows["population"]["date"] == "2026-02-20"
    assert rows["components_2011_2025"]["ssb_table"] == "06913"
    assert any("takes precedence" in n for n in payload["notes"])
    assert (env / "local" / "manifest.json").is_file()

    load_snapshot.cache_clear()
    code = main(["--lang", "en", "data", "show", "fyresdal", "--year", "2026", "--format", "csv", "--by", "sex"])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = [line for line in out.splitlines() if line and not line.startswith("#")]
    values = dict(line.split(",")[:2] for line in lines[1:])
    assert sum(int(v) for v in values.values()) == 1_274  # Fyresdal 1 January 2026, from the local snapshot


def test_a_second_refresh_is_served_from_the_cache(ssb, env, capsys):
    assert main(["--lang", "en", "data", "refresh", "--from-year", "2026", "--format", "json"]) == 0
    capsys.readouterr()
    data_requests = len([r for r in ssb.requests if r.path.endswith("/data")])
    assert main(["--lang", "en", "data", "refresh", "--from-year", "2026", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    assert len([r for r in ssb.requests if r.path.endswith("/data")]) == data_requests  # no data fetched again
    assert json.loads(out)["rows"][0]["rows"] == 357 * 2 * 106


def test_offline_refresh_says_so_in_one_line_and_keeps_the_bundled_data(env, monkeypatch, capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("BLILYST_SSB_URL", f"http://127.0.0.1:{port}/api/pxwebapi/v2")
    monkeypatch.setenv("BLILYST_SSB_V0_URL", f"http://127.0.0.1:{port}/api/v0")
    code = main(["--lang", "en", "data", "refresh"])
    _out, err = capsys.readouterr()
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Error: You are offline or SSB is not answering; blilyst keeps working on the bundled data"
    )
    assert "Traceback" not in err
    assert not (env / "local").exists()
    assert main(["--lang", "en", "data", "show", "kviteseid", "--year", "2026"]) == 0
    assert "2,463 persons" in capsys.readouterr().out  # the bundled data, untouched


def test_an_unwritable_destination_fails_before_anything_is_fetched(ssb, env, capsys):
    blocker = env / "blocker"
    blocker.write_text("a file, not a directory", encoding="utf-8")
    code = main(["--lang", "en", "data", "refresh", "--dest", str(blocker / "snapshot")])
    _, err = capsys.readouterr()
    assert code != 0
    assert err.startswith("Error: Cannot write a snapshot to") and err.count("\n") == 1
    assert "Traceback" not in err
    assert not [r for r in ssb.requests if r.path.endswith("/data")]  # failed fast: no data downloaded
    assert blocker.read_text(encoding="utf-8") == "a file, not a directory"


def test_on_a_terminal_a_progress_bar_shows_each_step(ssb, env, capsys, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich treats stderr as a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert main(["--lang", "en", "data", "refresh", "--from-year", "2026", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["rows"][0]["key"] == "population"
    for step in ("07459 population by municipality", "06913 population change", "09588 moves"):
        assert step in err
    assert "━" in err  # the bar itself


def test_a_corrupt_cache_file_is_one_warning_line_and_fetched_again(ssb, env, capsys):
    assert main(["--lang", "en", "data", "refresh", "--from-year", "2026", "--format", "json"]) == 0
    capsys.readouterr()
    cached = sorted((env / "cache" / "ssb" / "data").rglob("*.json"))
    assert cached
    cached[0].write_bytes(cached[0].read_bytes()[:200])  # cut off, as by a full disk
    data_requests = len([r for r in ssb.requests if r.path.endswith("/data")])
    assert main(["--lang", "en", "data", "refresh", "--from-year", "2026", "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["rows"][0]["rows"] == 357 * 2 * 106
    warnings = [line for line in err.splitlines() if line]
    assert len(warnings) == 1 and warnings[0].startswith("Warning: ") and "corrupt" in warnings[0]
    assert len([r for r in ssb.requests if r.path.endswith("/data")]) == data_requests + 1  # only that one again
