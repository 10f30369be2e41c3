"""``blilyst web retention`` and ``blilyst web token``: the command line over the privacy rules and API tokens."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from blilyst.cli import main
from blilyst.web.api.models import ApiToken
from blilyst.web.newcomers.models import Household
from blilyst.web.privacy.models import AnonymousOutcome


def test_retention_dry_run_says_what_it_would_erase_and_erases_nothing(people, household, capsys):
    Household.objects.filter(pk=household.pk).update(last_activity=timezone.now() - dt.timedelta(days=400))
    assert main(["web", "retention", "--dry-run", "--days", "365"]) == 0
    assert "Would erase 1 household(s) inactive since before" in capsys.readouterr().out
    assert Household.objects.filter(pk=household.pk).exists()


def test_retention_erases_with_the_default_period(people, household, other_household, capsys):
    Household.objects.filter(pk=household.pk).update(last_activity=timezone.now() - dt.timedelta(days=731))
    Household.objects.filter(pk=other_household.pk).update(last_activity=timezone.now() - dt.timedelta(days=729))
    assert main(["web", "retention"]) == 0
    out = capsys.readouterr().out
    assert "Erased 1 household(s)" in out and "(730 days)" in out
    assert list(Household.objects.values_list("pk", flat=True)) == [other_household.pk]
    assert AnonymousOutcome.objects.get().cause == "retention"


def test_token_prints_a_token_that_authenticates(people, client_for, capsys):
    assert main(["web", "token", "alice", "--name", "sync", "--days", "30"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    row = ApiToken.objects.get(name="sync")
    assert row.user == people.alice and row.expires_at > timezone.now() + dt.timedelta(days=29)
    assert ApiToken.user_for(token) == people.alice
