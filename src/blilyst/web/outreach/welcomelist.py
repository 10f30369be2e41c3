"""Reading the municipality's list of new residents (CSV or XLSX) into ``NewResident`` rows.

Every row is checked first; if any row has an error nothing is imported, and each error names its row
and column. A person already on the list (same name, address and moving-in date) is updated, not
added twice. Column names may be English or Norwegian.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blilyst.errors import ImportFileError
from blilyst.web.outreach.models import MESSAGE_LANGUAGES, NewResident
from blilyst.web.resources.csvimport import read_table

COLUMNS = {
    "name": ("name", "navn", "namn", "fullt navn"),
    "address": ("address", "adresse", "bostedsadresse"),
    "moved_in_on": ("moved in", "moved_in", "moved in on", "innflyttet", "innflyttingsdato", "flyttedato", "dato"),
    "email": ("email", "e-mail", "e-post", "epost"),
    "phone": ("phone", "telefon", "mobil", "tlf"),
    "language": ("language", "språk", "sprak"),
}
REQUIRED = ("name", "moved_in_on")
LANGUAGE_WORDS = {
    "nb": "nb", "bokmål": "nb", "norsk": "nb", "norwegian": "nb",
    "nn": "nn", "nynorsk": "nn",
    "en": "en", "engelsk": "en", "english": "en",
    "pl": "pl", "polsk": "pl", "polish": "pl",
    "uk": "uk", "ukrainsk": "uk", "ukrainian": "uk",
}  # fmt: skip


@dataclass
class WelcomeImport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_upload(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and rows of an uploaded CSV or XLSX file, read by the resource import's one reader (same size,
    row and encoding checks, same messages)."""
    header, rows, _encoding, _delimiter = read_table(data)
    return header, rows


def _date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def import_new_residents(data: bytes, municipality, by=None) -> WelcomeImport:
    """Check every row of the uploaded list, then store them all (or, with any error, none); each stored row
    is written to the access log as created or changed by ``by``."""
    from blilyst.web.privacy.models import Action
    from blilyst.web.privacy.rules import log_new_resident_access

    header, rows = read_upload(data)
    keys = {word: key for key, words in COLUMNS.items() for word in words}
    columns = {i: keys[h.strip().lower()] for i, h in enumerate(header) if h.strip().lower() in keys}
    missing = [k for k in REQUIRED if k not in columns.values()]
    report = WelcomeImport()
    if missing:
        names = ", ".join(COLUMNS[k][1] + " / " + COLUMNS[k][0] for k in missing)
        raise ImportFileError(_("The file lacks the column(s) %(names)s in its first row.") % {"names": names})
    today = timezone.localdate()
    clean: list[dict] = []
    for line, values in rows:
        record = {key: (values[i].strip() if i < len(values) else "") for i, key in columns.items()}
        out: dict[str, Any] = {k: record.get(k, "")[:200] for k in COLUMNS}
        if not out["name"]:
            report.errors.append((line, "name", _("The name is empty.")))
        if len(out["name"]) > 120:
            report.errors.append((line, "name", _("The name is longer than 120 characters.")))
        try:
            out["moved_in_on"] = _date(record.get("moved_in_on", ""))
            if out["moved_in_on"] > today:
                report.errors.append((line, "moved_in_on", _("The moving-in date lies in the future.")))
        except ValueError:
            report.errors.append(
                (
                    line,
                    "moved_in_on",
                    _("Write the date as 2026-11-30 or 30.11.2026, not “%(value)s”.")
                    % {"value": record.get("moved_in_on", "")},
                )
            )
        if out["email"]:
            try:
                validate_email(out["email"])
            except ValidationError:
                report.errors.append(
                    (line, "email", _("“%(value)s” is not an e-mail address.") % {"value": out["email"]})
                )
        language = out["language"].lower()
        if language and language not in LANGUAGE_WORDS:
            report.errors.append(
                (
                    line,
                    "language",
                    _("Unknown language “%(value)s”; write one of %(known)s.")
                    % {"value": out["language"], "known": ", ".join(dict(MESSAGE_LANGUAGES))},
                )
            )
        out["language"] = LANGUAGE_WORDS.get(language, "")
        out["phone"] = out["phone"][:30]
        clean.append(out)
    if report.errors:
        return report
    with transaction.atomic():
        created_rows: list[NewResident] = []
        changed_rows: list[NewResident] = []
        for out in clean:
            resident, created = NewResident.objects.update_or_create(
                municipality=municipality,
                name=out["name"],
                address=out["address"],
                moved_in_on=out["moved_in_on"],
                defaults={
                    "email": out["email"],
                    "phone": out["phone"],
                    "language": out["language"],
                    "last_activity": timezone.now(),
                },
            )
            (created_rows if created else changed_rows).append(resident)
        log_new_resident_access(by, created_rows, Action.CREATE, detail="welcome list upload")
        log_new_resident_access(by, changed_rows, Action.CHANGE, detail="welcome list upload")
        report.created, report.updated = len(created_rows), len(changed_rows)
    return report


@transaction.atomic
def register_as_inquiry(resident: NewResident, by):
    """``resident`` becomes a household at "inquiry" with their follow-up consent (the caller showed the text
    and the person agreed); the welcome-list row is deleted, since the household now holds the data."""
    from blilyst.web.accounts.roles import Capability
    from blilyst.web.newcomers.models import Adult, HeardAbout, Household
    from blilyst.web.privacy.models import Action, ConsentPurpose
    from blilyst.web.privacy.rules import log_access, log_new_resident_access, record_consent

    household = Household.objects.create(
        municipality_id=resident.municipality_id,
        label=resident.name,
        heard_about=HeardAbout.OTHER,
        heard_about_note=_("Welcome list of new residents"),
        contact_person=by if by.can(Capability.EDIT_HOUSEHOLDS, resident.municipality_id) else None,
    )
    Adult.objects.create(
        household=household,
        name=resident.name,
        email=resident.email,
        phone=resident.phone,
        language=resident.language or "nb",
    )
    record_consent(household, ConsentPurpose.FOLLOW_UP, by=by)
    log_access(by, household, Action.CREATE, detail="welcome list")
    log_new_resident_access(by, [resident], Action.DELETE, detail=f"registered as household {household.pk}")
    resident.delete()
    return household
