"""Importing again updates instead of duplicating (a natural key per kind), the report says "n new, m updated,
k unchanged"; Excel workbooks are read like CSV; a file mixing UTF-8 and Latin-1 is refused with its line."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from blilyst.web.resources import csvimport
from blilyst.web.resources.models import Housing, JobVacancy

VACANCIES = (
    "Arbeidsgiver;Stilling;Sektor;Utlyst;Stillinger\n"
    "Kviteseid kommune;Sykepleier;helse;NAV;2\n"
    "Kviteseid kommune;Lærer;skole;NAV;1\n"
    "Vest-Telemark Kraft;Elektriker;industri;NAV;1\n"
)


def test_importing_the_same_file_twice_adds_nothing(people):
    first = csvimport.import_csv("vacancies", VACANCIES.encode(), people.a)
    assert (first.created, first.updated, first.unchanged, first.rejected) == (3, 0, 0, 0)
    again = csvimport.import_csv("vacancies", VACANCIES.encode(), people.a)
    assert (again.created, again.updated, again.unchanged, again.rejected) == (0, 0, 3, 0)
    assert JobVacancy.objects.count() == 3


def test_a_changed_row_updates_the_stored_one_and_counts_its_version(people):
    csvimport.import_csv("vacancies", VACANCIES.encode(), people.a)
    nurse = JobVacancy.objects.get(occupation="Sykepleier")
    changed = (
        VACANCIES.replace("Sykepleier;helse;NAV;2", "Sykepleier;helse;NAV;4") + "Seljord kommune;Lege;helse;NAV;1\n"
    )
    report = csvimport.import_csv("vacancies", changed.encode(), people.a)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (1, 1, 2, 0)
    nurse_after = JobVacancy.objects.get(pk=nurse.pk)
    assert nurse_after.positions == 4 and nurse_after.version == nurse.version + 1
    assert JobVacancy.objects.count() == 4


def test_the_page_reports_new_updated_and_unchanged(people, client_for):
    client = client_for(people.alice)
    url = "/resources/jobs/import/"
    upload = SimpleUploadedFile("jobs.csv", VACANCIES.encode(), content_type="text/csv")
    client.post(url, {"municipality": "4028", "file": upload})
    again = client.post(
        url,
        {"municipality": "4028", "file": SimpleUploadedFile("jobs.csv", VACANCIES.encode(), content_type="text/csv")},
        follow=True,
    )
    assert "Importerte 0 nye rader. 3 rader var allerede registrert slik de er." in again.text
    assert JobVacancy.objects.count() == 3


def test_dwellings_are_matched_on_title_and_address(people):
    data = (
        "Type;Tittel;Adresse;Soverom;Størrelse;Pris;Ledig fra\n"
        "leie;Enebolig;Brunkebergvegen 1;3;120;11000;2027-08-01\n"
        "leie;Enebolig;Kviteseidvegen 4;2;80;8000;2027-08-01\n"
    )
    csvimport.import_csv("housing", data.encode(), people.a)
    report = csvimport.import_csv("housing", data.replace("11000", "11500").encode(), people.a)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (0, 1, 1, 0)
    assert Housing.objects.count() == 2


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_workbook_is_imported_like_csv(people):
    data = _xlsx(
        [
            ["Arbeidsgiver", "Stilling", "Sektor", "Utlyst", "Søknadsfrist", "Stillinger"],
            ["Kviteseid kommune", "Sykepleier", "helse", "NAV", dt.datetime(2027, 3, 1), 2],
            ["Kviteseid kommune", "Lærer", "skole", "NAV", None, 1],
        ]
    )
    report = csvimport.import_csv("vacancies", data, people.a)
    assert (report.created, report.rejected, report.encoding) == (2, 0, "XLSX")
    nurse = JobVacancy.objects.get(occupation="Sykepleier")
    assert nurse.deadline == dt.date(2027, 3, 1) and nurse.positions == 2
    mixed = _xlsx(
        [
            ["Arbeidsgiver", "Stilling", "Sektor", "Utlyst"],
            ["K", "Lege", "romfart", "NAV"],
            ["Kviteseid kommune", "Sykepleier", "helse", "finn.no"],  # updates the nurse: advertised on finn.no
            ["K", "Jordmor", "helse", "NAV"],
        ]
    )
    report = csvimport.import_csv("vacancies", mixed, people.a)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Sektor")]
    assert (report.created, report.updated, report.unchanged, report.rejected) == (1, 1, 0, 1)
    nurse = JobVacancy.objects.get(occupation="Sykepleier")
    assert JobVacancy.objects.count() == 3 and (nurse.advertised, nurse.positions) == ("finn", 2)


def test_a_file_mixing_utf8_and_latin1_is_refused_with_the_line(people):
    import pytest

    from blilyst.errors import ImportFileError

    data = (
        b"Arbeidsgiver;Stilling;Sektor;Utlyst\n"
        + "Kviteseid kommune;Lærer;skole;NAV\n".encode()
        + "Bø kommune;Sjåfør;transport;NAV\n".encode("latin-1")
    )
    with pytest.raises(ImportFileError, match="Linje 3"):
        csvimport.import_csv("vacancies", data, people.a)
    assert not JobVacancy.objects.exists()
    # A file wholly in Latin-1 is still read.
    latin = ("Arbeidsgiver;Stilling;Sektor;Utlyst\n" + "Bø kommune;Sjåfør;transport;NAV\n").encode("latin-1")
    report = csvimport.import_csv("vacancies", latin, people.a)
    assert (report.created, report.rejected) == (1, 0)
    assert JobVacancy.objects.get().employer == "Bø kommune"
