"""What the audit found right, kept true: retention erases to the second of its period and not before, and a
PostgreSQL backup (pg_dump) restores to the same rows."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile

import pytest
from django.db import connection
from django.utils import timezone

from blilyst.web.newcomers.demo import make_household
from blilyst.web.newcomers.models import Household
from blilyst.web.privacy.rules import apply_retention, retention_days


def test_retention_erases_exactly_at_the_end_of_the_period(people):
    now = timezone.now()
    period = dt.timedelta(days=retention_days())
    kept = make_household(people.a, "Just inside")
    erased = make_household(people.a, "Just outside", email="o@example.org", phone="41000000")
    Household.objects.filter(pk=kept.pk).update(last_activity=now - period + dt.timedelta(seconds=1))
    Household.objects.filter(pk=erased.pk).update(last_activity=now - period - dt.timedelta(seconds=1))
    result = apply_retention(now=now)
    assert result.expired == [erased.pk]
    assert list(Household.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db(transaction=True)
def test_a_postgres_backup_restores_to_the_same_rows(people):
    if connection.vendor != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and pg_dump (DATABASE_URL=postgres://…)")
    make_household(people.a, "Familien Berg")
    settings = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    base = ["-h", settings["HOST"] or "127.0.0.1", "-p", str(settings["PORT"] or 5432), "-U", settings["USER"]]
    restored = f"{settings['NAME']}_restore"
    with tempfile.TemporaryDirectory() as folder:
        dump = os.path.join(folder, "blilyst.dump")
        subprocess.run(["pg_dump", *base, "-Fc", "-f", dump, settings["NAME"]], check=True, env=env)
        subprocess.run(["dropdb", *base, "--if-exists", restored], check=True, env=env)
        subprocess.run(["createdb", *base, restored], check=True, env=env)
        try:
            subprocess.run(["pg_restore", *base, "-d", restored, dump], check=True, env=env)
            query = "SELECT label FROM newcomers_household ORDER BY id; SELECT count(*) FROM newcomers_adult;"
            out = subprocess.run(
                ["psql", *base, "-d", restored, "-At", "-c", query], check=True, env=env, capture_output=True, text=True
            ).stdout.split()
            assert out == ["Familien", "Berg", "1"]  # the label (split on its space) and one adult
        finally:
            subprocess.run(["dropdb", *base, "--if-exists", restored], check=True, env=env)
