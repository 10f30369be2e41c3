"""CSV import of vacancies and housing: encodings, separators, good rows saved and bad rows rejected with their
errors by row and column, an unreadable file refused as a whole."""

from __future__ import annotations

import pytest
from django.utils import translation

from blilyst.errors import ImportFileError
from blilyst.web.resources import csvimport
from blilyst.web.resources.models import Housing, JobVacancy

VACANCIES = (
    "Arbeidsgiver;Stilling;Sektor;Utlyst;Søknadsfrist;Fjernarbeid\n"
    "Kviteseid kommune;Sykepleier;Helse og omsorg;NAV;31.01.2027;nei\n"
    "Kviteseid skule;Lærer;education;Kommunens nettside;2027-02-15;ja\n"
    "Byggmester Haugen AS;Snekker;bygg;finn.no;;\n"
)


def counts(report: csvimport.ImportReport) -> tuple[int, int, int, int]:
    """New, updated, unchanged and rejected rows."""
    return (report.created, report.updated, report.unchanged, report.rejected)


def test_a_semicolon_file_in_utf8_imports_every_row(people):
    report = csvimport.import_csv("vacancies", VACANCIES.encode("utf-8"), people.a)
    assert counts(report) == (3, 0, 0, 0) and report.delimiter == ";" and report.encoding == "UTF-8"
    rows = JobVacancy.objects.order_by("pk")
    assert [(j.occupation, j.sector, j.advertised, str(j.deadline), j.remote_possible) for j in rows] == [
        ("Sykepleier", "health", "nav", "2027-01-31", False),
        ("Lærer", "education", "municipality", "2027-02-15", True),
        ("Snekker", "construction", "finn", "None", False),
    ]
    assert {j.municipality_id for j in rows} == {"4028"} and {j.status for j in rows} == {"open"}


def test_a_comma_file_in_latin1_with_english_headers(people):
    text = (
        "employer,occupation,sector,advertised,deadline,remote_possible,positions\n"
        "Vrådal Hotell,Kokk,tourism,not advertised,,no,2\n"
    )
    report = csvimport.import_csv("vacancies", text.encode("latin-1"), people.a)
    assert counts(report) == (1, 0, 0, 0) and report.delimiter == "," and report.encoding == "Windows-1252"
    job = JobVacancy.objects.get()
    assert (job.employer, job.advertised, job.positions) == ("Vrådal Hotell", "not_advertised", 2)


def test_a_utf8_file_with_a_byte_order_mark(people):
    report = csvimport.import_csv("vacancies", b"\xef\xbb\xbf" + VACANCIES.encode("utf-8"), people.a)
    assert counts(report) == (3, 0, 0, 0)


def test_a_bad_row_is_rejected_by_row_and_column_and_the_good_rows_are_imported(people):
    text = VACANCIES + "Brunkeberg barnehage;;Skole og barnehage;NAV;32.13.2027;kanskje\n"
    with translation.override("nb"):
        report = csvimport.import_csv("vacancies", text.encode("utf-8"), people.a)
    assert not report.ok and counts(report) == (3, 0, 0, 1)
    assert sorted(JobVacancy.objects.values_list("occupation", flat=True)) == ["Lærer", "Snekker", "Sykepleier"]
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (5, "Fjernarbeid", "Skriv «ja» eller «nei», ikke «kanskje»."),
        (5, "Stilling", "Feltet er påkrevet."),
        (5, "Søknadsfrist", "Oppgi en gyldig dato."),
    ]


def test_errors_come_in_english_for_an_english_user(people):
    text = "employer;occupation;sector;advertised\nKviteseid kommune;Lege;space;NAV\n"
    with translation.override("en"):
        report = csvimport.import_csv("vacancies", text.encode("utf-8"), people.a)
    assert [(e.row, e.column) for e in report.errors] == [(2, "sector")] and counts(report) == (0, 0, 0, 1)
    assert not JobVacancy.objects.exists()
    assert report.errors[0].message == "Select a valid choice. space is not one of the available choices."


