"""Importing job vacancies, housing and kindergarten places from a CSV file or an Excel workbook.

The file may be UTF-8 (with or without a byte-order mark) or Latin-1/Windows-1252 (what Excel
saves in Norway), separated by semicolons, commas or tabs; the first row names the columns in
English or Norwegian ("arbeidsgiver", "stilling", "søknadsfrist"). Every row is validated with the
same rules as the forms. The good rows are saved (a row whose natural key is already stored updates
it) and the bad rows are rejected: the report counts new, updated, unchanged and rejected rows and
lists each rejected row's errors by row and column in the user's language. The rows of one upload
are saved in one transaction, so a failure while saving leaves none of them. A file that cannot be
read as a table at all (not a table, mixed encodings, missing or repeated columns) raises
``ImportFileError`` with one message saying what to do, and nothing is saved.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.forms import DateField, ModelForm, modelform_factory
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blilyst.errors import ImportFileError
from blilyst.web.resources.forms import DATE_FORMATS, MONTH_FORMATS, formfield
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity, Resource

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "sann", "1", "x"}
FALSE_WORDS = {"nei", "n", "no", "false", "usann", "0", ""}


@dataclass(frozen=True)
class Column:
    field: str
    aliases: tuple[str, ...]  # accepted header names besides the field name (compared case-insensitively)
    required: bool = False
    type: str = "text"  # text | int | bool | date | choice
    # (dataclasses.field by its full name: the name ``field`` is this class's first attribute)
    choice_aliases: dict[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class ImportKind:
    model: type[Resource]
    columns: tuple[Column, ...]
    #: fields that identify a row already stored: a file row with the same values updates it
    update_keys: tuple[str, ...] = ()


VACANCY = ImportKind(
    JobVacancy,
    (
        Column("employer", ("arbeidsgiver", "bedrift", "virksomhet"), required=True),
        Column("occupation", ("stilling", "yrke", "stillingstittel", "job title", "title"), required=True),
        Column(
            "sector",
            ("sektor", "bransje", "næring"),
            required=True,
            type="choice",
            choice_aliases={**JobVacancy.SECTOR_WORDS, "offentlig forvaltning": "administration"},
        ),
        Column(
            "advertised",
            ("utlyst", "annonsert", "utlyst på", "advertised in", "kanal"),
            required=True,
            type="choice",
            choice_aliases={
                "arbeidsplassen.no": "nav",
                "arbeidsplassen": "nav",
                "kommunen": "municipality",
                "kommunens nettside": "municipality",
                "finn.no": "finn",
                "annet": "other",
                "ikke utlyst": "not_advertised",
                "ikke annonsert": "not_advertised",
            },
        ),
        Column("deadline", ("søknadsfrist", "frist", "soknadsfrist"), type="date"),
        Column("remote_possible", ("fjernarbeid", "hjemmekontor", "remote"), type="bool"),
        Column("positions", ("antall", "antall stillinger", "stillinger"), type="int"),
        Column(
            "place",
            ("arbeidssted", "sted", "place of work"),
        ),
        Column("url", ("lenke", "link", "annonse")),
        Column(
            "status",
            (),
            type="choice",
            choice_aliases={"åpen": "open", "ledig": "open", "besatt": "filled", "lukket": "closed"},
        ),
        Column("note", ("merknad", "kommentar", "notat")),
    ),
    # a vacancy is the employer's position: importing the list again updates it instead of adding it twice
    update_keys=("employer", "occupation"),
)

HOUSING = ImportKind(
    Housing,
    (
        Column(
            "kind",
            ("type", "boligtype", "art"),
            required=True,
            type="choice",
            choice_aliases={
                "salg": "sale",
                "til salgs": "sale",
                "kjøp": "sale",
                "leie": "rent",
                "til leie": "rent",
                "utleie": "rent",
                "prøvebolig": "trial",
                "trial": "trial",
                "småbruk": "small_farm",
                "smabruk": "small_farm",
                "small farm": "small_farm",
                "small_farm": "small_farm",
                "gårdsbruk": "small_farm",
                "tomt": "plot",
                "byggetomt": "plot",
                "boligtomt": "plot",
                "plot": "plot",
                "building plot": "plot",
            },
        ),
        Column("title", ("tittel", "beskrivelse", "navn"), required=True),
        Column("address", ("adresse",)),
        Column("area", ("område", "sted", "bygd")),
        Column("bedrooms", ("soverom", "antall soverom"), required=True, type="int"),
        Column("size_m2", ("størrelse", "areal", "m2", "kvm", "bra", "size"), required=True, type="int"),
        Column("price", ("pris", "leie", "husleie", "månedsleie", "prisantydning", "rent"), required=True, type="int"),
        Column("term_months", ("leietid", "leietid måneder", "varighet", "term"), type="int"),
        Column(
            "status",
            (),
            type="choice",
            choice_aliases={
                "ledig": "available",
                "reservert": "reserved",
                "solgt": "taken",
                "utleid": "taken",
                "trukket": "withdrawn",
            },
        ),
        Column("available_from", ("ledig fra", "tilgjengelig fra", "innflytting", "fra"), required=True, type="date"),
        Column("owner_name", ("eier", "eiers navn", "utleier", "owner")),
        Column("owner_phone", ("telefon", "eiers telefon", "phone")),
        Column("owner_email", ("e-post", "epost", "eiers e-post", "email", "e-mail")),
        Column("note", ("merknad", "kommentar", "notat")),
    ),
    # a dwelling is its title at its address
    update_keys=("title", "address"),
)

KINDERGARTENS = ImportKind(
    KindergartenCapacity,
    (
        Column("kindergarten", ("barnehage", "navn"), required=True),
        Column("month", ("måned", "mnd", "fra måned"), required=True, type="month"),
        Column("free_places", ("ledige plasser", "ledige", "plasser", "free"), required=True, type="int"),
        Column(
            "age_group",
            ("aldersgruppe", "alder", "age group"),
            type="choice",
            choice_aliases={
                "under 3": "under_3",
                "under 3 år": "under_3",
                "0-2": "under_3",
                "0-2 år": "under_3",
                "småbarn": "under_3",
                "over 3": "over_3",
                "over 3 år": "over_3",
                "3 år og eldre": "over_3",
                "3-5": "over_3",
                "3-5 år": "over_3",
                "storbarn": "over_3",
                "alle": "",
                "alle aldre": "",
            },
        ),
        Column("note", ("merknad", "kommentar")),
    ),
    # a kindergarten's free places in one month for one age group
    update_keys=("kindergarten", "month", "age_group"),
)

KINDS = {"vacancies": VACANCY, "housing": HOUSING, "kindergartens": KINDERGARTENS}

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january", "jan"),
            ("februar", "february", "feb"),
            ("mars", "march", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}


def _month(text: str) -> str:
    """ "mars 2027", "March 2027", "mar. 27" → "2027-03"; anything else is left to the form."""
    m = re.fullmatch(r"([^\W\d_]+)\.?\s+(\d{2}|\d{4})", text.strip().casefold())
    if m and m.group(1) in MONTH_NAMES:
        year = int(m.group(2)) + (2000 if len(m.group(2)) == 2 else 0)
        return f"{year:04d}-{MONTH_NAMES[m.group(1)]:02d}"
    return text


@dataclass(frozen=True)
class RowError:
    row: int  # line in the file, the header being row 1
    column: str  # the column's name as written in the file ("" for the row as a whole)
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""

    @property
    def ok(self) -> bool:
        """True when no row was rejected."""
        return not self.errors

    @property
    def rejected(self) -> int:
        """How many rows were left out for their errors (a row with several errors counts once)."""
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        """What the import did, in the user's language: n new, m updated, k unchanged, j rejected rows."""
        parts = [ngettext("Imported %(n)s new row.", "Imported %(n)s new rows.", self.created) % {"n": self.created}]
        if self.updated:
            parts.append(
                ngettext("Updated %(m)s existing row.", "Updated %(m)s existing rows.", self.updated)
                % {"m": self.updated}
            )
        if self.unchanged:
            parts.append(
                ngettext(
                    "%(k)s row was already registered as it is.",
                    "%(k)s rows were already registered as they are.",
                    self.unchanged,
                )
                % {"k": self.unchanged}
            )
        if self.rejected:
            parts.append(
                ngettext(
                    "%(j)s row was rejected for errors and not imported.",
                    "%(j)s rows were rejected for errors and not imported.",
                    self.rejected,
                )
                % {"j": self.rejected}
            )
        return " ".join(parts)


