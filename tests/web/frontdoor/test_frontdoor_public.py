"""The public front door: what it shows, the interest form, and its defences against abuse."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from blilyst.web.newcomers.models import Household, Task
from blilyst.web.privacy.models import AccessLogEntry, Consent

from .conftest import valid_post

URL = "/welcome/4028/"


@pytest.fixture
def public() -> Client:
    return Client()


def test_an_unpublished_front_door_and_an_unknown_municipality_are_the_same_404(people, front_door, public):
    front_door.published = False
    front_door.save()
    unpublished = public.get(URL)
    unknown = public.get("/welcome/9999/")
    assert unpublished.status_code == unknown.status_code == 404
    assert public.get("/welcome/4036/").status_code == 404  # B has no front door at all


def test_the_public_page_needs_no_login_and_names_the_contact_person(people, front_door, registers, public):
    response = public.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Alice Aasen" in text
    assert "Kviteseid" in text


def test_the_offer_shows_only_what_the_registers_support(people, front_door, registers, public):
    text = public.get(URL + "en/").content.decode()
    assert "Homes to rent: 1" in text
    assert "homes for sale" not in text.lower()  # the only one is sold
    assert "sykepleier" in text
    assert "hemmelig stilling" not in text  # not advertised: not offered to the public
    assert registers["next_month"].strftime("%B") in text
    assert "2 free places" in text
    assert registers["after"].strftime("%B %Y") not in text  # 0 free places: not named
    assert "Olav Haugen" not in text and "Brunkeberg" not in text  # no owner, no listing detail


def test_parts_the_municipality_does_not_publish_are_not_shown(people, front_door, registers, public):
    front_door.show_jobs = False
    front_door.show_housing = False
    front_door.save()
    text = public.get(URL + "en/").content.decode()
    assert "sykepleier" not in text
    assert "Homes to rent" not in text
    assert "2 free places" in text


def test_the_form_creates_an_inquiry_with_consent_and_tells_the_contact_person(
    people, front_door, registers, public, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(URL + "pl/", valid_post())
    assert response.status_code == 302
    assert response["Location"] == "/welcome/4028/pl/thanks/"
    household = Household.objects.get()
    assert household.municipality_id == "4028"
    assert household.status == "enquiry"
    assert household.contact_person == people.alice
    assert household.housing_tenure == "rent" and household.housing_bedrooms == 3
    adults = list(household.adults.order_by("id"))
    assert [a.name for a in adults] == ["Anna Kowalska", "Piotr Kowalski"]
    assert [a.language for a in adults] == ["pl", "pl"]
    assert adults[1].job_wishes == "bygg og anlegg"
    child = household.children.get()
    assert child.kindergarten_from is not None
    consent = Consent.objects.get(household=household)
    assert consent.purpose == "follow_up" and consent.language == "pl"
    assert consent.recorded_by is None
    assert consent.text_shown in public.get(URL + "pl/").content.decode()  # the text stored is the text shown
    log = AccessLogEntry.objects.get(household_id=household.pk)
    assert (log.action, log.via, log.username) == ("create", "public", "system")
    task = Task.objects.get(household=household)
    assert task.assigned_to == people.alice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@kviteseid.example"]
    assert f"/households/{household.pk}/" in message.body
    assert "Anna" not in message.body and "anna@example.org" not in message.body  # no personal data by e-mail


def test_the_thank_you_page_gives_nothing_away(people, front_door, registers, public):
    before = public.get("/welcome/4028/nb/thanks/").content  # nobody has sent anything yet
    public.post(URL, valid_post())
    assert Household.objects.count() == 1
    after = public.get("/welcome/4028/nb/thanks/").content
    assert after == before  # the same page whether an inquiry was stored or not: no number, no name


def test_bad_input_is_explained_and_nothing_is_lost(people, front_door, registers, public):
    data = valid_post(**{"adult-0-email": "", "adult-0-phone": "", "message": "Husk oss"})
    response = public.post(URL + "en/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give an e-mail address or a phone number" in text
    assert "Husk oss" in text and "Anna Kowalska" in text
    assert Household.objects.count() == 0


def test_without_consent_nothing_is_stored(people, front_door, registers, public):
    data = valid_post()
    del data["consent"]
    response = public.post(URL + "en/", data)
    assert response.status_code == 400
    assert "We can only store your inquiry with your consent" in response.content.decode()
    assert Household.objects.count() == 0


def test_a_robot_filling_the_honeypot_gets_the_thank_you_page_and_stores_nothing(
    people, front_door, public, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = public.post(URL, valid_post(homepage="http://spam.example"))
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    assert Household.objects.count() == 0
    assert len(mail.outbox) == 0


def test_an_address_is_limited_to_a_number_of_forms_an_hour(people, front_door, public, settings):
    settings.BLILYST_FRONTDOOR_POSTS_PER_HOUR = 2
    assert public.post(URL, valid_post()).status_code == 302
    assert public.post(URL, valid_post(**{"adult-0-email": "b@example.org"})).status_code == 302
    third = public.post(URL, valid_post(**{"adult-0-email": "c@example.org"}))
    assert third.status_code == 429
    assert "Wait an hour" in public.post(URL + "en/", valid_post()).content.decode()
    assert Household.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.7")  # another address is not affected
    assert other.post(URL, valid_post(**{"adult-0-email": "d@example.org"})).status_code == 302


def test_the_ledger_keeps_no_address(people, front_door, public):
    from blilyst.web.frontdoor.models import PublicAttempt

    public.post(URL, valid_post())
    attempt = PublicAttempt.objects.get()
    assert "127.0.0.1" not in attempt.address_hash and len(attempt.address_hash) == 64


def test_an_oversized_form_is_refused(people, front_door, public):
    response = public.post(URL + "en/", valid_post(message="x" * 20_000))
    assert response.status_code == 413
    assert Household.objects.count() == 0


def test_too_many_adults_are_refused(people, front_door, public):
    data = valid_post(**{"adult-TOTAL_FORMS": "40"})
    response = public.post(URL + "en/", data)
    assert response.status_code == 400
    assert Household.objects.count() == 0


def test_a_long_field_is_refused_with_a_message(people, front_door, public):
    response = public.post(URL + "en/", valid_post(**{"adult-0-job_wishes": "y" * 301}))
    assert response.status_code == 400
    assert "at most 300 characters" in response.content.decode()


def test_an_existing_household_cannot_be_discovered_through_the_form(people, front_door, registers, public):
    from blilyst.web.newcomers.demo import make_household

    make_household(people.a, "Familien Berg", email="anna@example.org")
    first = public.post(URL, valid_post())
    assert first.status_code == 302 and first["Location"] == "/welcome/4028/nb/thanks/"
    fresh = public.post(URL, valid_post(**{"adult-0-email": "new@example.org"}))
    assert fresh["Location"] == first["Location"]


def test_the_page_names_no_other_staff(people, front_door, registers, public):
    text = public.get(URL).content.decode()
    assert "Rita" not in text and "Bob" not in text and "rita" not in text


def test_the_form_keeps_csrf_protection(people, front_door):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, valid_post()).status_code == 403
    assert Household.objects.count() == 0


def test_an_unknown_language_is_404_and_the_page_is_in_the_language_of_its_address(people, front_door, public):
    assert public.get(URL + "xx/").status_code == 404
    for lang in ("nb", "nn", "en", "pl", "uk"):
        response = public.get(f"{URL}{lang}/")
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.content.decode()
        assert response["Content-Language"] == lang


def test_the_staff_language_cookie_does_not_change_the_public_page(people, front_door, public):
    public.cookies["blilyst_language"] = "en"
    assert '<html lang="nb">' in public.get(URL).content.decode()


def test_the_consent_is_shown_and_recorded_in_the_language_of_the_page(people, front_door, public):
    from blilyst.web.privacy.models import Consent

    polish = public.get(URL + "pl/").content.decode()
    ukrainian = public.get(URL + "uk/").content.decode()
    assert "Wyrażam zgodę" in polish
    assert "Я погоджуюся" in ukrainian
    public.post(URL + "uk/", valid_post())
    consent = Consent.objects.get()
    assert consent.language == "uk"
    assert consent.text_shown.startswith("Я погоджуюся") and consent.text_shown in ukrainian


def test_the_public_page_is_translated_in_every_public_language(people, front_door, registers, public):
    expected = {
        "nb": "Tenker dere på å flytte til Kviteseid?",
        "nn": "Tenkjer de på å flytte til Kviteseid?",
        "en": "Thinking of moving to Kviteseid?",
        "pl": "Myślicie o przeprowadzce do gminy Kviteseid?",
        "uk": "Думаєте про переїзд до громади Kviteseid?",
    }
    for lang, heading in expected.items():
        assert heading in public.get(f"{URL}{lang}/").content.decode(), lang


def test_polish_and_ukrainian_counts_take_their_own_plural_forms(people, front_door, registers, public):
    assert "2 wolne miejsca" in public.get(URL + "pl/").content.decode()
    assert "2 вільні місця" in public.get(URL + "uk/").content.decode()


def test_the_cached_page_gives_every_visitor_their_own_working_csrf_token(people, front_door, registers):
    import re

    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(URL).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        assert "csrf-" not in token
        tokens.append(token)
        response = visitor.post(URL, {**valid_post(), "csrfmiddlewaretoken": token})
        assert response.status_code == 302
    assert tokens[0] != tokens[1]
    assert Household.objects.count() == 2


def test_a_change_of_the_registers_shows_at_once(people, front_door, registers, client_for, public):
    assert "Homes to rent: 1" in public.get(URL + "en/").content.decode()
    client_for(people.alice).post(
        "/resources/housing/new/",
        {
            "municipality": "4028",
            "kind": "rent",
            "title": "Ny leilighet",
            "bedrooms": 2,
            "size_m2": 50,
            "price": 7000,
            "available_from": "2026-01-01",
            "status": "available",
        },
    )
    assert "Homes to rent: 2" in public.get(URL + "en/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_on_the_database_queue_the_form_does_not_wait_for_the_mail_and_a_worker_sends_it(
    people, front_door, registers, public, settings
):
    from django.core.management import call_command

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # django-tasks reloads on change
    assert public.post(URL + "en/", valid_post()).status_code == 302
    household = Household.objects.get()
    assert len(mail.outbox) == 0  # queued, not sent inside the visitor's request
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@kviteseid.example"]
    assert f"/households/{household.pk}/" in mail.outbox[0].body


def test_a_form_costs_a_fixed_small_number_of_statements(people, front_door, registers, public):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as sent:
        assert public.post(URL, valid_post()).status_code == 302
    # the front door, the rate limit's count and insert, the household, two adults, a child, the consent, the
    # access log, the task (and the transaction's two), and on about one form in 50 the ledger's purge: no
    # consent look-up or second write for a new household
    sql = [q["sql"] for q in sent.captured_queries]
    assert len(sql) <= 13, "\n".join(sql)
    assert not any("privacy_consent" in q and q.startswith("SELECT") for q in sql)
    assert not any(q.startswith('UPDATE "newcomers_household"') for q in sql)


def test_a_register_change_reaches_every_process_at_once(people, front_door, registers, public, client_for):
    from django.core.cache import cache, caches
    from django.urls import reverse

    from blilyst.web.frontdoor.offer import generation

    assert public.get(URL).status_code == 200  # the page is now in this process's memory
    before = generation("4028")
    response = client_for(people.alice).post(
        reverse("resources:create", args=["kindergartens"]),
        {"municipality": "4028", "kindergarten": "Nye barnehage", "month": "2099-01", "free_places": 9},
    )
    assert response.status_code == 302
    # the generation lives in the cache all processes share (here the machine's cache folder), not in this
    # process's own memory: another process whose memory still holds the page reads the new number too
    assert caches["shared"].get("frontdoor-generation:4028") == generation("4028") == before + 1
    cache.clear()  # this process's memory is not where the change is kept
    assert generation("4028") == before + 1


def test_kindergarten_places_split_by_age_group_are_shown_per_group(people, front_door, registers, public):
    """Next month: 2 places for any age (the fixture) and 1 only for children under 3; the month after: 3 only
    for children 3 and over. A child under 3 could take 3 places next month, a child of 3 and over 2."""
    from blilyst.web.resources.models import KindergartenCapacity

    next_month, after = registers["next_month"], registers["after"]
    KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Solsikken", month=next_month, free_places=1, age_group="under_3"
    )
    KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Tua", month=after, free_places=3, age_group="over_3"
    )
    text = public.get(URL + "en/").content.decode()
    under = text.index("for children under 3:")
    over = text.index("for children 3 years and over:")
    under_part, over_part = text[under:over], text[over : text.index("do not add the groups up")]
    assert f"{next_month:%B %Y}: 3 free places" in under_part
    assert f"{after:%B %Y}" not in under_part  # the month after has places only for older children
    assert f"{next_month:%B %Y}: 2 free places" in over_part
    assert f"{after:%B %Y}: 3 free places" in over_part
    nb = public.get(URL).content.decode()
    assert "for barn under 3 år" in nb and "for barn på 3 år og eldre" in nb


def test_without_age_groups_in_the_register_the_months_are_not_split(people, front_door, registers, public):
    text = public.get(URL + "en/").content.decode()
    assert "Months with free kindergarten places:" in text
    assert "children under 3" not in text
