"""Forms for managing the members of a municipality."""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from blilyst.web.accounts.roles import Role
from blilyst.web.lib.versioning import VersionedFormMixin


class AddMemberForm(forms.Form):
    """Add a person to a municipality: an existing user by user name, or a new one."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip()

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_role(self) -> Role:
        return Role(self.cleaned_data["role"])


class MunicipalitySettingsForm(VersionedFormMixin, forms.ModelForm):
    """The settings an administrator keeps for their municipality."""

    class Meta:
        from blilyst.web.accounts.models import Municipality

        model = Municipality
        fields = ["written_standard", "retention_days", "honesty_many", "honesty_rent_limit", "honesty_price_limit"]
        widgets = {
            "retention_days": forms.NumberInput(attrs={"min": 30, "max": 3650, "inputmode": "numeric"}),
            "honesty_many": forms.NumberInput(attrs={"min": 1, "max": 10000, "inputmode": "numeric"}),
            "honesty_rent_limit": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "honesty_price_limit": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["honesty_many"].required = False  # empty keeps the default

    def clean_honesty_many(self) -> int:
        value = self.cleaned_data.get("honesty_many")
        return 10 if value is None else int(value)