# --- Reading the file ------------------------------------------------------------------------------------
def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with: UTF-8 first, then Windows-1252, then Latin-1."""
    if not data or not data.strip():
        raise ImportFileError(_("The file is empty. Choose a CSV file with a header row and at least one row."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("This is an old Excel file (.xls). In Excel, choose Save as → Excel workbook (.xlsx) or CSV.")
        )
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _("The file is not a text file (it holds binary data). Export the table as CSV and try again.")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_encoding_line(data)
    if mixed is not None:
        raise ImportFileError(
            _(
                "Line %(line)s is not UTF-8, while other lines are: the file mixes two encodings, and its letters "
                "would be garbled (æ, ø, å). Open it in a spreadsheet or text editor and save it again as CSV UTF-8."
            )
            % {"line": mixed}
        )
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _mixed_encoding_line(data: bytes) -> int | None:
    """The first line that is not UTF-8 when another line holds UTF-8 letters beyond ASCII, else None.

    A file that is not UTF-8 as a whole is read as Windows-1252; but if some lines are UTF-8 (æøå as
    two bytes each) they would turn into mojibake ("Ã¸"), so such a file is refused instead."""
    first_bad, has_utf8 = None, False
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or number
            continue
        if _UTF8_MULTIBYTE.search(line):
            has_utf8 = True
    return first_bad if has_utf8 else None


def sniff_delimiter(header_line: str) -> str:
    """The separator used in the header row: the most frequent of ``;``, ``,`` and tab."""
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def read_table(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]], str, str]:
    """Header, rows as (line number, values), encoding and delimiter; ImportFileError if unreadable."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB. Split it into smaller files and import them one by one.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    text, encoding = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if header is None:
                header = [v.strip() for v in values]
                continue
            rows.append((reader.line_num, values))
            if len(rows) > MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}
                )
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "The file cannot be read as CSV near line %(line)s (%(problem)s). Check quotes and separators, or save it again as CSV."
            )
            % {"line": reader.line_num, "problem": exc}
        ) from None
    if header is None:
        raise ImportFileError(_("The file is empty. Choose a CSV file with a header row and at least one row."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return header, rows, encoding, delimiter


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the CSV reader would have seen it typed."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "ja" if value else "nei"
    return str(value)


def _read_xlsx(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]], str, str]:
    """An Excel workbook's first sheet, read like a CSV file (row numbers as Excel shows them)."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(
            _("The file looks like an Excel workbook but cannot be opened. Save it again as .xlsx or as CSV.")
        ) from None
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}
            )
    workbook.close()
    if header is None:
        raise ImportFileError(_("The file is empty. Choose a CSV file with a header row and at least one row."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return header, rows, "XLSX", ""


# --- Validating and saving ---------------------------------------------------------------------------------
def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().casefold().replace("_", " "))


def _choice_map(model: type[Resource], column: Column) -> dict[str, str]:
    choices = model.own_field(column.field).choices or []
    mapping = {}
    for value, label in choices:
        mapping[_key(value)] = value
        for lang in ("nb", "en"):
            with translation.override(lang):
                mapping[_key(str(label))] = value
    mapping.update({_key(k): v for k, v in column.choice_aliases.items()})
    return mapping


def _number(text: str) -> str:
    cleaned = re.sub(r"[\s\u00a0]|kr\.?|nok|,-|m²|m2", "", text.strip(), flags=re.IGNORECASE)
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):  # 12.000 is twelve thousand in Norwegian
        cleaned = cleaned.replace(".", "")
    return cleaned


def match_columns(kind: ImportKind, header: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Which file column feeds which field; raises ImportFileError naming missing or repeated columns."""
    by_name = {}
    for column in kind.columns:
        by_name[_key(column.field)] = column
        by_name[_key(str(kind.model.own_field(column.field).verbose_name))] = column
        for lang in ("nb", "en"):
            with translation.override(lang):
                by_name[_key(str(kind.model.own_field(column.field).verbose_name))] = column
        for alias in column.aliases:
            by_name[_key(alias)] = column
    found: dict[int, Column] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        matched = by_name.get(_key(name))
        if matched is None:
            ignored.append(name)
        elif matched in found.values():
            raise ImportFileError(_("The column “%(name)s” appears twice. Remove one of them.") % {"name": name})
        else:
            found[i] = matched
    missing = [c for c in kind.columns if c.required and c not in found.values()]
    if missing:
        names = ", ".join(f"“{c.field}”" for c in missing)
        raise ImportFileError(
            _(
                "The file lacks required columns: %(names)s. The first row must name the columns (in English or Norwegian)."
            )
            % {"names": names}
        )
    return found, ignored


