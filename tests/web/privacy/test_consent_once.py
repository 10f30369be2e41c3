"""Consent is shown before it is recorded, and the same consent is not recorded twice."""

from __future__ import annotations

import pytest

from blilyst.web.privacy.models import CONSENT_TEXTS, Consent
from blilyst.web.privacy.rules import ConsentAlreadyGiven, record_consent, withdraw_consent


@pytest.fixture
def household(people):
    from blilyst.web.newcomers.demo import make_household

    return make_household(people.a, "Familien Berg", contact_person=people.alice)


def test_each_purpose_not_yet_given_shows_its_full_text_before_the_button(people, client_for, household):
    from django.utils import translation

    record_consent(household, "follow_up", by=people.alice)
    html = client_for(people.alice).get(f"/households/{household.pk}/").content.decode()
    with translation.override("nb"):
        matching, host = str(CONSENT_TEXTS["matching"]), str(CONSENT_TEXTS["host"])
    form_part = html.split('class="consent-form"', 1)[1]
    assert matching in form_part and host in form_part
    assert 'name="purpose" value="follow_up"' not in html  # already given: no button


def test_the_same_consent_cannot_be_recorded_twice(people, client_for, household):
    client = client_for(people.alice)
    client.post(f"/privacy/households/{household.pk}/consents/", {"purpose": "matching"})
    response = client.post(f"/privacy/households/{household.pk}/consents/", {"purpose": "matching"}, follow=True)
    assert "allerede registrert" in response.content.decode()
    assert Consent.objects.filter(household=household, purpose="matching").count() == 1


def test_after_a_withdrawal_consent_can_be_given_again(people, household):
    consent = record_consent(household, "host")
    with pytest.raises(ConsentAlreadyGiven):
        record_consent(household, "host")
    withdraw_consent(consent)
    record_consent(household, "host")
    assert household.consents.filter(purpose="host").count() == 2
