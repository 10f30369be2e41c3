"""E-mail to households through a real SMTP server: language, Reply-To, contact log, failures, own texts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blilyst.web.newcomers.models import ContactLogEntry
from blilyst.web.outreach.models import MessageTemplate
from blilyst.web.privacy.models import AccessLogEntry


def url(household) -> str:
    return reverse("outreach:household_message", args=[household.pk])


def test_a_welcome_reaches_the_household_in_its_language_with_replies_to_the_contact_person(
    people, client_for, household, smtp
):
    response = client_for(people.alice).post(url(household), {"purpose": "welcome"})
    assert response.status_code == 302
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "kari@example.org"
    assert message["Reply-To"] == "alice@kviteseid.example"
    assert message["From"] == "tilflytting@kviteseid.example"
    assert message["Subject"] == "Velkommen til Kviteseid"
    body = message.get_content()
    assert "Familien Berg" in body and "Alice Aasen" in body
    entry = ContactLogEntry.objects.get(household=household)
    assert entry.channel == "email" and "Velkommen til Kviteseid" in entry.summary and entry.by == people.alice
    assert AccessLogEntry.objects.filter(household_id=household.pk, action="change").exists()


def test_an_english_speaking_household_gets_english(people, client_for, household, smtp):
    household.adults.update(language="en")
    client_for(people.alice).post(url(household), {"purpose": "follow_up_3"})
    assert smtp.messages[0]["Subject"] == "Three months in Kviteseid: shall we talk?"


def test_the_municipalitys_own_text_is_used_in_the_households_language(people, client_for, household, smtp):
    household.adults.update(language="pl")
    client = client_for(people.alice)
    response = client.post(
        reverse("outreach:template_edit", args=["4028", "how_are_you", "pl"]),
        {"subject": "Jak się macie?", "body": "Drodzy {household}, jak się macie? {contact_person}"},
    )
    assert response.status_code == 302
    client.post(url(household), {"purpose": "how_are_you"})
    message = smtp.messages[0]
    assert message["Subject"] == "Jak się macie?"
    assert message.get_content().strip() == "Drodzy Familien Berg, jak się macie? Alice Aasen"


def test_a_polish_household_without_an_own_text_gets_the_polish_default(people, client_for, household, smtp):
    household.adults.update(language="pl")
    client_for(people.alice).post(url(household), {"purpose": "welcome"})
    message = smtp.messages[0]
    assert message["Subject"] == "Witamy w gminie Kviteseid"
    body = message.get_content()
    assert body.startswith("Dzień dobry, Familien Berg!") and "Alice Aasen" in body


def test_a_ukrainian_household_without_an_own_text_gets_the_ukrainian_default(people, client_for, household, smtp):
    household.adults.update(language="uk")
    client_for(people.alice).post(url(household), {"purpose": "follow_up_3"})
    message = smtp.messages[0]
    # strip(): a long encoded subject is folded onto the header's next line, which parses with a leading space
    assert message["Subject"].strip() == "Три місяці в муніципалітеті Kviteseid: поговоримо?"
    assert message.get_content().startswith("Добрий день, Familien Berg!")


def test_a_household_in_another_language_still_gets_the_english_default(people, client_for, household, smtp):
    household.adults.update(language="other")
    client_for(people.alice).post(url(household), {"purpose": "how_are_you"})
    assert smtp.messages[0]["Subject"] == "How are you doing?"


def test_an_unknown_placeholder_is_refused_with_the_known_ones_named(people, client_for):
    response = client_for(people.alice).post(
        reverse("outreach:template_edit", args=["4028", "welcome", "nb"]), {"subject": "Hei {name}", "body": "Hei"}
    )
    assert response.status_code == 200
    assert "{household}" in response.content.decode()
    assert MessageTemplate.objects.count() == 0


def test_an_offer_message_names_the_offer(people, client_for, household, smtp):
    offer = household.offers.create(
        municipality_id="4028", kind="job", summary="Jobb som sykepleier hos Kviteseid kommune"
    )
    client_for(people.alice).post(url(household), {"purpose": "offer", "offer": offer.pk})
    assert "Jobb som sykepleier hos Kviteseid kommune" in smtp.messages[0].get_content()


def test_a_mail_server_that_cannot_be_reached_is_explained_and_nothing_is_logged(
    people, client_for, household, dead_smtp
):
    response = client_for(people.alice).post(url(household), {"purpose": "welcome"})
    assert response.status_code == 400
    assert "kunne ikke sendes" in response.content.decode()
    assert ContactLogEntry.objects.count() == 0


def test_a_household_without_an_address_is_explained(people, client_for, household, smtp):
    household.adults.update(email="")
    response = client_for(people.alice).post(url(household), {"purpose": "welcome"})
    assert response.status_code == 400
    assert smtp.messages == []


def test_only_the_municipalitys_own_writers_may_send(people, client_for, household, smtp):
    assert client_for(people.rita).get(url(household)).status_code == 200  # read-only may see the message
    assert client_for(people.rita).post(url(household), {"purpose": "welcome"}).status_code == 403
    assert client_for(people.bob).post(url(household), {"purpose": "welcome"}).status_code == 404
    assert smtp.messages == []


def test_the_preview_shows_the_addresses_as_mailto_links(people, client_for, household):
    html = client_for(people.alice).get(url(household)).content.decode()
    assert 'href="mailto:kari@example.org"' in html


@pytest.mark.parametrize("purpose", ["welcome", "follow_up_3", "follow_up_12", "follow_up_24", "offer", "how_are_you"])
def test_every_default_text_has_only_known_placeholders_in_every_language(purpose):
    import re

    from django.utils import translation

    from blilyst.web.outreach.mailing import DEFAULT_TEXT_LANGUAGES
    from blilyst.web.outreach.models import check_placeholders
    from blilyst.web.outreach.texts import DEFAULT_BODIES, DEFAULT_SUBJECTS, Purpose

    texts = (DEFAULT_SUBJECTS[Purpose(purpose)], DEFAULT_BODIES[Purpose(purpose)])
    english = [str(t) for t in texts]
    with translation.override("nb"):
        bokmal = [str(t) for t in texts]
    for lang in DEFAULT_TEXT_LANGUAGES:
        with translation.override(lang):
            translated = [str(t) for t in texts]
        for text, original in zip(translated, english, strict=True):
            check_placeholders(text)
            # the same placeholders as the original: a translation may not drop the offer or the contact person
            assert sorted(re.findall(r"{\w+}", text)) == sorted(re.findall(r"{\w+}", original)), lang
        if lang not in ("nb", "en"):
            # really translated: neither the English msgid nor Django's bokmål fallback
            assert not set(translated) & (set(english) | set(bokmal)), lang


def test_a_mail_is_not_sent_when_writing_its_log_fails(people, household, smtp, monkeypatch):
    from blilyst.web.outreach import mailing

    def broken_log(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the access log is unavailable")

    monkeypatch.setattr(mailing, "log_access", broken_log)
    with pytest.raises(RuntimeError):
        mailing.send_to_household(household, "welcome", MessageTemplate.objects.all(), by=people.alice)
    assert smtp.messages == []
    assert ContactLogEntry.objects.count() == 0


def test_a_mail_cannot_be_sent_inside_a_transaction_that_may_roll_back_its_log(people, household, smtp):
    from django.db import transaction

    from blilyst.web.outreach.mailing import send_to_household

    with pytest.raises(RuntimeError), transaction.atomic():
        send_to_household(household, "welcome", MessageTemplate.objects.all(), by=people.alice)
    assert smtp.messages == []
    assert ContactLogEntry.objects.count() == 0
