"""Work is started once: a second click (or a second person) while a job of that kind is waiting or running for
the same target gives that job, not a second one; safe when two requests start it at the same moment."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blilyst.web.jobs import tasks
from blilyst.web.jobs.models import Job

pytestmark = pytest.mark.django_db

ADOPTION = {"adopted_on": "2026-03-12", "case_number": "26/14"}


@pytest.fixture
def queue(settings):
    """The database queue with no worker running: a started job stays waiting."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _superuser(name: str):
    from blilyst.web.accounts.models import User

    user = User.objects.create_superuser(name, f"{name}@example.org", password=None)
    user.language = "nb"
    user.save()
    client = Client()
    client.force_login(user)
    return user, client


@pytest.fixture
def plan_client(people, password_hash, client_for):
    """An analyst of Kviteseid (who may adopt its plan) and the plan."""
    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role
    from blilyst.web.planning.models import Plan

    analyst = User.objects.create(username="anna", first_name="Anna", password=password_hash)
    Membership.objects.create(user=analyst, municipality=people.a, role=Role.ANALYST)
    return client_for(analyst), Plan.for_municipality(people.a)


def test_a_second_click_on_adopt_shows_the_adoption_under_way(queue, plan_client):
    client, plan = plan_client
    first = client.post("/plan/4028/adopt/", {"version": plan.version, **ADOPTION})
    job = Job.objects.get()
    assert first["Location"] == reverse("jobs:detail", args=[job.pk]) and job.state == "queued"
    second = client.post("/plan/4028/adopt/", {"version": plan.version, **ADOPTION}, follow=True)
    assert Job.objects.count() == 1  # not a second adoption ending in the conflict message
    assert second.redirect_chain[-1][0] == reverse("jobs:detail", args=[job.pk])
    assert "Dette arbeidet var allerede i gang" in second.content.decode()


def test_the_same_document_asked_for_twice_is_made_once_and_another_format_is_its_own_job(queue, plan_client):
    client, plan = plan_client
    client.post("/plan/4028/export/start/", {"format": "pdf"})
    client.post("/plan/4028/export/start/", {"format": "pdf"})
    assert Job.objects.filter(kind="export").count() == 1
    client.post("/plan/4028/export/start/", {"format": "docx"})
    assert sorted(j.params["format"] for j in Job.objects.filter(kind="export")) == ["docx", "pdf"]


def test_finished_work_can_be_started_again(plan_client):
    """With the immediate backend each job has ended before the next click: each click starts one."""
    client, plan = plan_client
    client.post("/plan/4028/export/start/", {"format": "pdf"})
    client.post("/plan/4028/export/start/", {"format": "pdf"})
    assert list(Job.objects.values_list("state", flat=True)) == ["done", "done"]


def test_another_persons_document_is_their_own_job(queue, plan_client, people, client_for):
    client, plan = plan_client
    client.post("/plan/4028/export/start/", {"format": "pdf"})
    client_for(people.alice).post("/plan/4028/export/start/", {"format": "pdf"})
    assert Job.objects.filter(kind="export").values("started_by").distinct().count() == 2


def test_installation_work_runs_once_for_all_administrators_and_each_can_follow_it(queue, people):
    _first, one = _superuser("drift")
    _second, two = _superuser("drift2")
    one.post(reverse("jobs:start"), {"kind": "digest"})
    response = two.post(reverse("jobs:start"), {"kind": "digest"}, follow=True)
    job = Job.objects.get()  # no digests sent twice
    assert response.redirect_chain[-1][0] == reverse("jobs:detail", args=[job.pk])
    assert response.status_code == 200 and "Dette arbeidet var allerede i gang" in response.content.decode()
    alice = Client()
    alice.force_login(people.alice)
    assert alice.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_the_database_refuses_a_second_waiting_job_for_one_target(admin_user):
    Job.objects.create(kind="refresh", started_by=admin_user, target="installation")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="refresh", started_by=admin_user, target="installation", state="running")
    Job.objects.create(kind="refresh", started_by=admin_user, target="installation", state="done")
    Job.objects.create(kind="digest", started_by=admin_user, target="installation")
    Job.objects.create(kind="refresh", started_by=admin_user)  # no target (before the rule): not limited
    Job.objects.create(kind="refresh", started_by=admin_user)


def test_a_request_that_loses_the_race_gives_the_winners_job(queue, admin_user, monkeypatch):
    """The moment between looking and creating: the other request's job is created in between, the unique index
    refuses the second, and the loser answers with the winner's job."""
    winner = {}
    looked = tasks._active

    def look_then_lose(kind: str, target: str):
        if not winner:  # the other request creates its job right after this one looked
            winner["job"] = Job.objects.create(kind=kind, started_by=admin_user, target=target)
            return None
        return looked(kind, target)

    monkeypatch.setattr(tasks, "_active", look_then_lose)
    job, started = tasks.start("retention", admin_user, tasks.installation_target())
    assert not started and job.pk == winner["job"].pk and Job.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_starts_make_one_job(queue, admin_user):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database locks whole tables between threads; PostgreSQL runs this")
    barrier = threading.Barrier(6)
    got: list[int] = []

    def click() -> None:
        try:
            barrier.wait()
            job, _started = tasks.start("retention", admin_user, tasks.installation_target())
            got.append(job.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 6 and len(set(got)) == 1 and Job.objects.count() == 1


def test_work_silent_for_an_hour_is_given_up_and_its_late_worker_does_nothing(queue, admin_user):
    old, _started = tasks.start("retention", admin_user, tasks.installation_target())
    Job.objects.filter(pk=old.pk).update(updated=timezone.now() - Job.GIVE_UP_AFTER - dt.timedelta(minutes=1))
    new, started = tasks.start("retention", admin_user, tasks.installation_target())
    assert started and new.pk != old.pk
    old.refresh_from_db()
    assert old.state == "failed" and "gitt opp" in old.summary
    tasks.run_job.call(old.pk)  # the worker reaches the old job after all
    old.refresh_from_db()
    assert old.state == "failed" and old.step == "" and "gitt opp" in old.summary
    tasks.run_job.call(new.pk)
    new.refresh_from_db()
    assert new.state == "done"
