"""Each child has its own kindergarten need and match: its own month, a place of its age group then, its own
offer and answer, and its own gap row (named by number and age group, never by name)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from blilyst.web.resources.models import Housing, KindergartenCapacity, MatchingGap, Offer

from .test_household_matches import YEAR
from .test_offers import answer, offer

MARCH, AUGUST = dt.date(YEAR, 3, 1), dt.date(YEAR, 8, 1)


@pytest.fixture
def family(people):
    """Sofie (five this year) wants a place from August, Emma (born last year, under three) from March."""
    from blilyst.web.newcomers.models import Adult, Child, Household

    household = Household.objects.create(municipality=people.a, label="Familien Nygård")
    Adult.objects.create(household=household, name="Ingrid Nygård")
    Child.objects.create(household=household, first_name="Sofie", birth_year=YEAR - 5, kindergarten_from=AUGUST)
    Child.objects.create(household=household, first_name="Emma", birth_year=YEAR - 2, kindergarten_from=MARCH)
    return household


@pytest.fixture
def places(people):
    def row(name, month, free, group):
        return KindergartenCapacity.objects.create(
            municipality=people.a, kindergarten=name, month=month, free_places=free, age_group=group
        )

    class P:
        small = row("Brunkeberg barnehage", MARCH, 1, "under_3")
        big_march = row("Brunkeberg barnehage", MARCH, 3, "over_3")
        big_august = row("Kviteseid barnehage", AUGUST, 2, "over_3")

    return P


def first_suggestion(html: str) -> str:
    return html.split('<ol class="suggestions">')[1].split("</ul>")[0]


def test_each_child_has_its_own_place_in_the_suggestion_with_its_own_offer(people, client_for, family, places):
    client = client_for(people.alice)
    html = client.get(reverse("resources:match", args=[family.pk])).content.decode()
    best = first_suggestion(html)
    # child 1 is Sofie (the oldest), from her own month, in a place for children over three
    assert f"barnehageplass fra august {YEAR} i Kviteseid barnehage for barn 1 – Sofie" in best
    # child 2 is Emma, under three in March: the place for the small children, not the one for the older
    assert f"barnehageplass fra mars {YEAR} i Brunkeberg barnehage for barn 2 – Emma" in best
    assert best.count('name="kind" value="kindergarten"') == 2  # an offer button for each child
    assert 'name="age_group" value="under_3"' in best
    assert not MatchingGap.objects.filter(kind="kindergarten").exists()
    # the children's own sections carry the numbers the suggestions and gaps use
    assert "Barn 1: Sofie" in html and "Barn 2: Emma" in html and "under 3 år" in html


def test_an_accepted_place_takes_the_place_of_that_age_group_and_ends_that_childs_need(
    people, client_for, family, places
):
    client = client_for(people.alice)
    emma = family.children.get(first_name="Emma")
    response = offer(
        client,
        family,
        kind="kindergarten",
        kindergarten="Brunkeberg barnehage",
        month=MARCH.isoformat(),
        age_group="under_3",
        child=emma.pk,
    )
    assert response.status_code == 302
    made = Offer.objects.get()
    assert (made.child, made.age_group, made.month) == (emma, "under_3", MARCH)
    assert answer(client, family, made, status="accepted").status_code == 302
    places.small.refresh_from_db()
    places.big_march.refresh_from_db()
    assert (places.small.free_places, places.big_march.free_places) == (0, 3)
    best = first_suggestion(client.get(reverse("resources:match", args=[family.pk])).content.decode())
    assert "for barn 2" not in best  # Emma has her place: she is matched no more
    assert "for barn 1 – Sofie" in best
    assert not MatchingGap.objects.filter(household=family, resolved_on__isnull=True).exists()


def test_a_place_of_another_age_group_cannot_be_offered(people, client_for, family, places):
    client = client_for(people.alice)
    emma = family.children.get(first_name="Emma")
    response = client.post(
        reverse("resources:offer_create", args=[family.pk]),
        {
            "kind": "kindergarten",
            "kindergarten": "Brunkeberg barnehage",
            "month": MARCH.isoformat(),
            "age_group": "over_3",
            "child": emma.pk,
        },
        follow=True,
    )
    assert "Den plassen er for en annen aldersgruppe enn barnets i den måneden." in response.content.decode()
    assert not Offer.objects.exists()
    # a month that is no date records nothing either (and is no server error)
    response = offer(client, family, kind="kindergarten", kindergarten="x", month="mars", child=emma.pk)
    assert response.status_code == 302 and not Offer.objects.exists()


def test_each_child_without_a_place_is_its_own_gap_row_named_by_number_and_age(people, client_for, family):
    from blilyst.web.accounts.models import Membership, User
    from blilyst.web.accounts.roles import Role

    KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Kviteseid barnehage", month=MARCH, free_places=4, age_group="over_3"
    )
    client = client_for(people.alice)
    html = client.get(reverse("resources:match", args=[family.pk])).content.decode()
    assert f"Ingen ledig barnehageplass fra mars {YEAR} for barn 2 (under 3 år)" in html
    gaps = MatchingGap.objects.filter(household=family, kind="kindergarten").order_by("key")
    # one row per child: Sofie (over three) wants August, and the only free places are in March
    assert [(g.key, g.params["code"], g.params["age_group"]) for g in gaps] == [
        ("kindergarten:1", "kindergarten_none", "over_3"),
        ("kindergarten:2", "kindergarten_none", "under_3"),
    ]
    listed = client.get(reverse("resources:gaps")).content.decode()
    assert (
        "for barn 2 (under 3 år)" in listed
        and "for barn 1 (3 år og eldre)" in listed
        and f'href="/households/{family.pk}/"' in listed
    )
    assert "Emma" not in listed and "Nygård" not in listed
    analyst = User.objects.create(username="ann")
    Membership.objects.create(user=analyst, municipality=people.a, role=Role.ANALYST)
    seen = client_for(analyst).get(reverse("resources:gaps")).content.decode()
    assert "for barn 2 (under 3 år)" in seen
    assert "/households/" not in seen and "Emma" not in seen


def test_a_dwelling_accepted_by_one_household_becomes_a_gap_for_the_other_without_opening_its_page(people, client_for):
    from blilyst.web.newcomers.models import Household

    client = client_for(people.alice)
    house = Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Enebolig på Brunkeberg",
        bedrooms=3,
        size_m2=120,
        price=11_000,
        available_from=dt.date(YEAR, 1, 1),
    )
    wants = dict(municipality=people.a, housing_tenure="rent", housing_bedrooms=3, housing_from=MARCH)
    first = Household.objects.create(label="Familien Berg", **wants)
    other = Household.objects.create(label="Familien Dahl", **wants)
    for household in (first, other):
        client.get(reverse("resources:match", args=[household.pk]))
    assert not MatchingGap.objects.exists()  # the one dwelling suits both
    offer(client, first, kind="housing", housing=house.pk)
    answer(client, first, Offer.objects.get(), status="accepted")
    # the other household was not opened again: its gap comes from the register change
    gap = MatchingGap.objects.get(resolved_on__isnull=True)
    assert (gap.household_id, gap.key, gap.params["code"]) == (other.pk, "housing", "housing_none")
    # and the household that accepted is no longer matched for housing: no gap, no dwelling suggested
    html = client.get(reverse("resources:match", args=[first.pk])).content.decode()
    assert "Enebolig på Brunkeberg" not in html.split("<h2>")[2]  # the suggestions section
    assert not MatchingGap.objects.filter(household=first).exists()


def test_deleting_a_listing_re_matches_households_that_had_no_gap(people, client_for, family, places):
    client = client_for(people.alice)
    client.get(reverse("resources:match", args=[family.pk]))
    assert not MatchingGap.objects.exists()
    response = client.post(reverse("resources:delete", args=["kindergartens", places.small.pk]))
    assert response.status_code == 302
    gap = MatchingGap.objects.get(resolved_on__isnull=True)
    assert (gap.household_id, gap.key, gap.params["code"]) == (family.pk, "kindergarten:2", "kindergarten_none")


def test_places_by_age_group_are_imported_from_a_file(people, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    text = "Barnehage;Måned;Aldersgruppe;Ledige\nK;mars 2027;under 3 år;1\nK;mars 2027;over 3;4\nL;mars 2027;;2\n"
    response = client_for(people.alice).post(
        reverse("resources:import", args=["kindergartens"]),
        {"municipality": "4028", "file": SimpleUploadedFile("plasser.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(KindergartenCapacity.objects.values_list("kindergarten", "age_group", "free_places")) == [
        ("K", "over_3", 4),
        ("K", "under_3", 1),
        ("L", "", 2),
    ]


def test_the_api_gives_each_childs_place(people, family, places):
    from .test_resources_api import api

    body = api(people.alice)("get", f"/match/{family.pk}").json()
    assert body["suggestions"][0]["kindergartens"] == {
        "1": {"kindergarten": "Kviteseid barnehage", "month": AUGUST.isoformat(), "age_group": "over_3"},
        "2": {"kindergarten": "Brunkeberg barnehage", "month": MARCH.isoformat(), "age_group": "under_3"},
    }


def test_the_place_check_names_the_age_group_of_each_place(people, client_for, places):
    html = client_for(people.alice).get(f"/resources/kindergartens/?month={YEAR}-03&children=1").content.decode()
    assert "Brunkeberg barnehage, under 3 år (1)" in html and "Brunkeberg barnehage, 3 år og eldre (3)" in html