def test_housing_rows_follow_the_trial_housing_rule(people):
    text = (
        "Type;Tittel;Soverom;Størrelse;Pris;Leietid;Ledig fra;Eier\n"
        "Prøvebolig;Prøvebolig Fjågesund;3;90;7 000;36;01.03.2027;Kviteseid kommune\n"
        "Til salgs;Gardsbruk i Vrådal;4;160;2.900.000;;15.01.2027;Olav Haugen\n"
        "Prøvebolig;Prøvebolig Kilen;2;60;6500;48;01.04.2027;Kviteseid kommune\n"
    )
    with translation.override("nb"):
        report = csvimport.import_csv("housing", text.encode("utf-8"), people.a)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "Leietid", "En prøvebolig leies ut i høyst tre år (36 måneder); oppgi 1 til 36."),
    ]
    assert counts(report) == (2, 0, 0, 1)
    assert sorted(Housing.objects.values_list("title", flat=True)) == ["Gardsbruk i Vrådal", "Prøvebolig Fjågesund"]
    # The corrected file again: the rejected row comes in, the two imported rows are unchanged.
    fixed = text.replace(";48;", ";24;")
    report = csvimport.import_csv("housing", fixed.encode("utf-8"), people.a)
    assert counts(report) == (1, 0, 2, 0) and Housing.objects.count() == 3
    assert Housing.objects.get(title="Gardsbruk i Vrådal").price == 2_900_000


def test_unknown_columns_are_reported_not_fatal(people):
    text = "Arbeidsgiver;Stilling;Sektor;Utlyst;Kontaktperson\nKviteseid kommune;Lege;helse;NAV;Per\n"
    report = csvimport.import_csv("vacancies", text.encode("utf-8"), people.a)
    assert counts(report) == (1, 0, 0, 0) and report.ignored_columns == ["Kontaktperson"]


def test_a_short_row_is_checked_like_any_other(people):
    report = csvimport.import_csv(
        "vacancies", b"Arbeidsgiver;Stilling;Sektor;Utlyst\nKviteseid kommune;Lege\n", people.a
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "Sektor"), (2, "Utlyst")]
    assert counts(report) == (0, 0, 0, 1) and not JobVacancy.objects.exists()


def test_a_long_row_is_an_error(people):
    report = csvimport.import_csv("vacancies", b"Arbeidsgiver;Stilling;Sektor;Utlyst\na;b;helse;NAV;x;y\n", people.a)
    assert [(e.row, e.column) for e in report.errors] == [(2, "")]
    assert counts(report) == (0, 0, 0, 1) and not JobVacancy.objects.exists()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "Filen er tom"),
        (b"   \n\n", "Filen er tom"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel-arbeidsbok"),
        (b"Arbeidsgiver;Stilling\x00\x00;Sektor", "ikke en tekstfil"),
        (b"Arbeidsgiver;Stilling;Sektor;Utlyst\n", "ingen rader med data"),
        (
            b"Navn;Telefon\nPer;123\n",
            "Filen mangler påkrevde kolonner: “employer”, “occupation”, “sector”, “advertised”",
        ),
        (b"Arbeidsgiver;Stilling;Yrke;Sektor;Utlyst\na;b;c;helse;NAV\n", "Kolonnen «Yrke» står to ganger"),
        (b'Arbeidsgiver;Stilling;Sektor;Utlyst\n"a;b;helse;NAV\n', "kan ikke leses som CSV"),
    ],
)
def test_a_broken_file_raises_one_clear_message(people, data, words):
    with translation.override("nb"), pytest.raises(ImportFileError) as exc:
        csvimport.import_csv("vacancies", data, people.a)
    assert words in str(exc.value)
    assert JobVacancy.objects.count() == 0


