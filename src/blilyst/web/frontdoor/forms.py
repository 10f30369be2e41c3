"""The public interest form: the household, each adult's work wishes, housing and kindergarten needs.

Labels and messages are in the page's language (bokmål, nynorsk, English, Polish or Ukrainian). Every
field has a maximum length; the formsets cap the number of adults and children (``abuse.py``).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from blilyst.web.frontdoor.abuse import HONEYPOT_FIELD, MAX_ADULTS, MAX_CHILDREN
from blilyst.web.newcomers.forms import MONTH_FORMATS, MONTH_INPUT, clean_phone
from blilyst.web.newcomers.models import Tenure

TENURE_CHOICES = [
    ("", _("We do not need housing")),
    (Tenure.RENT, _("Rent")),
    (Tenure.BUY, _("Buy")),
    (Tenure.ANY, _("Rent or buy")),
    (Tenure.TRIAL, _("Trial housing")),
    (Tenure.SMALL_FARM, _("Small farm")),
    (Tenure.PLOT, _("Building plot")),
]


class InterestForm(forms.Form):
    """What the household tells us about itself as a whole."""

    origin_place = forms.CharField(label=_("Where do you live now?"), max_length=120, required=False)
    housing_tenure = forms.ChoiceField(label=_("Housing"), choices=TENURE_CHOICES, required=False)
    housing_bedrooms = forms.IntegerField(label=_("Bedrooms needed"), min_value=0, max_value=10, required=False)
    housing_from = forms.DateField(
        label=_("Housing needed from (month)"), widget=MONTH_INPUT, input_formats=MONTH_FORMATS, required=False
    )
    wants_host = forms.BooleanField(label=_("We would like a local host to show us around"), required=False)
    wants_welcome_event = forms.BooleanField(label=_("Invite us to a welcome event"), required=False)
    message = forms.CharField(
        label=_("Anything else you would like us to know"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the text above"),
        required=True,
        error_messages={
            "required": _(
                "We can only store your inquiry with your consent. Tick the box if you agree to the text above."
            )
        },
    )
    # The honeypot: hidden from people (see the template), filled in only by robots.
    homepage = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    def clean_housing_from(self) -> dt.date | None:
        value = self.cleaned_data.get("housing_from")
        if value is None:
            return None
        value = value.replace(day=1)
        if value < timezone.localdate().replace(day=1):
            raise ValidationError(_("Choose this month or a later one."), code="past")
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("housing_tenure") and not data.get("housing_from"):
            self.add_error("housing_from", _("Tell us from which month you need housing."))
        return data


class AdultForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    occupation = forms.CharField(label=_("Occupation or education"), max_length=120, required=False)
    job_wishes = forms.CharField(label=_("What work are you looking for?"), max_length=300, required=False)
    remote_work = forms.BooleanField(label=_("I work remotely and can bring my job"), required=False)

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data.get("phone"))


class BaseAdultFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        filled = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not filled:
            raise ValidationError(_("Tell us the name of at least one adult."), code="no_adult")
        if not any(a.get("email") or a.get("phone") for a in filled):
            raise ValidationError(
                _("Give an e-mail address or a phone number, so that we can answer you."), code="no_contact"
            )


class ChildForm(forms.Form):
    birth_year = forms.IntegerField(label=_("Birth year"))
    kindergarten_from = forms.DateField(
        label=_("Kindergarten place from (month)"),
        widget=MONTH_INPUT,
        input_formats=MONTH_FORMATS,
        required=False,
    )
    needs_school = forms.BooleanField(label=_("Needs a school place"), required=False)

    def clean_birth_year(self) -> int:
        value = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not this_year - 25 <= value <= this_year + 1:
            raise ValidationError(
                _("Enter a birth year between %(first)d and %(last)d.")
                % {"first": this_year - 25, "last": this_year + 1},
                code="birth_year",
            )
        return value

    def clean_kindergarten_from(self) -> dt.date | None:
        value = self.cleaned_data.get("kindergarten_from")
        return value.replace(day=1) if value else None


AdultFormSet = formset_factory(
    AdultForm, formset=BaseAdultFormSet, extra=2, max_num=MAX_ADULTS, absolute_max=MAX_ADULTS, validate_max=True
)
ChildFormSet = formset_factory(ChildForm, extra=3, max_num=MAX_CHILDREN, absolute_max=MAX_CHILDREN, validate_max=True)
