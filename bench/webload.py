"""The load driver the web benchmarks share (bench_web_households, bench_web_frontdoor, bench_web_two_processes).

Each bench sets up its own data and its own users; what they have in common lives here once: the
environment of a run, a throw-away PostgreSQL database, the setup script run in a subprocess, the app
server (gunicorn as docs/production.md runs it, or Django's threaded server pre-forked), waiting for it
and stopping it, the simulated users started together, and the percentile the figures are reported with.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

# A logged-in contact person without the cost of login hashing: a setup script calls ``session_for(user)``
# (this text is put in front of the bench's own setup script).
SESSION = r"""
def session_for(user):
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key
"""

# Django's threaded server (the one ``runserver`` uses) with TCP_NODELAY set on its sockets as production
# servers do, pre-forked into argv[2] processes sharing the listening socket on port argv[1].
SERVER = r"""
import socket, sys
import django
django.setup()
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler, get_internal_wsgi_application


class Handler(WSGIRequestHandler):
    # runserver's handler with TCP_NODELAY, as production servers (gunicorn) set it.

    def setup(self):
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass


httpd = ThreadedWSGIServer(("127.0.0.1", int(sys.argv[1])), Handler)
httpd.set_app(get_internal_wsgi_application())
# Pre-fork like gunicorn (docs/production.md runs 3 workers): the processes share the listening socket.
import os
for _ in range(int(sys.argv[2]) - 1):
    if os.fork() == 0:
        break
httpd.serve_forever()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


class PostgresDatabase:
    """A throw-away database on the server named by DATABASE_URL."""

    def __init__(self, url: str):
        import dj_database_url

        self.config = dj_database_url.parse(url)
        self.name = f"blilyst_bench_{os.getpid()}"
        user = self.config.get("USER") or ""
        auth = user + (f":{self.config['PASSWORD']}" if self.config.get("PASSWORD") else "")
        self.url = f"postgres://{auth}@{self.config['HOST']}:{self.config.get('PORT') or 5432}/{self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=self.config["HOST"],
            port=self.config.get("PORT") or 5432,
            user=self.config.get("USER"),
            password=self.config.get("PASSWORD") or None,
            dbname="postgres",
            autocommit=True,
        ) as conn:
            conn.execute(sql)

    def __enter__(self) -> str:
        self._admin(f'CREATE DATABASE "{self.name}"')
        return self.url

    def __exit__(self, *exc: object) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def bench_env(prefix: str, **extra: str) -> dict[str, str]:
    """The app's environment for a run: this checkout's code, a fresh ``BLILYST_HOME``, DEBUG off, and
    ``extra`` on top (settings module and secret key only where the caller's environment has none)."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "blilyst.web.settings")
    env["BLILYST_HOME"] = tempfile.mkdtemp(prefix=prefix)
    env.setdefault("BLILYST_SECRET_KEY", "bench-secret-key-" + "x" * 40)
    env["BLILYST_DEBUG"] = "0"
    env["PYTHONPATH"] = str(ROOT / "src")
    env.update(extra)
    return env


def run_setup(script: str, env: dict[str, str], *args: object) -> str:
    """The bench's setup script (after :data:`SESSION`) in a subprocess with ``env``; its standard output."""
    return subprocess.run(
        [PYTHON, "-c", SESSION + script, *map(str, args)], env=env, check=True, capture_output=True, text=True
    ).stdout


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    # Its own process group, so that stop() ends the server and every worker it forked.
    return subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """gunicorn as docs/production.md runs it (``workers``), with threads and kept-alive connections as a
    proxy in front keeps its upstream ones (gunicorn's default of 2 s closed a connection just as a user
    sent the next request: ReadError)."""
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    command = [gunicorn, "blilyst.web.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    return _start([*command, "--threads", str(threads), "--keep-alive", "75"], env)


def start_threaded(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    """Django's threaded server (:data:`SERVER`) pre-forked into ``workers`` processes."""
    return _start([PYTHON, "-c", SERVER, str(port), str(workers)], env)


def wait_until_up(base: str, tries: int = 200, what: str = "the server") -> None:
    """Ask ``/healthz/`` every 0.1 s until it answers 200; after ``tries`` a RuntimeError."""
    import httpx

    for _ in range(tries):
        try:
            if httpx.get(base + "/healthz/", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def stop(server: subprocess.Popen[bytes]) -> None:
    """End the server and the workers it forked (its own process group)."""
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=10)


def run_together(users: Sequence[tuple[Callable[..., None], tuple[Any, ...]]]) -> float:
    """One thread per simulated user (``function(*args)``), started together and joined; the wall time in s.
    The users wait at their own barrier once their connection is open, so the load starts at once."""
    threads = [threading.Thread(target=function, args=args) for function, args in users]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - t0
