"""The contact person's pages: list, inquiry, detail, edit, needs, status, tasks and contact log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from blilyst.web.accounts.models import Membership
from blilyst.web.accounts.roles import Role
from blilyst.web.newcomers.models import Household, Status, StatusChange, Task
from blilyst.web.privacy.models import AccessLogEntry, Consent


def english(client):
    client.cookies["blilyst_language"] = "en"
    return client


def inquiry_data(people, **overrides):
    data = {
        "municipality": people.a.pk,
        "label": "Familien Nowak",
        "name": "Piotr Nowak",
        "email": "piotr@example.org",
        "phone": "+47 400 11 222",
        "language": "en",
        "target_group": "labour_immigrants",
        "origin_place": "Gdańsk",
        "origin_country": "Polen",
        "heard_about": "employer",
        "consent_follow_up": "on",
    }
    data.update(overrides)
    return data


def test_the_list_shows_only_the_users_municipalities(people, client_for, household, other_household):
    page = client_for(people.alice).get(reverse("household_list"))
    assert page.status_code == 200
    assert "Familien Berg" in page.text and "Familien Vik" not in page.text
    page = client_for(people.bob).get(reverse("household_list"))
    assert "Familien Vik" in page.text and "Familien Berg" not in page.text


def test_the_list_searches_and_filters_by_status(people, client_for, household):
    from blilyst.web.newcomers.demo import make_household

    make_household(
        people.a,
        "Familien Haugen",
        name="Lars Haugen",
        email="lars@example.org",
        phone="98765432",
        status=Status.VISITED,
    )
    client = client_for(people.alice)
    assert "Familien Haugen" not in client.post(reverse("household_list"), {"q": "kari"}).text
    assert "Familien Berg" in client.post(reverse("household_list"), {"q": "kari"}).text
    assert "Familien Berg" in client.post(reverse("household_list"), {"q": "91234567"}).text
    page = client.get(reverse("household_list"), {"status": "visited"})
    assert "Familien Haugen" in page.text and "Familien Berg" not in page.text


def test_the_list_is_paginated(people, client_for):
    from blilyst.web.newcomers.demo import generate_households

    generate_households(people.a, 120)
    client = client_for(people.alice)
    first = client.get(reverse("household_list"))
    assert first.context["page"].paginator.num_pages == 3
    assert len(first.context["page"].object_list) == 50
    assert len(client.get(reverse("household_list"), {"page": 3}).context["page"].object_list) == 20


def test_an_inquiry_is_registered_with_its_adult_consent_and_log(people, client_for):
    response = client_for(people.alice).post(reverse("household_create"), inquiry_data(people))
    household = Household.objects.get(label="Familien Nowak")
    assert response.status_code == 302 and response.url == reverse("household_detail", args=[household.pk])
    assert household.municipality_id == "4028" and household.status == Status.ENQUIRY
    assert household.contact_person == people.alice
    adult = household.adults.get()
    assert adult.name == "Piotr Nowak" and adult.phone_digits == "40011222" and adult.language == "en"
    consent = Consent.objects.get(household=household)
    assert consent.purpose == "follow_up" and "newcomer service" not in consent.text_shown  # shown in bokmål
    assert "tilflytter" in consent.text_shown.lower()
    assert AccessLogEntry.objects.filter(household_id=household.pk, action="create", username="alice").count() == 1


def test_an_inquiry_for_another_municipality_is_refused(people, client_for):
    response = client_for(people.alice).post(reverse("household_create"), inquiry_data(people, municipality="4036"))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not Household.objects.exists()


def test_inquiry_errors_are_in_bokmal_by_default(people, client_for):
    data = inquiry_data(people, email="ikke-en-epost", phone="12", label="")
    del data["consent_follow_up"]
    page = client_for(people.alice).post(reverse("household_create"), data)
    errors = page.context["form"].errors
    assert errors["label"] == ["Feltet er påkrevet."]
    assert errors["email"] == ["Oppgi en gyldig e-postadresse"]
    assert errors["phone"][0].startswith("Skriv inn et telefonnummer med 5 til 15 siffer")
    assert errors["consent_follow_up"][0].startswith("Uten samtykke til oppfølging")
    assert not Household.objects.exists()


def test_inquiry_errors_are_in_english_when_chosen(people, client_for):
    data = inquiry_data(people, email="", phone="", label="")
    page = english(client_for(people.alice)).post(reverse("household_create"), data)
    # (error messages are lazy: read them as the page showed them, in the page's language)
    assert page.context["form"].errors.keys() == {"label", "__all__"}
    assert "This field is required." in page.text
    assert "Give an e-mail address or a phone number, so that you can reach the household." in page.text
    assert "Feltet er påkrevet." not in page.text


def test_a_likely_duplicate_is_flagged(people, client_for, household, other_household):
    client = client_for(people.alice)
    response = client.post(
        reverse("household_create"),
        inquiry_data(people, email="KARI@example.org", phone="", label="Kari igjen"),
        follow=True,
    )
    assert "Mulig dublett" in response.text and f"Familien Berg (#{household.pk})" in response.text
    new = Household.objects.get(label="Kari igjen")
    assert list(new.duplicate_candidates()) == [household]
    # the same phone written differently, and never across municipalities
    response = client.post(
        reverse("household_create"),
        inquiry_data(people, email="", phone="+47 91 23 45 67", label="Telefon"),
        follow=True,
    )
    assert "Mulig dublett" in response.text
    assert other_household not in Household.objects.get(label="Telefon").duplicate_candidates()


def test_the_detail_page_shows_the_household_and_logs_the_view(people, client_for, household):
    page = client_for(people.rita).get(reverse("household_detail", args=[household.pk]))
    assert page.status_code == 200 and "Kari Berg" in page.text
    assert "Rediger" not in page.text  # read-only sees no edit links
    assert AccessLogEntry.objects.filter(household_id=household.pk, action="view", username="rita").count() == 1


def edit_data(household, **overrides):
    adult = household.adults.get()
    data = {
        "version": household.version,
        "label": household.label,
        "target_group": "returnees",
        "origin_place": "Oslo",
        "origin_country": "Norge",
        "heard_about": "",
        "heard_about_note": "",
        "contact_person": "",
        "notes": "",
        "adults-TOTAL_FORMS": "2",
        "adults-INITIAL_FORMS": "1",
        "adults-MIN_NUM_FORMS": "0",
        "adults-MAX_NUM_FORMS": "8",
        "adults-0-id": adult.pk,
        "adults-0-name": "Kari Berg",
        "adults-0-email": "kari@example.org",
        "adults-0-phone": "912 34 567",
        "adults-0-language": "nb",
        "adults-0-occupation": "Sykepleier",
        "adults-0-job_wishes": "Helse, gjerne turnus",
        "adults-1-name": "Ola Berg",
        "adults-1-email": "",
        "adults-1-phone": "",
        "adults-1-language": "nn",
        "adults-1-occupation": "Snekker",
        "adults-1-job_wishes": "Bygg",
        "adults-1-remote_work": "on",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "12",
        "children-0-first_name": "Emma",
        "children-0-birth_year": "2022",
        "children-0-kindergarten_from": "2027-03",
    }
    data.update(overrides)
    return data


def test_editing_saves_every_adults_job_wishes_and_the_children(people, client_for, household):
    response = client_for(people.alice).post(reverse("household_edit", args=[household.pk]), edit_data(household))
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.version == 2 and household.target_group == "returnees"
    assert list(household.adults.values_list("name", "job_wishes", "remote_work")) == [
        ("Kari Berg", "Helse, gjerne turnus", False),
        ("Ola Berg", "Bygg", True),
    ]
    child = household.children.get()
    assert child.birth_year == 2022 and child.kindergarten_from == dt.date(2027, 3, 1)


def test_a_stale_form_gets_a_conflict_and_overwrites_nothing(people, client_for, household):
    Membership.objects.create(user=people.bob, municipality=people.a, role=Role.CONTACT_PERSON)
    alice, bob = client_for(people.alice), client_for(people.bob)
    stale = edit_data(household)  # both opened the form at version 1
    assert alice.post(reverse("household_edit", args=[household.pk]), stale).status_code == 302
    response = bob.post(
        reverse("household_edit", args=[household.pk]),
        {**stale, "target_group": "refugees", "adults-0-name": "Overwritten"},
    )
    # The conflict page keeps what Bob typed and shows both versions of the field that differs.
    assert response.status_code == 409
    assert "Noen andre lagret dette mens du redigerte" in response.text
    assert 'value="Overwritten"' in response.text
    assert "Flyktninger" in response.text and "Tilbakeflyttere" in response.text
    assert 'name="version" value="2"' in response.text
    household.refresh_from_db()
    assert household.version == 2 and household.target_group == "returnees"
    assert household.adults.filter(name="Overwritten").count() == 0


def test_a_stale_status_or_needs_form_gets_a_conflict_too(people, client_for, household):
    """Two contact persons open the status page at version 1: the second change is refused, not applied."""
    Membership.objects.create(user=people.bob, municipality=people.a, role=Role.CONTACT_PERSON)
    alice, bob = client_for(people.alice), client_for(people.bob)
    url = reverse("household_status", args=[household.pk])
    assert alice.post(url, {"version": 1, "status": "visited", "on": "2026-03-02"}).status_code == 302
    response = bob.post(url, {"version": 1, "status": "in_dialogue", "on": "2026-03-03"})
    assert response.status_code == 409 and "Noen andre lagret dette mens du redigerte" in response.text
    household.refresh_from_db()
    assert household.status == "visited" and household.status_changes.count() == 1
    needs = bob.post(
        reverse("household_needs", args=[household.pk]),
        {
            "version": 1,
            "housing_tenure": "rent",
            "housing_bedrooms": 2,
            "housing_from": "2027-01-01",
            "children-TOTAL_FORMS": "0",
            "children-INITIAL_FORMS": "0",
            "children-MIN_NUM_FORMS": "0",
            "children-MAX_NUM_FORMS": "12",
        },
    )
    assert needs.status_code == 409 and "Noen andre lagret dette mens du redigerte" in needs.text
    household.refresh_from_db()
    assert household.housing_tenure == "" and household.version == 2


def test_a_household_needs_an_adult(people, client_for, household):
    data = edit_data(household, **{"adults-0-DELETE": "on", "adults-TOTAL_FORMS": "1"})
    response = english(client_for(people.alice)).post(reverse("household_edit", args=[household.pk]), data)
    assert response.status_code == 200
    assert "A household needs at least one adult." in response.text


def test_needs_are_recorded(people, client_for, household):
    data = {
        "version": household.version,
        "housing_tenure": "trial",
        "housing_bedrooms": "3",
        "housing_from": "2027-08-01",
        "housing_note": "",
        "school_note": "1. klasse",
        "leisure_interests": "Ski",
        "wants_host": "on",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
        "children-MIN_NUM_FORMS": "0",
        "children-MAX_NUM_FORMS": "12",
    }
    assert client_for(people.alice).post(reverse("household_needs", args=[household.pk]), data).status_code == 302
    household.refresh_from_db()
    assert (household.housing_tenure, household.housing_bedrooms, household.housing_from) == (
        "trial",
        3,
        dt.date(2027, 8, 1),
    )
    assert household.wants_host is True and household.wants_welcome_event is False


def test_needs_without_a_date_are_refused_in_both_languages(people, client_for, household):
    data = {
        "version": household.version,
        "housing_tenure": "rent",
        "housing_bedrooms": "11",
        "children-TOTAL_FORMS": "0",
        "children-INITIAL_FORMS": "0",
    }
    url = reverse("household_needs", args=[household.pk])
    nb = client_for(people.alice).post(url, data).context["form"].errors
    assert nb["housing_from"] == ["Oppgi fra når husstanden trenger bolig."]
    assert nb["housing_bedrooms"] == ["Oppgi høyst 10 soverom."]
    en = english(client_for(people.alice)).post(url, data)
    assert "Say from when the household needs housing." in en.text and "Enter at most 10 bedrooms." in en.text


def test_moving_in_is_dated_and_plans_the_follow_ups(people, client_for, household):
    client = client_for(people.alice)
    url = reverse("household_status", args=[household.pk])
    for version, status, on in [(1, "in_dialogue", "2026-03-02"), (2, "moved_in", "2026-05-31")]:
        assert client.post(url, {"version": version, "status": status, "on": on}).status_code == 302
    household.refresh_from_db()
    assert household.status == "moved_in" and household.moved_in_on == dt.date(2026, 5, 31)
    assert list(StatusChange.objects.filter(household=household).values_list("from_status", "to_status", "on")) == [
        ("enquiry", "in_dialogue", dt.date(2026, 3, 2)),
        ("in_dialogue", "moved_in", dt.date(2026, 5, 31)),
    ]
    assert list(household.tasks.values_list("follow_up_months", "due")) == [
        (3, dt.date(2026, 8, 31)),
        (12, dt.date(2027, 5, 31)),
        (24, dt.date(2028, 5, 31)),
    ]


def test_moving_away_needs_a_grouped_reason(people, client_for, household):
    household.change_status(Status.MOVED_IN, on=dt.date(2025, 1, 10))
    client = client_for(people.alice)
    url = reverse("household_status", args=[household.pk])
    page = client.post(url, {"version": household.version, "status": "moved_out", "on": "2026-02-01"})
    assert page.context["form"].errors["reason"] == ["Velg hovedgrunnen til at de flyttet."]
    client.post(
        url,
        {
            "version": household.version,
            "status": "moved_out",
            "on": "2026-02-01",
            "reason": "partner_work",
            "reason_note": "Ingen jobb til ham",
        },
    )
    household.refresh_from_db()
    assert (household.status, household.move_out_reason, household.moved_out_on) == (
        "moved_out",
        "partner_work",
        dt.date(2026, 2, 1),
    )
    assert household.evaluation_record()["move_out_reason"] == "partner_work"


def test_a_status_date_in_the_future_is_refused(people, client_for, household):
    later = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    page = english(client_for(people.alice)).post(
        reverse("household_status", args=[household.pk]), {"version": 1, "status": "visited", "on": later}
    )
    assert list(page.context["form"].errors) == ["on"]
    assert "The date of a status change cannot be in the future." in page.text


def test_tasks_are_added_done_and_listed_as_due_or_overdue(people, client_for, household):
    client = client_for(people.alice)
    today = timezone.localdate()
    client.post(
        reverse("task_add", args=[household.pk]),
        {
            "title": "Ring om barnehage",
            "due": (today - dt.timedelta(days=2)).isoformat(),
            "assigned_to": people.alice.pk,
        },
    )
    client.post(
        reverse("task_add", args=[household.pk]),
        {"title": "Send boligliste", "due": (today + dt.timedelta(days=3)).isoformat(), "assigned_to": ""},
    )
    page = client.get(reverse("my_tasks"))
    assert [t.title for t in page.context["overdue"]] == ["Ring om barnehage"]
    assert [t.title for t in page.context["due"]] == ["Send boligliste"]
    assert client_for(people.bob).get(reverse("my_tasks")).context["overdue"] == []
    task = Task.objects.get(title="Ring om barnehage")
    client.post(reverse("task_done", args=[household.pk, task.pk]))
    task.refresh_from_db()
    assert task.done_at is not None
    assert client.get(reverse("my_tasks")).context["overdue"] == []


def test_a_task_is_found_only_through_its_household(people, client_for, household, other_household):
    task = Task.objects.create(household=other_household, title="Vinje", due=dt.date(2026, 1, 1))
    response = client_for(people.alice).post(reverse("task_done", args=[household.pk, task.pk]))
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_contacts_are_logged(people, client_for, household):
    client = client_for(people.alice)
    client.post(
        reverse("contact_add", args=[household.pk]),
        {"on": "2026-11-20", "channel": "phone", "summary": "Vil besøke i januar"},
    )
    entry = household.contact_log.get()
    assert entry.summary == "Vil besøke i januar" and entry.by == people.alice
    assert "Vil besøke i januar" in client.get(reverse("household_detail", args=[household.pk])).text


def test_a_read_only_member_may_not_change_anything(people, client_for, household):
    client = client_for(people.rita)
    assert client.get(reverse("household_create")).status_code == 403
    assert client.post(reverse("household_edit", args=[household.pk]), edit_data(household)).status_code == 403
    assert (
        client.post(
            reverse("household_status", args=[household.pk]), {"version": 1, "status": "visited", "on": "2026-01-01"}
        ).status_code
        == 403
    )
    household.refresh_from_db()
    assert household.version == 1 and household.status == "enquiry"


def test_an_analyst_sees_no_personal_data(people, client_for, household):
    analyst = Membership.objects.create(user=people.bob, municipality=people.a, role=Role.ANALYST).user
    Membership.objects.filter(user=analyst, municipality=people.b).delete()
    client = client_for(analyst)
    assert client.get(reverse("household_list")).status_code == 403
    assert client.get(reverse("household_detail", args=[household.pk])).status_code == 404
    assert client.get(reverse("my_tasks")).status_code == 403


@pytest.mark.parametrize(
    "name,method",
    [
        ("household_detail", "get"),
        ("household_edit", "get"),
        ("household_edit", "post"),
        ("household_needs", "get"),
        ("household_needs", "post"),
        ("household_status", "get"),
        ("household_status", "post"),
        ("task_add", "post"),
        ("contact_add", "post"),
    ],
)
def test_a_stranger_gets_404(people, client_for, household, name, method):
    response = getattr(client_for(people.bob), method)(reverse(name, args=[household.pk]))
    assert response.status_code == 404


def test_the_menu_shows_households_only_to_those_who_may_see_them(people, client_for):
    assert 'href="/households/"' in client_for(people.alice).get(reverse("home")).text
    analyst = Membership.objects.create(user=people.bob, municipality=people.a, role=Role.ANALYST).user
    Membership.objects.filter(user=analyst, municipality=people.b).delete()
    page = client_for(analyst).get(reverse("home")).text
    assert 'href="/households/"' not in page and 'href="/privacy/log/"' not in page


def test_a_regional_office_may_narrow_the_list_to_one_municipality(people, client_for, household, other_household):
    Membership.objects.create(user=people.alice, municipality=people.b, role=Role.READ_ONLY)
    client = client_for(people.alice)
    both = client.get(reverse("household_list"))
    assert "Familien Berg" in both.text and "Familien Vik" in both.text
    only_b = client.get(reverse("household_list"), {"municipality": "4036"})
    assert "Familien Vik" in only_b.text and "Familien Berg" not in only_b.text
    # a municipality the user does not serve is ignored, never used to look
    assert (
        client_for(people.bob).get(reverse("household_list"), {"municipality": "4028"}).text.count("Familien Berg") == 0
    )


def test_the_next_step_and_contact_forms_have_their_own_pages(people, client_for, household):
    client = client_for(people.alice)
    page = client.get(reverse("task_add", args=[household.pk]))
    assert page.status_code == 200 and page.context["form"].initial["assigned_to"] == people.alice.pk
    refused = client.post(reverse("task_add", args=[household.pk]), {"title": "", "due": "i morgen"})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"title", "due"}
    assert client.get(reverse("contact_add", args=[household.pk])).status_code == 200
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    refused = client.post(
        reverse("contact_add", args=[household.pk]), {"on": future, "channel": "phone", "summary": "x"}
    )
    assert refused.status_code == 400 and "En kontakt kan ikke føres på en dato fram i tid." in refused.text
    assert not household.tasks.exists() and not household.contact_log.exists()
