"""Follow-up conversations after moving in: recorded on the household page, completing their task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from blilyst.web.newcomers.models import FeelsIncluded, FollowUp, Status
from blilyst.web.privacy.models import AccessLogEntry


@pytest.fixture
def moved_in(people, household):
    household.change_status(Status.MOVED_IN, on=dt.date(2025, 3, 10), by=people.alice)
    return household


def answers(**overrides):
    data = {
        "on": "2025-06-12",
        "months": "3",
        "feels_included": "partly",
        "job_satisfaction": "4",
        "housing_satisfaction": "2",
        "school_satisfaction": "",
        "social_satisfaction": "3",
        "considering_moving_away": "on",
        "note": "Savner fritidstilbud for tenåringer.",
    }
    data.update(overrides)
    return data


def test_a_follow_up_is_a_personal_data_record_of_its_household(people, moved_in):
    from blilyst.web.newcomers.models import PERSONAL_DATA_MODELS

    assert FollowUp.PERSONAL_DATA is True and FollowUp in PERSONAL_DATA_MODELS
    f = FollowUp.objects.create(
        household=moved_in, on=dt.date(2026, 3, 12), months=12, feels_included=FeelsIncluded.YES, social_satisfaction=5
    )
    assert list(moved_in.follow_ups.all()) == [f]
    assert f.get_feels_included_display() == "Ja" or f.get_feels_included_display() == "Yes"
    assert (f.job_satisfaction, f.considering_moving_away, f.note) == (None, False, "")


def test_recording_a_follow_up_completes_its_task_and_is_logged(people, client_for, moved_in):
    client = client_for(people.alice)
    url = reverse("follow_up_add", args=[moved_in.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["months"] == 3  # the next open follow-up task
    assert '<label for="id_feels_included">' in form.text
    response = client.post(url, answers())
    assert response.status_code == 302 and response.url == reverse("household_detail", args=[moved_in.pk])
    f = FollowUp.objects.get(household=moved_in)
    assert (
        f.on,
        f.months,
        f.feels_included,
        f.job_satisfaction,
        f.housing_satisfaction,
        f.school_satisfaction,
        f.social_satisfaction,
        f.considering_moving_away,
        f.by,
    ) == (dt.date(2025, 6, 12), 3, "partly", 4, 2, None, 3, True, people.alice)
    done = dict(moved_in.tasks.values_list("follow_up_months", "done_at"))
    assert done[3] is not None and done[12] is None and done[24] is None
    assert AccessLogEntry.objects.filter(household_id=moved_in.pk, action="change", detail="follow-up").exists()
    page = client.get(reverse("household_detail", args=[moved_in.pk])).text
    assert "Savner fritidstilbud for tenåringer." in page and "Delvis" in page


def test_follow_up_errors_in_bokmal_and_english(people, client_for, moved_in):
    url = reverse("follow_up_add", args=[moved_in.pk])
    nb = client_for(people.alice).post(url, answers(on="2025-01-02", feels_included=""))
    assert nb.status_code == 400
    assert nb.context["form"].errors["on"] == ["En oppfølging kommer etter innflytting (2025-03-10)."]
    assert nb.context["form"].errors["feels_included"] == ["Feltet er påkrevet."]
    client = client_for(people.alice)
    client.cookies["blilyst_language"] = "en"
    en = client.post(url, answers(on="2099-01-01"))
    assert "A follow-up cannot be recorded in the future." in en.text
    assert not FollowUp.objects.exists()


def test_months_after_moving_in_are_checked_on_the_server_not_only_in_the_widget(people, client_for, moved_in):
    url = reverse("follow_up_add", args=[moved_in.pk])
    form = client_for(people.alice).get(url).text
    assert 'min="0"' in form and 'max="240"' in form
    too_many = client_for(people.alice).post(url, answers(months="241"))
    assert too_many.status_code == 400
    assert too_many.context["form"].errors["months"] == ["Verdien må være mindre enn eller lik 240."]
    assert not FollowUp.objects.exists()
    assert client_for(people.alice).post(url, answers(months="240")).status_code == 302


def test_a_follow_up_needs_moving_in_first(people, client_for, household):
    response = client_for(people.alice).post(reverse("follow_up_add", args=[household.pk]), answers())
    assert response.status_code == 302 and not FollowUp.objects.exists()


def test_a_stranger_gets_404_and_a_read_only_member_403(people, client_for, moved_in):
    url = reverse("follow_up_add", args=[moved_in.pk])
    for method in ("get", "post"):
        assert getattr(client_for(people.bob), method)(url, answers()).status_code == 404
        assert getattr(client_for(people.rita), method)(url, answers()).status_code == 403
    assert not FollowUp.objects.exists()
    assert moved_in.tasks.open().count() == 3
    # the read-only member sees the answers but no link to record one
    FollowUp.objects.create(household=moved_in, on=dt.date(2025, 6, 12), months=3, feels_included="no")
    page = client_for(people.rita).get(reverse("household_detail", args=[moved_in.pk])).text
    assert url not in page and "Nei" in page


def test_the_api_shows_the_follow_ups_to_the_municipality_only(people, moved_in):
    import json

    from django.test import Client

    from blilyst.web.api.models import ApiToken

    FollowUp.objects.create(
        household=moved_in,
        on=dt.date(2025, 6, 12),
        months=3,
        feels_included="yes",
        social_satisfaction=4,
        note="Trives",
    )

    def get(user):
        _row, token = ApiToken.issue(user, "test")
        return Client().get(f"/api/households/{moved_in.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")

    data = json.loads(get(people.alice).content)
    assert data["follow_ups"] == [
        {
            "on": "2025-06-12",
            "months": 3,
            "feels_included": "yes",
            "job_satisfaction": None,
            "housing_satisfaction": None,
            "school_satisfaction": None,
            "social_satisfaction": 4,
            "considering_moving_away": False,
            "note": "Trives",
        }
    ]
    assert json.loads(get(people.rita).content)["follow_ups"][0]["feels_included"] == "yes"  # read-only may read
    assert get(people.bob).status_code == 404