def test_too_many_rows_is_refused(people, monkeypatch):
    monkeypatch.setattr(csvimport, "MAX_ROWS", 2)
    with translation.override("en"), pytest.raises(ImportFileError, match="more than 2 rows"):
        csvimport.import_csv("vacancies", VACANCIES.encode(), people.a)


@pytest.mark.parametrize(("header", "expected"), [("a;b,c;d", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("abc", ";")])
def test_the_separator_is_the_commonest_in_the_header(header, expected):
    assert csvimport.sniff_delimiter(header) == expected


def test_kindergarten_places_are_added_then_updated(people):
    import datetime as dt

    from blilyst.web.resources.models import KindergartenCapacity

    text = "Barnehage;Måned;Ledige plasser\nBrunkeberg barnehage;mars 2027;1\nBrunkeberg barnehage;2027-04;0\n"
    report = csvimport.import_csv("kindergartens", text.encode(), people.a)
    assert counts(report) == (2, 0, 0, 0)
    text = "Barnehage;Måned;Ledige plasser\nBrunkeberg barnehage;03.2027;2\nKviteseid barnehage;Aug 2027;3\n"
    report = csvimport.import_csv("kindergartens", text.encode(), people.a)
    assert counts(report) == (1, 1, 0, 0)
    rows = KindergartenCapacity.objects.order_by("kindergarten", "month")
    assert [(r.kindergarten, r.month, r.free_places) for r in rows] == [
        ("Brunkeberg barnehage", dt.date(2027, 3, 1), 2),
        ("Brunkeberg barnehage", dt.date(2027, 4, 1), 0),
        ("Kviteseid barnehage", dt.date(2027, 8, 1), 3),
    ]


def test_the_same_kindergarten_month_twice_in_a_file_is_an_error(people):
    import datetime as dt

    from blilyst.web.resources.models import KindergartenCapacity

    text = "Barnehage;Måned;Ledige plasser\nK;2027-03;1\nK;mars 2027;2\nK;mai 2027;-1\n"
    with translation.override("nb"):
        report = csvimport.import_csv("kindergartens", text.encode(), people.a)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "", "Den samme raden står to ganger (også i rad 2)."),
        (4, "Ledige plasser", "Verdien må være større enn eller lik 0."),
    ]
    assert counts(report) == (1, 0, 0, 2)
    assert list(KindergartenCapacity.objects.values_list("kindergarten", "month", "free_places")) == [
        ("K", dt.date(2027, 3, 1), 1)
    ]


def test_an_import_neither_updates_nor_mentions_another_municipalitys_rows(people):
    """A kindergarten of the same name and month in Vinje is Vinje's: Kviteseid's file creates its own."""
    import datetime as dt

    from blilyst.web.resources.models import KindergartenCapacity

    KindergartenCapacity.objects.create(
        municipality=people.b, kindergarten="Brunkeberg barnehage", month=dt.date(2027, 3, 1), free_places=5
    )
    text = "Barnehage;Måned;Ledige plasser\nBrunkeberg barnehage;mars 2027;1\n"
    report = csvimport.import_csv("kindergartens", text.encode(), people.a)
    assert counts(report) == (1, 0, 0, 0)
    assert sorted(KindergartenCapacity.objects.values_list("municipality_id", "free_places")) == [
        ("4028", 1),
        ("4036", 5),
    ]
    with translation.override("nb"):
        bad = csvimport.import_csv("kindergartens", (text + "Brunkeberg barnehage;april 2027;-1\n").encode(), people.a)
    assert [e.row for e in bad.errors] == [3] and counts(bad) == (0, 0, 1, 1)
    assert all("4036" not in e.message and "Vinje" not in e.message for e in bad.errors)


