"""blilyst.web.settings: everything from the environment, and a clear stop on a bad value."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

SHOW = (
    "import json, blilyst.web.settings as s; print(json.dumps({k: str(getattr(s, k, None)) for k in "
    "['DEBUG', 'HTTPS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
    "'SECURE_SSL_REDIRECT', 'ALLOWED_HOSTS', 'AXES_FAILURE_LIMIT', 'SECRET_KEY', 'DATABASES', 'CACHES', "
    "'TASKS']}))"
)


def settings_with(tmp_path, **env):
    """Import the settings in a fresh interpreter with exactly ``env`` (plus PATH) set."""
    environment = {"PATH": os.environ["PATH"], "BLILYST_HOME": str(tmp_path / "home"), **env}
    if "PYTHONPATH" in os.environ:  # a worktree's source ahead of the installed package
        environment.setdefault("PYTHONPATH", os.environ["PYTHONPATH"])
    result = subprocess.run([sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        return None, result.stderr.strip().splitlines()[-1]
    return json.loads(result.stdout), None


def test_the_embedded_default_is_local_sqlite_without_debug(tmp_path):
    values, error = settings_with(tmp_path)
    assert error is None
    assert values["DEBUG"] == "False"
    assert values["HTTPS"] == "False"  # plain localhost development
    assert "sqlite3" in values["DATABASES"] and str(tmp_path / "home" / "blilyst.sqlite3") in values["DATABASES"]
    key_file = tmp_path / "home" / "secret_key"
    assert key_file.read_text() == values["SECRET_KEY"]
    assert key_file.stat().st_mode & 0o077 == 0
    again, _ = settings_with(tmp_path)
    assert again["SECRET_KEY"] == values["SECRET_KEY"]  # generated once, then kept


def test_a_public_host_turns_on_https_settings(tmp_path):
    values, error = settings_with(tmp_path, BLILYST_ALLOWED_HOSTS="blilyst.kviteseid.kommune.no")
    assert error is None
    assert values["HTTPS"] == "True"
    assert values["SESSION_COOKIE_SECURE"] == "True" and values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SECURE_HSTS_SECONDS"] == "31536000"
    assert values["SECURE_SSL_REDIRECT"] == "True"


def test_production_needs_a_secret_key(tmp_path):
    values, error = settings_with(tmp_path, DATABASE_URL="postgres://blilyst@db.example/blilyst")
    assert values is None
    assert "BLILYST_SECRET_KEY is not set" in error


def test_postgres_comes_from_database_url(tmp_path):
    values, error = settings_with(
        tmp_path, DATABASE_URL="postgres://blilyst:pw@db.example:5433/blilyst", BLILYST_SECRET_KEY="k" * 50
    )
    assert error is None
    assert "django.db.backends.postgresql" in values["DATABASES"]
    assert "'HOST': 'db.example'" in values["DATABASES"] and "'PORT': 5433" in values["DATABASES"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"BLILYST_DEBUG": "maybe"}, "BLILYST_DEBUG='maybe' is not a yes/no value"),
        ({"BLILYST_LOGIN_FAILURE_LIMIT": "five"}, "BLILYST_LOGIN_FAILURE_LIMIT='five' is not a whole number"),
        ({"BLILYST_LOGIN_FAILURE_LIMIT": "0"}, "BLILYST_LOGIN_FAILURE_LIMIT=0 is too small"),
        ({"BLILYST_SECRET_KEY": "short"}, "BLILYST_SECRET_KEY is shorter than 32 characters"),
        (
            {"DATABASE_URL": "mysql://x@y/z", "BLILYST_SECRET_KEY": "k" * 50},
            "blilyst supports postgres:// and sqlite://",
        ),
        ({"BLILYST_ALLOWED_HOSTS": " , "}, "BLILYST_ALLOWED_HOSTS"),
    ],
)
def test_a_bad_value_stops_with_a_message_naming_it(tmp_path, env, message):
    values, error = settings_with(tmp_path, **env)
    assert values is None
    assert "ImproperlyConfigured" in error and message in error


def test_tasks_use_the_database_queue_unless_told_and_redis_shares_every_cache(tmp_path):
    values, error = settings_with(tmp_path)
    assert error is None and "django_tasks_db.DatabaseBackend" in values["TASKS"]
    assert "LocMemCache" in values["CACHES"] and "Redis" not in values["CACHES"]
    values, error = settings_with(
        tmp_path, BLILYST_TASK_BACKEND="immediate", BLILYST_REDIS_URL="redis://127.0.0.1:6379/7"
    )
    assert error is None and "ImmediateBackend" in values["TASKS"]
    assert values["CACHES"].count("RedisCache") == 2 and "LocMemCache" not in values["CACHES"]
    values, error = settings_with(tmp_path, BLILYST_TASK_BACKEND="celery")
    assert values is None and "BLILYST_TASK_BACKEND" in error and "database" in error
