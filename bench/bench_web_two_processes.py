"""100 concurrent users over two app processes on 100 municipalities x 1 000 households, with a baseline.

Run on a quiet machine: ``make bench-web`` (PostgreSQL and Redis on 127.0.0.1; a throw-away database
``blilyst_bench_<pid>`` is created on the server ``DATABASE_URL`` names, default 127.0.0.1:5432, and dropped
afterwards). ``BENCH_ARGS="--workers 4"`` gives each app process four gunicorn workers (as a machine with
more cores would run it); the defaults are one worker of 8 threads per process. Redis db 7 on 127.0.0.1 is the shared cache (flushed first).
Loopback only; bounded: ``--requests`` per user and phase (default 10), ``--think`` seconds between them.

What it does:

1. a fresh PostgreSQL database, migrated, with the first ``--municipalities`` (100) municipalities of the
   register, ``--households`` (1 000) made-up households each (``generate_households``: one or two children
   and a task each) and one contact person per municipality, logged in by a session made directly (login
   hashing is not measured);
2. two gunicorn processes (``--threads`` threads each, as several machines would run them) on ephemeral
   ports, sharing the database and Redis (``BLILYST_REDIS_URL``);
3. 100 users, one per municipality, half on each process, each with its own kept-alive connection,
   making requests with an exponential think time (mean 0.5 s): first the baseline (``/healthz/``:
   middleware and one ``SELECT 1``), then their municipality's household list (random pages, some with a
   status filter), then household detail pages (random households of their municipality; each view also
   writes an access-log row). Every answer must be 200.

It prints p50/p95/max latency and throughput per phase, per process and together, with the ratio to the
baseline, and the machine's cores and load average before and after (figures from a busy machine measure the
queue, not the pages). Target: p95 under 150 ms for the list and the detail page, no errors.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
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
    stop,
    wait_until_up,
)

TARGET_P95_MS = 150.0
REDIS_URL = "redis://127.0.0.1:6379/7"

SETUP = r"""
import json, sys
import django
django.setup()
from django.core.management import call_command
from blilyst.stats.register import get_register
from blilyst.web.accounts.models import Membership, Municipality, User
from blilyst.web.newcomers.demo import generate_households
from blilyst.web.newcomers.models import Household
call_command("migrate", interactive=False, verbosity=0)
count, per = int(sys.argv[1]), int(sys.argv[2])
users = {}
for i, entry in enumerate(get_register().frame().head(count).itertuples()):
    municipality = Municipality.objects.create(code=entry.code, name=entry.name)
    user = User.objects.create(username=f"bench{i}")
    Membership.objects.create(user=user, municipality=municipality, role="contact_person")
    generate_households(municipality, per, seed=i, contact_person=user)
    ids = list(Household.objects.filter(municipality=municipality).values_list("pk", flat=True))
    users[entry.code] = [session_for(user), min(ids), max(ids)]
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would have after a bulk load
print(json.dumps(users))
"""

STATUSES = ["enquiry", "in_dialogue", "visited", "decided", "moved_in", "settled"]
Paths = Callable[[random.Random, tuple[str, int, int]], str]


def baseline(rng: random.Random, user: tuple[str, int, int]) -> str:
    return "/healthz/"


def household_list(rng: random.Random, user: tuple[str, int, int]) -> str:
    if rng.randrange(4) == 0:
        return f"/households/?status={rng.choice(STATUSES)}&page={rng.randint(1, 3)}"
    return f"/households/?page={rng.randint(1, 20)}"


def household_detail(rng: random.Random, user: tuple[str, int, int]) -> str:
    return f"/households/{rng.randint(user[1], user[2])}/"


def run_phase(bases: list[str], users: list[tuple[str, int, int]], paths: Paths, requests: int, think: float) -> dict:
    import httpx

    latencies: dict[str, list[float]] = {base: [] for base in bases}
    errors: list[str] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(users))

    def user_session(index: int, user: tuple[str, int, int]) -> None:
        rng = random.Random(index)
        base = bases[index % len(bases)]
        mine, bad = [], []
        with httpx.Client(base_url=base, cookies={"blilyst_session": user[0]}, timeout=30.0) as client:
            client.get(paths(rng, user))  # open the kept-alive connection first
            gate.wait()
            for _ in range(requests):
                time.sleep(rng.expovariate(1 / think))
                path = paths(rng, user)
                t0 = time.perf_counter()
                try:
                    status = client.get(path).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                mine.append((time.perf_counter() - t0) * 1000)
                if status != 200:
                    bad.append(f"{base}{path} -> {status}")
        with lock:
            latencies[base].extend(mine)
            errors.extend(bad)

    wall = run_together([(user_session, (i, u)) for i, u in enumerate(users)])
    every = [ms for values in latencies.values() for ms in values]
    return {
        "n": len(every),
        "errors": errors,
        "p50": statistics.median(every),
        "p95": percentile(every, 95),
        "max": max(every),
        "rps": len(every) / wall,
        "p95_per_process": [percentile(values, 95) for values in latencies.values()],
    }


def start_server(env: dict[str, str], threads: int, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = start_gunicorn(env, port, workers, threads)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, tries=600, what="an app process")
    except RuntimeError:
        stop(process)
        raise
    return process, base


def run(municipalities: int, households: int, requests: int, think: float, threads: int, workers: int = 1) -> dict:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = bench_env("blilyst-bench-two-", BLILYST_REDIS_URL=REDIS_URL)
    database = PostgresDatabase(
        os.environ.get("DATABASE_URL", "").strip() or "postgres://postgres@127.0.0.1:5432/postgres"
    )
    env["DATABASE_URL"] = database.__enter__()
    servers: list[subprocess.Popen[bytes]] = []
    try:
        t0 = time.perf_counter()
        out = run_setup(SETUP, env, municipalities, households)
        users = [tuple(v) for v in json.loads(out.strip().splitlines()[-1]).values()]
        setup_s = time.perf_counter() - t0
        bases = []
        for _ in range(2):
            process, base = start_server(env, threads, workers)
            servers.append(process)
            bases.append(base)
        results: dict = {"municipalities": municipalities, "households": households, "users": len(users)}
        results["setup_s"], results["think_s"], results["threads"] = setup_s, think, threads
        results["workers"], results["load_before"] = workers, os.getloadavg()
        for name, paths in (
            ("baseline /healthz/", baseline),
            ("household list", household_list),
            ("household detail", household_detail),
        ):
            results[name] = run_phase(bases, users, paths, requests, think)  # type: ignore[arg-type]
        results["load_after"] = os.getloadavg()
        return results
    finally:
        for process in servers:
            stop(process)
        database.__exit__(None, None, None)


def report(results: dict) -> str:
    before, after = results["load_before"], results["load_after"]
    lines = [
        f"{os.cpu_count()} cores; load average (1, 5, 15 min) before {before[0]:.1f} {before[1]:.1f} {before[2]:.1f}, "
        f"after {after[0]:.1f} {after[1]:.1f} {after[2]:.1f}",
        f"PostgreSQL + Redis, 2 gunicorn processes x {results['workers']} worker(s) x {results['threads']} threads: "
        f"{results['users']} users over "
        f"{results['municipalities']} municipalities x {results['households']} households "
        f"(setup {results['setup_s']:.0f} s), think time {results['think_s']:.1f} s on average",
        f"{'phase':<20} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} "
        f"{'p95/base':>9} {'p95 A / B':>14}",
    ]
    base = results["baseline /healthz/"]["p95"]
    for name in ("baseline /healthz/", "household list", "household detail"):
        r = results[name]
        a, b = r["p95_per_process"]
        lines.append(
            f"{name:<20} {r['n']:>8} {len(r['errors']):>6} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f} "
            f"{r['rps']:>7.1f} {r['p95'] / base:>9.1f} {a:>6.1f} / {b:<6.1f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=100)
    parser.add_argument("--households", type=int, default=1_000, help="Households per municipality.")
    parser.add_argument("--requests", type=int, default=10, help="Requests per user and phase.")
    parser.add_argument("--think", type=float, default=0.5, help="Mean think time between a user's requests (s).")
    parser.add_argument("--threads", type=int, default=8, help="Threads per gunicorn worker.")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per app process.")
    args = parser.parse_args()
    res = run(args.municipalities, args.households, args.requests, args.think, args.threads, args.workers)
    print(report(res))
    errors = sum(len(res[n]["errors"]) for n in ("baseline /healthz/", "household list", "household detail"))
    worst = max(res["household list"]["p95"], res["household detail"]["p95"])
    print(
        f"target p95 < {TARGET_P95_MS:.0f} ms and no errors: "
        f"{'met' if worst < TARGET_P95_MS and not errors else 'NOT met'} (worst p95 {worst:.1f} ms, {errors} errors)"
    )
    if errors:
        print("first errors:", res["household list"]["errors"][:3] + res["household detail"]["errors"][:3])
