"""Bottleneck assessments: stored with date, ratings, notes and the evidence of the day; repeated and compared."""

from __future__ import annotations

ITEMS = ("receiving", "housing", "kindergarten", "jobs", "vacancies")


def _form(day, **ratings):
    data = {"assessed_on": day}
    for key in ITEMS:
        data[f"rating_{key}"] = ratings.get(key, "not_assessed")
        data[f"notes_{key}"] = ""
    return data


def test_the_page_shows_the_evidence_as_counts(resources, analyst, client_for):
    html = client_for(analyst).get("/plan/4028/bottlenecks/").content.decode()
    from django.utils import translation

    from blilyst.web.resources.models import JobVacancy, MatchingGap

    with translation.override("nb"):
        housing, kindergarten = str(MatchingGap.Kind.HOUSING.label), str(MatchingGap.Kind.KINDERGARTEN.label)
        health = str(JobVacancy.Sector.HEALTH.label)
    assert f"{housing}: 2" in html and f"{kindergarten}: 1" in html  # open matching gaps
    assert "utleieboliger: 2" in html and "prøveboliger: 1" in html
    assert "august: 0" in html
    assert f"{health}: 3" in html
    assert "Vinje" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_an_assessment_is_stored_with_its_evidence_and_compared_with_the_one_before(resources, analyst, client_for):
    from blilyst.web.planning.models import BottleneckAssessment

    client = client_for(analyst)
    first = _form("2025-01-15", housing="bottleneck", kindergarten="partly", jobs="good")
    first["notes_housing"] = "Ingen utleieboliger i sentrum"
    assert client.post("/plan/4028/bottlenecks/", first).status_code == 302
    second = _form("2025-10-01", housing="partly", kindergarten="partly", jobs="bottleneck")
    assert client.post("/plan/4028/bottlenecks/", second).status_code == 302
    stored = list(BottleneckAssessment.objects.filter(municipality="4028").order_by("assessed_on"))
    assert [a.assessed_on.isoformat() for a in stored] == ["2025-01-15", "2025-10-01"]
    assert stored[0].ratings["housing"] == "bottleneck" and stored[0].notes == {
        "housing": "Ingen utleieboliger i sentrum"
    }
    assert stored[0].evidence["matching_gaps"] == {"housing": 2, "kindergarten": 1}
    assert stored[0].evidence["capacity"]["kindergarten_free"]["8"] == 0
    domain = stored[1].to_domain()
    assert domain.bottlenecks() == ["jobs"]
    # blilyst's suggestion from the evidence: kindergarten has a month without places
    assert domain.items["kindergarten"].suggested.value in ("partly", "bottleneck")
    html = client.get("/plan/4028/bottlenecks/").content.decode()
    assert "2025-01-15" in html and "2025-10-01" in html
    assert "→" in html  # the changes since the assessment before
    assert "1 av 5 punkter ble vurdert som flaskehals 2025-01-15 og 1 2025-10-01." in html
    assert "Kilde: kommunens egne vurderinger" in html
    detail = client.get(f"/plan/4028/bottlenecks/{stored[0].pk}/").content.decode()
    assert "Ingen utleieboliger i sentrum" in detail


def test_a_future_date_is_refused(resources, analyst, client_for):
    from blilyst.web.planning.models import BottleneckAssessment

    response = client_for(analyst).post("/plan/4028/bottlenecks/", _form("2999-01-01", housing="good"))
    assert response.status_code == 200
    assert BottleneckAssessment.objects.count() == 0


def test_only_analysts_write_and_strangers_see_nothing(resources, analyst, people, client_for):
    from blilyst.web.planning.models import BottleneckAssessment

    assert client_for(people.rita).post("/plan/4028/bottlenecks/", _form("2025-01-01")).status_code == 403
    assert client_for(people.alice).post("/plan/4028/bottlenecks/", _form("2025-01-01")).status_code == 403
    assert client_for(people.bob).get("/plan/4028/bottlenecks/").status_code == 404
    client_for(analyst).post("/plan/4028/bottlenecks/", _form("2025-01-01"))
    pk = BottleneckAssessment.objects.get().pk
    assert client_for(people.bob).get(f"/plan/4028/bottlenecks/{pk}/").status_code == 404
    assert client_for(people.bob).get(f"/plan/4036/bottlenecks/{pk}/").status_code == 404
