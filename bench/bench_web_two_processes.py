"""100 concurrent users over two app processes on 100 municipalities x 1 000 households, with a baseline.

Run on a quiet machine: ``make bench-web`` (PostgreSQL and Redis on 127.0.0.1; a throw-away database
``blilyst_bench_<pid>`` is created on the server ``DATABASE_URL`` names, default 127.0.0.1:5432, and dropped
afterwards). ``BENCH_ARGS="--quick"`` runs a small version (20 municipalities x 200 households, 5 requests per
user and phase). Redis db 7 on 127.0.0.1 is the shared cache (flushed first). Loopback only.

The users (``--model``, both by default, one after the other on the same servers and data):

* ``reading`` (the realistic model): a contact person opens a household page and reads it -- the household's
  facts, adults, tasks, contact log -- before the next click. Think time exponential with a mean of 10 s. Web
  users "often leave web pages in 10-20 seconds" and "the average page visit lasts a little less than a
  minute" (J. Nielsen, "How Long Do Users Stay on Web Pages?", Nielsen Norman Group, 2011, on Liu, White and
  Dumais, "Understanding web browsing behaviors through Weibull analysis of dwell time", SIGIR 2010); a
  person at work reading a case page is at the slow end of that, so 10 s overstates the load, on purpose.
  Load-testing practice (think time in LoadRunner, JMeter, Gatling) is to pause as long as a person reads,
  and to randomise it so that the users do not click in step. 100 such users ask about 10 pages a second.
* ``stress``: think time 0.5 s on average, a person clicking as fast as the pages come. 100 users ask about
  200 pages a second, far more than 100 contact persons ever would: it measures the capacity, not a day's use.

``--think SECONDS`` replaces both with one mean think time of your own.

The app (``--workers``, ``--threads``): two gunicorn processes, as two machines would run them, each with
``--workers`` workers (default ``auto``: half the machine's cores each, at least one, so the two together
have one worker, one Python interpreter, per core) of ``--threads`` threads (default 8: a thread waits for the
database while another runs). It prints the machine's cores and load average before and after.

What it does:

1. a fresh PostgreSQL database, migrated, with the first ``--municipalities`` (100) municipalities of the
   register, ``--households`` (1 000) made-up households each (``generate_households``: one or two children
   and a task each) and one contact person per municipality, logged in by a session made directly (login
   hashing is not measured);
2. the two gunicorn processes on ephemeral ports, sharing the database and Redis (``BLILYST_REDIS_URL``);
3. per model, 100 users, one per municipality, half on each process, each with its own kept-alive
   connection, making ``--requests`` requests (default 10) per phase with the model's think time: first the
   baseline (``/healthz/``: middleware and one ``SELECT 1``), then their municipality's household list (random
   pages, some with a status filter), then household detail pages (random households of their municipality;
   each view also writes an access-log row). Every answer must be 200.

It prints p50/p95/max latency and throughput per phase, per process and together, with the ratio to the
baseline, and the CPU the app processes and the database spent per request in each phase (from ``/proc``:
the gunicorn processes, and the PostgreSQL backends of the bench's database when the server runs on this
machine). Target: p95 under 150 ms for the list and the detail page, no errors.
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
# Mean think time (s) of each user model; see the module's docstring for where the figures come from.
THINK_MODELS = {"reading": 10.0, "stress": 0.5}
PHASES = ("baseline /healthz/", "household list", "household detail")

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


def cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """User + system CPU (s) each of ``pids`` has used so far, from Linux's ``/proc`` (a process that is gone, or
    a system without ``/proc``, is left out)."""
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        cpu[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return cpu


def group_pids(leader: int) -> list[int]:
    """The processes of the process group ``leader`` (a gunicorn master and its workers)."""
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == leader:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def database_pids(url: str) -> list[int]:
    """The PostgreSQL backends connected to the database of ``url`` (the app processes' kept connections)."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (name,)).fetchall()
    return [pid for (pid,) in rows]


class CpuMeter:
    """The CPU the app processes and the bench database's backends spend during a phase, in seconds (None where
    ``/proc`` cannot be read, e.g. not Linux or the database on another machine). The backends are looked at
    every half second, since a connection older than ``CONN_MAX_AGE`` ends and a new backend takes its place;
    one that lives less than that is missed, so the database's figure is a floor."""

    def __init__(self, servers: list[subprocess.Popen[bytes]], database_url: str):
        self.servers, self.database_url = servers, database_url

    def _sample_database(self) -> None:
        self.db_last.update(cpu_by_pid(database_pids(self.database_url)))

    def _watch(self) -> None:
        while not self.done.wait(0.5):
            self._sample_database()

    def __enter__(self) -> CpuMeter:
        self.app_pids = [pid for server in self.servers for pid in group_pids(server.pid)]
        self.app0 = cpu_by_pid(self.app_pids)
        self.db0 = cpu_by_pid(database_pids(self.database_url))
        self.db_last: dict[int, float] = dict(self.db0)
        self.done = threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)
        self.watcher.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.watcher.join()
        self._sample_database()
        app1 = cpu_by_pid(self.app_pids)
        self.app_s = sum(app1[pid] - self.app0.get(pid, 0.0) for pid in app1) if app1 else None
        seen = self.db_last
        self.db_s = sum(seen[pid] - self.db0.get(pid, 0.0) for pid in seen) if seen else None


