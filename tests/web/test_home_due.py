"""The home page shows what is due and overdue for those who follow households, with a "mine" filter."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from blilyst.web.newcomers.demo import make_household
from blilyst.web.newcomers.models import Task


def test_due_and_overdue_tasks_with_a_mine_filter(people, client_for):
    today = timezone.localdate()
    berg = make_household(people.a, "Familien Berg")
    Task.objects.create(household=berg, title="Ring Kari", due=today - dt.timedelta(days=1), assigned_to=people.alice)
    Task.objects.create(household=berg, title="Rita sin", due=today + dt.timedelta(days=2), assigned_to=people.rita)
    Task.objects.create(household=berg, title="Langt fram", due=today + dt.timedelta(days=40))
    vik = make_household(people.b, "Familien Vik", email="per@example.org")
    Task.objects.create(household=vik, title="Vinje sin", due=today, assigned_to=people.bob)
    client = client_for(people.alice)
    html = client.get("/").content.decode()
    assert "Ring Kari" in html and "Rita sin" in html
    assert "Langt fram" not in html and "Vinje sin" not in html
    assert html.index("Ring Kari") < html.index("Rita sin")  # overdue first
    mine = client.get("/?mine=1").content.decode()
    assert "Ring Kari" in mine and "Rita sin" not in mine


def test_analysts_get_no_task_list(people, client_for):
    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role

    analyst = User.objects.create(username="ann")
    Membership.objects.create(user=analyst, municipality=people.a, role=Role.ANALYST)
    make_household(people.a, "Familien Berg")
    html = client_for(analyst).get("/").content.decode()
    assert 'id="due-heading"' not in html
