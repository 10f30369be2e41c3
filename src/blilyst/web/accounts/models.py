"""Users, municipalities and memberships: who works for which municipality, in which role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.roles import Capability, Role, capabilities_of
from blilyst.web.lib.versioning import Versioned


class WrittenStandard(models.TextChoices):
    """The written standard a municipality has chosen (målvedtak): its staff, public pages and documents use it
    unless a person chooses otherwise. A neutral municipality writes either; blilyst then starts in bokmål."""

    BOKMAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    NEUTRAL = "neutral", _("Neutral (either)")


class Municipality(Versioned):
    """A municipality that uses blilyst. The code is SSB's four-digit number (2024 structure);
    every record of personal data belongs to exactly one municipality through a foreign key
    to this model (``municipality_id`` is then the code)."""

    code = models.CharField(_("municipality number"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    created = models.DateTimeField(auto_now_add=True)
    # Settings of the municipality, kept by its administrators.
    retention_days = models.PositiveIntegerField(
        _("retention period (days)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(3650)],
        help_text=_(
            "How long a household's personal data are kept after its last activity, 30 to 3650 days. "
            "Empty: the server's default."
        ),
    )

    # How the honesty check reads this municipality's words (blilyst.plan.honesty.Thresholds).
    honesty_many = models.PositiveIntegerField(
        _("“many” means more than"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
        help_text=_(
            "The honesty check counts a promise of “many” homes, jobs or places as supported only when the "
            "registers hold more than this number."
        ),
    )
    honesty_rent_limit = models.PositiveIntegerField(
        _("“affordable” rent, at most (NOK a month)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000)],
        help_text=_("A rental or trial home with this monthly rent or less counts as affordable. Empty: not set."),
    )
    honesty_price_limit = models.PositiveIntegerField(
        _("“affordable” price, at most (NOK)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000_000)],
        help_text=_("A home, small farm or plot for sale at this price or less counts as affordable. Empty: not set."),
    )
    written_standard = models.CharField(
        _("written standard"),
        max_length=10,
        choices=WrittenStandard.choices,
        default=WrittenStandard.BOKMAL,
        help_text=_(
            "The language of the municipality's staff pages, public pages and plan documents, unless a person "
            "chooses another."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def honesty_thresholds(self):
        """The municipality's meaning of "mange" and "rimelig" for the honesty check."""
        from blilyst.plan.honesty import Thresholds

        return Thresholds(
            many=self.honesty_many, rent_limit=self.honesty_rent_limit, price_limit=self.honesty_price_limit
        )

    def honesty_thresholds_json(self) -> dict:
        """The same as plain data (stored in a saved plan with the campaign it judged)."""
        return {
            "many": self.honesty_many,
            "rent_limit": self.honesty_rent_limit,
            "price_limit": self.honesty_price_limit,
        }

    @property
    def default_language(self) -> str:
        """The language code its pages and documents start in: its written standard, bokmål when neutral."""
        return "nn" if self.written_standard == WrittenStandard.NYNORSK else "nb"

    @classmethod
    def from_register(cls, code: str) -> Municipality:
        """Get or create the municipality with SSB's name for ``code`` (raises UnknownMunicipality)."""
        from blilyst.stats.register import get_register

        entry = get_register().get(code)
        municipality, _created = cls.objects.get_or_create(code=entry.code, defaults={"name": entry.name})
        return municipality


class User(AbstractUser):
    """A person who logs in. Holds personal data (name, e-mail) of municipal staff."""

    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[("nb", _("Norwegian Bokmål")), ("nn", _("Norwegian Nynorsk")), ("en", _("English"))],
        help_text=_("Empty: the written standard of your municipality."),
    )

    must_change_password = models.BooleanField(
        default=False, help_text="Set with a one-time password: the user must choose their own before anything else."
    )

    def preferred_language(self) -> str | None:
        """The language this person chose, else their municipality's written standard (None: no preference)."""
        if self.language:
            return self.language
        self._read_memberships()
        return self._first_language

    def memberships_by_code(self) -> dict[str, str]:
        """``{municipality code: role}``, read once per request and kept on the instance."""
        self._read_memberships()
        return self._memberships_by_code

    def _read_memberships(self) -> None:
        """One query per request for the roles and the first municipality's written standard (every page asks
        for both: the menu and the language)."""
        if getattr(self, "_memberships_by_code", None) is not None:
            return
        rows = sorted(self.memberships.values_list("municipality_id", "role", "municipality__written_standard"))
        self._memberships_by_code = {code: role for code, role, _standard in rows}
        self._first_language = (
            ("nn" if rows[0][2] == WrittenStandard.NYNORSK else "nb") if rows else None
        )  # as Municipality.default_language, for the lowest code

    def municipality_codes(self, capability: Capability | None = None) -> list[str]:
        """The codes of the municipalities this user serves (with ``capability`` there, if given)."""
        return sorted(
            code
            for code, role in self.memberships_by_code().items()
            if capability is None or capability in capabilities_of(role)
        )

    def role_in(self, code: str) -> str | None:
        return self.memberships_by_code().get(code)

    def can(self, capability: Capability, code: str) -> bool:
        """Whether this user may do ``capability`` in municipality ``code``."""
        role = self.role_in(code)
        return role is not None and capability in capabilities_of(role)

    def can_anywhere(self, capability: Capability) -> bool:
        return any(capability in capabilities_of(role) for role in self.memberships_by_code().values())


class Membership(models.Model):
    """``user`` works for ``municipality`` in ``role`` (one role per user and municipality)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="one_role_per_municipality"),
        ]
        ordering = ["municipality_id", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.municipality_id} ({self.role})"
