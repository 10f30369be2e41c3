"""The honesty check through the API: the registers and thresholds of the token's municipality, tenancy, roles."""

from __future__ import annotations

import json

from django.test import Client

from blilyst.web.api.models import ApiToken

TEXT = (
    "Vi har ledige stillinger for sykepleiere. Barnehageplass hele året! "
    "Kommunen har rimelige utleieboliger. Vi har ledige stillinger for lærere."
)


def call(user, code="4028", **body):
    headers = {}
    if user is not None:
        _row, token = ApiToken.issue(user, "test")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return Client().post(
        f"/api/plan/{code}/honesty",
        data=json.dumps({"text": TEXT, **body}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="nb",
        **headers,
    )


def test_the_check_uses_kviteseids_registers_month_and_occupation(resources, analyst):
    response = call(analyst)
    assert response.status_code == 200
    data = response.json()
    verdicts = [(c["subject"], c["verdict"], c["occupations"]) for c in data["claims"]]
    assert verdicts == [
        ("jobs", "supported", ["sykepleier"]),  # 3 open nursing positions
        ("kindergarten", "unsupported", []),  # no place in August
        ("rental", "unverifiable", []),  # no price limit set yet
        ("jobs", "unsupported", ["lærer"]),  # Kviteseid has no teacher vacancy (Vinje's does not count)
    ]
    kindergarten = data["claims"][1]
    assert kindergarten["time"] == "all_year"
    assert kindergarten["rewrite"] == "Vi har ledige barnehageplasser 11 av 12 måneder; i august er det venteliste."
    assert "Innstillinger" in data["claims"][2]["reason"]
    assert data["honest"] is False and data["id"] is None


def test_the_municipalitys_price_limit_decides_affordable(resources, analyst, people):
    people.a.honesty_rent_limit = 9000  # the two rentals cost 9 000 a month
    people.a.save()
    rental = next(c for c in call(analyst).json()["claims"] if c["subject"] == "rental")
    assert rental["verdict"] == "supported"
    people.a.honesty_rent_limit = 8000
    people.a.save()
    rental = next(c for c in call(analyst).json()["claims"] if c["subject"] == "rental")
    assert rental["verdict"] == "unsupported"
    assert rental["reason"].startswith("Boligregisteret har 2 boliger til leie ledig, 0 av dem med en husleie")


def test_saving_needs_a_plan_editor_and_other_municipalities_are_404(resources, analyst, people):
    from blilyst.web.planning.models import CampaignCheck

    saved = call(analyst, save=True, title="Nettsiden")
    assert saved.status_code == 200 and saved.json()["id"] is not None
    assert CampaignCheck.objects.get(title="Nettsiden").unsupported == 2
    assert call(people.rita).status_code == 200  # read-only may check
    assert call(people.rita, save=True).status_code == 403  # but not store
    assert call(people.bob).status_code == 404  # Vinje's contact person
    assert call(None).status_code == 401
    assert CampaignCheck.objects.count() == 1


def test_a_too_short_text_is_a_422_naming_the_field(resources, analyst):
    _row, token = ApiToken.issue(analyst, "test")
    response = Client().post(
        "/api/plan/4028/honesty",
        data=json.dumps({"text": "Flytt hit"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 422
    assert "text" in json.dumps(response.json())
