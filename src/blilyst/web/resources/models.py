"""What a contact person matches newcomers against: housing, job vacancies, kindergarten places,
hosts and events, and the gaps that matching could not fill.

Every model belongs to one municipality (``municipality`` foreign key, see ``web/lib/tenancy.py``)
and is fetched only through the tenancy helpers. Models that hold personal data list the fields in
``PERSONAL_DATA_FIELDS``; views show them only to users who may see personal data
(``Capability.VIEW_HOUSEHOLDS``), never to analysts or administrators.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality
from blilyst.web.lib.versioning import Versioned

#: Trial housing (prøvebolig) is let for at most three years.
TRIAL_HOUSING_MAX_MONTHS = 36


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


class Resource(Versioned):
    """Fields every resource has: its municipality, when it was created and last changed, and its
    ``version`` (two people editing the same row: the second save is refused, see ``Versioned``)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    PERSONAL_DATA_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def own_field(cls, name: str) -> models.Field:
        """The model's field ``name`` (a column the pages and the import use, never a reverse relation)."""
        field = cls._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise TypeError(f"{cls.__name__}.{name} is a reverse relation, not a field")
        return field


class Housing(Resource):
    """A dwelling for sale, for rent, or let as trial housing (prøvebolig, at most three years), a
    small farm (småbruk) or a building plot (tomt).

    What ``price`` means follows from ``kind`` and ``term_months``: the asking price of a dwelling for
    sale, a building plot (always for sale, no bedrooms, no term) and a small farm without a term; the
    monthly rent of rent and trial housing and of a small farm let for a term (``term_months`` given).

    Personal data: the owner's name, phone and e-mail.
    """

    class Kind(models.TextChoices):
        SALE = "sale", _("For sale")
        RENT = "rent", _("For rent")
        TRIAL = "trial", _("Trial housing")
        SMALL_FARM = "small_farm", _("Small farm")
        PLOT = "plot", _("Building plot")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved")
        TAKEN = "taken", _("Sold or let")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120, help_text=_("For example: Flat in the village centre"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True, help_text=_("Village or part of the municipality"))
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), validators=[MaxValueValidator(20)])
    size_m2 = models.PositiveIntegerField(_("size (m²)"), validators=[MinValueValidator(10), MaxValueValidator(2000)])
    price = models.PositiveIntegerField(
        _("price or rent (NOK)"),
        validators=[MaxValueValidator(100_000_000)],
        help_text=_(
            "Asking price for a sale, a building plot or a small farm for sale; monthly rent for rent, trial "
            "housing and a small farm let for a term."
        ),
    )
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Trial housing: how long the lease runs, at most 36 months. A small farm with a term is let "
            "(the price is then the monthly rent); without one it is for sale."
        ),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE)
    available_from = models.DateField(_("available from"))
    owner_name = models.CharField(_("owner's name"), max_length=120, blank=True)
    owner_phone = models.CharField(_("owner's phone"), max_length=30, blank=True)
    owner_email = models.EmailField(_("owner's e-mail"), blank=True)
    note = models.TextField(_("note"), blank=True)

    PERSONAL_DATA_FIELDS = ("owner_name", "owner_phone", "owner_email")

    class Meta:
        ordering = ["available_from", "pk"]
        verbose_name = _("housing")
        verbose_name_plural = _("housing")
        indexes = [models.Index(fields=["municipality", "status", "kind"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.kind == self.Kind.TRIAL:
            if self.term_months is None:
                raise ValidationError(
                    {"term_months": _("Trial housing needs a term: give the number of months (at most 36).")}
                )
            if not 1 <= self.term_months <= TRIAL_HOUSING_MAX_MONTHS:
                raise ValidationError(
                    {"term_months": _("Trial housing is let for at most three years (36 months); give 1 to 36.")}
                )
        elif self.kind == self.Kind.SALE and self.term_months is not None:
            raise ValidationError({"term_months": _("A dwelling for sale has no term; leave it empty.")})
        elif self.kind == self.Kind.PLOT:
            errors = {}
            if self.bedrooms:
                errors["bedrooms"] = _("A building plot has no bedrooms; give 0.")
            if self.term_months is not None:
                errors["term_months"] = _("A building plot is for sale and has no term; leave it empty.")
            if errors:
                raise ValidationError(errors)
        elif self.kind == self.Kind.SMALL_FARM and self.term_months is not None and self.term_months < 1:
            raise ValidationError(
                {
                    "term_months": _(
                        "A small farm let for a term needs at least 1 month; leave it empty if it is for sale."
                    )
                }
            )

    @property
    def is_monthly(self) -> bool:
        """Whether ``price`` is a monthly rent (rent, trial housing, a small farm let for a term) rather
        than a sale price (a dwelling for sale, a building plot, a small farm for sale)."""
        return is_monthly(self.kind, self.term_months)


def is_monthly(kind: str, term_months: int | None) -> bool:
    """Whether a listing's price is a monthly rent: rent and trial housing always, a small farm when it
    is let for a term (``term_months`` given); a dwelling for sale and a building plot never."""
    if kind in (Housing.Kind.RENT, Housing.Kind.TRIAL):
        return True
    return kind == Housing.Kind.SMALL_FARM and term_months is not None


class JobVacancy(Resource):
    """A job vacancy an employer in the municipality wants to fill."""

    class Sector(models.TextChoices):
        HEALTH = "health", _("Health and care")
        EDUCATION = "education", _("Education and kindergartens")
        CONSTRUCTION = "construction", _("Building and construction")
        INDUSTRY = "industry", _("Industry and manufacturing")
        AGRICULTURE = "agriculture", _("Farming, forestry and fishing")
        TOURISM = "tourism", _("Tourism, hotels and restaurants")
        RETAIL = "retail", _("Shops and services")
        TECHNOLOGY = "technology", _("IT and technology")
        ADMINISTRATION = "administration", _("Public administration")
        TRANSPORT = "transport", _("Transport")
        OTHER = "other", _("Other")

    #: Norwegian and English words for the sectors, as people write them in a job wish or a CSV file.
    SECTOR_WORDS = {
        "helse": "health",
        "omsorg": "health",
        "pleie": "health",
        "health": "health",
        "care": "health",
        "skole": "education",
        "barnehage": "education",
        "undervisning": "education",
        "oppvekst": "education",
        "education": "education",
        "bygg": "construction",
        "anlegg": "construction",
        "construction": "construction",
        "industri": "industry",
        "industry": "industry",
        "landbruk": "agriculture",
        "jordbruk": "agriculture",
        "skogbruk": "agriculture",
        "agriculture": "agriculture",
        "reiseliv": "tourism",
        "turisme": "tourism",
        "tourism": "tourism",
        "handel": "retail",
        "butikk": "retail",
        "retail": "retail",
        "it": "technology",
        "teknologi": "technology",
        "technology": "technology",
        "forvaltning": "administration",
        "administrasjon": "administration",
        "administration": "administration",
        "transport": "transport",
        "annet": "other",
    }

    class Advertised(models.TextChoices):
        NAV = "nav", _("NAV (arbeidsplassen.no)")
        MUNICIPALITY = "municipality", _("The municipality's website")
        FINN = "finn", _("finn.no")
        OTHER = "other", _("Elsewhere")
        NOT_ADVERTISED = "not_advertised", _("Not advertised")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    employer = models.CharField(_("employer"), max_length=150)
    occupation = models.CharField(_("occupation"), max_length=150, help_text=_("For example: nurse, teacher"))
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    advertised = models.CharField(_("where advertised"), max_length=20, choices=Advertised.choices)
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    remote_possible = models.BooleanField(_("remote work possible"), default=False)
    positions = models.PositiveSmallIntegerField(
        _("positions"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    place = models.CharField(_("place of work"), max_length=100, blank=True)
    url = models.URLField(_("link to the advertisement"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("job vacancy")
        verbose_name_plural = _("job vacancies")
        indexes = [models.Index(fields=["municipality", "status"])]

    def __str__(self) -> str:
        return f"{self.occupation} – {self.employer}"

    def is_open_on(self, day: dt.date) -> bool:
        return self.status == self.Status.OPEN and (self.deadline is None or self.deadline >= day)


class KindergartenCapacity(Resource):
    """Free places in one kindergarten in one month, so "a place from March" can be checked.

    ``month`` is always stored as the first day of the month. ``age_group`` says which children the places
    are for: a kindergarten that keeps places for children under three apart from those for older children
    registers a row for each; a row without an age group takes children of any age. A child counts as over
    three from August of the year it turns three (``blilyst.matching.kindergarten_age_group``).
    """

    class AgeGroup(models.TextChoices):
        ANY = "", _("any age")
        UNDER_3 = "under_3", _("under 3 years")
        OVER_3 = "over_3", _("3 years and over")

    kindergarten = models.CharField(_("kindergarten"), max_length=120)
    month = models.DateField(_("month"), help_text=_("Any day in the month; it is stored as the 1st."))
    age_group = models.CharField(
        _("age group"),
        max_length=10,
        choices=AgeGroup.choices,
        default=AgeGroup.ANY,
        blank=True,
        help_text=_("A child counts as 3 years and over from August of the year it turns three."),
    )
    free_places = models.PositiveSmallIntegerField(_("free places"), validators=[MaxValueValidator(500)])
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["month", "kindergarten", "age_group"]
        verbose_name = _("kindergarten capacity")
        verbose_name_plural = _("kindergarten capacity")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "kindergarten", "month", "age_group"],
                name="one_capacity_per_kindergarten_month_age",
            )
        ]

    def __str__(self) -> str:
        if self.age_group:
            return f"{self.kindergarten} {self.month:%Y-%m} ({self.get_age_group_display()})"
        return f"{self.kindergarten} {self.month:%Y-%m}"

    def save(self, *args, **kwargs):
        if self.month:
            self.month = first_of_month(self.month)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.month:
            self.month = first_of_month(self.month)

    @classmethod
    def first_place_from(cls, queryset, month: dt.date, places: int = 1) -> KindergartenCapacity | None:
        """The earliest capacity row in ``queryset`` on or after ``month`` with at least ``places`` free
        (``queryset`` comes already narrowed to the user's municipalities)."""
        return (
            queryset.filter(month__gte=first_of_month(month), free_places__gte=places)
            .order_by("month", "kindergarten")
            .first()
        )


class Host(Resource):
    """A local host or ambassador who welcomes newcomers. Personal data: all contact fields."""

    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("For example: Norwegian, English, Polish")
    )
    interests = models.CharField(
        _("interests"), max_length=300, blank=True, help_text=_("Leisure interests the host can share")
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    PERSONAL_DATA_FIELDS = ("name", "phone", "email", "note")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not (self.phone or self.email):
            raise ValidationError(_("Give a phone number or an e-mail address so the host can be reached."))


class Event(Resource):
    """A welcome day, a visit weekend or another event newcomers can be invited to."""

    class Kind(models.TextChoices):
        WELCOME_DAY = "welcome_day", _("Welcome day")
        VISIT = "visit", _("Visit")
        OTHER = "other", _("Other event")

    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=150, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["starts", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": _("The event cannot end before it starts.")})


class MatchingGap(models.Model):
    """A need that matching could not meet ("no rental flat with 3 bedrooms before August").

    These are the bottleneck evidence for the plan: counts by ``kind`` per municipality. One row per
    household and need stays open while the gap lasts (``last_seen`` moves on); when a later run finds
    the need met, ``resolved_on`` is set. ``household`` is nullable: gaps from runs without a
    household, and gaps of erased households (``SET_NULL``), stay as anonymous counts. ``detail``
    holds no names.
    """

    class Kind(models.TextChoices):
        HOUSING = "housing", _("Housing")
        JOB = "job", _("Job")
        KINDERGARTEN = "kindergarten", _("Kindergarten place")

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    household = models.ForeignKey(
        "newcomers.Household", on_delete=models.SET_NULL, null=True, blank=True, related_name="matching_gaps"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    key = models.CharField(max_length=40, default="", help_text="Which need: 'housing', 'job:1', 'kindergarten'.")
    detail = models.CharField(_("detail"), max_length=300)
    params = models.JSONField(default=dict)
    recorded_on = models.DateField(_("recorded"), default=timezone.localdate)
    last_seen = models.DateField(_("last seen"), default=timezone.localdate)
    resolved_on = models.DateField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-recorded_on", "pk"]
        verbose_name = _("matching gap")
        verbose_name_plural = _("matching gaps")
        indexes = [models.Index(fields=["municipality", "kind", "recorded_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "key"],
                condition=models.Q(resolved_on__isnull=True, household__isnull=False),
                name="one_open_gap_per_household_need",
            )
        ]

    def __str__(self) -> str:
        return self.detail

    @staticmethod
    def export_rows(household) -> list[dict]:
        """The household's gaps for its data export (DSAR), oldest first: what it needed and lacked."""
        return [
            {
                "kind": g.kind,
                "need": g.key,
                "detail": g.detail,
                "recorded_on": g.recorded_on.isoformat(),
                "last_seen": g.last_seen.isoformat(),
                "resolved_on": g.resolved_on.isoformat() if g.resolved_on else None,
            }
            for g in household.matching_gaps.order_by("recorded_on", "pk")
        ]


# Offers live in their own module (one idea per file); imported here so Django registers the model.
from blilyst.web.resources.offers import Offer  # noqa: E402

__all__ = ["Event", "Host", "Housing", "JobVacancy", "KindergartenCapacity", "MatchingGap", "Offer"]
