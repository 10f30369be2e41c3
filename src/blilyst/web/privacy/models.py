"""What the privacy rules keep: consents, the access log, and anonymous outcomes.

* ``Consent`` is personal data of a household and goes when the household goes.
* ``AccessLogEntry`` says who did what to which household. It keeps the household's number and
  municipality, never its name or contact data, so it can outlive an erasure (the log of the
  erasure itself must stay).
* ``AnonymousOutcome`` is what remains of a household after retention or erasure: municipality,
  target group, furthest status, months (not days) and counts. It holds no personal data and feeds
  the statistics and the evaluation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality


class ConsentPurpose(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up by the newcomer service")
    MATCHING = "matching", _("Sharing needs with landlords, employers and kindergartens")
    HOST = "host", _("Contact with a host or ambassador")


# The exact texts shown to the household for each purpose (kept with each consent as shown).
CONSENT_TEXTS = {
    ConsentPurpose.FOLLOW_UP: _(
        "I agree that the municipality's newcomer service stores my household's contact details and needs "
        "to help us move here and to follow up after we have moved. I can withdraw this at any time."
    ),
    ConsentPurpose.MATCHING: _(
        "I agree that the newcomer service may tell landlords, employers and kindergartens about our needs "
        "(not our contact details without asking us first). I can withdraw this at any time."
    ),
    ConsentPurpose.HOST: _(
        "I agree that the newcomer service may give our name and phone number to a local host or "
        "ambassador. I can withdraw this at any time."
    ),
}


class Consent(models.Model):
    """Consent from a household for one purpose, with the text that was shown. Personal data."""

    PERSONAL_DATA = True

    household = models.ForeignKey("newcomers.Household", on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    text_shown = models.TextField(_("text shown"))
    language = models.CharField(max_length=10, default="nb")
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["given_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    DELETE = "delete", _("Deleted")
    ANONYMISE = "anonymise", _("Anonymised by retention")


class LoggedRecord(models.TextChoices):
    """What kind of personal record an access-log row is about (its number is in ``household_id``)."""

    HOUSEHOLD = "household", _("Household")
    NEW_RESIDENT = "new_resident", _("Welcome list")


class AccessLogEntry(models.Model):
    """Who viewed, changed, exported or deleted which household, and when.

    Not tied to the household by a foreign key (it outlives it); holds the staff member's user
    name (their own personal data as staff) and the household number only.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="access_log")
    household_id = models.BigIntegerField(_("household"), db_index=True)
    record = models.CharField(max_length=20, choices=LoggedRecord.choices, default=LoggedRecord.HOUSEHOLD)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    username = models.CharField(_("user"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    via = models.CharField(max_length=10, default="web")  # web, api, command
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")


class AnonymousOutcome(models.Model):
    """What is left of a household once its personal data are gone: no names, dates to the month."""

    PERSONAL_DATA = False

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="anonymous_outcomes")
    target_group = models.CharField(max_length=30)
    status = models.CharField(max_length=20)  # the last status the household had
    furthest_status = models.CharField(max_length=20)
    adults = models.PositiveSmallIntegerField(default=0)
    children = models.PositiveSmallIntegerField(default=0)
    heard_about = models.CharField(max_length=20, blank=True)
    enquiry_month = models.DateField()  # first of the month
    moved_in_month = models.DateField(null=True, blank=True)
    moved_out_month = models.DateField(null=True, blank=True)
    move_out_reason = models.CharField(max_length=20, blank=True)
    cause = models.CharField(max_length=20)  # retention, withdrawal, erasure
    recorded_month = models.DateField()
    # What the plan's inclusion figure reads of follow-ups and the status history, to the month.
    followed_up = models.BooleanField(default=False)  # at least one follow-up conversation was recorded
    included_month = models.DateField(null=True, blank=True)  # first follow-up answering "feels included"
    settled_month = models.DateField(null=True, blank=True)  # first reached "settled"

    class Meta:
        ordering = ["municipality_id", "enquiry_month", "id"]
        verbose_name = _("anonymous outcome")
        verbose_name_plural = _("anonymous outcomes")

    def evaluation_record(self) -> dict:
        """The outcome as a record for blilyst.plan.evaluation."""
        from blilyst.web.newcomers.models import FUNNEL_STAGE

        return {
            "stage": str(FUNNEL_STAGE.get(self.furthest_status, self.furthest_status)),
            "target_group": self.target_group,
            "persons": self.adults + self.children,
            "moved_in": self.moved_in_month,
            "moved_out": self.moved_out_month,
            "move_out_reason": self.move_out_reason or None,
        }
