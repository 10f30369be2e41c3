"""The data export (``export_household``) as a document a person can read: sections of labelled rows,
written out as HTML or PDF in the household's language.

The household's language is its first adult's when blilyst has catalogs for it (bokmål, nynorsk,
English); Polish, Ukrainian and other languages get English. The JSON export stays the complete,
machine-readable answer; this is the same content for a person to read.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

READABLE_LANGUAGES = ("nb", "nn", "en")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core


@dataclass(frozen=True)
class Section:
    title: str
    rows: list[tuple[str, str]]


def readable_language(household) -> str:
    adult = next(iter(household.adults.all()), None)
    language = adult.language if adult else "nb"
    return language if language in READABLE_LANGUAGES else "en"


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def sections(data: dict) -> list[Section]:
    """The export ``data`` as titled sections of (label, value) rows, in the active language."""
    h, needs = data["household"], data["needs"]
    out = [
        Section(
            _("The household"),
            [
                (_("Number"), _text(h["id"])),
                (_("Name"), _text(h["label"])),
                (_("Municipality"), _text(h["municipality"])),
                (_("Status"), _text(h["status"])),
                (_("Moving from"), _text(", ".join(x for x in (h["origin_place"], h["origin_country"]) if x))),
                (_("Contact person"), _text(h["contact_person"])),
                (_("Notes"), _text(h["notes"])),
                (_("Moved in"), _text(h["moved_in_on"])),
                (_("Registered"), _text(h["created"])),
            ],
        ),
        Section(
            _("Needs"),
            [
                (_("Housing"), _text(needs["housing_tenure"])),
                (_("Bedrooms"), _text(needs["housing_bedrooms"])),
                (_("Housing from"), _text(needs["housing_from"])),
                (_("Housing wishes"), _text(needs["housing_note"])),
                (_("School"), _text(needs["school_note"])),
                (_("Leisure interests"), _text(needs["leisure_interests"])),
                (_("Wants a host"), _text(needs["wants_host"])),
            ],
        ),
    ]
    for number, a in enumerate(data["adults"], start=1):
        out.append(
            Section(
                _("Adult %(n)d") % {"n": number},
                [
                    (_("Name"), _text(a["name"])),
                    (_("E-mail"), _text(a["email"])),
                    (_("Phone"), _text(a["phone"])),
                    (_("Language"), _text(a["language"])),
                    (_("Occupation"), _text(a["occupation"])),
                    (_("Job wishes"), _text(a["job_wishes"])),
                ],
            )
        )
    for number, c in enumerate(data["children"], start=1):
        out.append(
            Section(
                _("Child %(n)d") % {"n": number},
                [
                    (_("First name"), _text(c["first_name"])),
                    (_("Birth year"), _text(c["birth_year"])),
                    (_("Kindergarten from"), _text(c["kindergarten_from"])),
                ],
            )
        )

    def listing(title: str, rows: list[tuple[str, str]]) -> None:
        out.append(Section(title, rows or [(_("None"), "–")]))

    listing(
        _("Status history"),
        [(_text(s["on"]), f"{s['from']} → {s['to']} {s['note']}".strip()) for s in data["status_changes"]],
    )
    listing(_("Tasks"), [(_text(t["due"]), t["title"]) for t in data["tasks"]])
    listing(_("Contact log"), [(_text(e["on"]), f"{e['channel']}: {e['summary']}") for e in data["contact_log"]])
    listing(
        _("Follow-up conversations"),
        [
            (
                _text(f["on"]),
                _("feels included: %(answer)s") % {"answer": f["feels_included"]}
                + (f" – {f['note']}" if f["note"] else ""),
            )
            for f in data["follow_ups"]
        ],
    )
    listing(
        _("Consents"),
        [
            (
                _text(c["given_at"]),
                c["text_shown"]
                + (" " + _("(withdrawn %(on)s)") % {"on": c["withdrawn_at"]} if c["withdrawn_at"] else ""),
            )
            for c in data["consents"]
        ],
    )
    listing(
        _("Offers"),
        [
            (_text(o["offered_on"]), f"{o['summary']} ({o['status']}) {o['reason']}".strip())
            for o in data.get("offers", [])
        ],
    )
    listing(_("Needs matching could not meet"), [(_text(g["recorded_on"]), g["detail"]) for g in data["matching_gaps"]])
    listing(
        _("Who handled your data"),
        [(_text(e["at"]), f"{e['user']}: {e['action']} ({e['via']})") for e in data["access_log"]],
    )
    return out


def pdf(title: str, intro: str, parts: list[Section]) -> bytes:
    """The sections as an A4 PDF (reportlab). DejaVu Sans where Debian has it (all of Latin, Cyrillic ...);
    otherwise Helvetica, which draws Latin-1 only (other characters become '?')."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "Helvetica"
    if DEJAVU.is_file():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
        font = "DejaVuSans"

    def safe(text: str) -> str:
        text = escape(text)
        return text if font != "Helvetica" else text.encode("latin-1", "replace").decode("latin-1")

    styles = getSampleStyleSheet()
    for name in ("Title", "Heading2", "BodyText"):
        styles[name].fontName = font
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=2 * cm, rightMargin=2 * cm)
    story = [Paragraph(safe(title), styles["Title"]), Paragraph(safe(intro), styles["BodyText"]), Spacer(1, 0.4 * cm)]
    for section in parts:
        story.append(Paragraph(safe(section.title), styles["Heading2"]))
        table = Table(
            [[Paragraph(safe(k), styles["BodyText"]), Paragraph(safe(v), styles["BodyText"])] for k, v in section.rows],
            colWidths=[5 * cm, 12 * cm],
        )
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    doc.build(story)
    return buffer.getvalue()


def in_language(household, make):
    """Call ``make()`` with the household's readable language active; returns (result, language)."""
    language = readable_language(household)
    with translation.override(language):
        return make(), language
