"""Honest message: claims in a campaign text held against Kviteseid's registered capacity."""

from __future__ import annotations

CAMPAIGN = (
    "Flytt til Kviteseid! Barnehageplass garantert hele året. Vi har jobb til dere begge, "
    "og ledige småbruk venter. Fjell, fjord og stillhet – idyllen venter på deg."
)


def test_unsupported_claims_and_cliches_are_flagged_with_reasons(resources, analyst, client_for):
    from blilyst.web.planning.models import CampaignCheck

    client = client_for(analyst)
    response = client.post("/plan/4028/message/", {"title": "Nettside våren 2026", "text": CAMPAIGN})
    assert response.status_code == 302
    check = CampaignCheck.objects.get(municipality="4028")
    assert check.capacity["housing"] == {"rental": 2, "trial_housing": 1, "for_sale": 0, "small_farm": 0, "plot": 0}
    report = check.report()
    kinds = {c.kind: c.verdict for c in report.claims}
    # the register holds small farms and Kviteseid has none available: "ledige småbruk" is unsupported
    assert kinds["small_farm"] == "unsupported"
    assert kinds["kindergarten"] == "unsupported"  # "hele året": no place in August
    assert [c.kind for c in report.cliches] == ["rural_idyll"]
    assert check.unsupported == len(report.unsupported()) >= 1
    html = client.get(response["Location"]).content.decode()
    assert "Nettside våren 2026" in html
    assert 'class="verdict-unsupported"' in html


def test_a_short_text_is_refused(resources, analyst, client_for):
    response = client_for(analyst).post("/plan/4028/message/", {"title": "x", "text": "Flytt hit"})
    assert response.status_code == 200
    from blilyst.web.planning.models import CampaignCheck

    assert CampaignCheck.objects.count() == 0


def test_another_municipalitys_check_is_404(resources, analyst, people, client_for):
    from blilyst.web.planning.models import CampaignCheck

    client_for(analyst).post("/plan/4028/message/", {"title": "Kampanje", "text": CAMPAIGN})
    pk = CampaignCheck.objects.get().pk
    assert client_for(people.bob).get(f"/plan/4028/message/?check={pk}").status_code == 404
    assert client_for(people.rita).post("/plan/4028/message/", {"title": "x", "text": CAMPAIGN}).status_code == 403


def test_a_listed_small_farm_supports_the_claim_and_none_does_not(resources, analyst, client_for):
    from blilyst.web.planning.models import CampaignCheck
    from blilyst.web.resources.models import Housing

    client = client_for(analyst)
    text = "Flytt til Kviteseid! Småbruk ledig nå, og ledige småbruk venter på dere som vil dyrke selv."
    client.post("/plan/4028/message/", {"title": "Uten småbruk", "text": text})
    without = CampaignCheck.objects.get(title="Uten småbruk")
    assert {c.kind: c.verdict for c in without.report().claims}["small_farm"] == "unsupported"
    Housing.objects.create(
        municipality_id="4028",
        kind="small_farm",
        title="Småbruk i Vrådal",
        bedrooms=3,
        size_m2=120,
        price=2_400_000,
        available_from=resources_today(),
    )
    response = client.post("/plan/4028/message/", {"title": "Med småbruk", "text": text})
    with_farm = CampaignCheck.objects.get(title="Med småbruk")
    assert with_farm.capacity["housing"]["small_farm"] == 1
    assert {c.kind: c.verdict for c in with_farm.report().claims}["small_farm"] == "supported"
    html = client.get(response["Location"]).content.decode()
    assert 'class="verdict-supported"' in html


def resources_today():
    from django.utils import timezone

    return timezone.localdate()


def test_the_page_shows_the_rewrite_and_the_municipalitys_thresholds(resources, analyst, people, client_for):
    people.a.honesty_many = 3
    people.a.honesty_rent_limit = 9000
    people.a.save()
    client = client_for(analyst)
    text = "Vi har ledige barnehageplassar heile året. Vi har mange rimelege utleigebustader."
    response = client.post("/plan/4028/message/", {"title": "Nynorsk side", "text": text})
    html = client.get(response["Location"]).content.decode()
    # the rewrite follows the text (nynorsk), the rest of the page the user's language (bokmål)
    assert "Vi har ledige barnehageplassar 11 av 12 månader; i august er det venteliste." in html
    assert "Kommunen leser «mange» som mer enn 3." in html
    assert "«Rimelig» betyr en husleie på høyst 9\xa0000 kr i måneden" in html
    # 2 rentals at 9 000 a month: "mange" (more than 3) is not supported
    assert "Boligregisteret har 2 boliger til leie ledig, 2 av dem med en husleie på høyst 9\xa0000 kr" in html


def test_a_text_written_for_a_target_group_is_judged_for_it_in_the_plan(resources, analyst, client_for):
    from blilyst.web.planning.models import CampaignCheck, Plan

    plan = Plan.for_municipality(resources)
    plan.chosen_groups = ["labour_immigrants", "job_seeking_families"]
    plan.save()
    client = client_for(analyst)
    text = "Barnehageplass garantert hele året for alle!"
    response = client.post(
        "/plan/4028/message/", {"title": "Barnefamiliesiden", "text": text, "target_group": "job_seeking_families"}
    )
    assert response.status_code == 302
    assert CampaignCheck.objects.get().target_group == "job_seeking_families"
    refused = client.post("/plan/4028/message/", {"title": "x", "text": text, "target_group": "no_such_group"})
    assert refused.status_code == 200 and CampaignCheck.objects.count() == 1
    data = client.get("/plan/4028/export/plan.json").json()
    assert [c["target_group"] for c in data["group_campaigns"]] == ["job_seeking_families"]
