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
from collections.abc import Sequence

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
    target_in_migrants = models.FloatField(
        _("target: more in-migrants a year than the trend gives"), null=True, blank=True
    )
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
        return self.to_saved().user_groups()

    def chain(self):
        """The written chain as :class:`blilyst.plan.chain.Chain` (None when nothing is written yet)."""
        return self.to_saved().chain()

    def to_saved(
        self,
        assessment: BottleneckAssessment | None = None,
        campaign: CampaignCheck | None = None,
        registers: dict | None = None,
        survey: ResidentSurvey | None = None,
        employment: EmploymentByIndustry | None = None,
        group_campaigns: Sequence[CampaignCheck] = (),
    ):
        """The plan as :class:`blilyst.plan.saved.SavedPlan`, with the given latest assessment and campaign
        check and the registers' aggregate counts now (the caller fetched them through the tenancy helpers)."""
        from blilyst.plan.saved import SavedAssessment, SavedCampaign, SavedPlan

        return SavedPlan(
            municipality=self.municipality_id,
            scenario=self.scenario,
            peers=self.peer_tuple(),
            goal=self.goal,
            rationale=self.rationale,
            chosen_groups=tuple(self.chosen_groups),
            custom_groups=tuple(self.custom_groups),
            priorities=dict(self.priorities),
            goal_indicators=tuple(self.goal_indicators),
            measures=tuple(self.measures),
            assessment=None
            if assessment is None
            else SavedAssessment(assessment.assessed_on, assessment.ratings, assessment.notes, assessment.evidence),
            campaign=None
            if campaign is None
            else SavedCampaign(
                campaign.title, campaign.text, campaign.capacity, self.municipality.honesty_thresholds_json()
            ),
            target_in_migrants=self.target_in_migrants,
            version=self.draft_version_info(),
            adopted=self.adopted_baseline(),
            registers=registers,
            survey=survey.to_domain() if survey is not None else None,
            employment=employment.to_domain() if employment is not None else None,
            group_campaigns=tuple(
                SavedCampaign(c.title, c.text, c.capacity, self.municipality.honesty_thresholds_json(), c.target_group)
                for c in group_campaigns
            ),
        )

    def latest_adopted(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()

    def draft_version_info(self):
        """The working plan is the draft after the last adopted version (version 1 before any adoption)."""
        from blilyst.plan.versions import VersionInfo

        latest = self.latest_adopted()
        return VersionInfo(number=(latest.number + 1) if latest else 1)

    def adopted_baseline(self):
        latest = self.latest_adopted()
        return latest.baseline() if latest else None


class PlanVersion(models.Model):
    """A version of the plan the municipal council adopted, frozen: the plan's choices and key figures as
    they were (``saved``, ``figures``) and the documents exactly as adopted (``pdf``, ``docx``)."""

    PERSONAL_DATA = False

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("version"))
    adopted_on = models.DateField(_("adopted on"))
    case_number = models.CharField(_("council case number"), max_length=50)
    saved = models.JSONField(help_text="SavedPlan.to_json() of the adopted plan.")
    figures = models.JSONField(default=dict, help_text="The key figures the plan was adopted with.")
    pdf = models.BinaryField()
    docx = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_number_per_plan_version")]
        verbose_name = _("adopted plan version")
        verbose_name_plural = _("adopted plan versions")

    def __str__(self) -> str:
        return f"{self.plan.municipality_id} v{self.number}"

    def info(self):
        from blilyst.plan.versions import ADOPTED, VersionInfo

        return VersionInfo(self.number, ADOPTED, self.adopted_on, self.case_number)

    def baseline(self):
        from blilyst.plan.versions import AdoptedBaseline

        return AdoptedBaseline(self.info(), self.saved, self.figures)


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
        from blilyst.plan.saved import SavedAssessment

        return SavedAssessment(self.assessed_on, self.ratings, self.notes, self.evidence).to_domain(
            self.municipality_id
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
    target_group = models.CharField(
        _("target group"), max_length=60, blank=True, help_text="Key of the target group it is written for; blank: all."
    )
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
        from blilyst.plan.saved import SavedCampaign

        return SavedCampaign(self.title, self.text, self.capacity, self.municipality.honesty_thresholds_json()).report()

    def save_with(self, report) -> None:
        """Store the check with the counts the list of checks shows, taken from its ``report``."""
        self.unsupported = len(report.unsupported())
        self.cliches = len(report.cliches)
        self.save()


def today() -> dt.date:
    return timezone.localdate()


class ResidentSurvey(models.Model):
    """The counts one survey of the residents gave ("do you plan to live here in five years?", reasons to stay
    and to move), typed in by staff: :class:`blilyst.plan.survey.SurveyResult` stored. No person's answer is
    kept, only the totals the municipality's own survey produced."""

    PERSONAL_DATA = False

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    title = models.CharField(_("title"), max_length=150)
    conducted_on = models.DateField(_("conducted on"))
    respondents = models.PositiveIntegerField(_("residents who answered"))
    stay = models.JSONField(default=dict, help_text="Answers to the five-year question by answer key.")
    stay_reasons = models.JSONField(default=dict, help_text="Reasons to stay by reason key.")
    leave_reasons = models.JSONField(default=dict, help_text="Reasons to move by reason key.")
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-conducted_on", "-pk"]
        verbose_name = _("residents' survey")
        verbose_name_plural = _("residents' surveys")

    def __str__(self) -> str:
        return self.title

    def to_domain(self):
        """The stored counts as :class:`blilyst.plan.survey.SurveyResult` (checked again on the way out)."""
        from blilyst.plan.survey import SurveyResult

        return SurveyResult(
            title=self.title,
            conducted_on=self.conducted_on,
            respondents=self.respondents,
            stay=self.stay,
            stay_reasons=self.stay_reasons,
            leave_reasons=self.leave_reasons,
        )


class EmploymentByIndustry(models.Model):
    """Employed persons by industry and age for the municipality, entered by staff from a file they obtained
    (SSB's Statbank export of table 07984, or the largest employers' figures): the competence section then
    says per industry how many reach 67. Aggregate statistics, no personal data."""

    PERSONAL_DATA = False

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    year = models.PositiveIntegerField(_("year (4th quarter)"))
    source = models.CharField(_("source"), max_length=200)
    rows = models.JSONField(default=list, help_text="[{industry, age, employed}, ...]")
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("employment by industry and age")
        verbose_name_plural = _("employment by industry and age")

    def __str__(self) -> str:
        return f"{self.source} {self.year}"

    def to_domain(self):
        from blilyst.plan.competence import EmploymentTable

        return EmploymentTable(self.year, self.source, tuple(self.rows))
