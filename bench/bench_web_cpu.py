"""CPU time and queries per request of the household list and detail pages, in one process, with a baseline.

Run: ``.venv/bin/python bench/bench_web_cpu.py`` (SQLite), or with ``DATABASE_URL=postgres://...`` for
PostgreSQL (a throw-away database ``blilyst_bench_<pid>`` is created on that server and dropped afterwards).
``--quick`` uses 5 municipalities x 1 000 households and fewer requests (about half a minute).

What it does: a fresh database with ``--municipalities`` (default 100) municipalities of ``--households``
(1 000) made-up households each and a logged-in contact person (as bench_web_two_processes sets them up), then,
in one process, Django's WSGI handler called directly (no server, no network, DEBUG off, the production
middleware), for ``/healthz/`` (the baseline: middleware, session, user, one ``SELECT 1``), the household list
(random pages, every fourth with a status filter) and the household detail page (random households; each view
writes an access-log row). Pages are measured in alternating rounds, so that a busy machine slows them alike.

It prints per page: the app's CPU time per request (``time.process_time``: the process's own CPU, which other
programs on the machine disturb far less than wall-clock time), the database server's CPU per request where
the server runs on this machine (PostgreSQL: the backend process's CPU from ``/proc``), the number of queries,
and the ratio to the baseline. The CPU per request is what sizes a deployment: one core serves at most
1000 / (app ms) pages a second, and stays responsive at about half of that (docs/production.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_web_two_processes import SETUP
from webload import PostgresDatabase, bench_env, run_setup

MEASURE = r"""
import json, os, random, sys, time
from io import BytesIO
from urllib.parse import urlsplit
import django
django.setup()
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

users = json.loads(sys.argv[1])
rounds, per_round = int(sys.argv[2]), int(sys.argv[3])
session_key, first_id, last_id = next(iter(users.values()))
app = WSGIHandler()
answers = []


def start_response(status, headers, exc_info=None):
    answers.append(int(status.split()[0]))


def get(path):
    url = urlsplit(path)
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": url.path, "QUERY_STRING": url.query, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""), "wsgi.errors": sys.stderr, "HTTP_COOKIE": f"blilyst_session={session_key}",
    }
    body = b"".join(app(environ, start_response))
    if answers[-1] != 200:
        raise SystemExit(f"{path} answered {answers[-1]}")
    return body


STATUSES = ["enquiry", "in_dialogue", "visited", "decided", "moved_in", "settled"]
rng = random.Random(7)


def household_list():
    if rng.randrange(4) == 0:
        return f"/households/?status={rng.choice(STATUSES)}&page={rng.randint(1, 3)}"
    return f"/households/?page={rng.randint(1, 20)}"


pages = {
    "baseline /healthz/": lambda: "/healthz/",
    "household list": household_list,
    "household detail": lambda: f"/households/{rng.randint(first_id, last_id)}/",
}


def backend_cpu():
    # The PostgreSQL backend serving this connection, when it runs on this machine: its user + system CPU (s).
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


queries = {}
for name, path in pages.items():
    for _ in range(20):  # warm up: templates compiled, connection open
        get(path())
    sent = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: sent.append(sql) or execute(sql, params, many, context)):
        get(path())
    queries[name] = len(sent)

app_s = {name: 0.0 for name in pages}
db_s = {name: 0.0 for name in pages}
db_known = True
for _ in range(rounds):
    for name, path in pages.items():
        paths = [path() for _ in range(per_round)]
        db0 = backend_cpu()
        t0 = time.process_time()
        for p in paths:
            get(p)
        app_s[name] += time.process_time() - t0
        db1 = backend_cpu()
        if db0 is None or db1 is None:
            db_known = False
        else:
            db_s[name] += db1 - db0  # includes the two small queries that read the pid
n = rounds * per_round
print(json.dumps({
    "vendor": connection.vendor,
    "requests": n,
    "pages": {
        name: {
            "app_ms": app_s[name] / n * 1000,
            "db_ms": db_s[name] / n * 1000 if db_known else None,
            "queries": queries[name],
        }
        for name in pages
    },
}))
"""


def run(municipalities: int, households: int, rounds: int, per_round: int) -> dict:
    env = bench_env("blilyst-bench-cpu-")
    url = os.environ.get("DATABASE_URL", "").strip()
    database = PostgresDatabase(url) if url else None
    if database is not None:
        env["DATABASE_URL"] = database.__enter__()
    else:
        env.pop("DATABASE_URL", None)
        env["BLILYST_HOME"] = tempfile.mkdtemp(prefix="blilyst-bench-cpu-")
    try:
        t0 = time.perf_counter()
        users = run_setup(SETUP, env, municipalities, households).strip().splitlines()[-1]
        setup_s = time.perf_counter() - t0
        out = run_setup(MEASURE, env, users, rounds, per_round)
        results = json.loads(out.strip().splitlines()[-1])
        results.update(municipalities=municipalities, households=households, setup_s=setup_s)
        return results
    finally:
        if database is not None:
            database.__exit__(None, None, None)


def report(results: dict) -> str:
    pages = results["pages"]
    base = pages["baseline /healthz/"]["app_ms"]
    lines = [
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {results['vendor']}, "
        f"{results['municipalities']} municipalities x {results['households']} households "
        f"(setup {results['setup_s']:.0f} s); {results['requests']} requests per page, one process, no server",
        f"{'page':<20} {'app CPU ms':>10} {'DB CPU ms':>10} {'queries':>8} {'app/base':>9} {'pages/s per core':>17}",
    ]
    for name, page in pages.items():
        db = "–" if page["db_ms"] is None else f"{page['db_ms']:.2f}"
        lines.append(
            f"{name:<20} {page['app_ms']:>10.2f} {db:>10} {page['queries']:>8} {page['app_ms'] / base:>9.1f} "
            f"{1000 / page['app_ms']:>17.0f}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=100)
    parser.add_argument("--households", type=int, default=1_000, help="Households per municipality.")
    parser.add_argument("--rounds", type=int, default=10, help="Alternating rounds over the three pages.")
    parser.add_argument("--per-round", type=int, default=50, help="Requests per page and round.")
    parser.add_argument("--quick", action="store_true", help="5 municipalities, 5 rounds of 30 (about 30 s).")
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON too.")
    args = parser.parse_args()
    if args.quick:
        args.municipalities, args.rounds, args.per_round = 5, 5, 30
    res = run(args.municipalities, args.households, args.rounds, args.per_round)
    print(report(res))
    if args.json:
        print(json.dumps(res))
