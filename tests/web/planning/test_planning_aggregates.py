"""Aggregates from the newcomer service and the resources: counts only, one municipality only."""

from __future__ import annotations

import datetime as dt


def _qs(model):
    return model.objects.all()


def test_capacity_counts_only_kviteseids_available_listings_and_open_positions(resources):
    from blilyst.web.planning import aggregates
    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

    cap = aggregates.capacity(_qs(Housing), _qs(JobVacancy), _qs(KindergartenCapacity), "4028")
    # Kviteseid keeps the register: kinds with nothing available count 0 (so the claim "homes for sale" is
    # unsupported, not unknown); Vinje's one home for sale is not Kviteseid's
    assert cap.housing == {"rental": 2, "trial_housing": 1, "for_sale": 0, "small_farm": 0, "plot": 0}
    assert cap.vacancies == {"health": 3}
    assert (cap.vacancies_advertised, cap.vacancies_known) == (2, 3)
    assert len(cap.kindergarten_free) == 12
    assert cap.months_without_kindergarten_place() == [8]


def test_a_municipality_without_listings_is_unknown_and_every_listing_taken_is_none(resources):
    from blilyst.plan.honesty import SUPPORTED, UNSUPPORTED, UNVERIFIABLE, check_campaign
    from blilyst.web.planning import aggregates
    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

    def cap(code):
        return aggregates.capacity(_qs(Housing), _qs(JobVacancy), _qs(KindergartenCapacity), code)

    assert cap("4026").housing == {} and not cap("4026").knows_housing()  # Tinn: no listing recorded
    Housing.objects.filter(municipality="4028", kind="rent").update(status="taken")
    kviteseid = cap("4028")
    assert kviteseid.housing == {"rental": 0, "trial_housing": 1, "for_sale": 0, "small_farm": 0, "plot": 0}
    verdicts = {
        c.kind: c.verdict
        for c in check_campaign("Ledige utleieboliger og ledige småbruk venter på deg.", kviteseid).claims
    }
    assert verdicts.get("rental") == UNSUPPORTED
    # the register holds small farms and Kviteseid has none available: the claim is unsupported ...
    assert verdicts.get("small_farm") == UNSUPPORTED
    # ... in Tinn, which keeps no housing register, it cannot be verified ...
    tinn = {c.kind: c.verdict for c in check_campaign("Ledige småbruk venter på deg.", cap("4026")).claims}
    assert tinn.get("small_farm") == UNVERIFIABLE
    # ... and with one small farm listed it is supported
    Housing.objects.create(
        municipality_id="4028",
        kind="small_farm",
        title="Småbruk på Brunkeberg",
        bedrooms=4,
        size_m2=140,
        price=2_900_000,
        available_from=kviteseid.as_of,
    )
    assert cap("4028").housing["small_farm"] == 1
    verdicts = {c.kind: c.verdict for c in check_campaign("Ledige småbruk venter på deg.", cap("4028")).claims}
    assert verdicts.get("small_farm") == SUPPORTED
    # a building plot counts as a plot, not a small farm: "ledige tomter" goes from unsupported to supported
    plots = {c.kind: c.verdict for c in check_campaign("Ledige tomter venter på deg.", cap("4028")).claims}
    assert plots.get("plot") == UNSUPPORTED
    Housing.objects.create(
        municipality_id="4028",
        kind="plot",
        title="Byggetomt i Vrådal",
        bedrooms=0,
        size_m2=900,
        price=350_000,
        available_from=kviteseid.as_of,
    )
    plots = {c.kind: c.verdict for c in check_campaign("Ledige tomter venter på deg.", cap("4028")).claims}
    assert plots.get("plot") == SUPPORTED


def test_open_matching_gaps_by_kind(resources):
    from blilyst.web.planning import aggregates
    from blilyst.web.resources.models import MatchingGap

    assert aggregates.matching_gaps(_qs(MatchingGap), "4028") == {"housing": 2, "kindergarten": 1}


def test_evaluation_records_carry_no_names(households):
    from blilyst.web.newcomers.models import Household
    from blilyst.web.planning import aggregates

    records = aggregates.evaluation_records(_qs(Household), "4028")
    assert len(records) == 12
    assert all(
        set(r) == {"stage", "target_group", "persons", "moved_in", "moved_out", "move_out_reason"} for r in records
    )
    assert sorted(r["persons"] for r in records if r["moved_in"])[-1] == 4  # two adults, two children
    assert sum(r["stage"] == "moved_in" for r in records) == 8


def test_inclusion_months_from_moving_in_to_settled(households):
    from blilyst.web.newcomers.models import Household
    from blilyst.web.planning import aggregates

    months, waiting = aggregates.inclusion(_qs(Household), "4028", today=dt.date(2026, 1, 1))
    assert sorted(months) == [6.0, 6.0, 12.0]
    assert waiting == 2  # L3 (2023) and L5 (2024) moved in over a year ago and are not settled


def test_stored_evidence_round_trips(resources):
    from blilyst.web.planning import aggregates
    from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

    cap = aggregates.capacity(_qs(Housing), _qs(JobVacancy), _qs(KindergartenCapacity), "4028")
    stored = aggregates.evidence_to_json(cap, {"housing": 2}, [6.0], 1)
    back = aggregates.evidence_from_json(stored)
    assert back.capacity.housing == cap.housing
    assert back.capacity.kindergarten_free == cap.kindergarten_free
    assert dict(back.matching_gaps) == {"housing": 2}
    assert back.not_yet_included == 1
