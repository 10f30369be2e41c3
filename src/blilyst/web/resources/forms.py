"""Forms for the resources: every field validated, messages in the user's language.

The municipality choice comes from the user's municipalities where they may edit resources; when
an existing resource is edited, its municipality is shown but cannot be changed.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.models import Municipality
from blilyst.web.accounts.roles import Capability
from blilyst.web.lib.formfields import field_of
from blilyst.web.lib.tenancy import municipalities_for
from blilyst.web.lib.versioning import VersionedFormMixin
from blilyst.web.resources.models import Event, Host, Housing, JobVacancy, KindergartenCapacity


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


def formfield(db_field, **kwargs):
    """Form fields as Django makes them, with links read as https:// when no scheme is given."""
    if isinstance(db_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return db_field.formfield(**kwargs)


MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%m.%Y", "%d.%m.%Y", "%m/%Y"]
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y"]


class ResourceForm(VersionedFormMixin, forms.ModelForm):
    """A resource form for ``user``: the municipality is one of theirs (fixed once the resource exists).
    An edit carries the version it was opened at; ``save`` raises VersionConflict when it is outdated."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = municipalities_for(user, Capability.EDIT_RESOURCES)
        field = field_of(self, "municipality", forms.ModelChoiceField)
        if self.instance.pk:
            field.queryset = Municipality.objects.filter(pk=self.instance.municipality_id)
            field.disabled = True
        else:
            field.queryset = choices
            if choices.count() == 1:
                field.initial = choices.first()
        field.empty_label = None
        for name, f in self.fields.items():
            if isinstance(f, forms.DateTimeField):
                f.widget = DateTimeInput()
                f.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
            elif isinstance(f, forms.DateField) and name != "month":
                f.widget = DateInput()
                f.input_formats = DATE_FORMATS


class HousingForm(ResourceForm):
    class Meta:
        model = Housing
        fields = [
            "municipality",
            "kind",
            "title",
            "address",
            "area",
            "bedrooms",
            "size_m2",
            "price",
            "term_months",
            "status",
            "available_from",
            "owner_name",
            "owner_phone",
            "owner_email",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class JobVacancyForm(ResourceForm):
    class Meta:
        model = JobVacancy
        fields = [
            "municipality",
            "employer",
            "occupation",
            "sector",
            "advertised",
            "deadline",
            "remote_possible",
            "positions",
            "place",
            "url",
            "status",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = formfield


class KindergartenCapacityForm(ResourceForm):
    month = forms.DateField(
        label=_("month"),
        widget=MonthInput(),
        input_formats=MONTH_FORMATS,
        help_text=_("The month the free places apply to."),
    )

    class Meta:
        model = KindergartenCapacity
        fields = ["municipality", "kindergarten", "month", "age_group", "free_places", "note"]

    def clean_month(self):
        return self.cleaned_data["month"].replace(day=1)


class HostForm(ResourceForm):
    class Meta:
        model = Host
        fields = ["municipality", "name", "phone", "email", "area", "languages", "interests", "active", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class EventForm(ResourceForm):
    class Meta:
        model = Event
        fields = ["municipality", "title", "kind", "starts", "ends", "place", "capacity", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class PlaceCheckForm(forms.Form):
    """ "Is there a kindergarten place from March?": a month and how many children."""

    month = forms.DateField(label=_("Place from (month)"), widget=MonthInput(), input_formats=MONTH_FORMATS)
    children = forms.IntegerField(label=_("Children"), min_value=1, max_value=10, initial=1)


class ImportForm(forms.Form):
    """A CSV file for one of the user's municipalities."""

    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(), label=_("municipality"), empty_label=None
    )
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_(
            "CSV (semicolon or comma separated, UTF-8 or Latin-1) or an Excel workbook (.xlsx, the first sheet); "
            "the first row names the columns. Rows already registered are updated, not added again."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        field_of(self, "municipality", forms.ModelChoiceField).queryset = municipalities_for(
            user, Capability.EDIT_RESOURCES
        )
