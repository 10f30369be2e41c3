"""Forms of the plan pages. Each ``clean`` returns the values the core functions take."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.plan.bottlenecks import CHECKLIST, Rating
from blilyst.plan.chain import METRICS, metric_label
from blilyst.plan.needs import SCENARIO_CHOICES, scenario_label
from blilyst.plan.targetgroups import REASONS, candidate_groups, reason_label
from blilyst.web.lib.formfields import field_of

MAX_PEERS = 12


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "nb").startswith("en") else "nb"


class ScenarioForm(forms.Form):
    scenario = forms.ChoiceField(label=_("Scenario"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        field_of(self, "scenario", forms.ChoiceField).choices = [(s, scenario_label(s, lang)) for s in SCENARIO_CHOICES]


class PeersForm(forms.Form):
    peers = forms.CharField(
        label=_("Municipalities to compare with"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Numbers or names, separated by commas or new lines. Leave empty to choose automatically."),
    )

    def __init__(self, *args, code: str, **kwargs):
        self.code = code
        super().__init__(*args, **kwargs)

    def clean_peers(self) -> list[str] | None:
        from blilyst.errors import UnknownMunicipality
        from blilyst.stats.register import get_register

        text = self.cleaned_data["peers"].strip()
        if not text:
            return None
        codes: list[str] = []
        for part in re.split(r"[,;\n]+", text):
            part = part.strip()
            if not part:
                continue
            try:
                municipality = get_register().resolve(part)
            except UnknownMunicipality:
                raise forms.ValidationError(
                    _("“%(name)s” is not a municipality. Use a municipality number (for example 4036) or a name."),
                    params={"name": part},
                ) from None
            if municipality.code != self.code and municipality.code not in codes:
                codes.append(municipality.code)
        if len(codes) > MAX_PEERS:
            raise forms.ValidationError(_("Compare with at most %(n)d municipalities."), params={"n": MAX_PEERS})
        return codes


def rating_choices(lang: str) -> list[tuple[str, str]]:
    return [(r.value, r.label(lang)) for r in (Rating.NOT_ASSESSED, Rating.GOOD, Rating.PARTLY, Rating.BOTTLENECK)]


class AssessmentForm(forms.Form):
    """The checklist: a rating and a note per item, and the date."""

    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        self.fields["assessed_on"].initial = timezone.localdate()
        for item in CHECKLIST:
            self.fields[f"rating_{item.key}"] = forms.ChoiceField(
                label=_("Rating"), choices=rating_choices(lang), initial=Rating.NOT_ASSESSED.value
            )
            self.fields[f"notes_{item.key}"] = forms.CharField(
                label=_("Notes"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean_assessed_on(self) -> dt.date:
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def items(self):
        """(checklist item, rating field, notes field) for the template."""
        lang = _lang()
        return [
            (
                item.key,
                item.question_text(lang),
                item.why_text(lang),
                self[f"rating_{item.key}"],
                self[f"notes_{item.key}"],
            )
            for item in CHECKLIST
        ]

    def ratings(self) -> dict[str, str]:
        return {item.key: self.cleaned_data[f"rating_{item.key}"] for item in CHECKLIST}

    def notes(self) -> dict[str, str]:
        return {
            item.key: self.cleaned_data[f"notes_{item.key}"].strip()
            for item in CHECKLIST
            if self.cleaned_data[f"notes_{item.key}"].strip()
        }


def metric_choices(lang: str) -> list[tuple[str, str]]:
    return [("", "–")] + [(key, metric_label(key, lang)) for key in METRICS]


class TargetGroupForm(forms.Form):
    """The chosen group(s), the effort per group (for the priority check) and the goal with its indicator."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    chosen_groups = forms.MultipleChoiceField(
        label=_("Chosen target group"), required=False, widget=forms.CheckboxSelectMultiple
    )
    goal = forms.CharField(
        label=_("Goal"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What you want to achieve, with a number and a year."),
    )
    rationale = forms.CharField(
        label=_("Why this group"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    indicator_name = forms.CharField(label=_("Indicator for the goal"), required=False, max_length=200)
    indicator_metric = forms.ChoiceField(label=_("What is counted"), required=False)
    indicator_target = forms.FloatField(label=_("Target"), required=False)
    indicator_year = forms.IntegerField(label=_("Target year"), required=False, min_value=2000, max_value=2100)
    indicator_baseline = forms.FloatField(label=_("Baseline"), required=False)
    target_in_migrants = forms.FloatField(
        label=_("Target: more in-migrants a year than the trend gives"),
        required=False,
        min_value=-10000,
        max_value=10000,
        help_text=_("The plan document holds this against what the target-seeking projection says is needed."),
    )

    def __init__(self, *args, user_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        groups = candidate_groups()
        field_of(self, "chosen_groups", forms.ChoiceField).choices = [
            (g.key, g.label(lang)) for g in list(groups) + list(user_groups)
        ]
        field_of(self, "indicator_metric", forms.ChoiceField).choices = metric_choices(lang)
        for g in groups:
            self.fields[f"effort_{g.key}"] = forms.IntegerField(
                label=g.label(lang),
                required=False,
                min_value=0,
                max_value=100,
                help_text=_("Share of the effort, in per cent"),
            )

    def effort_fields(self):
        return [self[f"effort_{g.key}"] for g in candidate_groups()]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("indicator_name") and not data.get("indicator_metric"):
            self.add_error("indicator_metric", _("Choose what the indicator counts."))
        return data

    def priorities(self) -> dict[str, float]:
        return {
            g.key: float(self.cleaned_data[f"effort_{g.key}"])
            for g in candidate_groups()
            if self.cleaned_data.get(f"effort_{g.key}")
        }

    def goal_indicators(self) -> list[dict]:
        d = self.cleaned_data
        if not d.get("indicator_name"):
            return []
        return [
            {
                "name": d["indicator_name"],
                "metric": d["indicator_metric"],
                "target": d.get("indicator_target"),
                "target_year": d.get("indicator_year"),
                "baseline": d.get("indicator_baseline"),
            }
        ]


PARTNER_FIELDS = {
    "business": _("Partners: business"),
    "voluntary": _("Partners: voluntary groups"),
    "neighbour": _("Partners: neighbouring municipalities"),
    "public": _("Partners: public bodies"),
}


class MeasureForm(forms.Form):
    name = forms.CharField(label=_("Measure"), required=False, max_length=200)
    bottleneck = forms.ChoiceField(label=_("Bottleneck it removes"), required=False)
    responsible = forms.CharField(label=_("Responsible"), required=False, max_length=200)
    partners_business = forms.CharField(
        label=PARTNER_FIELDS["business"], required=False, max_length=500, help_text=_("Names, separated by commas")
    )
    partners_voluntary = forms.CharField(label=PARTNER_FIELDS["voluntary"], required=False, max_length=500)
    partners_neighbour = forms.CharField(label=PARTNER_FIELDS["neighbour"], required=False, max_length=500)
    partners_public = forms.CharField(label=PARTNER_FIELDS["public"], required=False, max_length=500)
    start = forms.DateField(label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    cost = forms.IntegerField(label=_("Cost (kroner)"), required=False, min_value=0, max_value=10**10)
    indicator_name = forms.CharField(label=_("Indicator"), required=False, max_length=200)
    indicator_metric = forms.ChoiceField(label=_("What is counted"), required=False)
    indicator_target = forms.FloatField(label=_("Target"), required=False)
    indicator_year = forms.IntegerField(label=_("Target year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lang = _lang()
        field_of(self, "bottleneck", forms.ChoiceField).choices = [("", "–")] + [
            (i.key, i.question_text(lang)) for i in CHECKLIST
        ]
        field_of(self, "indicator_metric", forms.ChoiceField).choices = metric_choices(lang)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("indicator_name") and not data.get("name"):
            self.add_error("name", _("Name the measure the indicator belongs to."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must be on or after the start."))
        if data.get("indicator_name") and not data.get("indicator_metric"):
            self.add_error("indicator_metric", _("Choose what the indicator counts."))
        return data

    def to_json(self, groups: list[str]) -> dict | None:
        d = self.cleaned_data
        if not d.get("name"):
            return None
        indicators = []
        if d.get("indicator_name"):
            indicators.append(
                {
                    "name": d["indicator_name"],
                    "metric": d["indicator_metric"],
                    "target": d.get("indicator_target"),
                    "target_year": d.get("indicator_year"),
                }
            )
        partners = [
            {"kind": kind, "name": name.strip()}
            for kind in PARTNER_FIELDS
            for name in (d.get(f"partners_{kind}") or "").split(",")
            if name.strip()
        ]
        return {
            "name": d["name"],
            "bottleneck": d.get("bottleneck") or None,
            "target_groups": list(groups),
            "indicators": indicators,
            "responsible": (d.get("responsible") or "").strip(),
            "partners": partners,
            "start": d["start"].isoformat() if d.get("start") else None,
            "end": d["end"].isoformat() if d.get("end") else None,
            "cost": d.get("cost"),
        }


MeasureFormSet = forms.formset_factory(MeasureForm, extra=2, max_num=12, validate_max=True)


def measure_initial(measures: list[dict]) -> list[dict]:
    out = []
    for m in measures:
        ind = (m.get("indicators") or [{}])[0]
        out.append(
            {
                "name": m.get("name", ""),
                "bottleneck": m.get("bottleneck") or "",
                "indicator_name": ind.get("name", ""),
                "indicator_metric": ind.get("metric", ""),
                "indicator_target": ind.get("target"),
                "indicator_year": ind.get("target_year"),
                "responsible": m.get("responsible", ""),
                "start": m.get("start"),
                "end": m.get("end"),
                "cost": m.get("cost"),
                **{
                    f"partners_{kind}": ", ".join(p["name"] for p in m.get("partners") or () if p.get("kind") == kind)
                    for kind in PARTNER_FIELDS
                },
            }
        )
    return out


class CampaignForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("For example: Web page “Move to us”, spring 2026")
    )
    text = forms.CharField(
        label=_("Campaign text"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Paste the text of the web page, advertisement or brochure."),
    )

    target_group = forms.ChoiceField(
        label=_("Written for"),
        required=False,
        help_text=_("A text written for one of the plan's target groups is judged for that group in the plan."),
    )

    def __init__(self, *args, groups: list[tuple[str, str]] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "target_group", forms.ChoiceField).choices = [
            ("", _("All target groups (the general message)")),
            *(groups or []),
        ]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if len(text) < 20:
            raise forms.ValidationError(_("The text is too short to check; paste the whole campaign text."))
        return text


def _words(text: str) -> list[str]:
    return [w.strip() for w in re.split(r"[,;\n]+", text) if w.strip()]


class CustomGroupForm(forms.Form):
    """A target group the municipality defines itself (age, household type, origin, competence)."""

    name = forms.CharField(
        label=_("Name of the group"), max_length=100, help_text=_("For example: Nurses with families")
    )
    age_from = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=105)
    age_to = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=105)
    household_types = forms.CharField(
        label=_("Household types"), required=False, max_length=200, help_text=_("For example: family, couple, single")
    )
    origins = forms.CharField(
        label=_("Where they come from"),
        required=False,
        max_length=200,
        help_text=_("For example: abroad, city, returnee"),
    )
    immigration_reasons = forms.MultipleChoiceField(
        label=_("Reasons for immigration"), required=False, widget=forms.CheckboxSelectMultiple
    )
    competence = forms.CharField(
        label=_("Competence"), required=False, max_length=200, help_text=_("For example: nurse, teacher, carpenter")
    )

    def __init__(self, *args, existing=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = set(existing)
        field_of(self, "immigration_reasons", forms.ChoiceField).choices = [
            (r, reason_label(r, _lang())) for r in REASONS
        ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        lo, hi = data.get("age_from"), data.get("age_to")
        if (lo is None) != (hi is None):
            raise forms.ValidationError(_("Give both ages, or neither."))
        if lo is not None and hi is not None and lo > hi:
            self.add_error("age_to", _("The upper age must be at least the lower age."))
        return data

    def to_json(self) -> dict:
        d = self.cleaned_data
        base = re.sub(r"[^a-z0-9]+", "_", d["name"].lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))
        base = "own_" + (base.strip("_") or "group")
        key, n = base, 2
        while key in self.existing:
            key, n = f"{base}_{n}", n + 1
        return {
            "key": key,
            "name": d["name"].strip(),
            "age_from": d.get("age_from"),
            "age_to": d.get("age_to"),
            "household_types": _words(d.get("household_types", "")),
            "origins": _words(d.get("origins", "")),
            "immigration_reasons": list(d.get("immigration_reasons") or []),
            "competence": _words(d.get("competence", "")),
        }


class AdoptForm(forms.Form):
    """The council adopted the plan as it stands: the date and the case number; carries the plan's version
    (edit-conflict protection) so a plan changed since the page was opened is not adopted unseen."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    adopted_on = forms.DateField(
        label=_("Adopted by the municipal council on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    case_number = forms.CharField(
        label=_("Council case number"), max_length=50, help_text=_("As in the council's minutes, e.g. 27/14.")
    )

    def clean_adopted_on(self) -> dt.date:
        day = self.cleaned_data["adopted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The adoption date cannot be in the future."))
        return day


class SurveyForm(forms.Form):
    """The counts of one residents' survey (:class:`blilyst.plan.survey.SurveyResult`): no person's answer.

    The answer and reason names come from the core (the page's language is the core's), so the form, the
    page and the plan document name them alike."""

    title = forms.CharField(
        label=_("Name of the survey"), max_length=150, help_text=_("For example: Innbyggerundersøkelsen 2026")
    )
    conducted_on = forms.DateField(
        label=_("Date (when the survey closed)"), widget=forms.DateInput(attrs={"type": "date"})
    )
    respondents = forms.IntegerField(label=_("Residents who answered"), min_value=1, max_value=1_000_000)
    file = forms.FileField(
        label=_("Or a file of the counts (CSV or Excel)"),
        required=False,
        help_text=_(
            "Three columns: the part (“fem år”, “grunn til å bli”, “grunn til å flytte”), the answer or reason as "
            "named below (“Ja”, “Natur og friluftsliv” …) and the number. The file's counts replace those typed "
            "below."
        ),
    )

    def __init__(self, *args, **kwargs):
        from blilyst.plan.survey import REASONS as SURVEY_REASONS
        from blilyst.plan.survey import STAY_ANSWERS, reason_label, stay_label

        super().__init__(*args, **kwargs)

        def count(label: str) -> forms.IntegerField:
            return forms.IntegerField(label=label, required=False, min_value=0, max_value=1_000_000)

        for key in STAY_ANSWERS:
            self.fields[f"stay_{key}"] = count(stay_label(key))
        for key in SURVEY_REASONS:
            self.fields[f"stay_reason_{key}"] = count(reason_label(key))
        for key in SURVEY_REASONS:
            self.fields[f"leave_reason_{key}"] = count(reason_label(key))

    def group(self, prefix: str) -> list:
        """The bound fields of one part of the form (``stay_``, ``stay_reason_``, ``leave_reason_``)."""
        return [
            self[name] for name in self.fields if name.startswith(prefix) and not name.startswith(prefix + "reason")
        ]

    def general(self) -> list:
        return [self["title"], self["conducted_on"], self["respondents"], self["file"]]

    def stay_answers(self) -> list:
        return self.group("stay_")

    def stay_reasons(self) -> list:
        return self.group("stay_reason_")

    def leave_reasons(self) -> list:
        return self.group("leave_reason_")

    def clean_conducted_on(self) -> dt.date:
        day = self.cleaned_data["conducted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The survey cannot have closed in the future."))
        return day

    def clean(self) -> dict:
        from blilyst.errors import InputError
        from blilyst.plan.survey import REASONS as SURVEY_REASONS
        from blilyst.plan.survey import STAY_ANSWERS, SurveyResult

        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data

        def counts(prefix: str, keys: tuple[str, ...]) -> dict[str, int]:
            return {k: data[f"{prefix}{k}"] for k in keys if data.get(f"{prefix}{k}") is not None}

        if data.get("file"):
            from blilyst.errors import ImportFileError
            from blilyst.plan.survey import counts_from_rows
            from blilyst.web.resources.csvimport import read_table

            try:
                _header, rows, _encoding, _delimiter = read_table(data["file"].read())
                found = counts_from_rows(rows)
            except ImportFileError as exc:
                raise forms.ValidationError(str(exc)) from exc
            except InputError as exc:
                raise forms.ValidationError(
                    _("The file cannot be used: %(problem)s"), params={"problem": exc.problem}
                ) from exc
            for prefix, part, keys in (
                ("stay_", "stay", STAY_ANSWERS),
                ("stay_reason_", "stay_reasons", SURVEY_REASONS),
                ("leave_reason_", "leave_reasons", SURVEY_REASONS),
            ):
                for key in keys:
                    data[f"{prefix}{key}"] = found[part].get(key)

        respondents = data["respondents"]
        answered = sum(counts("stay_", STAY_ANSWERS).values())
        if answered > respondents:
            raise forms.ValidationError(
                _("The answers to the five-year question add up to %(answered)d, more than the %(n)d who answered."),
                params={"answered": answered, "n": respondents},
            )
        for prefix in ("stay_reason_", "leave_reason_"):
            for key, n in counts(prefix, SURVEY_REASONS).items():
                if n > respondents:
                    self.add_error(
                        f"{prefix}{key}",
                        _("More than the %(n)d residents who answered.") % {"n": respondents},
                    )
        if self.errors:
            return data
        try:
            data["result"] = SurveyResult(
                title=data["title"].strip(),
                conducted_on=data["conducted_on"],
                respondents=data["respondents"],
                stay=counts("stay_", STAY_ANSWERS),
                stay_reasons=counts("stay_reason_", SURVEY_REASONS),
                leave_reasons=counts("leave_reason_", SURVEY_REASONS),
            )
        except InputError as exc:
            raise forms.ValidationError(
                _("The counts cannot be stored: %(problem)s"), params={"problem": exc.problem}
            ) from exc
        return data


class EmploymentForm(forms.Form):
    """A file of employed persons by industry and age (:func:`blilyst.plan.competence.employment_rows`)."""

    year = forms.IntegerField(label=_("Year (4th quarter)"), min_value=2000, max_value=2100)
    source = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("For example: SSB 07984, downloaded 1 November 2026")
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "One row per industry and age group, with columns for the industry (næring), the age (alder) and the "
            "number employed. SSB's Statbank export of table 07984 for the municipality can be used as it is."
        ),
    )

    def clean(self) -> dict:
        from blilyst.errors import ImportFileError, InputError
        from blilyst.plan.competence import EmploymentTable, employment_rows
        from blilyst.web.resources.csvimport import read_table

        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        try:
            header, rows, _encoding, _delimiter = read_table(data["file"].read())
            table = EmploymentTable(data["year"], data["source"].strip(), tuple(employment_rows(header, rows)))
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        except InputError as exc:
            raise forms.ValidationError(
                _("The file cannot be used: %(problem)s"), params={"problem": exc.problem}
            ) from exc
        data["table"] = table
        return data
