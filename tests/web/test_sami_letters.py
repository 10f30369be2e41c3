"""Sámi letters survive every path: the staff's and the public's forms, the database, pages, the data export (JSON,
the readable page and its PDF), CSV in and out, XLSX out and the plan documents (Word and PDF). Porsáŋgu
(Porsanger) and Kárášjohka (Karasjok) are real municipality names (5622, 5610)."""

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


def test_the_public_front_door_form_keeps_sami_letters(people):
    from django.test import Client
    from tests.web.frontdoor.conftest import valid_post

    from blilyst.web.frontdoor.models import FrontDoor
    from blilyst.web.newcomers.models import Household

    FrontDoor.objects.create(municipality=people.a, published=True, contact_person=people.alice)
    data = valid_post(
        **{"adult-0-name": NAME, "adult-1-name": "", "adult-1-job_wishes": "", "message": f"Vi kjem frå {PLACE}."}
    )
    response = Client().post(f"/welcome/{people.a.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    household = Household.objects.get()
    assert household.adults.get().name == NAME and PLACE in household.notes


def test_the_readable_export_and_its_pdf_keep_sami_letters(people, client_for, sami_household):
    from blilyst.plan.document import extract_pdf_text

    client = client_for(people.alice)
    page = client.get(reverse("household_export_html", args=[sami_household.pk])).content.decode()
    assert NAME in page and PLACE in page
    pdf = client.get(reverse("household_export_pdf", args=[sami_household.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(extract_pdf_text(pdf.content).split())
    assert NAME in text and PLACE in text  # DejaVu Sans draws ŋ and š; Helvetica would print '?'


def test_xlsx_from_the_command_line_keeps_sami_letters(tmp_path):
    import openpyxl

    out = tmp_path / "karasjok.xlsx"
    assert main(["project", "5610", "--years", "2", "--format", "xlsx", "--output", str(out)]) == 0
    cells = [
        value
        for sheet in openpyxl.load_workbook(out, read_only=True)
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    ]
    assert any("Kárášjohka" in value for value in cells)


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
    assert PLACE in xml and "Kárášjohka" in xml  # Karasjok is among Porsanger's neighbours in the comparison


def test_the_pdf_draws_sami_letters(porsanger_plan):
    from blilyst.plan.document import extract_pdf_text

    # the PDF is set in DejaVu Sans (embedded), which has ŋ, š, đ, ŧ, č, ž (issue 9)
    text = " ".join(extract_pdf_text((porsanger_plan / "plan.pdf").read_bytes()).split())
    assert PLACE in text and "Kárášjohka" in text
    assert "Porsángu" not in text and "Porsangu -" not in text
