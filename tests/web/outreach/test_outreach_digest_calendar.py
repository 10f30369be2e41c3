"""The daily digest (management command, real SMTP server) and the calendar feed."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blilyst.web.lib import ical
from blilyst.web.newcomers.demo import make_household
from blilyst.web.newcomers.models import Task


def tasks(people, household):
    today = timezone.localdate()
    overdue = Task.objects.create(
        household=household, title="Ring om bolig", due=today - dt.timedelta(days=2), assigned_to=people.alice
    )
    soon = Task.objects.create(household=household, title="Send tilbud", due=today + dt.timedelta(days=3))
    Task.objects.create(
        household=household, title="Langt fram", due=today + dt.timedelta(days=30), assigned_to=people.alice
    )
    other = make_household(people.b, "Familien Vik", email="per@example.org")
    Task.objects.create(household=other, title="Vinje sin", due=today, assigned_to=people.bob)
    return overdue, soon


def test_the_digest_tells_each_contact_person_what_is_overdue_and_due(people, household, smtp):
    overdue, soon = tasks(people, household)
    out = StringIO()
    call_command("blilyst_digest", stdout=out)
    assert "Sent 1 digest(s): 1 overdue and 1 due task(s)." in out.getvalue()  # bob has no e-mail address
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "alice@kviteseid.example"
    body = message.get_content()
    assert "Ring om bolig" in body and "Send tilbud" in body
    assert "Langt fram" not in body and "Vinje sin" not in body
    assert body.index("Ring om bolig") < body.index("Send tilbud")  # overdue first
    assert "Familien Berg" not in body  # numbers and links, not household names
    assert f"/households/{household.pk}/" in body


def test_a_dry_run_sends_nothing(people, household, smtp):
    tasks(people, household)
    out = StringIO()
    call_command("blilyst_digest", "--dry-run", stdout=out)
    assert "Would send 1 digest(s)" in out.getvalue()
    assert smtp.messages == []


def feed_url(client) -> str:
    html = client.post(reverse("outreach:calendar"), {"action": "create"}).content.decode()
    return re.search(r"<code>(http[^<]+\.ics)</code>", html).group(1)


def test_the_calendar_feed_has_the_users_open_tasks_without_names(people, client_for, household):
    overdue, _soon = tasks(people, household)
    client = client_for(people.alice)
    url = feed_url(client)
    assert url not in client.get(reverse("outreach:calendar")).content.decode()  # shown once
    response = Client().get(url.replace("http://testserver", ""))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert f"UID:task-{overdue.pk}@blilyst" in text
    assert f"DTSTART;VALUE=DATE:{overdue.due:%Y%m%d}" in text
    assert text.count("BEGIN:VEVENT") == 2  # alice's own two open tasks, not the unassigned one or bob's
    assert "Familien Berg" not in text and "Ring om bolig" not in text


def test_a_revoked_or_replaced_address_stops_working(people, client_for, household):
    client = client_for(people.alice)
    first = feed_url(client).replace("http://testserver", "")
    second = feed_url(client).replace("http://testserver", "")
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post(reverse("outreach:calendar"), {"action": "revoke"})
    assert Client().get(second).status_code == 404


def test_a_user_who_left_the_municipality_gets_no_tasks(people, client_for, household):
    tasks(people, household)
    url = feed_url(client_for(people.alice)).replace("http://testserver", "")
    people.alice.memberships.all().delete()
    assert "BEGIN:VEVENT" not in Client().get(url).content.decode()


def test_long_lines_are_folded_and_text_escaped():
    event = ical.AllDayEvent(uid="x@blilyst", day=dt.date(2027, 3, 1), summary="Møte; Berg, Kari\nRing" + "å" * 80)
    text = ical.calendar("t", [event], timezone.now())
    assert "SUMMARY:Møte\\; Berg\\, Kari\\nRing" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "å" * 80 in unfolded


def test_the_digest_runs_as_background_work_and_says_how_many_were_sent(people, household, smtp, password_hash):
    from blilyst.web.accounts.models import User
    from blilyst.web.jobs.models import Job

    tasks(people, household)
    admin = User.objects.create_superuser("drift", "drift@example.org", password=None)
    admin.password, admin.language = password_hash, "nn"
    admin.save()
    client = Client()
    client.force_login(admin)
    client.post(reverse("jobs:start"), {"kind": "digest"})
    job = Job.objects.get()
    assert job.state == "done" and job.summary == "Sende 1 samandrag."  # in the starter's language
    assert [m["To"] for m in smtp.messages] == ["alice@kviteseid.example"]
