"""Privacy in the product: consent, access log, export (DSAR), real erasure and retention."""

from __future__ import annotations

import datetime as dt
import io
import json

from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from blilyst.web.accounts.models import Membership
from blilyst.web.accounts.roles import Role
from blilyst.web.newcomers.models import Adult, Child, ContactLogEntry, Household, Status, StatusChange, Task
from blilyst.web.privacy.models import AccessLogEntry, AnonymousOutcome, Consent
from blilyst.web.privacy.rules import apply_retention, erase_household, record_consent, retention_days


def full_household(people, household):
    """The fixture household with something in every table: consent, status history, task, log, child."""
    Child.objects.create(household=household, first_name="Emma", birth_year=2022, kindergarten_from=dt.date(2027, 3, 1))
    record_consent(household, "follow_up", by=people.alice)
    household.change_status(Status.IN_DIALOGUE, on=dt.date(2026, 2, 3), by=people.alice)
    household.change_status(Status.MOVED_IN, on=dt.date(2026, 6, 15), by=people.alice)
    ContactLogEntry.objects.create(
        household=household, on=dt.date(2026, 2, 3), summary="Ringte om prøvebolig", by=people.alice
    )
    return household


def count_rows(household_id: int) -> dict[str, int]:
    return {
        "household": Household.objects.filter(pk=household_id).count(),
        "adult": Adult.objects.filter(household_id=household_id).count(),
        "child": Child.objects.filter(household_id=household_id).count(),
        "status": StatusChange.objects.filter(household_id=household_id).count(),
        "task": Task.objects.filter(household_id=household_id).count(),
        "log": ContactLogEntry.objects.filter(household_id=household_id).count(),
        "consent": Consent.objects.filter(household_id=household_id).count(),
    }


def test_consent_keeps_the_text_shown_in_the_language_shown(people, household):
    nb = record_consent(household, "matching", by=people.alice)
    en = record_consent(household, "host", by=people.alice, language="en")
    assert nb.text_shown.startswith("Jeg samtykker i at tilflyttertjenesten kan fortelle utleiere")
    assert en.text_shown.startswith("I agree that the newcomer service may give our name and phone number")
    assert nb.language == "nb" and en.language == "en" and nb.recorded_by == people.alice


def test_consent_is_withdrawn_with_one_click(people, client_for, household):
    consent = record_consent(household, "follow_up", by=people.alice)
    response = client_for(people.alice).post(reverse("consent_withdraw", args=[household.pk, consent.pk]), follow=True)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "Det er ikke noe samtykke igjen" in response.text
    assert AccessLogEntry.objects.filter(household_id=household.pk, detail="consent follow_up withdrawn").exists()


def test_consent_is_recorded_from_the_detail_page(people, client_for, household):
    client_for(people.alice).post(reverse("consent_add", args=[household.pk]), {"purpose": "host"})
    assert list(household.consents.values_list("purpose", flat=True)) == ["host"]


