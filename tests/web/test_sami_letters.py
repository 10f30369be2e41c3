"""Sámi letters survive every path: a form, the database, pages, the data export, CSV in and out, and the plan
documents. Porsáŋgu (Porsanger) and Kárášjohka (Karasjok) are real municipality names (5622, 5610)."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blilyst.cli import main

PLACE = "Porsáŋgu"
NAME = "Ánde Kárášjohka"
LETTERS = "ŋáš"


@pytest.fixture
def sami_household(people, client_for):
    """A household registered through the inquiry form, as a contact person types it."""
    from blilyst.web.newcomers.models import Household

    data = {
        "municipality": people.a.pk,
        "label": f"Familien {NAME.split()[-1]}",
        "name": NAME,
        "email": "ande@example.org",
        "phone": "",
        "language": "nb",
        "target_group": "returnees",
        "origin_place": PLACE,
        "origin_country": "Norge",
        "heard_about": "family_friends",
        "consent_follow_up": "on",
    }
    response = client_for(people.alice).post(reverse("household_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Household.objects.get(label="Familien Kárášjohka")


def test_a_form_stores_sami_letters_and_pages_show_them(people, client_for, sami_household):
    sami_household.refresh_from_db()
    assert sami_household.origin_place == PLACE
    assert sami_household.adults.get().name == NAME
    client = client_for(people.alice)
    detail = client.get(reverse("household_detail", args=[sami_household.pk])).content.decode()
    assert PLACE in detail and NAME in detail
    listing = client.get(reverse("household_list")).content.decode()
    assert "Familien Kárášjohka" in listing


def test_the_data_export_keeps_sami_letters(people, client_for, sami_household):
    response = client_for(people.alice).get(reverse("household_export", args=[sami_household.pk]))
    body = response.content.decode("utf-8")
    assert PLACE in body  # written as letters, not \\u escapes
    assert NAME in json.dumps(json.loads(body), ensure_ascii=False)


def test_a_csv_import_keeps_sami_letters(people, client_for):
    from blilyst.web.resources.models import JobVacancy

    text = f"Arbeidsgiver;Stilling;Sektor;Utlyst;Arbeidssted\nKárášjoga gielda;Sykepleier;helse;NAV;{PLACE}\n"
    upload = SimpleUploadedFile("stillinger.csv", text.encode("utf-8"), content_type="text/csv")
    client = client_for(people.alice)
    response = client.post(reverse("resources:import", args=["jobs"]), {"municipality": "4028", "file": upload})
    assert response.status_code == 302
    job = JobVacancy.objects.get()
    assert (job.employer, job.place) == ("Kárášjoga gielda", PLACE)
    assert "Kárášjoga gielda" in client.get(reverse("resources:list", args=["jobs"])).content.decode()


def test_csv_from_the_command_line_keeps_sami_letters(capsys):
    assert main(["municipality", "find", "Porsanger", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert "5622" in out and PLACE in out
    assert main(["municipality", "find", "Karasjok", "--format", "csv"]) == 0
    assert "Kárášjohka" in capsys.readouterr().out


@pytest.fixture(scope="module")
def porsanger_plan(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sami-plan")
    for suffix in ("docx", "pdf"):
        assert main(["plan", "5622", "--output", str(folder / f"plan.{suffix}")]) == 0
    return folder


def test_the_word_document_keeps_sami_letters(porsanger_plan):
    import zipfile

    with zipfile.ZipFile(porsanger_plan / "plan.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert PLACE in xml


def test_the_pdf_draws_sami_letters(porsanger_plan):
    from blilyst.plan.document import extract_pdf_text

    # the PDF is set in DejaVu Sans (embedded), which has ŋ, š, đ, ŧ, č, ž (issue 9)
    text = " ".join(extract_pdf_text((porsanger_plan / "plan.pdf").read_bytes()).split())
    assert PLACE in text
    assert "Porsángu" not in text and "Porsangu -" not in text
