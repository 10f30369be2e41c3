"""The data export for a person to read: HTML and PDF in the household's language, beside the JSON."""

from __future__ import annotations

import pytest

from blilyst.web.privacy.models import AccessLogEntry
from blilyst.web.privacy.rules import record_consent


@pytest.fixture
def household(people):
    from blilyst.web.newcomers.demo import make_household

    household = make_household(people.a, "Familien Berg", contact_person=people.alice, name="Kari Berg")
    record_consent(household, "follow_up", by=people.alice, language="nb")
    return household


def test_the_html_export_is_in_bokmal_for_a_bokmal_household(people, client_for, household):
    response = client_for(people.alice).get(f"/privacy/households/{household.pk}/export.html")
    assert response.status_code == 200
    assert response["Content-Language"] == "nb" and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Kari Berg" in html and "kari@example.org" in html
    assert "Jeg samtykker" in html  # the consent text as it was shown
    assert "Hvem som har behandlet" in html
    assert AccessLogEntry.objects.filter(household_id=household.pk, action="export", detail="html").exists()


def test_an_english_or_polish_household_gets_english(people, client_for, household):
    household.adults.update(language="pl")
    response = client_for(people.alice).get(f"/privacy/households/{household.pk}/export.html")
    assert response["Content-Language"] == "en"
    assert "Who handled your data" in response.content.decode()


def test_the_pdf_export_is_a_pdf(people, client_for, household):
    household.adults.update(name="Олена Коваль")  # Cyrillic must not break the document
    response = client_for(people.alice).get(f"/privacy/households/{household.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 2000
    assert f"household-{household.pk}.pdf" in response["Content-Disposition"]


def test_only_those_who_may_change_the_household_export_it(people, client_for, household):
    assert client_for(people.rita).get(f"/privacy/households/{household.pk}/export.pdf").status_code == 403
    assert client_for(people.bob).get(f"/privacy/households/{household.pk}/export.html").status_code == 404
