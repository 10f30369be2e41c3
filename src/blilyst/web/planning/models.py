"""The municipality's stored plan: choices people make on top of the evidence blilyst computes.

No personal data of newcomers lives here (``PERSONAL_DATA = False``): the plan keeps its choices (the
comparison set, the scenario, the chosen target group and the chain goal → group → measures →
indicators), dated bottleneck assessments with the aggregate evidence they were made on, and checked
campaign texts. Who saved what is kept as a link to the staff member's account (``SET_NULL``).

Every model belongs to one municipality (``municipality`` foreign key) and is fetched only through
:mod:`blilyst.web.lib.tenancy`. The domain objects of :mod:`blilyst.plan` are rebuilt from the stored
JSON by the methods here (``Plan.chain()``, ``BottleneckAssessment.to_domain()``), so that the page and
the exported document use the same core functions.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality
from blilyst.web.lib.versioning import Versioned


class Plan(Versioned):
    """One plan per municipality (created on first visit). ``version`` guards against lost updates
    (see :mod:`blilyst.web.lib.versioning`): the target-group form carries the version it was opened at."""

    PERSONAL_DATA = False

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="plan", verbose_name=_("municipality")
    )
    scenario = models.CharField(_("scenario"), max_length=20, default="trend")
    peers = models.JSONField(
        _("similar municipalities"), null=True, blank=True, help_text="Municipality codes; null = chosen automatically."
    )
    goal = models.TextField(_("goal"), blank=True)
    rationale = models.TextField(_("why this target group"), blank=True)
    chosen_groups = models.JSONField(default=list, blank=True)
    custom_groups = models.JSONField(
        default=list,
        blank=True,
        help_text="User-defined target groups: key, name, age range, household "
        "types, origins, reasons for immigration, competence.",
    )
    priorities = models.JSONField(default=dict, blank=True, help_text="Effort per target group key (any unit).")
    goal_indicators = models.JSONField(default=list, blank=True)
    measures = models.JSONField(default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"Plan {self.municipality_id}"

    @classmethod
    def for_municipality(cls, municipality: Municipality) -> Plan:
        """The municipality's plan, created empty the first time. Call only after the tenancy check
        (``require_municipality``)."""
        plan, _created = cls.objects.get_or_create(municipality=municipality)
        return plan

    def peer_tuple(self) -> tuple[str, ...] | None:
        return None if self.peers is None else tuple(str(c) for c in self.peers)

    def user_groups(self) -> list:
        """The user-defined target groups as :class:`blilyst.plan.targetgroups.TargetGroup`."""
        from blilyst.plan.targetgroups import user_group

        groups = []
        for g in self.custom_groups:
            age = (
                (g["age_from"], g["age_to"]) if g.get("age_from") is not None and g.get("age_to") is not None else None
            )
            groups.append(
                user_group(
                    g["key"],
                    g["name"],
                    description=g.get("description", ""),
                    age_range=age,
                    household_types=g.get("household_types", ()),
                    origins=g.get("origins", ()),
                    immigration_reasons=g.get("immigration_reasons", ()),
                    competence=g.get("competence", ()),
                )
            )
        return groups

    def chain(self):
        """The written chain as :class:`blilyst.plan.chain.Chain` (None when nothing is written yet)."""
        from blilyst.plan.chain import Chain, Indicator, Measure

        if not (self.goal or self.chosen_groups or self.measures):
            return None

        def indicator(d: dict) -> Indicator:
            return Indicator(
                name=d.get("name", ""),
                metric=d.get("metric", "custom"),
                target=d.get("target"),
                target_year=d.get("target_year"),
                baseline=d.get("baseline"),
                baseline_year=d.get("baseline_year"),
                unit=d.get("unit", ""),
                source=d.get("source", ""),
            )

        measures = tuple(
            Measure(
                name=m.get("name", ""),
                description=m.get("description", ""),
                target_groups=tuple(m.get("target_groups") or ()),
                bottleneck=m.get("bottleneck") or None,
                indicators=tuple(indicator(i) for i in m.get("indicators", []) if i.get("name")),
                responsible=m.get("responsible", ""),
            )
            for m in self.measures
        )
        return Chain(
            goal=self.goal,
            target_groups=tuple(self.chosen_groups),
            measures=measures,
            indicators=tuple(indicator(i) for i in self.goal_indicators if i.get("name")),
            rationale=self.rationale,
        )


class BottleneckAssessment(models.Model):
    """One run through the guidance's bottleneck checklist, with the aggregate evidence it was made on.

    ``ratings`` and ``notes`` map checklist item keys (:data:`blilyst.plan.bottlenecks.ITEM_KEYS`) to a
    rating value and a note; ``evidence`` holds the counts (matching gaps by kind, listings, kindergarten
    places by month, vacancies) as they were on the day, so an old assessment still shows what it was
    based on.
    """

    PERSONAL_DATA = False

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    assessed_on = models.DateField(_("date of the assessment"), default=timezone.localdate)
    ratings = models.JSONField(default=dict)
    notes = models.JSONField(default=dict)
    evidence = models.JSONField(default=dict)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        verbose_name = _("bottleneck assessment")
        verbose_name_plural = _("bottleneck assessments")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.assessed_on}"

    def to_domain(self):
        """The assessment as :class:`blilyst.plan.bottlenecks.Assessment` (with the stored evidence)."""
        from blilyst.plan.bottlenecks import assess
        from blilyst.web.planning.aggregates import evidence_from_json

        return assess(
            self.municipality_id, self.assessed_on, self.ratings, self.notes, evidence_from_json(self.evidence)
        )


class CampaignCheck(models.Model):
    """A campaign text held against what the municipality can offer (:func:`blilyst.plan.honesty.check_campaign`).

    ``capacity`` is the aggregate capacity the text was checked against; the report is recomputed from
    ``text`` and ``capacity`` when shown, so it always uses the current rules.
    """

    PERSONAL_DATA = False

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("campaign text"), max_length=20000)
    capacity = models.JSONField(default=dict)
    unsupported = models.PositiveIntegerField(default=0)
    cliches = models.PositiveIntegerField(default=0)
    checked_on = models.DateField(default=timezone.localdate)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("campaign check")
        verbose_name_plural = _("campaign checks")

    def __str__(self) -> str:
        return self.title

    def report(self):
        from blilyst.plan.honesty import check_campaign
        from blilyst.web.planning.aggregates import capacity_from_json

        return check_campaign(self.text, capacity_from_json(self.capacity))


def today() -> dt.date:
    return timezone.localdate()
