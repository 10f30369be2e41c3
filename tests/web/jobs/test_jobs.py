"""Long work in the background (django-tasks) with its progress on the starter's page."""

from __future__ import annotations

import socket

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from blilyst.web.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(password_hash):
    from blilyst.web.accounts.models import User

    user = User.objects.create_superuser("drift", "drift@example.org", password=None)
    user.password = password_hash
    user.language = "nb"
    user.save()
    client = Client()
    client.force_login(user)
    return user, client


def test_retention_started_in_the_background_reports_how_it_ended(admin):
    user, client = admin
    response = client.post(reverse("jobs:start"), {"kind": "retention"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.state == "done" and job.started_by == user and job.task_id
    page = client.get(response["Location"]).content.decode()
    assert "Ferdig" in page and "Slettet 0 husstander" in page
    assert "jobs.js" not in page  # finished: nothing more to follow
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["state"] == "done" and status["summary"].startswith("Slettet 0 husstander")


def test_a_refresh_with_ssb_out_of_reach_fails_with_what_to_do(admin, monkeypatch, tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("BLILYST_SSB_URL", f"http://127.0.0.1:{port}/api/pxwebapi/v2")
    monkeypatch.setenv("BLILYST_SSB_V0_URL", f"http://127.0.0.1:{port}/api/v0")
    monkeypatch.setenv("BLILYST_DATA_DIR", str(tmp_path / "local"))
    user, client = admin
    client.post(reverse("jobs:start"), {"kind": "refresh"})
    job = Job.objects.get()
    assert job.state == "failed"
    assert "SSB" in job.summary
    assert not (tmp_path / "local").exists()  # nothing written
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Feilet" in page and job.summary.split(".")[0] in page


def test_only_administrators_start_and_only_the_starter_sees(admin, people):
    user, client = admin
    alice = Client()
    alice.force_login(people.alice)
    assert alice.post(reverse("jobs:start"), {"kind": "retention"}).status_code == 403
    assert not Job.objects.exists()
    client.post(reverse("jobs:start"), {"kind": "retention"})
    job = Job.objects.get()
    assert alice.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert alice.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert client.post(reverse("jobs:start"), {"kind": "format-disk"}).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_on_the_database_queue_a_worker_runs_it_and_the_page_follows(admin, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks reloads on change
    user, client = admin
    client.post(reverse("jobs:start"), {"kind": "retention"})
    job = Job.objects.get()
    assert job.state == "queued"
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Venter på en arbeider" in page and "/static/blilyst/jobs.js" in page  # the page follows the work
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1")
    job.refresh_from_db()
    assert job.state == "done" and job.summary.startswith("Slettet 0 husstander")


def test_the_page_follows_unfinished_work_without_reloading_itself(admin, settings):
    """No meta refresh (a page that reloads itself on a timer moves a screen reader's reading position):
    a small script asks the status URL and writes into the status region, and a link checks again without it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    user, client = admin
    client.post(reverse("jobs:start"), {"kind": "retention"})
    job = Job.objects.get()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert 'role="status"' in page and f'data-status-url="{reverse("jobs:status", args=[job.pk])}"' in page
    assert "/static/blilyst/jobs.js" in page and "sjekke igjen" in page
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] is False and status["file"] is None
    script = client.get("/static/blilyst/jobs.js")
    assert script.status_code == 200


def test_an_administrator_cannot_start_an_export_from_the_job_list(admin):
    user, client = admin
    page = client.get(reverse("jobs:list")).content.decode()
    assert 'value="export"' not in page
    assert client.post(reverse("jobs:start"), {"kind": "export"}).status_code == 404


def test_a_refresh_summary_writes_its_row_count_in_the_page_language(monkeypatch):
    """The row count goes through Django's localisation, not a hand-written separator (issue 12)."""
    from types import SimpleNamespace

    from django.utils import translation

    import blilyst.stats.refresh as refresh
    from blilyst.web.jobs import tasks

    result = SimpleNamespace(datasets={"population": 75_684, "od_flows": 2_000}, requests=12)
    monkeypatch.setattr(refresh, "refresh_snapshot", lambda progress: result)
    job = SimpleNamespace(report=lambda *args: None)
    with translation.override("en"):
        assert "(77,684 rows)" in tasks._refresh(job)
    for lang in ("nb", "nn"):
        with translation.override(lang):
            assert "77\u00a0684" in tasks._refresh(job)


def test_the_pages_that_follow_a_job_never_read_its_file(admin):
    """The job's page asks for its status every few seconds; a plan document is megabytes, read only by the
    download."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user, client = admin
    client.post(reverse("jobs:start"), {"kind": "retention"})
    job = Job.objects.get()
    job.attach("plan.pdf", "application/pdf", b"%PDF-1.7 " + b"x" * 1000)
    for url in (reverse("jobs:list"), reverse("jobs:detail", args=[job.pk]), reverse("jobs:status", args=[job.pk])):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        reads = [q["sql"] for q in queries.captured_queries if 'FROM "jobs_job"' in q["sql"]]
        assert reads and not any('"jobs_job"."file"' in sql for sql in reads), url
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("jobs:file", args=[job.pk])).content.startswith(b"%PDF")
    assert any('"jobs_job"."file"' in q["sql"] for q in queries.captured_queries)
