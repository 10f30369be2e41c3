"""BLILYST_TASK_BACKEND=rq: background work put on Redis and done by an RQ worker, another process (as on
another machine), while the job's progress and outcome are in the shared database. Runs where a Redis server
answers on 127.0.0.1:6379 and django-tasks-rq is installed (pip install 'blilyst[rq]'); skipped with a message
otherwise."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REDIS_URL = "redis://127.0.0.1:6379/11"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason="no Redis server on 127.0.0.1:6379: the RQ test needs one"),
    pytest.mark.skipif(
        importlib.util.find_spec("django_tasks_rq") is None,
        reason="django-tasks-rq is not installed (pip install 'blilyst[rq]')",
    ),
]

START = textwrap.dedent(
    """
    import django
    django.setup()
    from django.conf import settings
    from blilyst.web.accounts.models import User
    from blilyst.web.jobs.tasks import installation_target, start
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    user = User.objects.create_superuser("drift", "drift@example.org", password=None)
    job, _started = start("retention", user, installation_target())
    print(job.pk, job.state)
    """
)

CHECK = textwrap.dedent(
    """
    import sys
    import django
    django.setup()
    from blilyst.web.jobs.models import Job
    job = Job.objects.get(pk=int(sys.argv[1]))
    print(job.state, job.summary)
    """
)


def _run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def test_an_rq_worker_does_the_work_and_the_job_page_reads_how_it_ended(tmp_path: Path) -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "blilyst.web.settings",
        "BLILYST_HOME": str(tmp_path / "home"),
        "BLILYST_CACHE_DIR": str(tmp_path / "cache"),
        "BLILYST_SECRET_KEY": "rq-test-" + "x" * 40,
        "BLILYST_REDIS_URL": REDIS_URL,
        "BLILYST_TASK_BACKEND": "rq",
    }
    env.pop("DATABASE_URL", None)  # SQLite in BLILYST_HOME, shared by the three processes
    _run(env, "-m", "django", "migrate", "-v", "0")
    pk, state = _run(env, "-c", START).split()
    assert state == "queued"  # on Redis, not done in the process that started it
    assert redis.Redis.from_url(REDIS_URL).llen("rq:queue:default") == 1
    _run(env, "-m", "django", "rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default")
    assert _run(env, "-c", CHECK, pk) == "done Slettet 0 husstander; anonyme tall beholdt."


def test_rq_without_redis_is_refused_with_what_to_do(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "blilyst.web.settings", "BLILYST_TASK_BACKEND": "rq"}
    env.pop("BLILYST_REDIS_URL", None)
    env["BLILYST_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0 and "set BLILYST_REDIS_URL as well" in done.stderr
