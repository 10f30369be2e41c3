"""Optimistic concurrency for every record people edit: nobody's change is silently lost.

A record that two people may edit at once inherits :class:`Versioned`. Whoever reads it also reads
its ``version``; whoever saves says which version they read (a hidden form field, a ``version`` in
the API's PATCH body). :meth:`Versioned.save_checked` locks the row, refuses with
:class:`VersionConflict` when someone saved in between, and otherwise saves and counts the version
up, all in one transaction.

Forms: :class:`VersionedFormMixin` adds the hidden field and saves through ``save_checked``. When
the save is refused, :func:`conflict_context` gives the page what it needs to keep what the user
typed and show it next to what is stored now (:func:`rebind_to_current` turns the user's form into
one based on the current version, so that saving again is a deliberate choice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _


class VersionConflict(Exception):
    """Someone else saved the record after it was read for this change."""

    def __init__(self, current_version: int | None):
        super().__init__(f"changed since it was read (now version {current_version})")
        self.current_version = current_version


class Versioned(models.Model):
    """A record with a version counter that guards against lost updates."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def lock_version(self, seen_version: int | None) -> None:
        """Inside a transaction: lock the row; raise VersionConflict if it was saved since ``seen_version``."""
        current = (
            type(self)._default_manager.select_for_update().filter(pk=self.pk).values_list("version", flat=True).first()
        )
        if current is None or current != seen_version:
            raise VersionConflict(current)
        self.version = current

    def save_checked(self, seen_version: int | None, update_fields: list[str] | None = None) -> None:
        """Save if nobody saved since ``seen_version`` was read, and count the version up.

        A new record (no primary key yet) is simply saved at version 1."""
        with transaction.atomic():
            if self.pk is None:
                self.version = 1
                self.save()
                return
            self.lock_version(seen_version)
            self.version = self.version + 1
            if update_fields is not None:
                update_fields = [*update_fields, "version"]
            self.save(update_fields=update_fields)

    def bump_version(self) -> None:
        """Count the version up after a change made without a form (so open forms notice it)."""
        type(self)._default_manager.filter(pk=self.pk).update(version=models.F("version") + 1)
        self.refresh_from_db(fields=["version"])


CONFLICT_MESSAGE = _(
    "Someone else saved this while you were editing it. Nothing you entered has been saved yet. Below, "
    "what you typed is kept in the form, and the table shows where it differs from the version saved now. "
    "Check it and save again to replace their version, or leave the page to keep theirs."
)


class VersionedFormMixin(forms.ModelForm):
    """A model form that carries the version it was opened at and saves only over that version (a model form
    itself, without a model: subclasses name theirs in ``Meta``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
        if instance is not None and instance.pk:
            self.fields["version"].required = True
            self.initial.setdefault("version", instance.version)

    def save(self, commit: bool = True) -> Any:
        """Save through ``save_checked``; raises VersionConflict (nothing saved) when outdated."""
        instance = super().save(commit=False)
        if commit:
            with transaction.atomic():
                instance.save_checked(self.cleaned_data.get("version"))
                self.save_m2m()  # set by save(commit=False)
        return instance


@dataclass(frozen=True)
class Difference:
    """One field where what the user typed differs from what is stored now."""

    label: str
    yours: str
    theirs: str


def _shown(form: forms.BaseForm, name: str, value: Any) -> str:
    field = form.fields[name]
    if value in (None, ""):
        return "–"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = {str(k): v for k, v in (getattr(field, "choices", None) or []) if not isinstance(v, list | tuple)}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(str(v), v)) for v in value) or "–"
    if choices and not isinstance(value, models.Model):
        return str(choices.get(str(value), value))
    return str(value)


def differences(form: forms.BaseForm, current: models.Model) -> list[Difference]:
    """The fields of a validated model form whose value differs from ``current`` (the stored record)."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or field.disabled or name not in form.cleaned_data or not hasattr(current, name):
            continue
        yours = form.cleaned_data[name]
        theirs = getattr(current, name, None)
        if isinstance(theirs, models.Model) or isinstance(yours, models.Model):
            same = getattr(yours, "pk", yours) == getattr(theirs, "pk", theirs)
        elif isinstance(yours, list | tuple) or isinstance(theirs, list | tuple):
            same = sorted(map(str, yours or [])) == sorted(map(str, theirs or []))
        else:
            same = (yours if yours is not None else "") == (theirs if theirs is not None else "")
        if not same:
            rows.append(Difference(str(field.label or name), _shown(form, name, yours), _shown(form, name, theirs)))
    return rows


def rebind_to_current(data: QueryDict, current_version: int | None, prefix: str | None = None) -> QueryDict:
    """The user's submitted data, now based on ``current_version`` (so the next save is deliberate)."""
    rebound = data.copy()
    rebound[f"{prefix}-version" if prefix else "version"] = str(current_version or "")
    return rebound


def conflict_context(form: forms.BaseForm, current: models.Model) -> dict[str, Any]:
    """What a page shows after a refused save: the message and the differing fields."""
    return {"conflict": {"message": CONFLICT_MESSAGE, "differences": differences(form, current)}}
