"""The household list and detail pages send a fixed, small number of queries, however many households,
tasks, children, contact-log entries, status changes, follow-ups and consents there are (issue 13).

A query per row (a related object or a deferred field read in the template) would make the count grow with the
data; the bound makes a new query on these busy pages a conscious choice. The counts include the request's own
work: the session, the user and their roles; the detail page also writes its access-log row.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blilyst.web.newcomers.demo import generate_households, make_household

# Session, user, roles; the count of the filtered households, one page of them, their next due dates.
LIST_QUERIES = 6
# Session, user, roles; the household, its access-log row; adults, consents, duplicates, children, tasks,
# follow-ups, contact log, status history.
DETAIL_QUERIES = 13


def queries_for(client, url: str) -> int:
    client.get(url)  # the first request may load what a process keeps (templates, the snapshot)
    with CaptureQueriesContext(connection) as sent:
        answer = client.get(url)
    assert answer.status_code == 200
    return len(sent)


@pytest.mark.parametrize("url", ["/households/", "/households/?page=2", "/households/?status=enquiry"])
def test_the_household_list_sends_the_same_few_queries_for_3_and_for_150_households(people, client_for, url):
    client = client_for(people.alice)
    from blilyst.web.newcomers.models import Household

    generate_households(people.a, 3, seed=1, contact_person=people.alice)
    Household.objects.update(status="enquiry")  # rows for the filtered page too
    few = queries_for(client, url.replace("page=2", "page=1"))
    generate_households(people.a, 150, seed=2, contact_person=people.alice)  # three full pages of 50
    many = queries_for(client, url)
    assert few == many <= LIST_QUERIES


def test_a_regional_office_list_adds_one_query_for_its_municipalities(people, client_for):
    from blilyst.web.accounts.models import Membership
    from blilyst.web.accounts.roles import Role

    Membership.objects.create(user=people.alice, municipality=people.b, role=Role.CONTACT_PERSON)
    generate_households(people.a, 60, seed=1, contact_person=people.alice)
    generate_households(people.b, 60, seed=2, contact_person=people.bob)
    client = client_for(people.alice)
    page = client.get(reverse("household_list"))
    assert 'name="municipality"' in page.text  # the filter a regional office narrows with
    assert queries_for(client, reverse("household_list")) <= LIST_QUERIES + 1
    assert queries_for(client, reverse("household_list") + f"?municipality={people.b.pk}") <= LIST_QUERIES + 1


def test_the_household_detail_page_sends_the_same_queries_for_a_bare_and_a_busy_household(people, client_for):
    from blilyst.web.newcomers.models import Adult, Child, ContactLogEntry, FollowUp, StatusChange, Task
    from blilyst.web.privacy.models import ConsentPurpose
    from blilyst.web.privacy.rules import record_consent

    client = client_for(people.alice)
    bare = make_household(people.a, "Familien Berg", contact_person=people.alice)
    busy = make_household(
        people.a, "Familien Nowak", name="Piotr Nowak", email="piotr@example.org", phone="40011222",
        contact_person=people.alice, moved_in_on=dt.date(2025, 3, 1), notes="Ringer helst etter kl. 16.",
    )  # fmt: skip
    Adult.objects.create(household=busy, name="Anna Nowak", email="anna@example.org", phone="40011223")
    for i in range(3):  # households with the same e-mail: the duplicate warning lists them
        make_household(people.a, f"Familien Nowak {i}", name="Piotr Nowak", email="piotr@example.org", phone="")
    today = timezone.localdate()
    for i in range(4):
        Child.objects.create(household=busy, birth_year=2015 + i, kindergarten_from=dt.date(2026, 8, 1))
        Task.objects.create(
            household=busy, title=f"Steg {i}", due=today + dt.timedelta(days=i - 2), assigned_to=people.rita
        )
        ContactLogEntry.objects.create(household=busy, summary=f"Samtale {i}", by=people.rita)
        StatusChange.objects.create(
            household=busy, from_status="enquiry", to_status="in_dialogue", on=today, by=people.rita
        )
        FollowUp.objects.create(household=busy, on=today, months=3 * (i + 1), feels_included="yes", by=people.rita)
    for purpose in (ConsentPurpose.FOLLOW_UP, ConsentPurpose.MATCHING):
        record_consent(busy, purpose, by=people.alice)

    for_bare = queries_for(client, reverse("household_detail", args=[bare.pk]))
    page = client.get(reverse("household_detail", args=[busy.pk]))
    assert "Familien Nowak 2" in page.text and "Steg 3" in page.text and "Samtale 3" in page.text
    for_busy = queries_for(client, reverse("household_detail", args=[busy.pk]))
    assert for_bare == for_busy <= DETAIL_QUERIES
