"""The public front door and its interest form under 50 concurrent users, beside the contact persons' pages.

Run (one command; PostgreSQL, gunicorn as docs/production.md runs it, two runs one after the other, each with
the machine's load average beside its figures)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_web_frontdoor.py --runs 2

Without ``DATABASE_URL`` it runs on SQLite. On PostgreSQL a throw-away database is created on that server
(``blilyst_bench_<pid>``) and dropped afterwards. ``--server threaded`` uses the pre-forked threaded server of
``bench_web_households.py`` (``webload.SERVER``) instead of gunicorn.

What it does:

1. a fresh database with Kviteseid's front door published, its registers (40 dwellings, 30 vacancies,
   kindergarten months) and ``--households`` made-up households with a logged-in contact person;
2. gunicorn with ``--workers`` processes of ``--threads`` threads each on 127.0.0.1 (nothing else is reached),
   with the rate limit raised for the run (every client comes from 127.0.0.1, one address);
3. first the baseline: 50 clients asking ``/healthz/``; then the mixed load: 50 clients at once, each a
   user with a think time between requests (exponential, mean ``--think``): 40 are the public – the front
   page in a random one of its five languages, and every fourth of them goes on to send the form (GET the
   page for its CSRF token, then POST) – and 10 are contact persons opening the household list and
   household pages. Each kind of request is timed on its own.

Target (issue 11): p95 under 150 ms for the public page and the form. It prints p50/p95/max per kind, the
ratio to the baseline's p95 measured in the same run, and the load average before and after the run (the
figures of a run on a loaded machine say more about the machine than about the pages).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from webload import (
    PostgresDatabase,
    bench_env,
    free_port,
    percentile,
    run_setup,
    run_together,
    start_gunicorn,
    start_threaded,
    stop,
    wait_until_up,
)

CLIENTS = 50
CONTACT_PERSONS = 10
TARGET_P95_MS = 150.0
LANGUAGES = ("nb", "nn", "en", "pl", "uk")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = r"""
import datetime as dt, sys
import django
django.setup()
from django.core.management import call_command
from blilyst.web.accounts.models import Membership, Municipality, User
from blilyst.web.frontdoor.models import FrontDoor
from blilyst.web.newcomers.demo import generate_households
from blilyst.web.newcomers.models import Household
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity
call_command("migrate", interactive=False, verbosity=0)
municipality = Municipality.objects.create(code="4028", name="Kviteseid")
user = User.objects.create(username="bench", first_name="Bench", last_name="Kontakt", email="bench@example.org")
Membership.objects.create(user=user, municipality=municipality, role="contact_person")
FrontDoor.objects.create(municipality=municipality, published=True, contact_person=user)
today = dt.date.today()
kinds = ["rent", "sale", "trial", "small_farm", "plot"]
for i in range(40):
    kind = kinds[i % 5]
    Housing.objects.create(municipality=municipality, kind=kind, title=f"Bolig {i}", bedrooms=0 if kind == "plot" else 3,
                           size_m2=100, price=9000, term_months=24 if kind == "trial" else None,
                           available_from=today, status="available" if i % 3 else "taken")
for i in range(30):
    JobVacancy.objects.create(municipality=municipality, employer=f"Arbeidsgiver {i}", occupation=f"yrke {i}",
                              sector="health", advertised="nav" if i % 4 else "not_advertised")
