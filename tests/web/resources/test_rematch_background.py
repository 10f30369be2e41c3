"""Re-matching after a register change in a municipality with many open households runs as background work,
one at a time per municipality, with its progress on the editor's job page; a change while it runs makes it
go once more (bench/bench_rematch.py measured why: 5 000 open households took about 6 s)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blilyst.web.jobs import tasks
from blilyst.web.jobs.models import Job
from blilyst.web.resources import matchinputs, views
from blilyst.web.resources.models import MatchingGap

from .test_resource_edit import JOB

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(people, monkeypatch):
    """Kviteseid with three open households, each wishing for a job as a baker; "many" means over one here."""
    from blilyst.web.newcomers.models import Adult, Household

    monkeypatch.setattr(matchinputs, "REMATCH_IN_REQUEST", 1)
    for i in range(3):
        household = Household.objects.create(municipality=people.a, label=f"Husstand {i}")
        Adult.objects.create(household=household, name=f"Voksen {i}", job_wishes="baker")
    Household.objects.create(municipality=people.a, label="Flyttet", status="moved_out")
    return people


def test_many_open_households_are_re_matched_in_the_background_with_a_link_to_follow(many, client_for):
    response = client_for(many.alice).post(
        reverse("resources:create", args=["jobs"]), {**JOB, "municipality": "4028"}, follow=True
    )
    job = Job.objects.get(kind="rematch")
    assert job.state == "done" and job.municipality_id == "4028" and job.started_by == many.alice
    assert job.summary.startswith("Matchet 3 åpne husstander")  # the one that moved away is not matched
    page = response.content.decode()
    assert "3 åpne husstander i kommunen" in page and reverse("jobs:detail", args=[job.pk]) in page
    assert MatchingGap.objects.filter(municipality_id="4028", kind="job", resolved_on=None).count() == 3


def test_a_few_open_households_are_re_matched_inside_the_request(people, client_for):
    from blilyst.web.newcomers.models import Adult, Household

    household = Household.objects.create(municipality=people.a, label="Husstand")
    Adult.objects.create(household=household, name="Voksen", job_wishes="baker")
    client_for(people.alice).post(reverse("resources:create", args=["jobs"]), {**JOB, "municipality": "4028"})
    assert not Job.objects.exists()
    assert MatchingGap.objects.filter(household=household, kind="job", resolved_on=None).exists()


def test_changes_while_it_waits_for_a_worker_make_one_job(many, client_for, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    alice = client_for(many.alice)
    for occupation in ("lærer", "kokk"):
        alice.post(
            reverse("resources:create", args=["jobs"]), {**JOB, "occupation": occupation, "municipality": "4028"}
        )
    job = Job.objects.get(kind="rematch")
    assert job.state == "queued" and not job.again  # it reads the registers when it starts


def test_a_change_while_it_runs_makes_it_go_once_more(many, monkeypatch):
    job, _started = tasks.start("rematch", many.alice, "matching/4028", municipality_id="4028")  # done at once
    job = Job.objects.create(kind="rematch", started_by=many.alice, target="matching/4028", municipality_id="4028")
    passes = []

    def rematch(user, code, progress):
        passes.append(code)
        if len(passes) == 1:  # the registers change during the first pass
            assert Job.objects.get(pk=job.pk).go_again()
        return 3

    monkeypatch.setattr(views, "rematch", rematch)
    tasks.run_job.call(job.pk)
    job.refresh_from_db()
    assert passes == ["4028", "4028"] and job.state == "done" and not job.again


def test_a_request_to_go_again_reaches_running_work_and_not_ended_work(many):
    job = Job.objects.create(kind="rematch", started_by=many.alice, target="matching/4028", state="running")
    assert job.go_again()
    assert not job.finish_unless_again("x")  # asked: once more
    assert job.finish_unless_again("Ferdig")
    job.refresh_from_db()
    assert job.state == "done" and job.summary == "Ferdig"
    assert not job.go_again()  # ended: the caller starts new work
