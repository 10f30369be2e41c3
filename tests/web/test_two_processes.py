"""Two app processes (gunicorn, ephemeral ports) against one PostgreSQL and one Redis: a data refresh run as
background work in one is served by the other, and a cache entry made in one is read by the other.

Needs PostgreSQL on 127.0.0.1:5432 (database ``multi13`` or $BLILYST_TEST_TWO_PROCESS_DB) and Redis on
127.0.0.1:6379 (db 7); skipped with a message when either is absent. CI has both.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.postgres

DATABASE_URL = os.environ.get("BLILYST_TEST_TWO_PROCESS_DB", "postgres://postgres@127.0.0.1:5432/multi13")
REDIS_URL = "redis://127.0.0.1:6379/7"
PASSWORD = "korrekt-hest-batteri-stift"


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def services() -> None:
    if not _answers(5432):
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432: the two-process test needs one")
    if not _answers(6379):
        pytest.skip("no Redis server on 127.0.0.1:6379: the two-process test needs one")
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("gunicorn is not installed (pip install -e '.[dev]')")


@pytest.fixture(scope="module")
def ssb(services):
    """SSB's PxWebApi on loopback: real 07459 figures, and a year 2027 with Kviteseid 1 000 people larger."""
    import pandas as pd
    from tests.stats.conftest import FakePxWeb, LocalSsb
    from tests.stats.test_refresh import POP_YEARS, RAW, components_cube, migration_cube, population_cubes

    d = pd.read_parquet(RAW / "csdata" / "nor_population_by_age_sex_b2024_2005_2026.parquet")
    d = d[d.calyear.isin(POP_YEARS) & d.granularity_geo.isin(["municip", "nation"])]
    # A new year SSB published after the bundled snapshot (figures the refresh cannot check against it):
    # 1 January 2027 as 2026, with Kviteseid 500 people more of each sex at 30.
    new = d[d.calyear == 2026].assign(calyear=2027)
    new.loc[new.location_code.str.endswith("4028") & (new.age == 30), "pop_jan1_n"] += 500
    d = pd.concat([d, new], ignore_index=True)
    server = LocalSsb()
    fake = FakePxWeb(server)
    municipal, nation = population_cubes(d, [*POP_YEARS, 2027])
    fake.add(municipal, codelist="agg_KommSummer")
    fake.add(nation)
    fake.add(components_cube(), codelist="agg_KommSummerHist")
    fake.add(migration_cube(), codelist="agg_KommSummer")
    yield server
    server.close()


@pytest.fixture(scope="module")
def environment(services, ssb, tmp_path_factory) -> dict[str, str]:
    import redis

    home = tmp_path_factory.mktemp("two-processes")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "blilyst.web.settings",
        "DATABASE_URL": DATABASE_URL,
        "BLILYST_REDIS_URL": REDIS_URL,
        "BLILYST_SECRET_KEY": "two-processes-" + "x" * 40,
        "BLILYST_DATA_DIR": str(home / "data"),  # shared, as a shared folder on several machines
        "BLILYST_TASK_BACKEND": "immediate",
        "BLILYST_SSB_URL": ssb.v2,
        "BLILYST_SSB_V0_URL": ssb.v0,
        "BLILYST_PLAN_DISK_CACHE": "on",
    }
    redis.Redis.from_url(REDIS_URL).flushdb()
    _create_database(DATABASE_URL)
    manage = [sys.executable, "-m", "django"]
    subprocess.run([*manage, "migrate", "-v", "0"], env={**env, "BLILYST_HOME": str(home)}, check=True, timeout=600)
    script = "\n".join(
        [
            "from blilyst.web.accounts.models import Municipality, User",
            "from blilyst.web.accounts.members import add_member",
            "User.objects.filter(username='drift').delete()",
            "add_member(Municipality.from_register('4028'), username='drift', role='administrator')",
            "user = User.objects.get(username='drift')",
            "user.is_superuser, user.is_staff, user.language, user.must_change_password = True, True, 'nb', False",
            f"user.set_password({PASSWORD!r})",
            "user.save()",
        ]
    )
    subprocess.run([*manage, "shell", "-c", script], env={**env, "BLILYST_HOME": str(home)}, check=True, timeout=120)
    env["_HOME"] = str(home)
    return env


