"""Forms for households: every field validated, messages in the user's language."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality, User
from blilyst.web.lib.formfields import field_of
from blilyst.web.newcomers.models import (
    Adult,
    Child,
    ContactLogEntry,
    FollowUp,
    Household,
    Language,
    MoveOutReason,
    Status,
    Task,
    phone_digits,
)
from blilyst.web.privacy.models import ConsentPurpose

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%m.%Y", "%d.%m.%Y"]
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def clean_phone(value: str | None) -> str:
    value = (value or "").strip()
    if value and not 5 <= len(phone_digits(value)) <= 15:
        raise ValidationError(
            _("Enter a phone number with 5 to 15 digits, e.g. 912 34 567 or +47 912 34 567."), code="phone"
        )
    return value


def check_birth_year(value: int | None) -> int | None:
    this_year = timezone.localdate().year
    if value is not None and not this_year - 25 <= value <= this_year + 1:
        raise ValidationError(
            _("Enter a birth year between %(first)d and %(last)d.") % {"first": this_year - 25, "last": this_year + 1},
            code="birth_year",
        )
    return value


class VersionedForm(forms.ModelForm):
    """Carries the version the household had when the form was opened (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# One wording for the page's inquiry form and the API's create, so both refuse a new household the same way.
NO_CONSENT = _(
    "Without consent to follow-up the inquiry cannot be stored. "
    "Ask the household, or note only what they asked in an anonymous way."
)
NO_CONTACT = _("Give an e-mail address or a phone number, so that you can reach the household.")


def reachable(adults) -> bool:
    """Whether some adult of a new household can be reached: an e-mail address or a phone number."""
    return any(a.get("email") or a.get("phone") for a in adults)


class InquiryForm(forms.ModelForm):
    """A new inquiry: the household and its first adult, and the consent that was given."""

    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("Municipality"), empty_label=None
    )
    name = forms.CharField(label=_("Name of the first adult"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.BOKMAL)
    consent_follow_up = forms.BooleanField(
        label=_("The household agrees to the text below (consent for follow-up)"),
        required=True,
        error_messages={"required": NO_CONSENT},
    )

    class Meta:
        model = Household
        fields = [
            "municipality",
            "label",
            "target_group",
            "origin_place",
            "origin_country",
            "heard_about",
            "heard_about_note",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if not reachable([data]):
            raise ValidationError(NO_CONTACT, code="no_contact")
        return data

    def adult(self) -> Adult:
        d = self.cleaned_data
        return Adult(name=d["name"], email=d.get("email", ""), phone=d.get("phone", ""), language=d["language"])


class HouseholdForm(VersionedForm):
    class Meta:
        model = Household
        fields = [
            "label",
            "target_group",
            "origin_place",
            "origin_country",
            "heard_about",
            "heard_about_note",
            "contact_person",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "contact_person", forms.ModelChoiceField).queryset = (
            staff if staff is not None else User.objects.none()
        )


class NeedsForm(VersionedForm):
    class Meta:
        model = Household
        fields = [
            "housing_tenure",
            "housing_bedrooms",
            "housing_from",
            "housing_note",
            "school_note",
            "leisure_interests",
            "wants_host",
            "wants_welcome_event",
        ]
        widgets = {"housing_from": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "housing_from", forms.DateField).input_formats = DATE_FORMATS
        self.fields["housing_bedrooms"].widget.attrs.update({"min": 0, "max": 10})

    def clean_housing_bedrooms(self):
        value = self.cleaned_data.get("housing_bedrooms")
        if value is not None and value > 10:
            raise ValidationError(_("Enter at most 10 bedrooms."), code="bedrooms")
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("housing_tenure") and not data.get("housing_from"):
            self.add_error(
                "housing_from", ValidationError(_("Say from when the household needs housing."), code="housing_from")
            )
        return data


class AdultForm(forms.ModelForm):
    class Meta:
        model = Adult
        fields = ["name", "email", "phone", "language", "occupation", "job_wishes", "remote_work"]

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone"))


class ChildForm(forms.ModelForm):
    class Meta:
        model = Child
        fields = ["first_name", "birth_year", "kindergarten_from", "needs_school"]
        widgets = {"kindergarten_from": MONTH_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "kindergarten_from", forms.DateField).input_formats = MONTH_FORMATS
        self.fields["kindergarten_from"].help_text = _("Month, e.g. 2027-03.")

    def clean_birth_year(self):
        return check_birth_year(self.cleaned_data.get("birth_year"))


class RequireOneAdult(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("A household needs at least one adult."), code="no_adult")


AdultFormSet = inlineformset_factory(
    Household, Adult, form=AdultForm, formset=RequireOneAdult, extra=1, can_delete=True, max_num=8, validate_max=True
)
ChildFormSet = inlineformset_factory(
    Household, Child, form=ChildForm, extra=1, can_delete=True, max_num=12, validate_max=True
)


class StatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    reason = forms.ChoiceField(
        label=_("Reason for moving away"), choices=[("", "—"), *MoveOutReason.choices], required=False
    )
    reason_note = forms.CharField(label=_("Reason, in their words"), max_length=300, required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate() + dt.timedelta(days=1):
            raise ValidationError(_("The date of a status change cannot be in the future."), code="future")
        return on

    def clean(self):
        super().clean()
        data = self.cleaned_data
        status = data.get("status")
        if self.household is not None and status == self.household.status:
            self.add_error("status", ValidationError(_("The household already has this status."), code="same"))
        if status == Status.MOVED_OUT and not data.get("reason"):
            self.add_error("reason", ValidationError(_("Choose the main reason for moving away."), code="reason"))
        if (
            status in (Status.SETTLED, Status.STAYED, Status.MOVED_OUT)
            and self.household is not None
            and self.household.moved_in_on is None
        ):
            self.add_error("status", ValidationError(_("Record moving in first."), code="not_moved_in"))
        return data


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "due", "assigned_to"]
        widgets = {"due": DATE_INPUT}

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "due", forms.DateField).input_formats = DATE_FORMATS
        field_of(self, "assigned_to", forms.ModelChoiceField).queryset = (
            staff if staff is not None else User.objects.none()
        )


class ContactLogForm(forms.ModelForm):
    class Meta:
        model = ContactLogEntry
        fields = ["on", "channel", "summary"]
        widgets = {"on": DATE_INPUT, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "on", forms.DateField).input_formats = DATE_FORMATS

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate() + dt.timedelta(days=1):
            raise ValidationError(_("A contact cannot be logged in the future."), code="future")
        return on


MAX_FOLLOW_UP_MONTHS = 240


class FollowUpForm(forms.ModelForm):
    """The answers of a follow-up conversation after moving in."""

    class Meta:
        model = FollowUp
        fields = [
            "on",
            "months",
            "feels_included",
            "job_satisfaction",
            "housing_satisfaction",
            "school_satisfaction",
            "social_satisfaction",
            "considering_moving_away",
            "note",
        ]
        widgets = {"on": DATE_INPUT, "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.household = household
        field_of(self, "on", forms.DateField).input_formats = DATE_FORMATS
        # At most 240 months (the model's field already stops at 0). Setting max_value on a field already made
        # reaches neither its validators nor its widget, so both are set here; before, neither was.
        months = field_of(self, "months", forms.IntegerField)
        months.max_value = MAX_FOLLOW_UP_MONTHS
        months.validators.append(MaxValueValidator(MAX_FOLLOW_UP_MONTHS))
        months.widget.attrs["max"] = str(MAX_FOLLOW_UP_MONTHS)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate() + dt.timedelta(days=1):
            raise ValidationError(_("A follow-up cannot be recorded in the future."), code="future")
        moved_in = self.household.moved_in_on if self.household is not None else None
        if moved_in and on < moved_in:
            raise ValidationError(
                _("A follow-up comes after moving in (%(date)s).") % {"date": moved_in.isoformat()},
                code="before_moving_in",
            )
        return on

    def clean_months(self):
        months = self.cleaned_data["months"]
        if months is not None and not 0 <= months <= 240:
            raise ValidationError(_("Enter a number of months between 0 and 240."), code="months")
        return months


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
