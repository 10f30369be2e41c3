"""A municipality's public front door: whether it is published, what it shows, who answers.

``FrontDoor`` holds no personal data of newcomers (the contact person is a staff account).
``PublicAttempt`` is the rate limit's ledger: a keyed hash of the sender's address (never the address
itself) and the time, kept for a day (see :func:`blilyst.web.frontdoor.abuse.allow_attempt`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality
from blilyst.web.lib.versioning import Versioned


class FrontDoor(Versioned):
    """What the municipality publishes at ``/welcome/<code>/``. Off until someone turns it on."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, primary_key=True, related_name="front_door"
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only a published front door can be seen and used by the public."),
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
        help_text=_("Named on the public page; new inquiries are given to this person."),
    )
    show_housing = models.BooleanField(_("show available housing kinds"), default=True)
    show_kindergarten = models.BooleanField(_("show months with free kindergarten places"), default=True)
    show_jobs = models.BooleanField(_("show advertised job vacancies"), default=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("front door")
        verbose_name_plural = _("front doors")

    def __str__(self) -> str:
        return f"{self.municipality_id} ({'published' if self.published else 'not published'})"

    def parts(self) -> list[str]:
        """The parts of the offer this municipality publishes (keys of blilyst.plan.frontdoor.PARTS)."""
        shown = {"housing": self.show_housing, "kindergarten": self.show_kindergarten, "jobs": self.show_jobs}
        return [part for part, on in shown.items() if on]


class PublicAttempt(models.Model):
    """One POST to a front door form: a keyed hash of the address and when (the rate limit's ledger)."""

    address_hash = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["address_hash", "at"])]
