"""The statistics pages with all 357 municipalities: a whole request through Django, against a baseline.

Run: ``.venv/bin/python -m pytest bench/bench_web_analysis.py --benchmark-only -p no:randomly``
(the file is collected when named on the command line).

Each benchmark is one full request through the test client (middleware, login session, view,
template) for a logged-in contact person. The pages derive their tables once per process from the
snapshot (``blilyst.plan.population``), then only filter a few hundred rows, and the list's
table is a template fragment cached per language and search. Baselines, in the same session: the
full list with the fragment cache cleared before every round (rendering 357 rows each time), and
computing the latest-population table from the snapshot (grouping the 1.6 million population rows),
which every request would pay without the per-process table.
"""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")
os.environ.setdefault("BLILYST_HOME", tempfile.mkdtemp(prefix="blilyst-bench-home-"))
os.environ.setdefault("BLILYST_SECRET_KEY", "bench-secret-key-" + "x" * 40)

import django

django.setup()


@pytest.fixture
def client(db):
    from django.test import Client

    from blilyst.plan import population
    from blilyst.web.accounts.models import Membership, Municipality, User

    user = User.objects.create(username="bench")
    Membership.objects.create(
        user=user, municipality=Municipality.objects.create(code="4028", name="Kviteseid"), role="contact_person"
    )
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    population.overview()  # the once-per-process cost is not part of a request
    population.age_sex_table("4028")
    return client


def _get(client, url, expected):
    response = client.get(url)
    assert response.status_code == 200 and expected in response.content
    return response


def test_municipality_list_all_357(benchmark, client):
    response = benchmark(_get, client, "/municipalities/", b"Viser 357 kommuner")
    assert response.content.count(b'href="/municipalities/') == 358


def test_municipality_list_search(benchmark, client):
    benchmark(_get, client, "/municipalities/?q=kvite", b"Viser 1 kommune")


def test_municipality_detail(benchmark, client):
    benchmark(_get, client, "/municipalities/4028/", "Folketall etter alder og kjønn".encode())


def test_baseline_municipality_list_rendered_every_time(benchmark, client):
    from django.core.cache import cache

    benchmark.pedantic(
        _get, args=(client, "/municipalities/", b"Viser 357 kommuner"), setup=cache.clear, rounds=20, warmup_rounds=1
    )


def test_baseline_latest_population_from_the_snapshot_per_request(benchmark, db):
    from blilyst.stats.register import get_register
    from blilyst.stats.snapshot import load_snapshot

    snap = load_snapshot()

    def table():
        pop = snap.population
        year = pop["year"].max()
        totals = pop.loc[pop["year"] == year].groupby("municipality")["population"].sum()
        frame = get_register().frame()
        return frame.assign(population=frame["code"].map(totals))

    result = benchmark(table)
    assert int(result.loc[result["code"] == "4028", "population"].iloc[0]) == 2463