MIXED = (
    "Arbeidsgiver;Stilling;Sektor;Utlyst;Stillinger\n"
    "Kviteseid kommune;Sykepleier;helse;NAV;3\n"  # row 2: updates the stored nurse (2 → 3 positions)
    "Kviteseid kommune;Lærer;skole;romfart;1\n"  # row 3: rejected (advertised)
    "Kviteseid kommune;Lege;helse;NAV;1\n"  # row 4: as stored, unchanged
    "Vrådal Hotell;Kokk;reiseliv;NAV;mange\n"  # row 5: rejected (positions)
    "Vrådal Hotell;Resepsjonist;reiseliv;finn.no;1\n"  # row 6: new
    "Kviteseid kommune;Lege;helse;NAV;2\n"  # row 7: rejected, the same vacancy as row 4
    ";;helse;NAV;1\n"  # row 8: rejected twice over (employer, occupation): one rejected row
)


def test_good_and_bad_rows_mixed_give_exact_counts_and_each_rejection(people):
    JobVacancy.objects.create(
        municipality=people.a, employer="Kviteseid kommune", occupation="Sykepleier", sector="health", advertised="nav"
    )
    JobVacancy.objects.filter(occupation="Sykepleier").update(positions=2)
    JobVacancy.objects.create(
        municipality=people.a, employer="Kviteseid kommune", occupation="Lege", sector="health", advertised="nav"
    )
    with translation.override("nb"):
        report = csvimport.import_csv("vacancies", MIXED.encode(), people.a)
    assert counts(report) == (1, 1, 1, 4) and report.rows == 7
    assert [(e.row, e.column) for e in report.errors] == [
        (3, "Utlyst"),
        (5, "Stillinger"),
        (7, ""),
        (8, "Arbeidsgiver"),
        (8, "Stilling"),
    ]
    assert report.errors[2].message == "Den samme raden står to ganger (også i rad 4)."
    assert sorted(JobVacancy.objects.values_list("employer", "occupation", "positions")) == [
        ("Kviteseid kommune", "Lege", 1),
        ("Kviteseid kommune", "Sykepleier", 3),
        ("Vrådal Hotell", "Resepsjonist", 1),
    ]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nb",
            "Importerte 1 ny rad. Oppdaterte 1 eksisterende rad. 1 rad var allerede registrert slik den er. "
            "4 rader ble avvist for feil og ikke importert.",
        ),
        (
            "nn",
            "Importerte 1 ny rad. Oppdaterte 1 eksisterande rad. 1 rad var alt registrert slik ho er. "
            "4 rader vart avviste for feil og ikkje importerte.",
        ),
        (
            "en",
            "Imported 1 new row. Updated 1 existing row. 1 row was already registered as it is. "
            "4 rows were rejected for errors and not imported.",
        ),
    ],
)
def test_the_summary_counts_new_updated_unchanged_and_rejected_in_each_language(lang, words):
    report = csvimport.ImportReport(created=1, updated=1, unchanged=1, rows=7)
    report.errors = [csvimport.RowError(row, "", "x") for row in (3, 5, 7, 8, 8)]
    with translation.override(lang):
        assert report.summary() == words
    with translation.override("nb"):
        one = csvimport.ImportReport(created=2, rows=3, errors=[csvimport.RowError(4, "", "x")])
        assert one.summary() == "Importerte 2 nye rader. 1 rad ble avvist for feil og ikke importert."


def test_a_failure_while_saving_leaves_none_of_the_uploads_rows(people, monkeypatch):
    """The good rows of one upload are saved in one transaction: a crash at the third leaves not even the first."""
    from django.forms import ModelForm

    saved, original = [], ModelForm.save

    def save_then_crash(form, *args, **kwargs):
        saved.append(form.instance)
        if len(saved) == 3:
            raise RuntimeError("disk full")
        return original(form, *args, **kwargs)

    monkeypatch.setattr(ModelForm, "save", save_then_crash)
    with pytest.raises(RuntimeError, match="disk full"):
        csvimport.import_csv("vacancies", VACANCIES.encode(), people.a)
    assert len(saved) == 3 and not JobVacancy.objects.exists()
