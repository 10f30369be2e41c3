"""The CSV import page: good rows saved, rejected rows shown by row and column with the counts; a broken file gets
one message and saves nothing."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blilyst.web.resources.models import JobVacancy

GOOD = (
    "Arbeidsgiver;Stilling;Sektor;Utlyst\nKviteseid kommune;Sykepleier;helse;NAV\nKviteseid skule;Lærer;skole;finn.no\n"
)


def upload(text: str | bytes, name="stillinger.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_good_file_is_imported(people, client_for):
    client = client_for(people.alice)
    response = client.post(reverse("resources:import", args=["jobs"]), {"municipality": "4028", "file": upload(GOOD)})
    assert response.status_code == 302
    assert sorted(JobVacancy.objects.values_list("occupation", flat=True)) == ["Lærer", "Sykepleier"]
    page = client.get(response.url)
    assert "Importerte 2 nye rader." in page.text and "avvist" not in page.text


def test_a_bad_row_is_shown_in_the_table_and_the_good_rows_are_saved(people, client_for):
    bad = GOOD + "Vrådal hotell;Kokk;romfart;NAV\n"
    response = client_for(people.alice).post(
        reverse("resources:import", args=["jobs"]), {"municipality": "4028", "file": upload(bad)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Importerte 2 nye rader. 1 rad ble avvist for feil og ikke importert." in html
    assert '<td class="num">4</td><td>Sektor</td>' in html
    assert sorted(JobVacancy.objects.values_list("occupation", flat=True)) == ["Lærer", "Sykepleier"]


def test_a_file_of_only_bad_rows_saves_nothing_and_answers_400(people, client_for):
    bad = "Arbeidsgiver;Stilling;Sektor;Utlyst\nVrådal hotell;Kokk;romfart;NAV\nVrådal hotell;;helse;NAV\n"
    people.a.written_standard = "nn"  # a nynorsk municipality's staff get nynorsk pages
    people.a.save()
    response = client_for(people.alice).post(
        reverse("resources:import", args=["jobs"]), {"municipality": "4028", "file": upload(bad)}
    )
    assert response.status_code == 400
    assert "Importerte 0 nye rader. 2 rader vart avviste for feil og ikkje importerte." in response.text
    assert '<td class="num">2</td><td>Sektor</td>' in response.text
    assert '<td class="num">3</td><td>Stilling</td>' in response.text
    assert not JobVacancy.objects.exists()


def test_a_broken_excel_file_gets_a_clear_message(people, client_for):
    response = client_for(people.alice).post(
        reverse("resources:import", args=["jobs"]),
        {"municipality": "4028", "file": upload(b"PK\x03\x04rest", "x.xlsx")},
    )
    assert response.status_code == 400
    assert "Filen ser ut som en Excel-arbeidsbok, men kan ikke åpnes." in response.content.decode()
    assert not JobVacancy.objects.exists()


def test_one_cannot_import_into_another_municipality(people, client_for):
    response = client_for(people.alice).post(
        reverse("resources:import", args=["jobs"]), {"municipality": "4036", "file": upload(GOOD)}
    )
    assert response.status_code == 200 and JobVacancy.objects.count() == 0


def test_a_read_only_member_may_not_import(people, client_for):
    response = client_for(people.rita).post(
        reverse("resources:import", args=["jobs"]), {"municipality": "4028", "file": upload(GOOD)}
    )
    assert response.status_code == 403 and JobVacancy.objects.count() == 0


def test_hosts_cannot_be_imported(people, client_for):
    assert client_for(people.alice).get(reverse("resources:import", args=["hosts"])).status_code == 404


def test_kindergarten_capacity_is_imported_and_updated(people, client_for):
    from blilyst.web.resources.models import KindergartenCapacity

    client = client_for(people.alice)
    url = reverse("resources:import", args=["kindergartens"])
    client.post(url, {"municipality": "4028", "file": upload("Barnehage;Måned;Ledige\nK;mars 2027;1\n")})
    response = client.post(
        url,
        {"municipality": "4028", "file": upload("Barnehage;Måned;Ledige\nK;mars 2027;2\nK;april 2027;1\n")},
        follow=True,
    )
    assert (
        "Importerte 1 ny rad. Oppdaterte 1 eksisterende rad." in response.content.decode()
    )  # singular, not "1 nye rader"
    assert sorted(KindergartenCapacity.objects.values_list("free_places", flat=True)) == [1, 2]