def _create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def _start(env: dict[str, str], name: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    own = {**env, "BLILYST_HOME": str(Path(env["_HOME"]) / name), "BLILYST_CACHE_DIR": str(Path(env["_HOME"]) / name)}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "blilyst.web.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "300"],
        env=own,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"app process {name} stopped: {process.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(url + "/healthz/", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.3)
    process.kill()
    raise AssertionError(f"app process {name} did not answer within 120 s")


@pytest.fixture(scope="module")
def apps(environment) -> Iterator[tuple[str, str]]:
    a, url_a = _start(environment, "a")
    b, url_b = _start(environment, "b")
    yield url_a, url_b
    for process in (a, b):
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _login(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=300, follow_redirects=False)
    client.get("/accounts/login/")
    token = client.cookies["blilyst_csrftoken"]
    answer = client.post(
        "/accounts/login/", data={"username": "drift", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302, answer.text[:500]
    return client


def _digits(html: str) -> str:
    """The page's text with digit groups joined (2 463 and 2\u00a0463 become 2463)."""
    return re.sub(r"(?<=\d)[\s\u00a0\u202f](?=\d{3}\b)", "", html)


def test_a_cache_entry_made_in_one_process_is_read_by_the_other(apps):
    import redis

    url_a, url_b = apps
    a = _login(url_a)
    b = httpx.Client(base_url=url_b, cookies=a.cookies, timeout=300)  # one session, in the shared database
    page_a = a.get("/municipalities/", params={"q": "Kviteseid"})
    assert page_a.status_code == 200 and "Kviteseid" in page_a.text
    store = redis.Redis.from_url(REDIS_URL)
    fragments = list(store.keys("*template.cache.municipality_table*"))
    assert len(fragments) == 1, "process A did not keep the table in Redis"
    made = store.pttl(fragments[0])
    time.sleep(1.5)
    page_b = b.get("/municipalities/", params={"q": "Kviteseid"})
    assert page_b.status_code == 200
    table = re.search(r"<table.*?</table>", page_a.text, re.S)
    assert table is not None and table.group(0) in page_b.text
    # B read A's entry: had it rendered and stored the table itself, the entry's time to live would be full again
    assert store.pttl(fragments[0]) <= made - 1400
    assert len(store.keys("*template.cache.municipality_table*")) == 1


def test_a_plan_document_made_in_one_process_is_downloaded_from_the_other(apps):
    """The document is background work whose file is kept on the job in the shared database, so whichever
    process (machine) answers the download has it. Runs before the refresh below: the loopback SSB there
    publishes only some years of population, too few for the rates the plan's projection estimates."""
    url_a, url_b = apps
    a = _login(url_a)
    b = httpx.Client(base_url=url_b, cookies=a.cookies, timeout=300)
    token = a.cookies["blilyst_csrftoken"]
    started = a.post("/plan/4028/export/start/", data={"format": "docx", "csrfmiddlewaretoken": token})
    assert started.status_code == 302, started.text[:500]
    job = started.headers["location"]
    status = b.get(job + "status/").json()
    assert status["state"] == "done", status["summary"]
    page = b.get(job)
    assert status["file"] in page.text
    document = b.get(status["file"])
    assert document.status_code == 200 and document.content.startswith(b"PK")  # a Word file is a zip
    assert document.headers["content-disposition"].startswith('attachment; filename="plan-4028-Kviteseid-')


def test_a_refresh_run_in_one_process_is_served_by_the_other(apps):
    url_a, url_b = apps
    a = _login(url_a)
    b = httpx.Client(base_url=url_b, cookies=a.cookies, timeout=300)
    before = _digits(b.get("/municipalities/4028/").text)
    assert "2463" in before and "3463" not in before and "2027" not in before  # bundled: 1 January 2026

    started = a.post("/jobs/start/", data={"kind": "refresh", "csrfmiddlewaretoken": a.cookies["blilyst_csrftoken"]})
    assert started.status_code == 302, started.text[:500]
    status = a.get(started.headers["location"] + "status/").json()
    assert status["state"] == "done", status["summary"]
    assert status["summary"].startswith("Oppdaterte ")

    after = _digits(b.get("/municipalities/4028/").text)  # B was not restarted
    assert "1. januar 2027" in after and "3463" in after  # 2 463 and 500 more of each sex at 30
    listed = _digits(b.get("/municipalities/", params={"q": "Kviteseid"}).text)
    assert "3463" in listed  # the shared table fragment is keyed by the data, so it is rendered anew
