"""Competence the municipality will lack: the page, and a file of employed by industry and age that adds the
industries to the page and the plan."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

STATBANK = (
    '"region";"næring (SN2007)";"alder";"Sysselsatte personer 2025"\n'
    '"4028 Kviteseid";"00-99 Alle næringer";"15-74 år";1200\n'
    '"4028 Kviteseid";"86-88 Helse- og sosialtjenester";"40-54 år";100\n'
    '"4028 Kviteseid";"86-88 Helse- og sosialtjenester";"55-66 år";84\n'
    '"4028 Kviteseid";"85 Undervisning";"55-66 år";24\n'
).encode("latin-1")


def _upload(client, data: bytes = STATBANK, year: str = "2025"):
    return client.post(
        "/plan/4028/competence/",
        {"year": year, "source": "SSB 07984", "file": SimpleUploadedFile("07984.csv", data, "text/csv")},
    )


def test_the_page_says_the_sector_is_missing_until_a_table_is_uploaded(people, analyst, client_for):
    from blilyst.web.planning.models import EmploymentByIndustry

    client = client_for(analyst)
    html = client.get("/plan/4028/competence/").content.decode()
    assert "fyller 67" in html and "kan ikke leses ut av blilysts data" in html
    response = _upload(client)
    assert response.status_code == 302
    stored = EmploymentByIndustry.objects.get(municipality="4028")
    assert [r["industry"] for r in stored.rows] == ["86-88 Helse- og sosialtjenester"] * 2 + ["85 Undervisning"]
    html = client.get("/plan/4028/competence/").content.decode()
    assert "86-88 Helse- og sosialtjenester" in html and "kan ikke leses ut" not in html
    data = client.get("/plan/4028/export/plan.json").json()
    assert data["employment"]["source"] == "SSB 07984" and len(data["employment"]["rows"]) == 3


def test_a_file_without_the_columns_is_refused_in_norwegian(people, analyst, client_for):
    from blilyst.web.planning.models import EmploymentByIndustry

    response = _upload(client_for(analyst), b"kommune;antall\n4028;3\n")
    assert response.status_code == 200
    assert "Filen kan ikke brukes" in response.content.decode()
    assert EmploymentByIndustry.objects.count() == 0


def test_only_writers_upload_and_strangers_see_nothing(people, analyst, client_for):
    assert client_for(people.rita).get("/plan/4028/competence/").status_code == 200
    assert _upload(client_for(people.rita)).status_code == 403
    assert client_for(people.bob).get("/plan/4028/competence/").status_code == 404
