"""'Bli her': the welcome list of new residents from the municipality's own upload (CSV or XLSX)."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from blilyst.web.outreach.models import NewResident
from blilyst.web.privacy.models import Consent

URL = "/outreach/welcome/"


def csv_file(text: str, name: str = "innflyttere.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


GOOD = "Navn;Adresse;Innflyttet;E-post;Telefon;Språk\nOla Nordmann;Storgata 1;01.11.2026;ola@example.org;912 34 567;norsk\nOlena Koval;Bakken 2;2026-10-15;;;ukrainsk\n"


def test_a_csv_list_in_norwegian_is_read_and_shown_with_links(people, client_for):
    client = client_for(people.alice)
    response = client.post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    assert response.status_code == 302
    rows = {r.name: r for r in NewResident.objects.all()}
    assert rows["Ola Nordmann"].moved_in_on == dt.date(2026, 11, 1) and rows["Ola Nordmann"].language == "nb"
    assert rows["Olena Koval"].language == "uk"
    html = client.get(URL).content.decode()
    assert html.index("Ola Nordmann") < html.index("Olena Koval")  # latest first
    assert 'href="mailto:ola@example.org"' in html and 'href="tel:+4791234567"' in html


def test_uploading_the_same_list_again_adds_nobody_twice(people, client_for):
    client = client_for(people.alice)
    client.post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    client.post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    assert NewResident.objects.count() == 2


def test_an_xlsx_list_is_read(people, client_for):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Name", "Moved in", "Email"])
    sheet.append(["Anna Kowalska", dt.datetime(2026, 9, 1), "anna@example.org"])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("list.xlsx", data.getvalue())
    assert client_for(people.alice).post(URL, {"municipality": "4028", "file": upload}).status_code == 302
    assert NewResident.objects.get().moved_in_on == dt.date(2026, 9, 1)


def test_a_bad_row_stores_nothing_and_names_row_and_column(people, client_for):
    bad = GOOD + "Kari;;31.02.2026;ikke-epost;;\n"
    response = client_for(people.alice).post(URL, {"municipality": "4028", "file": csv_file(bad)})
    assert response.status_code == 400
    html = response.content.decode()
    assert "31.02.2026" in html and "ikke-epost" in html
    assert NewResident.objects.count() == 0


def test_a_file_without_the_required_columns_is_explained(people, client_for):
    response = client_for(people.alice).post(URL, {"municipality": "4028", "file": csv_file("Adresse\nStorgata 1\n")})
    assert response.status_code == 400
    assert NewResident.objects.count() == 0


def test_others_see_and_change_nothing(people, client_for):
    client_for(people.alice).post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    ola = NewResident.objects.get(name="Ola Nordmann")
    assert "Ola Nordmann" not in client_for(people.bob).get(URL).content.decode()
    assert client_for(people.bob).post(f"{URL}{ola.pk}/delete/").status_code == 404
    assert client_for(people.rita).post(f"{URL}{ola.pk}/contacted/").status_code == 403
    assert client_for(people.bob).post(URL, {"municipality": "4028", "file": csv_file(GOOD)}).status_code in (200, 400)
    assert NewResident.objects.filter(municipality_id="4036").count() == 0


def test_contacted_then_registered_with_consent_becomes_a_household(people, client_for):
    client = client_for(people.alice)
    client.post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    ola = NewResident.objects.get(name="Ola Nordmann")
    client.post(f"{URL}{ola.pk}/contacted/", {"note": "Vil gjerne ha hjelp med barnehage"})
    ola.refresh_from_db()
    assert ola.contacted_on == timezone.localdate()
    page = client.get(f"{URL}{ola.pk}/register/").content.decode()
    assert "Jeg samtykker" in page  # the consent text is shown before it is recorded
    assert client.post(f"{URL}{ola.pk}/register/", {}).status_code == 400
    response = client.post(f"{URL}{ola.pk}/register/", {"consent": "on"})
    assert response.status_code == 302
    consent = Consent.objects.get()
    household = consent.household
    assert household.label == "Ola Nordmann" and household.status == "enquiry"
    assert household.adults.get().email == "ola@example.org"
    assert not NewResident.objects.filter(pk=ola.pk).exists()  # the household holds it now


def test_retention_deletes_the_list_as_it_erases_households(people, client_for):
    from blilyst.web.privacy.rules import apply_retention

    client_for(people.alice).post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    NewResident.objects.filter(name="Ola Nordmann").update(last_activity=timezone.now() - dt.timedelta(days=800))
    result = apply_retention()
    assert len(result.new_residents_deleted) == 1
    assert list(NewResident.objects.values_list("name", flat=True)) == ["Olena Koval"]


def test_the_welcome_list_is_access_logged_like_households(people, client_for):
    from blilyst.web.privacy.models import AccessLogEntry

    def logged(resident: NewResident, action: str) -> list[AccessLogEntry]:
        return list(AccessLogEntry.objects.filter(record="new_resident", household_id=resident.pk, action=action))

    client = client_for(people.alice)
    client.post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    ola, olena = NewResident.objects.get(name="Ola Nordmann"), NewResident.objects.get(name="Olena Koval")
    assert [e.username for e in logged(ola, "create")] == ["alice"]
    client.post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    assert len(logged(ola, "change")) == 1  # uploaded again: its contact details may have changed
    client.get(URL)
    assert len(logged(ola, "view")) == 1 and len(logged(olena, "view")) == 1
    assert all(e.municipality_id == "4028" for e in logged(ola, "view"))
    client.post(f"{URL}{ola.pk}/contacted/", {"note": "Ringt"})
    assert len(logged(ola, "change")) == 2
    client.post(f"{URL}{olena.pk}/delete/")
    assert [e.detail for e in logged(olena, "delete")] == ["deleted on request"]
    client.get(f"{URL}{ola.pk}/register/")
    client.post(f"{URL}{ola.pk}/register/", {"consent": "on"})
    assert len(logged(ola, "delete")) == 1
    # a welcome-list number is not taken for a household's in the household's own export
    assert not AccessLogEntry.objects.filter(record="household", household_id=olena.pk, action="delete").exists()


def test_the_administrator_sees_welcome_list_rows_in_the_access_log_apart_from_households(people, client_for):
    from blilyst.web.accounts.models import Membership
    from blilyst.web.accounts.roles import Role

    client_for(people.alice).post(URL, {"municipality": "4028", "file": csv_file(GOOD)})
    ola = NewResident.objects.get(name="Ola Nordmann")
    Membership.objects.filter(user=people.rita, municipality=people.a).update(role=Role.ADMINISTRATOR)
    html = client_for(people.rita).get("/privacy/log/").content.decode()
    assert f"Velkomstlista: {ola.pk}" in html
    # the household filter does not mix a welcome-list number with a household's
    page = client_for(people.rita).get("/privacy/log/", {"household": str(ola.pk)})
    assert list(page.context["page"].object_list) == []