def run_phase(
    bases: list[str], users: list[tuple[str, int, int]], paths: Paths, requests: int, think: float, meter: CpuMeter
) -> dict:
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
                status: int | str
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

    with meter:
        wall = run_together([(user_session, (i, u)) for i, u in enumerate(users)])
    every = [ms for values in latencies.values() for ms in values]
    # Every user's first request (opening the connection) is in the CPU figures too.
    served = len(every) + len(users)
    return {
        "app_cpu_ms": None if meter.app_s is None else meter.app_s / served * 1000,
        "db_cpu_ms": None if meter.db_s is None else meter.db_s / served * 1000,
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


def run(
    municipalities: int, households: int, requests: int, models: dict[str, float], threads: int, workers: int
) -> dict:
    """Set up, start the two app processes and run every phase for each user model (``{name: mean think s}``)."""
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
        meter = CpuMeter(servers, env["DATABASE_URL"])
        results: dict = {"municipalities": municipalities, "households": households, "users": len(users)}
        results["setup_s"], results["threads"], results["workers"] = setup_s, threads, workers
        results["requests"], results["load_before"], results["models"] = requests, os.getloadavg(), {}
        for model, think in models.items():
            phases: dict = {"think_s": think}
            t0 = time.perf_counter()
            for name, paths in zip(PHASES, (baseline, household_list, household_detail), strict=True):
                phases[name] = run_phase(bases, users, paths, requests, think, meter)
            phases["wall_s"] = time.perf_counter() - t0
            results["models"][model] = phases
        results["load_after"] = os.getloadavg()
        return results
    finally:
        for process in servers:
            stop(process)
        database.__exit__(None, None, None)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def report(results: dict) -> str:
    before, after = results["load_before"], results["load_after"]
    lines = [
        f"{os.cpu_count()} cores; load average (1, 5, 15 min) before {before[0]:.1f} {before[1]:.1f} {before[2]:.1f}, "
        f"after {after[0]:.1f} {after[1]:.1f} {after[2]:.1f}",
        f"PostgreSQL + Redis, 2 gunicorn processes x {results['workers']} worker(s) x {results['threads']} threads: "
        f"{results['users']} users over {results['municipalities']} municipalities x {results['households']} "
        f"households (setup {results['setup_s']:.0f} s), {results['requests']} requests per user and phase",
    ]
    for model, phases in results["models"].items():
        think = phases["think_s"]
        lines += [
            "",
            f"users '{model}': think time {think:.1f} s on average, so about {results['users'] / think:.0f} "
            f"requests a second offered ({phases['wall_s']:.0f} s)",
            f"{'phase':<20} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} "
            f"{'p95/base':>9} {'p95 A / B':>15} {'app CPU ms':>10} {'DB CPU ms':>9}",
        ]
        base = phases[PHASES[0]]["p95"]
        for name in PHASES:
            r = phases[name]
            a, b = r["p95_per_process"]
            lines.append(
                f"{name:<20} {r['n']:>8} {len(r['errors']):>6} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f} "
                f"{r['rps']:>7.1f} {r['p95'] / base:>9.1f} {a:>7.1f} / {b:<6.1f} {_ms(r['app_cpu_ms']):>10} "
                f"{_ms(r['db_cpu_ms']):>9}"
            )
        errors = sum(len(phases[name]["errors"]) for name in PHASES)
        worst = max(phases["household list"]["p95"], phases["household detail"]["p95"])
        met = "met" if worst < TARGET_P95_MS and not errors else "NOT met"
        lines.append(
            f"target p95 < {TARGET_P95_MS:.0f} ms and no errors: {met} (worst p95 {worst:.1f} ms, {errors} errors)"
        )
        if errors:
            lines.append(
                f"first errors: {phases['household list']['errors'][:3] + phases['household detail']['errors'][:3]}"
            )
    lines.append(
        "app CPU ms: the two app processes' CPU per request (one core serves at most 1000 / that many pages a "
        "second); DB CPU ms: the bench database's PostgreSQL backends (a floor)."
    )
    return "\n".join(lines)


def auto_workers() -> int:
    """Workers per app process: half the cores, at least one (the two processes together: one per core)."""
    return max(1, (os.cpu_count() or 1) // 2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=100)
    parser.add_argument("--households", type=int, default=1_000, help="Households per municipality.")
    parser.add_argument("--requests", type=int, default=10, help="Requests per user and phase.")
    parser.add_argument(
        "--model",
        choices=["both", *THINK_MODELS],
        default="both",
        help="Which users: 'reading' (think time 10 s), 'stress' (0.5 s) or both, one after the other.",
    )
    parser.add_argument("--think", type=float, help="Your own mean think time between a user's requests (s).")
    parser.add_argument("--threads", type=int, default=8, help="Threads per gunicorn worker.")
    parser.add_argument(
        "--workers", default="auto", help="gunicorn workers per app process; 'auto': half the cores, at least 1."
    )
    parser.add_argument(
        "--quick", action="store_true", help="20 municipalities x 200 households, 5 requests per user and phase."
    )
    args = parser.parse_args()
    if args.quick:
        args.municipalities, args.households, args.requests = 20, 200, 5
    if args.think is not None:
        models = {f"think {args.think:g} s": args.think}
    elif args.model == "both":
        models = dict(THINK_MODELS)
    else:
        models = {args.model: THINK_MODELS[args.model]}
    workers = auto_workers() if args.workers == "auto" else int(args.workers)
    res = run(args.municipalities, args.households, args.requests, models, args.threads, workers)
    print(report(res))
