"""Making and sending the messages: to a household in its language, and the daily digest to contact persons.

Mail goes through Django's mail with the SMTP settings from the environment (``BLILYST_EMAIL_*``,
docs/production.md). A household's message has the contact person as Reply-To, so answers reach them,
and is written to the household's contact log in the same transaction as it is sent: a message that could not
be sent is not logged, and one that was sent is never left out of the log by a later rollback.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from blilyst.web.accounts.roles import Capability, Role
from blilyst.web.newcomers.models import ContactChannel, ContactLogEntry, Task
from blilyst.web.outreach.texts import DEFAULT_BODIES, DEFAULT_SUBJECTS, Purpose
from blilyst.web.privacy.models import Action
from blilyst.web.privacy.rules import log_access

#: The languages with a translated default text (Polish and Ukrainian from the outreach app's own pl/uk
#: catalogs); for the others the default is in English until the municipality writes its own text.
DEFAULT_TEXT_LANGUAGES = ("nb", "nn", "en", "pl", "uk")


class MessageError(Exception):
    """A message that cannot be made or sent; the text says what to do."""


def message_language(household) -> str:
    """The language to write to ``household`` in: the first adult's (``other`` → English)."""
    adult = next(iter(household.adults.all()), None)
    language = adult.language if adult else settings.LANGUAGE_CODE
    return "en" if language == "other" else language


def _person_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    language: str
    to: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)


def make_message(household, purpose: str, templates, *, offer: str = "", language: str | None = None) -> Message:
    """The message for ``purpose`` to ``household``: the municipality's own text in the household's language
    if there is one (``templates``: the caller's tenancy-narrowed MessageTemplate queryset), else the default."""
    language = language or message_language(household)
    own = templates.filter(municipality_id=household.municipality_id, purpose=purpose, language=language).first()
    values = {
        "household": household.label,
        "contact_person": _person_name(household.contact_person),
        "municipality": household.municipality.name,
        "offer": offer,
    }
    if own is not None:
        subject, body = own.subject, own.body
    else:
        with translation.override(language if language in DEFAULT_TEXT_LANGUAGES else "en"):
            subject, body = str(DEFAULT_SUBJECTS[Purpose(purpose)]), str(DEFAULT_BODIES[Purpose(purpose)])
    person = household.contact_person
    return Message(
        subject=subject.format_map(values),
        body=body.format_map(values),
        language=language,
        to=[a.email for a in household.adults.all() if a.email],
        reply_to=[person.email] if person is not None and person.email else [],
    )


def send_to_household(household, purpose: str, templates, *, by, offer: str = "") -> ContactLogEntry:
    """Send the ``purpose`` message to every adult of ``household`` with an e-mail address and log it.

    Raises ``MessageError`` when nobody has an address, and ``OSError`` (``smtplib.SMTPException``) when the
    mail server refuses or cannot be reached: then nothing is logged. Must not be called inside a transaction
    (``RuntimeError``): one that rolled back after the mail left would lose its log."""
    message = make_message(household, purpose, templates, offer=offer)
    if not message.to:
        raise MessageError(_("No adult of the household has an e-mail address. Add one on the household's page."))
    # Sent <=> logged: the log is written first and the mail leaves last, inside one durable transaction that
    # commits right after. A refused mail rolls the log back; and as the block is durable, no caller's
    # transaction can roll the log back after the mail has left (that raises RuntimeError before anything).
    with transaction.atomic(durable=True):
        entry = ContactLogEntry.objects.create(
            household=household,
            channel=ContactChannel.EMAIL,
            summary=_("E-mail sent (%(purpose)s): %(subject)s")
            % {"purpose": Purpose(purpose).label, "subject": message.subject},
            by=by,
        )
        household.touch()
        log_access(by, household, Action.CHANGE, detail=f"e-mail: {purpose}")
        EmailMessage(message.subject, message.body, to=message.to, reply_to=message.reply_to).send()
    return entry


# --- The daily digest -----------------------------------------------------------------------------------------


@dataclass
class Digest:
    user: object
    overdue: list = field(default_factory=list)
    due: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due)


def digest_for(user, today: dt.date, days: int = 7) -> Digest:
    """What is overdue and due within ``days`` for ``user``: their own open tasks and unassigned ones in the
    municipalities where they are a contact person."""
    codes = user.municipality_codes(Capability.EDIT_HOUSEHOLDS)
    tasks = (
        Task.objects.open()
        .filter(household__municipality_id__in=codes, due__lte=today + dt.timedelta(days=days))
        .filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
        .select_related("household")
        .order_by("due", "pk")
    )
    digest = Digest(user)
    for task in tasks:
        (digest.overdue if task.due < today else digest.due).append(task)
    return digest


def digest_text(digest: Digest, today: dt.date) -> tuple[str, str]:
    """Subject and body of ``digest``: household numbers and links rather than household names (e-mail leaves
    the system); the task titles are included as the staff wrote them."""
    base = settings.BLILYST_BASE_URL

    def line(task) -> str:
        return _("%(due)s – %(title)s – household no. %(number)d: %(link)s") % {
            "due": task.due.strftime("%d.%m.%Y"),
            "title": task.title,
            "number": task.household_id,
            "link": base + reverse("household_detail", kwargs={"pk": task.household_id}),
        }

    subject = _("blilyst: %(overdue)d overdue, %(due)d due this week") % {
        "overdue": len(digest.overdue),
        "due": len(digest.due),
    }
    parts = []
    if digest.overdue:
        parts.append(_("Overdue:") + "\n" + "\n".join(line(t) for t in digest.overdue))
    if digest.due:
        parts.append(_("Due in the coming days:") + "\n" + "\n".join(line(t) for t in digest.due))
    parts.append(_("All your tasks: %(link)s") % {"link": base + reverse("my_tasks")})
    return subject, "\n\n".join(parts)


def send_digests(users, today: dt.date | None = None, days: int = 7, dry_run: bool = False) -> list[Digest]:
    """Send each of ``users`` (contact persons with an e-mail address) their digest when it is not empty.
    Returns the digests that were (or, with ``dry_run``, would have been) sent."""
    today = today or timezone.localdate()
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users:
            if not user.email:
                continue
            digest = digest_for(user, today, days)
            if digest.empty:
                continue
            if not dry_run:
                subject, body = digest_text(digest, today)
                EmailMessage(subject, body, to=[user.email]).send()
            sent.append(digest)
    return sent


def contact_persons():
    from blilyst.web.accounts.models import User

    return User.objects.filter(is_active=True, memberships__role=Role.CONTACT_PERSON).distinct().order_by("pk")
