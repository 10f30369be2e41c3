"""Newcomer households, their needs, the pipeline they move through and the follow-up around them.

Every model here holds **personal data** (``PERSONAL_DATA = True``): the privacy rules in
:mod:`blilyst.web.privacy` (consent, access log, export, erasure, retention) cover them all, and
deleting a household deletes every row below it (``on_delete=CASCADE``).

Keys are shared with :mod:`blilyst.plan`: target groups use the guidance's group keys
(:mod:`blilyst.plan.targetgroups`), pipeline stages the evaluation's funnel stages and reasons for
moving away its reason groups (:data:`blilyst.plan.evaluation.REASON_GROUPS`), so that
``Household.evaluation_record()`` feeds :func:`blilyst.plan.evaluation` directly.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality
from blilyst.web.lib.versioning import VersionConflict, Versioned


class TargetGroup(models.TextChoices):
    """The guidance's hierarchy: the three traditional groups, then the often overlooked ones."""

    RETURNEES = "returnees", _("Returnees")
    LIFESTYLE_MOVERS = "lifestyle_movers", _("Lifestyle movers")
    JOB_SEEKING_FAMILIES = "job_seeking_families", _("Job-seeking families")
    YOUNG_SINGLE = "young_single", _("Young and single job seekers")
    OVER_45 = "over_45", _("Over 45")
    REFUGEES = "refugees", _("Refugees")
    LABOUR_IMMIGRANTS = "labour_immigrants", _("Labour immigrants")
    FAMILY_REUNIFICATION = "family_reunification", _("Family reunification")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    """The pipeline, in the order moves happen (keys as in blilyst.plan.evaluation)."""

    ENQUIRY = "enquiry", _("Inquiry")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    VISITED = "visited", _("Visit")
    DECIDED = "decided", _("Decided")
    MOVED_IN = "moved_in", _("Moved in")
    SETTLED = "settled", _("Settled")
    STAYED = "stayed", _("Stayed")
    MOVED_OUT = "moved_out", _("Moved away")


STATUS_ORDER = [choice.value for choice in Status]
# The evaluation's funnel ends at moving in; later statuses have reached it.
FUNNEL_STAGE = {status: status for status in STATUS_ORDER[:5]} | {
    Status.SETTLED: Status.MOVED_IN,
    Status.STAYED: Status.MOVED_IN,
    Status.MOVED_OUT: Status.MOVED_IN,
}
CLOSED_STATUSES = {Status.STAYED, Status.MOVED_OUT}
# Follow-up conversations after moving in, in months (the guidance: 3, 12 and 24 months).
FOLLOW_UP_MONTHS = (3, 12, 24)


class MoveOutReason(models.TextChoices):
    """Grouped reasons for moving away (keys of blilyst.plan.evaluation.REASON_GROUPS)."""

    WORK = "work", _("Work")
    PARTNER_WORK = "partner_work", _("Partner's work")
    HOUSING = "housing", _("Housing")
    SERVICES = "services", _("Kindergarten, school and services")
    SOCIAL = "social", _("Social life and belonging")
    FAMILY = "family", _("Family")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class HeardAbout(models.TextChoices):
    FAMILY_FRIENDS = "family_friends", _("Family or friends")
    EMPLOYER = "employer", _("Employer")
    WEBSITE = "website", _("The municipality's website")
    SOCIAL_MEDIA = "social_media", _("Social media")
    CAMPAIGN = "campaign", _("Campaign or advertisement")
    EVENT = "event", _("Event or fair")
    NEWS = "news", _("News")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    BOKMAL = "nb", _("Norwegian Bokmål")
    NYNORSK = "nn", _("Norwegian Nynorsk")
    ENGLISH = "en", _("English")
    POLISH = "pl", _("Polish")
    UKRAINIAN = "uk", _("Ukrainian")
    OTHER = "other", _("Other")


class Tenure(models.TextChoices):
    NONE = "", _("No housing needed")
    BUY = "buy", _("Buy")
    RENT = "rent", _("Rent")
    TRIAL = "trial", _("Trial housing")
    ANY = "any", _("Buy or rent")
    SMALL_FARM = "small_farm", _("Small farm")
    PLOT = "plot", _("Building plot")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (the last day of a shorter month if needed)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def phone_digits(phone: str) -> str:
    """A phone number reduced to what identifies it: digits only, Norway's +47/0047 dropped."""
    digits = re.sub(r"[^0-9]", "", phone or "")
    if len(digits) == 10 and digits.startswith("47"):
        digits = digits[2:]
    elif len(digits) == 12 and digits.startswith("0047"):
        digits = digits[4:]
    return digits


class HouseholdQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED_STATUSES)

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        # A subquery on adults rather than a join: one row per household, and far cheaper on PostgreSQL.
        person = Q(name__icontains=text) | Q(email__icontains=text)
        digits = phone_digits(text)
        if len(digits) >= 4:
            person |= Q(phone_digits__contains=digits)
        condition = Q(label__icontains=text) | Q(pk__in=Adult.objects.filter(person).values("household_id"))
        if text.isascii() and text.isdigit() and len(text) <= 18:  # not "²", and within a 64-bit id
            condition |= Q(pk=int(text))
        return self.filter(condition)


class Household(Versioned):
    """A household that has asked about moving to the municipality, and what it needs.

    Personal data. ``version`` guards against lost updates: a form carries the version it was
    read at, and ``save_checked`` (:class:`~blilyst.web.lib.versioning.Versioned`) refuses to save over a newer one
    (see ``VersionConflict``).
    ``last_activity`` is what retention counts from.
    """

    PERSONAL_DATA = True

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="households", verbose_name=_("municipality")
    )
    label = models.CharField(
        _("household name"), max_length=120, help_text=_("How you refer to the household, e.g. “The Berg family”.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENQUIRY, db_index=True)
    status_since = models.DateField(_("status since"), default=dt.date.today)
    target_group = models.CharField(
        _("target group"), max_length=30, choices=TargetGroup.choices, default=TargetGroup.OTHER
    )
    origin_place = models.CharField(_("moving from (place)"), max_length=120, blank=True)
    origin_country = models.CharField(_("moving from (country)"), max_length=80, blank=True, default="Norge")
    heard_about = models.CharField(
        _("how they heard of the municipality"), max_length=20, choices=HeardAbout.choices, blank=True
    )
    heard_about_note = models.CharField(_("heard of us, details"), max_length=200, blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("contact person"),
    )
    # Needs
    housing_tenure = models.CharField(_("housing"), max_length=10, choices=Tenure.choices, blank=True)
    housing_bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), null=True, blank=True)
    housing_from = models.DateField(_("housing from"), null=True, blank=True)
    housing_note = models.CharField(_("housing wishes"), max_length=300, blank=True)
    school_note = models.CharField(_("school needs"), max_length=300, blank=True)
    leisure_interests = models.CharField(_("leisure interests"), max_length=300, blank=True)
    wants_host = models.BooleanField(_("wants a host"), default=False)
    wants_welcome_event = models.BooleanField(_("wants a welcome event"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    # Moving away
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    moved_out_on = models.DateField(_("moved away on"), null=True, blank=True)
    move_out_reason = models.CharField(
        _("reason for moving away"), max_length=20, choices=MoveOutReason.choices, blank=True
    )
    move_out_note = models.CharField(_("reason, in their words"), max_length=300, blank=True)
    # Bookkeeping
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    last_activity = models.DateTimeField(default=timezone.now, db_index=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["-last_activity", "-id"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["municipality", "-last_activity", "-id"], name="household_list"),
            models.Index(fields=["municipality", "status", "-last_activity"], name="household_list_status"),
        ]

    def __str__(self) -> str:
        return self.label

    # --- behaviour ---------------------------------------------------------------------------------
    def touch(self) -> None:
        """Mark activity now (for retention), without touching the version."""
        self.last_activity = timezone.now()
        Household.objects.filter(pk=self.pk).update(last_activity=self.last_activity)

    def save_checked(self, seen_version: int | None, update_fields: list[str] | None = None) -> None:
        """:meth:`Versioned.save_checked`, marking activity now as well (a change is activity)."""
        self.last_activity = timezone.now()
        if update_fields is not None:
            update_fields = [*update_fields, "last_activity"]
        super().save_checked(seen_version, update_fields)

    def change_status(
        self,
        new_status: str,
        *,
        on: dt.date | None = None,
        by=None,
        note: str = "",
        reason: str = "",
        reason_note: str = "",
    ) -> StatusChange:
        """Move the household to ``new_status`` on ``on`` (today), dated and recorded.

        Moving in plans the follow-ups at 3, 12 and 24 months as tasks; moving away records the
        grouped reason.
        """
        on = on or timezone.localdate()
        change = StatusChange.objects.create(
            household=self, from_status=self.status, to_status=new_status, on=on, by=by, note=note
        )
        self.status = new_status
        self.status_since = on
        fields = ["status", "status_since", "last_activity", "version"]
        if new_status == Status.MOVED_IN:
            self.moved_in_on = on
            fields.append("moved_in_on")
            for months in FOLLOW_UP_MONTHS:
                Task.objects.create(
                    household=self,
                    title=str(_("Follow-up conversation after %(months)d months") % {"months": months}),
                    due=add_months(on, months),
                    assigned_to=self.contact_person,
                    created_by=by,
                    follow_up_months=months,
                )
        if new_status == Status.MOVED_OUT:
            self.moved_out_on = on
            self.move_out_reason = reason or MoveOutReason.OTHER
            self.move_out_note = reason_note
            fields += ["moved_out_on", "move_out_reason", "move_out_note"]
        self.version += 1
        self.last_activity = timezone.now()
        self.save(update_fields=fields)
        return change

    def duplicate_candidates(self) -> models.QuerySet:
        """Other households of the same municipality with an adult of the same e-mail or phone."""
        emails = [e for e in self.adults.values_list("email", flat=True) if e]
        phones = [p for p in self.adults.values_list("phone_digits", flat=True) if p]
        return likely_duplicates(self.municipality_id, emails, phones).exclude(pk=self.pk)

    def next_task(self):
        return self.tasks.filter(done_at__isnull=True).order_by("due", "id").first()

    def persons(self) -> int:
        return self.adults.count() + self.children.count()

    def evaluation_record(self) -> dict:
        """The household as a record for blilyst.plan.evaluation (no names, no contact data)."""
        return {
            "stage": str(FUNNEL_STAGE[self.status]),
            "target_group": self.target_group,
            "persons": self.persons(),
            "moved_in": self.moved_in_on,
            "moved_out": self.moved_out_on,
            "move_out_reason": self.move_out_reason or None,
        }


def evaluation_records(municipality_code: str) -> list[dict]:
    """Every household the service has had in ``municipality_code`` as records for
    :mod:`blilyst.plan.evaluation`: the live ones and the anonymous outcomes of erased ones.
    No names or contact data; the evaluation's small-cell suppression protects what analysts see."""
    from django.db.models import Count

    from blilyst.web.privacy.models import AnonymousOutcome

    live = (
        Household.objects.filter(municipality_id=municipality_code)
        .annotate(n_adults=Count("adults", distinct=True), n_children=Count("children", distinct=True))
        .values("status", "target_group", "moved_in_on", "moved_out_on", "move_out_reason", "n_adults", "n_children")
    )
    records = [
        {
            "stage": str(FUNNEL_STAGE[row["status"]]),
            "target_group": row["target_group"],
            "persons": row["n_adults"] + row["n_children"],
            "moved_in": row["moved_in_on"],
            "moved_out": row["moved_out_on"],
            "move_out_reason": row["move_out_reason"] or None,
        }
        for row in live
    ]
    records += [o.evaluation_record() for o in AnonymousOutcome.objects.filter(municipality_id=municipality_code)]
    return records


def likely_duplicates(municipality_code: str, emails: list[str], phones: list[str]) -> models.QuerySet:
    """Households of ``municipality_code`` with an adult who has one of ``emails`` or ``phones``."""
    emails = [e.strip().lower() for e in emails if e and e.strip()]
    phones = [phone_digits(p) for p in phones if p and phone_digits(p)]
    if not emails and not phones:
        return Household.objects.none()
    condition = Q()
    if emails:
        condition |= Q(email__in=emails)
    if phones:
        condition |= Q(phone_digits__in=phones)
    ids = Adult.objects.filter(condition, household__municipality_id=municipality_code).values("household_id")
    return Household.objects.filter(pk__in=ids, municipality_id=municipality_code)


class Adult(models.Model):
    """An adult of a household, with their own occupation and job wishes. Personal data."""

    PERSONAL_DATA = True

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="adults")
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    phone_digits = models.CharField(max_length=30, blank=True, db_index=True, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=Language.choices, default=Language.BOKMAL)
    occupation = models.CharField(_("occupation"), max_length=120, blank=True)
    job_wishes = models.CharField(_("job wishes"), max_length=300, blank=True)
    remote_work = models.BooleanField(_("works remotely"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("adult")
        verbose_name_plural = _("adults")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.phone_digits = phone_digits(self.phone)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = set(kwargs["update_fields"]) | {"email", "phone_digits"}
        super().save(*args, **kwargs)


class Child(models.Model):
    """A child of a household: birth year, and a kindergarten place or school if needed. Personal data."""

    PERSONAL_DATA = True

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="children")
    first_name = models.CharField(_("first name"), max_length=60, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"))
    kindergarten_from = models.DateField(_("kindergarten place from (month)"), null=True, blank=True)
    needs_school = models.BooleanField(_("needs a school place"), default=False)

    class Meta:
        ordering = ["birth_year", "id"]
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return self.first_name or str(self.birth_year)

    def save(self, *args, **kwargs):
        if self.kindergarten_from:
            self.kindergarten_from = month_start(self.kindergarten_from)
        super().save(*args, **kwargs)


class StatusChange(models.Model):
    """One dated step of a household through the pipeline. Personal data (part of the household's story)."""

    PERSONAL_DATA = True

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["on", "id"]


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(done_at__isnull=True)

    def due_by(self, day: dt.date):
        return self.open().filter(due__lte=day)


class Task(models.Model):
    """The next step for a household, with a due date. Personal data (says what happens with whom)."""

    PERSONAL_DATA = True

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("next step"), max_length=200)
    due = models.DateField(_("due date"), db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newcomer_tasks",
        verbose_name=_("assigned to"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    follow_up_months = models.PositiveSmallIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["due", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.done_at is None and self.due < (today or timezone.localdate())


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class ContactLogEntry(models.Model):
    """One contact with the household. Personal data."""

    PERSONAL_DATA = True

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="contact_log")
    on = models.DateField(_("date"), default=dt.date.today)
    channel = models.CharField(
        _("channel"), max_length=10, choices=ContactChannel.choices, default=ContactChannel.PHONE
    )
    summary = models.TextField(_("summary"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("contact log entry")
        verbose_name_plural = _("contact log entries")


class FeelsIncluded(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class Satisfaction(models.IntegerChoices):
    """A simple five-point scale for the follow-up's questions."""

    VERY_DISSATISFIED = 1, _("1 – very dissatisfied")
    DISSATISFIED = 2, _("2 – dissatisfied")
    NEUTRAL = 3, _("3 – neither")
    SATISFIED = 4, _("4 – satisfied")
    VERY_SATISFIED = 5, _("5 – very satisfied")


class FollowUp(models.Model):
    """The answers of one follow-up conversation after moving in (3, 12 and 24 months, or another time).

    Personal data. ``feels_included`` is what planning's ``inclusion`` counts from: the first "yes"
    dates when the household felt included. Satisfaction questions are optional (not asked, or not
    relevant: a household without children has no kindergarten or school to rate).
    """

    PERSONAL_DATA = True

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="follow_ups")
    on = models.DateField(_("date of the conversation"))
    months = models.PositiveSmallIntegerField(_("months after moving in"), help_text=_("Usually 3, 12 or 24."))
    feels_included = models.CharField(_("feels included"), max_length=10, choices=FeelsIncluded.choices)
    job_satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with job(s)"), choices=Satisfaction.choices, null=True, blank=True
    )
    housing_satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with housing"), choices=Satisfaction.choices, null=True, blank=True
    )
    school_satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with kindergarten/school"), choices=Satisfaction.choices, null=True, blank=True
    )
    social_satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction with social life"), choices=Satisfaction.choices, null=True, blank=True
    )
    considering_moving_away = models.BooleanField(_("considering moving away"), default=False)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.household_id}: {self.months}"


PERSONAL_DATA_MODELS = (Household, Adult, Child, StatusChange, Task, ContactLogEntry, FollowUp)
__all__ = [
    "PERSONAL_DATA_MODELS",
    "Adult",
    "Child",
    "ContactLogEntry",
    "FeelsIncluded",
    "FollowUp",
    "HeardAbout",
    "Household",
    "Language",
    "MoveOutReason",
    "Satisfaction",
    "Status",
    "StatusChange",
    "TargetGroup",
    "Task",
    "Tenure",
    "VersionConflict",
    "likely_duplicates",
]