def import_csv(kind_name: str, data: bytes, municipality) -> ImportReport:
    """Validate every row of ``data``, save the valid ones in ``municipality`` and reject the others.

    A row whose ``update_keys`` (employer and occupation, title and address, kindergarten and month)
    match a stored row updates it instead of adding one; a row repeating an earlier row's keys is
    rejected. Returns the report (``created``, ``updated``, ``unchanged`` and the rejected rows'
    ``errors``); the valid rows are saved in one transaction. Raises ImportFileError, saving
    nothing, when the file itself cannot be read.
    """
    kind = KINDS[kind_name]
    header, rows, encoding, delimiter = read_table(data)
    columns, ignored = match_columns(kind, header)
    report = ImportReport(rows=len(rows), ignored_columns=ignored, encoding=encoding, delimiter=delimiter)
    # only the columns the file has: the others keep the model's defaults (status "open", 1 position)
    form_class = modelform_factory(kind.model, fields=[c.field for c in columns.values()], formfield_callback=formfield)
    choice_maps = {c.field: _choice_map(kind.model, c) for c in kind.columns if c.type == "choice"}
    header_of = {c.field: header[i] for i, c in columns.items()}
    forms = []
    seen: dict[tuple, int] = {}
    for line, values in rows:
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            report.errors.append(
                RowError(
                    line,
                    "",
                    _("The row has %(n)s values but the header has %(m)s columns.")
                    % {"n": len(values), "m": len(header)},
                )
            )
            continue
        form_data, row_errors = _row_values(kind, columns, header, choice_maps, line, values)
        form = _bound_form(form_class, kind, form_data, kind.model(municipality=municipality))
        if form.is_valid() and kind.update_keys:
            key = tuple(
                _first_of_month(form.cleaned_data[k])
                if k == "month"
                else form.cleaned_data.get(k, kind.model.own_field(k).get_default())
                for k in kind.update_keys
            )
            if key in seen:
                row_errors.append(
                    RowError(line, "", _("The same row is given twice (also in row %(row)s).") % {"row": seen[key]})
                )
            seen.setdefault(key, line)
            existing = kind.model._default_manager.filter(
                municipality=municipality, **dict(zip(kind.update_keys, key, strict=False))
            ).first()
            if existing is not None:
                form = _bound_form(form_class, kind, form_data, existing)
        if not form.is_valid():
            for name, messages in form.errors.items():
                column_name = header_of.get(name, "" if name == "__all__" else name)
                for message in messages:
                    row_errors.append(RowError(line, column_name, str(message)))
        report.errors.extend(row_errors)
        if not row_errors:
            forms.append(form)
    _save(forms, report)
    return report


