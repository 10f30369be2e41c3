"""Property tests for the CSV import: whatever the separator and encoding, valid rows come back as written and
invalid rows are rejected by their line, and no input makes it fail with anything but ImportFileError or a report
whose counts add up to the file's rows."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blilyst.errors import ImportFileError
from blilyst.web.resources import csvimport
from blilyst.web.resources.models import JobVacancy

# Letters, digits and punctuation that Windows-1252 can hold too; no leading or trailing spaces.
TEXT = (
    st.text(
        alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzæøåÆØÅéü ABCXYZ0123456789-.&'\"/;,"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
ROW = st.fixed_dictionaries(
    {
        "employer": TEXT,
        "occupation": TEXT,
        "sector": st.sampled_from(JobVacancy.Sector.values),
        "advertised": st.sampled_from(JobVacancy.Advertised.values),
        "deadline": st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2035, 12, 31))),
        "remote_possible": st.booleans(),
    }
)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(
    # employer and occupation are the natural key: a file names each vacancy once
    rows=st.lists(ROW, min_size=1, max_size=8, unique_by=lambda r: (r["employer"].strip(), r["occupation"].strip())),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    norwegian_dates=st.booleans(),
)
def test_valid_rows_come_back_as_written(people, rows, delimiter, encoding, norwegian_dates):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["Arbeidsgiver", "Stilling", "Sektor", "Utlyst", "Søknadsfrist", "Fjernarbeid"])
    for r in rows:
        deadline = (
            "" if r["deadline"] is None else r["deadline"].strftime("%d.%m.%Y" if norwegian_dates else "%Y-%m-%d")
        )
        writer.writerow(
            [
                r["employer"],
                r["occupation"],
                r["sector"],
                r["advertised"],
                deadline,
                "ja" if r["remote_possible"] else "nei",
            ]
        )
    with transaction.atomic():
        report = csvimport.import_csv("vacancies", out.getvalue().encode(encoding), people.a)
        assert report.errors == [] and (report.created, report.updated, report.unchanged) == (len(rows), 0, 0)
        saved = list(JobVacancy.objects.order_by("pk").values(*rows[0].keys()))
        assert saved == rows
        transaction.set_rollback(True)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_any_bytes_give_a_report_or_one_clear_error(people, data):
    with transaction.atomic():
        try:
            report = csvimport.import_csv("vacancies", data, people.a)
        except ImportFileError as exc:
            assert str(exc)
            assert not JobVacancy.objects.exists()
        else:
            assert report.created + report.updated + report.unchanged + report.rejected == report.rows
            assert JobVacancy.objects.count() == report.created
        transaction.set_rollback(True)


@SETTINGS
@given(
    rows=st.lists(
        st.tuples(ROW, st.sampled_from(["", "sector", "advertised", "deadline"])),
        min_size=1,
        max_size=8,
        unique_by=lambda r: (r[0]["employer"].strip(), r[0]["occupation"].strip()),
    ),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_good_rows_are_saved_and_each_bad_row_is_rejected_by_its_line(people, rows, delimiter):
    """A row spoilt in one column is rejected with that line and column; the others are saved as written."""
    broken = {"sector": "romfart", "advertised": "brevdue", "deadline": "31.02.2027"}
    header = ["Arbeidsgiver", "Stilling", "Sektor", "Utlyst", "Søknadsfrist"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for r, spoilt in rows:
        values = {**r, "deadline": "" if r["deadline"] is None else r["deadline"].isoformat()}
        if spoilt:
            values[spoilt] = broken[spoilt]
        writer.writerow([values[k] for k in ("employer", "occupation", "sector", "advertised", "deadline")])
    column_of = {"sector": "Sektor", "advertised": "Utlyst", "deadline": "Søknadsfrist"}
    with transaction.atomic():
        report = csvimport.import_csv("vacancies", out.getvalue().encode(), people.a)
        expected = [(line, column_of[spoilt]) for line, (_r, spoilt) in enumerate(rows, start=2) if spoilt]
        assert [(e.row, e.column) for e in report.errors] == expected
        good = [r for r, spoilt in rows if not spoilt]
        assert (report.created, report.updated, report.unchanged, report.rejected) == (len(good), 0, 0, len(expected))
        fields = ("employer", "occupation", "sector", "advertised", "deadline")
        assert list(JobVacancy.objects.order_by("pk").values(*fields)) == [{k: r[k] for k in fields} for r in good]
        transaction.set_rollback(True)
