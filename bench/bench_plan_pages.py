"""The plan's evidence page with all 357 municipalities: cold (a fresh process) and warm, against a baseline.

Run: ``.venv/bin/python -m pytest bench/bench_plan_pages.py --benchmark-only -p no:randomly``
(the file is collected when named on the command line).

* ``cold`` — a new Python process that serves its first evidence page, for a municipality it has never
  seen (the benchmark's time is the whole process: start, Django, a migrated throwaway database and the
  request; the request alone is printed and kept in ``extra_info``):
  once with an empty disk cache (everything computed: rates, a projection of all 357 municipalities, the
  accounts, the attractiveness model, the chart engine's start) and once with the disk cache another process
  filled (``blilyst.plan.diskcache`` and the SVG cache of ``blilyst.web.lib.charts``).
* ``warm`` — the evidence page again in this process (everything in memory), and the page of a municipality
  not seen before in a warm process.
* Baselines, same run: the statistics detail page of the same municipality (``/municipalities/4028/``),
  warm, and as the first request of a fresh process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")
os.environ.setdefault("BLILYST_HOME", tempfile.mkdtemp(prefix="blilyst-bench-home-"))
os.environ.setdefault("BLILYST_SECRET_KEY", "bench-secret-key-" + "x" * 40)
os.environ["BLILYST_CACHE_DIR"] = tempfile.mkdtemp(prefix="blilyst-bench-cache-")

import django

django.setup()

# One cold request in a fresh process: a throwaway SQLite database, one analyst, one GET; prints seconds.
_COLD = r"""
import os, sys, tempfile, time
os.environ["BLILYST_HOME"] = tempfile.mkdtemp(prefix="blilyst-bench-cold-")
os.environ["DJANGO_SETTINGS_MODULE"] = "blilyst.web.settings"
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()  # allows the test client's host name
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from blilyst.web.accounts.models import Membership, Municipality, User
code, url = sys.argv[1], sys.argv[2]
user = User.objects.create(username="bench")
Membership.objects.create(user=user, municipality=Municipality.objects.create(code=code, name=code), role="analyst")
client = Client()
client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
t = time.perf_counter()
r = client.get(url)
elapsed = time.perf_counter() - t
assert r.status_code == 200, r.status_code
print(elapsed)
"""


def _cold(code: str, cache_dir: str, url: str | None = None) -> float:
    env = {**os.environ, "BLILYST_CACHE_DIR": cache_dir}
    out = subprocess.run(
        [sys.executable, "-c", _COLD, code, url or f"/plan/{code}/"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return float(out.stdout.strip().splitlines()[-1])


def _report(benchmark, label: str, requests: list[float]) -> None:
    """The benchmark's time is the whole fresh process (start, Django, migrate, the request); the request
    alone is kept in ``extra_info`` and printed."""
    benchmark.extra_info["request_seconds"] = [round(s, 3) for s in requests]
    print(f"\ncold first request, {label}: request alone {', '.join(f'{s:.2f}' for s in requests)} s")


def test_cold_first_evidence_page_empty_disk_cache(benchmark):
    requests = []

    def run():
        requests.append(_cold("4028", tempfile.mkdtemp(prefix="blilyst-bench-empty-")))

    benchmark.pedantic(run, rounds=3, iterations=1)
    _report(benchmark, "evidence page, empty disk cache", requests)


def test_cold_first_evidence_page_disk_cache_filled(benchmark):
    filled = tempfile.mkdtemp(prefix="blilyst-bench-filled-")
    _cold("4028", filled)  # another process computed it before

    requests = []
    benchmark.pedantic(lambda: requests.append(_cold("4028", filled)), rounds=3, iterations=1)
    _report(benchmark, "evidence page, disk cache filled", requests)


def test_baseline_cold_first_municipality_detail_page(benchmark):
    """The statistics detail page as the first request of a fresh process: what any first page costs
    (Django imports every app's views on the first request, the snapshot is read)."""
    requests = []
    benchmark.pedantic(
        lambda: requests.append(_cold("4028", tempfile.mkdtemp(prefix="blilyst-bench-base-"), "/municipalities/4028/")),
        rounds=3,
        iterations=1,
    )
    _report(benchmark, "baseline /municipalities/4028/", requests)


@pytest.fixture
def client(db):
    from django.test import Client

    from blilyst.web.accounts.models import Membership, Municipality, User

    user = User.objects.create(username="bench")
    for code, name in (("4028", "Kviteseid"), ("4036", "Vinje"), ("1144", "Kvitsøy"), ("3430", "Os")):
        Membership.objects.create(
            user=user, municipality=Municipality.objects.create(code=code, name=name), role="analyst"
        )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client, url, expected: bytes):
    response = client.get(url)
    assert response.status_code == 200 and expected in response.content
    return response


def test_warm_evidence_page(benchmark, client):
    _get(client, "/plan/4028/", b"Kviteseid")
    benchmark(_get, client, "/plan/4028/", b"Kviteseid")


def test_warm_process_evidence_page_of_a_new_municipality(benchmark, client):
    """A municipality this process has not shown (the all-municipality projection is in memory)."""
    from blilyst.plan import needs
    from blilyst.web.lib import charts

    _get(client, "/plan/4028/", b"Kviteseid")
    codes = iter(["4036", "1144", "3430"])

    def setup():
        return (client, f"/plan/{next(codes)}/", b"<h1"), {}

    benchmark.pedantic(_get, setup=setup, rounds=3, iterations=1)
    assert needs._projection_all.cache_info().currsize >= 1 and charts._svg_from_json.cache_info().currsize >= 6


def test_baseline_municipality_detail(benchmark, client):
    from blilyst.plan import population

    population.overview()
    population.age_sex_table("4028")
    benchmark(_get, client, "/municipalities/4028/", "Folketall etter alder og kjønn".encode())