def _row_values(
    kind: ImportKind,
    columns: dict[int, Column],
    header: list[str],
    choice_maps: dict[str, dict[str, str]],
    line: int,
    values: list[str],
) -> tuple[dict[str, str], list[RowError]]:
    """One file row as form data (choices, numbers, months and yes/no read the Norwegian way; an empty cell
    takes the model's default), and the errors of cells that cannot be read."""
    form_data: dict[str, str] = {}
    row_errors: list[RowError] = []
    for i, column in columns.items():
        raw = values[i].strip() if i < len(values) else ""
        if column.type == "choice" and raw:
            raw = choice_maps[column.field].get(_key(raw), raw)
        elif column.type == "int" and raw:
            raw = _number(raw)
        elif column.type == "month" and raw:
            raw = _month(raw)
        elif column.type == "bool":
            word = raw.casefold()
            if word in TRUE_WORDS:
                raw = "on"
            elif word in FALSE_WORDS:
                raw = ""
            else:
                row_errors.append(
                    RowError(line, header[i], _("Write “ja” or “nei”, not “%(value)s”.") % {"value": raw})
                )
                continue
        if raw:
            form_data[column.field] = raw
        else:
            model_field = kind.model.own_field(column.field)
            if model_field.has_default() and column.type != "bool":
                form_data[column.field] = str(model_field.get_default())
    return form_data, row_errors


def _save(forms: list[ModelForm], report: ImportReport) -> None:
    """Save the valid rows in one transaction, counting new, updated and unchanged rows in ``report``."""
    with transaction.atomic():
        for form in forms:
            if form.instance.pk and not form.has_changed():
                report.unchanged += 1
                continue
            if form.instance.pk:
                report.updated += 1
                form.save()
                form.instance.bump_version()  # a form opened before the import now sees a conflict
            else:
                report.created += 1
                form.save()


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _bound_form(form_class, kind: ImportKind, data: dict, instance):
    form = form_class(data, instance=instance)
    for name, f in form.fields.items():
        if isinstance(f, DateField):
            month = any(c.field == name and c.type == "month" for c in kind.columns)
            f.input_formats = MONTH_FORMATS if month else DATE_FORMATS
    return form