for m in range(12):
    month = dt.date(today.year + (today.month - 1 + m) // 12, (today.month - 1 + m) % 12 + 1, 1)
    KindergartenCapacity.objects.create(municipality=municipality, kindergarten="Solsikken", month=month, free_places=m % 3)
generate_households(municipality, int(sys.argv[1]), seed=7, contact_person=user)
from django.db import connection
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
ids = list(Household.objects.values_list("pk", flat=True))
print(session_for(user), min(ids), max(ids))
"""


def form_data(rng: random.Random, token: str) -> dict:
    year = time.localtime().tm_year
    return {
        "csrfmiddlewaretoken": token,
        "adult-TOTAL_FORMS": "2",
        "adult-INITIAL_FORMS": "0",
        "adult-0-name": f"Bench Person {rng.randrange(10**6)}",
        "adult-0-email": f"p{rng.randrange(10**6)}@example.org",
        "adult-0-job_wishes": rng.choice(["sykepleier", "lærer", "snekker"]),
        "child-TOTAL_FORMS": "3",
        "child-INITIAL_FORMS": "0",
        "child-0-birth_year": str(year - 3),
        "housing_tenure": "rent",
        "housing_bedrooms": "3",
        "housing_from": f"{year + 1}-03",
        "consent": "on",
        "homepage": "",
    }


def run_baseline(base: str, requests_per_client: int, think_s: float) -> list[float]:
    import httpx

    latencies: list[float] = []
    lock = threading.Lock()
    gate = threading.Barrier(CLIENTS)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        mine = []
        with httpx.Client(base_url=base, timeout=30.0) as client:
            client.get("/healthz/")
            gate.wait()
            for _ in range(requests_per_client):
                time.sleep(rng.expovariate(1 / think_s))
                t0 = time.perf_counter()
                assert client.get("/healthz/").status_code == 200
                mine.append((time.perf_counter() - t0) * 1000)
        with lock:
            latencies.extend(mine)

    run_together([(worker, (i,)) for i in range(CLIENTS)])
    return latencies


def _timed(kind: str, mine: dict, call):
    """``call()``, its time in milliseconds added to ``mine[kind]``."""
    t0 = time.perf_counter()
    response = call()
    mine[kind].append((time.perf_counter() - t0) * 1000)
    return response


def _merge(timings: dict[str, list[float]], errors: list[str], mine: dict[str, list[float]], bad: list[str]) -> None:
    """One client's timings and errors into the run's (under the caller's lock)."""
    for k, v in mine.items():
        timings[k].extend(v)
    errors.extend(bad)


def run_mixed(base: str, cookie: str, first_id: int, last_id: int, requests_per_client: int, think_s: float) -> dict:
    import httpx

    timings: dict[str, list[float]] = {
        "public page": [],
        "form (POST)": [],
        "household list": [],
        "household detail": [],
    }
    errors: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(CLIENTS)

    def public(seed: int) -> None:
        rng = random.Random(seed)
        mine: dict[str, list[float]] = {k: [] for k in timings}
        bad = []
        with httpx.Client(base_url=base, timeout=30.0) as client:
            client.get("/healthz/")
            gate.wait()
            for _ in range(requests_per_client):
                time.sleep(rng.expovariate(1 / think_s))
                lang = rng.choice(LANGUAGES)
                page = _timed("public page", mine, lambda lang=lang: client.get(f"/welcome/4028/{lang}/"))
                if page.status_code != 200:
                    bad.append(f"page {page.status_code}")
                    continue
                if rng.random() < 0.25:  # this visitor fills in the form, reading a little first
                    time.sleep(rng.expovariate(1 / think_s))
                    token = TOKEN.search(page.text).group(1)
                    sent = _timed(
                        "form (POST)",
                        mine,
                        lambda lang=lang, token=token: client.post(
                            f"/welcome/4028/{lang}/", data=form_data(rng, token)
                        ),
                    )
                    if sent.status_code != 302:
                        bad.append(f"form {sent.status_code}")
        with lock:
            _merge(timings, errors, mine, bad)

    def contact_person(seed: int) -> None:
        rng = random.Random(seed)
        mine: dict[str, list[float]] = {k: [] for k in timings}
        bad = []
        with httpx.Client(base_url=base, cookies={"blilyst_session": cookie}, timeout=30.0) as client:
            client.get("/healthz/")
            gate.wait()
            for _ in range(requests_per_client):
                time.sleep(rng.expovariate(1 / think_s))
                if rng.random() < 0.5:
                    r = _timed("household list", mine, lambda: client.get(f"/households/?page={rng.randint(1, 20)}"))
                else:
                    r = _timed(
                        "household detail", mine, lambda: client.get(f"/households/{rng.randint(first_id, last_id)}/")
                    )
                if r.status_code != 200:
                    bad.append(f"staff {r.status_code}")
        with lock:
            _merge(timings, errors, mine, bad)

    users = [(contact_person, (i,)) for i in range(CONTACT_PERSONS)]
    run_together(users + [(public, (100 + i,)) for i in range(CLIENTS - CONTACT_PERSONS)])
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return timings


def run(
    requests_per_client: int = 15,
    households: int = 2000,
    think_s: float = 1.0,
    workers: int = 3,
    threads: int = 4,
    server_kind: str = "gunicorn",
) -> dict:
    env = bench_env(
        "blilyst-bench-frontdoor-",
        BLILYST_HTTPS="0",
        BLILYST_FRONTDOOR_POSTS_PER_HOUR="1000000",  # every client is 127.0.0.1: one address
        BLILYST_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",  # no mail leaves the run
    )
    url = os.environ.get("DATABASE_URL", "").strip()
    database = PostgresDatabase(url) if url else None
    if database is not None:
        env["DATABASE_URL"] = database.__enter__()
    else:
        env.pop("DATABASE_URL", None)
    server = None
    try:
        t0 = time.perf_counter()
        out = run_setup(SETUP, env, households).split()
        cookie, first_id, last_id = out[-3], int(out[-2]), int(out[-1])
        setup_s = time.perf_counter() - t0
        port = free_port()
        if server_kind == "gunicorn":
            server = start_gunicorn(env, port, workers, threads)
        else:
            server = start_threaded(env, port, workers)
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        load_before = os.getloadavg()
        baseline = run_baseline(base, requests_per_client, think_s)
        mixed = run_mixed(base, cookie, first_id, last_id, requests_per_client, think_s)
        return {
            "vendor": "PostgreSQL" if database else "SQLite",
            "server": f"gunicorn {workers} x {threads} threads"
            if server_kind == "gunicorn"
            else (f"threaded server, {workers} processes"),
            "households": households,
            "think_s": think_s,
            "setup_s": setup_s,
            "load": (load_before, os.getloadavg()),
            "cores": os.cpu_count(),
            "timings": {"baseline /healthz/": baseline, **mixed},
        }
    finally:
        if server is not None:
            stop(server)
        if database is not None:
            database.__exit__(None, None, None)


def report(results: dict) -> str:
    import statistics

    before, after = results["load"]
    lines = [
        f"{results['vendor']}, {results['server']}: {CLIENTS} concurrent users ({CLIENTS - CONTACT_PERSONS} public, "
        f"{CONTACT_PERSONS} contact persons), think time {results['think_s']:.1f} s, {results['households']} "
        f"households (setup {results['setup_s']:.1f} s)",
        f"machine: {results['cores']} cores, load average (1/5/15 min) {before[0]:.2f}/{before[1]:.2f}/{before[2]:.2f} "
        f"before, {after[0]:.2f}/{after[1]:.2f}/{after[2]:.2f} after",
        f"{'kind':<20} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95/base':>9}",
    ]
    base = percentile(results["timings"]["baseline /healthz/"], 95)
    for kind, values in results["timings"].items():
        if not values:
            continue
        p95 = percentile(values, 95)
        lines.append(
            f"{kind:<20} {len(values):>8} {statistics.median(values):>8.1f} {p95:>8.1f} {max(values):>8.1f} {p95 / base:>9.1f}"
        )
    return "\n".join(lines)


def test_front_door_under_50_concurrent_users():
    """Collected when named on the pytest command line; prints the table (use -s)."""
    results = run(requests_per_client=int(os.environ.get("BENCH_REQUESTS", "10")))
    print("\n" + report(results))
    assert len(results["timings"]["public page"]) == (CLIENTS - CONTACT_PERSONS) * int(
        os.environ.get("BENCH_REQUESTS", "10")
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=15, help="Page visits per user.")
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--think", type=float, default=1.0, help="Mean think time between a user's requests (s).")
    parser.add_argument("--workers", type=int, default=3, help="Server processes (docs/production.md: 3).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn process.")
    parser.add_argument("--server", choices=("gunicorn", "threaded"), default="gunicorn")
    parser.add_argument("--runs", type=int, default=1, help="Runs one after the other, each on a fresh database.")
    args = parser.parse_args()
    for n in range(args.runs):
        res = run(args.requests, args.households, args.think, args.workers, args.threads, args.server)
        print(f"run {n + 1} of {args.runs}, {time.strftime('%Y-%m-%d %H:%M:%S %Z')}")
        print(report(res))
        worst = max(percentile(res["timings"][k], 95) for k in ("public page", "form (POST)"))
        print(
            f"target p95 < {TARGET_P95_MS:.0f} ms for the public page and form: "
            f"{'met' if worst < TARGET_P95_MS else 'NOT met'} (worst p95 {worst:.1f} ms)\n",
            flush=True,
        )
