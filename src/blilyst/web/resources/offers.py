"""Offers made to a household from a matching suggestion, and the household's answer.

An ``Offer`` is one concrete thing put to a household: a dwelling, a job vacancy (for one adult)
or a kindergarten place (for one child, in one kindergarten from one month, of one age group). It is *offered*, then
*accepted* or *declined* (with the reason, in the household's words), or *withdrawn* by the
contact person. Personal data: it says what a household was offered and what it answered, so it is
deleted with the household and is part of its data export.

Accepting has consequences in the registers, in one transaction with a row lock:

* a dwelling becomes **reserved**, so matching no longer suggests it to anyone else (matching reads
  only available dwellings); a dwelling that is no longer available cannot be accepted;
* a kindergarten place takes one free place off that kindergarten's month (of the offer's age group), and
  the child is no longer matched for a place (``matchinputs.household_needs``);
* a job is recorded as accepted; whether the employer hires is the employer's (mark the vacancy
  filled on its page).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality
from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity, first_of_month


class Offer(models.Model):
    PERSONAL_DATA = True

    class Kind(models.TextChoices):
        HOUSING = "housing", _("Dwelling")
        JOB = "job", _("Job")
        KINDERGARTEN = "kindergarten", _("Kindergarten place")

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey("newcomers.Household", on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    housing = models.ForeignKey(Housing, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers")
    job = models.ForeignKey(JobVacancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers")
    adult = models.ForeignKey("newcomers.Adult", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    child = models.ForeignKey("newcomers.Child", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kindergarten = models.CharField(_("kindergarten"), max_length=120, blank=True)
    month = models.DateField(_("from month"), null=True, blank=True)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=KindergartenCapacity.AgeGroup.choices, blank=True, default=""
    )
    # What was offered, in words, so the record stays readable if the listing is deleted later.
    summary = models.CharField(_("what was offered"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    offered_on = models.DateField(_("offered on"), default=timezone.localdate)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-offered_on", "-pk"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")

    def __str__(self) -> str:
        return self.summary

    @property
    def open(self) -> bool:
        return self.status == self.Status.OFFERED

    @transaction.atomic
    def answer(self, status: str, *, reason: str = "", on: dt.date | None = None) -> None:
        """Record the household's answer (or the contact person's withdrawal). Raises ValidationError
        with a message to show when the answer is not possible."""
        if not self.open:
            raise ValidationError(_("This offer has already been answered."), code="answered")
        if status not in (self.Status.ACCEPTED, self.Status.DECLINED, self.Status.WITHDRAWN):
            raise ValidationError(_("Choose accepted, declined or withdrawn."), code="status")
        reason = (reason or "").strip()
        if status == self.Status.DECLINED and not reason:
            raise ValidationError(
                _("Say why the household declined: it is what tells the municipality what to change."),
                code="reason",
            )
        if status == self.Status.ACCEPTED:
            self._take()
        self.status, self.reason = status, reason
        self.answered_on = on or timezone.localdate()
        self.save(update_fields=["status", "reason", "answered_on"])

    def _take(self) -> None:
        if self.kind == self.Kind.HOUSING:
            dwelling = (
                Housing.objects.select_for_update().filter(pk=self.housing_id).first()
                if self.housing_id is not None
                else None
            )
            if dwelling is None or dwelling.status != Housing.Status.AVAILABLE:
                raise ValidationError(
                    _("The dwelling is no longer available, so the offer cannot be accepted. Withdraw it."),
                    code="taken",
                )
            dwelling.status = Housing.Status.RESERVED
            dwelling.save(update_fields=["status", "updated"])
        elif self.kind == self.Kind.KINDERGARTEN:
            row = (
                KindergartenCapacity.objects.select_for_update()
                .filter(
                    municipality_id=self.municipality_id,
                    kindergarten=self.kindergarten,
                    month=self.month,
                    age_group=self.age_group,
                )
                .first()
                if self.month is not None
                else None
            )
            if row is None or row.free_places < 1:
                raise ValidationError(
                    _("That kindergarten has no free place left in that month. Withdraw the offer."), code="full"
                )
            row.free_places -= 1
            row.save(update_fields=["free_places", "updated"])

    @classmethod
    def kindergarten_month(cls, value: dt.date) -> dt.date:
        return first_of_month(value)


def export_rows(household) -> list[dict]:
    """The household's offers for its data export (DSAR), oldest first."""
    return [
        {
            "kind": o.kind,
            "summary": o.summary,
            "status": o.status,
            "reason": o.reason,
            "offered_on": o.offered_on.isoformat(),
            "answered_on": o.answered_on.isoformat() if o.answered_on else None,
        }
        for o in household.offers.order_by("offered_on", "pk")
    ]
