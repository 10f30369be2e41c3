"""The newcomer form and the plan name the guidance's target groups with the same words (docs/glossary.md)."""

from __future__ import annotations

import pytest
from django.utils import translation

from blilyst.plan.targetgroups import get_group
from blilyst.web.newcomers.models import TargetGroup


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_the_form_and_the_plan_use_the_same_group_names(lang):
    keys = [key for key in TargetGroup.values if key != TargetGroup.OTHER]
    with translation.override(lang):
        form = {key: str(label) for key, label in TargetGroup.choices if key in keys}
    plan = {key: get_group(key).label(lang) for key in keys}
    assert form == plan