def test_a_stranger_cannot_withdraw_anothers_consent(people, client_for, household):
    consent = record_consent(household, "follow_up")
    response = client_for(people.bob).post(reverse("consent_withdraw", args=[household.pk, consent.pk]))
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_the_export_holds_everything_about_the_household(people, client_for, household):
    from blilyst.web.resources.models import MatchingGap

    full_household(people, household)
    MatchingGap.objects.create(
        municipality=people.a,
        household=household,
        kind="housing",
        key="housing",
        detail="ingen utleiebolig med minst 3 soverom før august 2027",
        recorded_on=dt.date(2026, 2, 3),
        last_seen=dt.date(2026, 2, 3),
    )
    MatchingGap.objects.create(municipality=people.a, household=None, kind="job", key="job:1", detail="ingen jobb")
    client_for(people.alice).get(reverse("household_detail", args=[household.pk]))
    response = client_for(people.alice).get(reverse("household_export", args=[household.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="household-{household.pk}.json"'
    data = json.loads(response.content)
    assert data["format"] == "blilyst-household-export/1"
    assert data["household"]["label"] == "Familien Berg" and data["household"]["status"] == "moved_in"
    assert data["adults"] == [
        {
            "name": "Kari Berg",
            "email": "kari@example.org",
            "phone": "912 34 567",
            "language": "nb",
            "occupation": "",
            "job_wishes": "",
            "remote_work": False,
        }
    ]
    assert data["children"] == [
        {"first_name": "Emma", "birth_year": 2022, "kindergarten_from": "2027-03-01", "needs_school": False}
    ]
    assert [(s["from"], s["to"], s["on"]) for s in data["status_changes"]] == [
        ("enquiry", "in_dialogue", "2026-02-03"),
        ("in_dialogue", "moved_in", "2026-06-15"),
    ]
    assert [t["due"] for t in data["tasks"]] == ["2026-09-15", "2027-06-15", "2028-06-15"]
    assert data["contact_log"][0]["summary"] == "Ringte om prøvebolig"
    assert data["consents"][0]["purpose"] == "follow_up"
    assert data["matching_gaps"] == [
        {
            "kind": "housing",
            "need": "housing",
            "recorded_on": "2026-02-03",
            "detail": "ingen utleiebolig med minst 3 soverom før august 2027",
            "last_seen": "2026-02-03",
            "resolved_on": None,
        }
    ]
    assert [e["action"] for e in data["access_log"]] == ["export", "view"]  # newest first; this export included


def test_a_read_only_member_cannot_export_and_a_stranger_gets_404(people, client_for, household):
    assert client_for(people.rita).get(reverse("household_export", args=[household.pk])).status_code == 403
    assert client_for(people.bob).get(reverse("household_export", args=[household.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(action="export").exists()


def test_erasure_deletes_every_row_and_keeps_an_anonymous_outcome(people, client_for, household):
    full_household(people, household)
    pk = household.pk
    client = client_for(people.alice)
    refused = client.post(reverse("household_erase", args=[pk]), {"confirm": "nei"})
    assert refused.status_code == 200 and Household.objects.filter(pk=pk).exists()
    response = client.post(reverse("household_erase", args=[pk]), {"confirm": str(pk)})
    assert response.status_code == 302 and response.url == reverse("household_list")
    assert count_rows(pk) == dict.fromkeys(["household", "adult", "child", "status", "task", "log", "consent"], 0)
    # Really gone from the database, not flagged: no row of any table mentions the name or the e-mail.
    with connection.cursor() as cursor:
        for table in ("newcomers_household", "newcomers_adult", "newcomers_contactlogentry", "privacy_consent"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            assert cursor.fetchone()[0] == 0
    outcome = AnonymousOutcome.objects.get()
    assert (
        outcome.municipality_id,
        outcome.status,
        outcome.furthest_status,
        outcome.adults,
        outcome.children,
        outcome.moved_in_month,
        outcome.cause,
    ) == ("4028", "moved_in", "moved_in", 1, 1, dt.date(2026, 6, 1), "erasure")
    entry = AccessLogEntry.objects.get(household_id=pk, action="delete")
    assert entry.username == "alice"


def test_the_access_log_is_for_administrators_of_that_municipality(people, client_for, household, other_household):
    client_for(people.alice).get(reverse("household_detail", args=[household.pk]))
    client_for(people.bob).get(reverse("household_detail", args=[other_household.pk]))
    Membership.objects.filter(user=people.rita, municipality=people.a).update(role=Role.ADMINISTRATOR)
    admin = people.rita
    page = client_for(admin).get(reverse("access_log"))
    assert page.status_code == 200
    rows = list(page.context["page"].object_list)
    assert [(r.username, r.action, r.household_id) for r in rows] == [("alice", "view", household.pk)]
    assert client_for(people.alice).get(reverse("access_log")).status_code == 403  # contact persons do not see it


def test_the_access_log_filters_by_household(people, client_for, household):
    from blilyst.web.newcomers.demo import make_household

    second = make_household(people.a, "Familien Lie", email="lie@example.org", phone="")
    client = client_for(people.alice)
    client.get(reverse("household_detail", args=[household.pk]))
    client.get(reverse("household_detail", args=[second.pk]))
    admin = Membership.objects.create(user=people.bob, municipality=people.a, role=Role.ADMINISTRATOR).user
    page = client_for(admin).get(reverse("access_log"), {"household": str(second.pk)})
    assert [r.household_id for r in page.context["page"].object_list] == [second.pk]


def test_retention_is_730_days_by_default():
    assert retention_days() == 730


def test_retention_erases_old_and_withdrawn_households_only(people, household):
    from blilyst.web.newcomers.demo import make_household

    now = timezone.now()
    full_household(people, household)
    Household.objects.filter(pk=household.pk).update(last_activity=now - dt.timedelta(days=731))
    fresh = make_household(people.a, "Ny", email="ny@example.org", phone="")
    record_consent(fresh, "follow_up")
    withdrawn = make_household(people.b, "Trakk seg", email="trakk@example.org", phone="")
    consent = record_consent(withdrawn, "follow_up")
    Consent.objects.filter(pk=consent.pk).update(withdrawn_at=now)
    partly = make_household(people.a, "Delvis", email="delvis@example.org", phone="")
    record_consent(partly, "follow_up")
    Consent.objects.filter(pk=record_consent(partly, "host").pk).update(withdrawn_at=now)

    dry = apply_retention(now=now, dry_run=True)
    assert (dry.expired, dry.withdrawn) == ([household.pk], [withdrawn.pk])
    assert Household.objects.count() == 4

    out = io.StringIO()
    call_command("blilyst_retention", stdout=out)
    assert "Erased 1 household(s) inactive since before" in out.getvalue() and "and 1 without consent" in out.getvalue()
    assert sorted(Household.objects.values_list("label", flat=True)) == ["Delvis", "Ny"]
    assert count_rows(household.pk)["task"] == 0 and count_rows(household.pk)["consent"] == 0
    outcomes = sorted(
        AnonymousOutcome.objects.values_list("municipality_id", "cause", "furthest_status", "move_out_reason")
    )
    assert outcomes == [("4028", "retention", "moved_in", ""), ("4036", "withdrawal", "enquiry", "")]
    assert set(AccessLogEntry.objects.filter(action="anonymise").values_list("username", "via")) == {
        ("system", "command")
    }


@override_settings(BLILYST_RETENTION_DAYS=30)
def test_the_retention_period_is_a_setting(people, household):
    Household.objects.filter(pk=household.pk).update(last_activity=timezone.now() - dt.timedelta(days=31))
    assert apply_retention().expired == [household.pk]
    assert not Household.objects.exists()


def test_activity_restarts_the_retention_clock(people, client_for, household):
    old = timezone.now() - dt.timedelta(days=800)
    Household.objects.filter(pk=household.pk).update(last_activity=old)
    client_for(people.alice).post(
        reverse("contact_add", args=[household.pk]),
        {"on": timezone.localdate().isoformat(), "channel": "phone", "summary": "Hei"},
    )
    assert apply_retention(dry_run=True).expired == []


def test_erasure_keeps_the_outcome_usable_for_the_evaluation(people, household):
    from blilyst.plan.evaluation import funnel

    household.change_status(Status.MOVED_IN, on=dt.date(2025, 5, 2))
    household.change_status(Status.MOVED_OUT, on=dt.date(2026, 1, 20), reason="housing")
    outcome = erase_household(household, cause="retention")
    record = outcome.evaluation_record()
    assert record == {
        "stage": "moved_in",
        "target_group": "other",
        "persons": 1,
        "moved_in": dt.date(2025, 5, 1),
        "moved_out": dt.date(2026, 1, 1),
        "move_out_reason": "housing",
    }
    table = funnel([record], min_cell=1)  # the count itself; pages and exports hide 1 and 2
    assert int(table.loc[table["stage"] == "moved_in", "households"].iloc[0]) == 1


def test_the_evaluation_counts_live_and_erased_households_alike(people, household):
    from blilyst.plan.evaluation import funnel, move_out_reasons
    from blilyst.web.newcomers.demo import make_household
    from blilyst.web.newcomers.models import evaluation_records

    household.change_status(Status.MOVED_IN, on=dt.date(2025, 5, 2))
    household.change_status(Status.SETTLED, on=dt.date(2025, 9, 1))
    household.change_status(Status.STAYED, on=dt.date(2027, 5, 2))
    gone = make_household(people.a, "Borte", email="borte@example.org", phone="")
    gone.change_status(Status.MOVED_IN, on=dt.date(2025, 3, 1))
    gone.change_status(Status.MOVED_OUT, on=dt.date(2026, 1, 5), reason="housing")
    erase_household(gone, cause="retention")
    make_household(people.a, "Spør bare", email="sp@example.org", phone="")
    make_household(people.b, "Vinje", email="v@example.org", phone="")  # another municipality: not counted

    records = evaluation_records("4028")
    assert sorted(r["stage"] for r in records) == ["enquiry", "moved_in", "moved_in"]
    assert all("name" not in r and "email" not in r for r in records)
    table = funnel(records, min_cell=1)  # the counts themselves; pages and exports hide 1 and 2
    assert table.set_index("stage")["households"].to_dict() == {
        "enquiry": 3,
        "in_dialogue": 2,
        "visited": 2,
        "decided": 2,
        "moved_in": 2,
    }
    reasons = move_out_reasons(records, min_cell=1)
    assert reasons[["reason", "households"]].values.tolist() == [["housing", 1]]


def test_retention_clears_owners_and_deletes_inactive_hosts_of_the_resources(people):
    """Owners and hosts are not households, but their contacts are personal data: same period."""
    from blilyst.web.resources.models import Host, Housing

    now = timezone.now()
    owner = {"owner_name": "Ola Utleier", "owner_phone": "90000000", "owner_email": "ola@example.org"}
    facts = {
        "municipality": people.a,
        "kind": "rent",
        "bedrooms": 3,
        "size_m2": 90,
        "price": 9000,
        "available_from": dt.date(2026, 1, 1),
    }
    let_long_ago = Housing.objects.create(title="Utleid", status="taken", **facts, **owner)
    let_lately = Housing.objects.create(title="Nylig utleid", status="taken", **facts, **owner)
    offered = Housing.objects.create(title="Ledig", status="available", **facts, **owner)
    gone = Host.objects.create(municipality=people.a, name="Kari Vert", phone="91111111", active=False)
    active = Host.objects.create(municipality=people.a, name="Per Vert", phone="92222222", active=True)
    Host.objects.create(  # resting host of another municipality: untouched
        municipality=people.b, name="Siri Vert", email="siri@example.org", active=False
    )
    old = now - dt.timedelta(days=731)
    Housing.objects.filter(pk__in=[let_long_ago.pk, offered.pk]).update(updated=old)
    Host.objects.filter(pk__in=[gone.pk, active.pk]).update(updated=old)

    dry = apply_retention(now=now, dry_run=True)
    assert (dry.owner_contacts_cleared, dry.hosts_deleted) == ([let_long_ago.pk], [gone.pk])
    assert Host.objects.count() == 3 and Housing.objects.get(pk=let_long_ago.pk).owner_name == "Ola Utleier"

    out = io.StringIO()
    call_command("blilyst_retention", stdout=out)
    assert (
        "Cleared the owner's contact of 1 dwelling(s) sold, let or withdrawn and deleted 1 inactive host(s)"
        in out.getvalue()
    )
    cleared = Housing.objects.get(pk=let_long_ago.pk)
    assert (cleared.owner_name, cleared.owner_phone, cleared.owner_email, cleared.title, cleared.bedrooms) == (
        "",
        "",
        "",
        "Utleid",
        3,
    )
    assert Housing.objects.get(pk=let_lately.pk).owner_phone == "90000000"
    assert Housing.objects.get(pk=offered.pk).owner_email == "ola@example.org"
    assert sorted(Host.objects.values_list("name", flat=True)) == ["Per Vert", "Siri Vert"]


def test_a_municipality_may_keep_its_own_retention_period(people, household, other_household):
    from blilyst.web.accounts.models import Municipality

    now = timezone.now()
    Municipality.objects.filter(code="4028").update(retention_days=365)
    Household.objects.filter(pk__in=[household.pk, other_household.pk]).update(
        last_activity=now - dt.timedelta(days=400)
    )
    assert apply_retention(now=now, dry_run=True).expired == [household.pk]  # Kviteseid: 365 days; Vinje: 730
    assert apply_retention(now=now, days=390, dry_run=True).expired == sorted([household.pk, other_household.pk])
    out = io.StringIO()
    call_command("blilyst_retention", stdout=out)
    assert "Erased 1 household(s)" in out.getvalue()
    assert "Municipalities with their own retention period: Kviteseid 365 days." in out.getvalue()
    assert list(Household.objects.values_list("pk", flat=True)) == [other_household.pk]
