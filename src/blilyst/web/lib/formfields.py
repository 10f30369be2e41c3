"""Typed access to a form's own fields, for forms that adjust them per request (choices, querysets, formats)."""

from __future__ import annotations

from typing import TypeVar

from django import forms

_F = TypeVar("_F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """The bound form's copy of its field ``name``, checked to be a ``kind`` (a ChoiceField to set choices on,
    a ModelChoiceField to set a queryset on). A TypeError when the form declares it as something else, so a
    change of field type fails loudly instead of setting an attribute the field never reads."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"The form field {name!r} is a {type(field).__name__}, not a {kind.__name__}")
    return field
