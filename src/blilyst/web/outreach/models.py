"""Messages to households and reminders to contact persons: the municipality's own texts, and calendar feeds.

``MessageTemplate`` is the municipality's own text for one purpose and language (no personal data).
``CalendarFeed`` is one staff member's secret calendar address: only the SHA-256 of its token is kept,
and deleting the row revokes it.
"""

from __future__ import annotations

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.timezone import now as timezone_now
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality
from blilyst.web.outreach.texts import PLACEHOLDERS, Purpose

MESSAGE_LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("uk", _("Ukrainian")),
]


def check_placeholders(text: str) -> None:
    """Validator: a ValidationError naming the ``{name}`` placeholders in ``text`` that are not known ones."""
    try:
        names = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:
        raise ValidationError(
            _("A brace is not closed. Write placeholders as {household}, or remove the brace."), code="braces"
        ) from None
    unknown = names - set(PLACEHOLDERS)
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(unknown)s. Use %(known)s.")
            % {
                "unknown": ", ".join("{" + n + "}" for n in sorted(unknown)),
                "known": ", ".join("{" + n + "}" for n in PLACEHOLDERS),
            },
            code="placeholder",
        )


class MessageTemplate(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    language = models.CharField(_("language"), max_length=5, choices=MESSAGE_LANGUAGES)
    subject = models.CharField(_("subject"), max_length=150, validators=[check_placeholders])
    body = models.TextField(_("text"), max_length=5000, validators=[check_placeholders])
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["purpose", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "purpose", "language"], name="one_template_per_language")
        ]


class CalendarFeed(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)


class NewResident(models.Model):
    """Someone who moved into the municipality recently, from the list the municipality uploaded (the
    tool never fetches the population register). Personal data, kept for the municipality's task of
    welcoming new residents: the contact person reaches out, and a person who wants the newcomer
    service's follow-up becomes a household with their consent. Deleted by the same retention as
    households (counted from ``last_activity``) and at once on request (*Delete*)."""

    PERSONAL_DATA = True

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    moved_in_on = models.DateField(_("moved in on"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=MESSAGE_LANGUAGES, blank=True)
    contacted_on = models.DateField(_("contacted on"), null=True, blank=True)
    contact_note = models.CharField(_("what came of it"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField(default=timezone_now)

    class Meta:
        ordering = ["-moved_in_on", "name", "pk"]
        verbose_name = _("new resident")
        verbose_name_plural = _("new residents")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "address", "moved_in_on"], name="one_new_resident_per_move"
            )
        ]
        indexes = [models.Index(fields=["municipality", "-moved_in_on"])]

    def __str__(self) -> str:
        return self.name
