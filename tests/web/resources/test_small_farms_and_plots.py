"""Small farms (småbruk) and building plots (tomt) in the housing register: validation, labels, CSV import,
the list filter, the API, matching a household that wants a small farm, and the gap when there is none."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from blilyst.matching import HouseholdNeeds, HousingListing, ListingIndex, match_household
from blilyst.web.resources import csvimport
from blilyst.web.resources.explain import describe_gap, describe_part
from blilyst.web.resources.models import Housing, MatchingGap

YEAR = timezone.localdate().year + 1  # next year: every date below lies ahead


def listing(municipality, **overrides):
    values = dict(
        municipality=municipality,
        kind="small_farm",
        title="Småbruk i Vrådal",
        bedrooms=4,
        size_m2=140,
        price=2_900_000,
        available_from=dt.date(YEAR, 3, 1),
    )
    values.update(overrides)
    return Housing(**values)


# --- the model ---------------------------------------------------------------------------------------------
def test_a_small_farm_without_a_term_is_for_sale_and_with_one_is_let(people):
    for_sale = listing(people.a)
    for_sale.full_clean()
    assert not for_sale.is_monthly
    let = listing(people.a, price=9_000, term_months=60)  # a lease is not trial housing: no 36-month cap
    let.full_clean()
    assert let.is_monthly


def test_a_plot_has_no_bedrooms_and_no_term(people):
    plot = listing(people.a, kind="plot", title="Byggetomt på Fjågesund", bedrooms=0, size_m2=900, price=350_000)
    plot.full_clean()
    assert not plot.is_monthly
    with translation.override("nb"):
        with pytest.raises(ValidationError) as exc:
            listing(people.a, kind="plot", bedrooms=2, term_months=12).full_clean()
        assert exc.value.message_dict == {
            "bedrooms": ["En tomt har ingen soverom; oppgi 0."],
            "term_months": ["En tomt er til salgs og har ingen leieperiode; la feltet stå tomt."],
        }
    with translation.override("en"):
        with pytest.raises(ValidationError) as exc:
            listing(people.a, kind="plot", bedrooms=1).full_clean()
        assert exc.value.message_dict == {"bedrooms": ["A building plot has no bedrooms; give 0."]}


def test_the_kinds_are_labelled_in_bokmal_and_english():
    with translation.override("nb"):
        assert (str(Housing.Kind.SMALL_FARM.label), str(Housing.Kind.PLOT.label)) == ("Småbruk", "Tomt")
    with translation.override("en"):
        assert (str(Housing.Kind.SMALL_FARM.label), str(Housing.Kind.PLOT.label)) == ("Small farm", "Building plot")


# --- CSV import --------------------------------------------------------------------------------------------
def test_csv_import_reads_the_kinds_in_norwegian_and_english(people):
    text = (
        "Type;Tittel;Soverom;Størrelse;Pris;Ledig fra;Leietid\n"
        "småbruk;Småbruk på Brunkeberg;4;140;2900000;01.03.2027;\n"
        "Small farm;Småbruk ved Kviteseidvatnet;3;110;8000;01.04.2027;60\n"
        "tomt;Tomt i Vrådal;0;850;300000;01.05.2027;\n"
        "plot;Byggetomt på Fjågesund;0;1200;450000;01.06.2027;\n"
    )
    report = csvimport.import_csv("housing", text.encode("utf-8"), people.a)
    assert (report.created, report.updated, report.unchanged, report.rejected) == (4, 0, 0, 0), report.errors
    rows = Housing.objects.order_by("available_from")
    assert [(h.kind, h.title, h.term_months, h.is_monthly) for h in rows] == [
        ("small_farm", "Småbruk på Brunkeberg", None, False),
        ("small_farm", "Småbruk ved Kviteseidvatnet", 60, True),
        ("plot", "Tomt i Vrådal", None, False),
        ("plot", "Byggetomt på Fjågesund", None, False),
    ]


def test_csv_import_refuses_a_plot_with_bedrooms(people):
    text = (
        "Type;Tittel;Soverom;Størrelse;Pris;Ledig fra\n"
        "tomt;Tomt i Vrådal;3;850;300000;01.05.2027\n"
        "tomt;Tomt på Fjågesund;0;900;350000;01.05.2027\n"
    )
    with translation.override("nb"):
        report = csvimport.import_csv("housing", text.encode("utf-8"), people.a)
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Soverom", "En tomt har ingen soverom; oppgi 0.")
    ]
    assert (report.created, report.updated, report.unchanged, report.rejected) == (1, 0, 0, 1)
    assert list(Housing.objects.values_list("title", flat=True)) == ["Tomt på Fjågesund"]


# --- the list and the API ----------------------------------------------------------------------------------
def test_the_housing_list_filters_on_kind(people, client_for):
    listing(people.a).save()
    listing(people.a, kind="plot", title="Byggetomt på Fjågesund", bedrooms=0, size_m2=900, price=350_000).save()
    listing(people.a, kind="rent", title="Leilighet i sentrum", bedrooms=2, size_m2=60, price=8_000).save()
    client = client_for(people.alice)
    html = client.get(reverse("resources:list", args=["housing"]), {"kind": "small_farm"}).content.decode()
    assert "Småbruk i Vrådal" in html and "Byggetomt" not in html and "Leilighet i sentrum" not in html
    assert "1 rad." in html and '<option value="small_farm" selected>Småbruk</option>' in html
    html = client.get(reverse("resources:list", args=["housing"]), {"kind": "plot"}).content.decode()
    assert "Byggetomt på Fjågesund" in html and "1 rad." in html
    assert "3 rader." in client.get(reverse("resources:list", args=["housing"]), {"kind": "castle"}).content.decode()


def test_the_api_accepts_the_new_kinds_and_the_plot_rule(people):
    from blilyst.web.api.models import ApiToken

    _row, token = ApiToken.issue(people.alice, "test")
    client = Client()

    def call(method, path, data):
        return getattr(client, method)(
            "/api/resources" + path,
            data=json.dumps(data),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )

    farm = {
        "municipality": "4028",
        "kind": "small_farm",
        "title": "Småbruk i Vrådal",
        "bedrooms": 4,
        "size_m2": 140,
        "price": 2_900_000,
        "status": "available",
        "available_from": f"{YEAR}-03-01",
    }
    response = call("post", "/housing", farm)
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "small_farm"
    response = call("post", "/housing", {**farm, "kind": "plot", "title": "Tomt", "bedrooms": 2})
    assert response.status_code == 422
    assert response.json() == {"errors": {"bedrooms": ["En tomt har ingen soverom; oppgi 0."]}}
    assert list(Housing.objects.values_list("kind", flat=True)) == ["small_farm"]


# --- matching ----------------------------------------------------------------------------------------------
HOMES = [
    HousingListing(1, "sale", 4, 2_500_000, dt.date(2027, 1, 1), "Enebolig på Brunkeberg"),
    HousingListing(2, "small_farm", 4, 2_900_000, dt.date(2027, 3, 1), "Småbruk i Vrådal"),
    HousingListing(3, "small_farm", 3, 9_000, dt.date(2027, 2, 1), "Småbruk til leie", term_months=60),
    HousingListing(4, "plot", 0, 350_000, dt.date(2027, 1, 1), "Byggetomt på Fjågesund"),
]


def test_a_household_that_wants_a_small_farm_is_offered_one_and_a_buyer_is_not():
    index = ListingIndex(HOMES, today=dt.date(2026, 12, 1))
    farm = match_household(
        HouseholdNeeds(1, housing_kinds=frozenset({"small_farm"}), min_bedrooms=4, housing_from=dt.date(2027, 3, 1)),
        index,
    )
    assert [s.housing.title for s in farm.suggestions] == ["Småbruk i Vrådal"] and farm.gaps == []
    buyer = match_household(HouseholdNeeds(2, housing_kinds=frozenset({"sale"}), min_bedrooms=3), index)
    assert [s.housing.title for s in buyer.suggestions] == ["Enebolig på Brunkeberg"]
    # a small farm for sale is held to the purchase budget, one let for a term to the monthly rent
    budget = match_household(
        HouseholdNeeds(3, housing_kinds=frozenset({"small_farm"}), max_price=2_000_000, max_rent=10_000), index
    )
    assert [s.housing.title for s in budget.suggestions] == ["Småbruk til leie"]
    plot = match_household(HouseholdNeeds(4, housing_kinds=frozenset({"plot"})), index)
    assert [s.housing.title for s in plot.suggestions] == ["Byggetomt på Fjågesund"]
    with translation.override("nb"):
        assert describe_part(plot.suggestions[0].parts[0], dt.date(2027, 1, 1)) == (
            "Byggetomt på Fjågesund: tomt til salgs fra 1. januar"
        )
        assert describe_part(budget.suggestions[0].parts[0], dt.date(2027, 1, 1)) == (
            "Småbruk til leie: 3 soverom, småbruk til leie fra 1. februar (60 måneder)"
        )


def test_no_small_farm_is_the_gap_ingen_ledige_smabruk():
    index = ListingIndex([h for h in HOMES if h.kind != "small_farm"], today=dt.date(2026, 12, 1))
    result = match_household(HouseholdNeeds(1, housing_kinds=frozenset({"small_farm"})), index)
    assert result.suggestions == [] and [g.code for g in result.gaps] == ["housing_none"]
    with translation.override("nb"):
        assert describe_gap(result.gaps[0]) == "ingen ledige småbruk"
    with translation.override("en"):
        assert describe_gap(result.gaps[0]) == "no small farms available"
    plot = match_household(HouseholdNeeds(2, housing_kinds=frozenset({"plot"})), ListingIndex(HOMES[:3]))
    with translation.override("nb"):
        assert describe_gap(plot.gaps[0]) == "ingen ledige tomter"


def test_a_household_wanting_a_small_farm_in_the_web_app(people, client_for):
    from blilyst.web.newcomers.models import Household
    from blilyst.web.resources.matchinputs import household_needs

    household = Household.objects.create(
        municipality=people.a,
        label="Familien Lund",
        housing_tenure="small_farm",
        housing_bedrooms=3,
        housing_from=dt.date(YEAR, 4, 1),
    )
    assert household_needs(household).housing_kinds == frozenset({"small_farm"})
    plot_household = Household.objects.create(
        municipality=people.a, label="Familien Dahl", housing_tenure="plot", housing_bedrooms=4
    )
    assert (household_needs(plot_household).housing_kinds, household_needs(plot_household).min_bedrooms) == (
        frozenset({"plot"}),
        0,
    )  # a plot has no bedrooms to ask for
    listing(people.a, kind="sale", title="Enebolig på Brunkeberg").save()  # for sale, but not a small farm
    client = client_for(people.alice)
    html = client.get(reverse("resources:match", args=[household.pk])).content.decode()
    assert "Ingen ledige småbruk med minst 3 soverom" in html
    gap = MatchingGap.objects.get(household=household)
    assert gap.detail == "ingen ledige småbruk med minst 3 soverom"
    listing(people.a).save()
    html = client.get(reverse("resources:match", args=[household.pk])).content.decode()
    assert f"Småbruk i Vrådal: 4 soverom, småbruk til salgs fra 1. mars {YEAR}" in html
    assert MatchingGap.objects.get(household=household).resolved_on == timezone.localdate()
