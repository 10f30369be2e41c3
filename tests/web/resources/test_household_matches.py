"""The "Find matches" page of a household: ranked suggestions, gap texts, gaps recorded once, tenancy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity, MatchingGap

YEAR = timezone.localdate().year + 1  # next year: every date below lies ahead


@pytest.fixture
def couple(people):
    """A couple in Kviteseid: a nurse and a teacher, a child for kindergarten from March, a 3-bedroom rental."""
    from blilyst.web.newcomers.models import Adult, Child, Household

    household = Household.objects.create(
        municipality=people.a,
        label="Familien Berg",
        housing_tenure="rent",
        housing_bedrooms=3,
        housing_from=dt.date(YEAR, 3, 1),
    )
    Adult.objects.create(household=household, name="Kari Berg", occupation="sykepleier")
    Adult.objects.create(household=household, name="Ola Berg", job_wishes="lærer, lektor")
    Child.objects.create(
        household=household, first_name="Emma", birth_year=YEAR - 3, kindergarten_from=dt.date(YEAR, 3, 1)
    )
    return household


@pytest.fixture
def listings(people):
    Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Enebolig på Brunkeberg",
        bedrooms=3,
        size_m2=120,
        price=11_000,
        available_from=dt.date(YEAR, 8, 15),
    )
    Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Leilighet i sentrum",
        bedrooms=2,
        size_m2=60,
        price=8_000,
        available_from=dt.date(YEAR, 1, 1),
    )
    Housing.objects.create(
        municipality=people.b,
        kind="rent",
        title="Rekkehus i Åmot",
        bedrooms=3,
        size_m2=100,
        price=10_000,
        available_from=dt.date(YEAR, 1, 1),
    )  # Vinje: not for Kviteseid
    JobVacancy.objects.create(
        municipality=people.a, employer="Kviteseid kommune", occupation="sykepleier", sector="health", advertised="nav"
    )
    JobVacancy.objects.create(
        municipality=people.a,
        employer="Kviteseid skule",
        occupation="lærer",
        sector="education",
        advertised="municipality",
    )
    JobVacancy.objects.create(
        municipality=people.b,
        employer="Vinje kommune",
        occupation="lærer",
        sector="education",
        advertised="municipality",
    )
    KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Brunkeberg barnehage", month=dt.date(YEAR, 3, 1), free_places=1
    )


def test_the_best_suggestion_explains_itself(people, client_for, couple, listings):
    html = client_for(people.alice).get(reverse("resources:match", args=[couple.pk])).content.decode()
    first = html.split('<ol class="suggestions">')[1].split("</ul>")[0]  # the first suggestion's parts
    assert f"Enebolig på Brunkeberg: 3 soverom, til leie fra 15. august {YEAR}" in first
    assert "jobb som sykepleier hos Kviteseid kommune for voksen 1" in first
    assert "jobb som lærer hos Kviteseid skule for voksen 2" in first
    assert f"barnehageplass fra mars {YEAR} i Brunkeberg barnehage" in first
    assert "Rekkehus i Åmot" not in html and "Vinje kommune" not in html  # another municipality's listings


def test_the_gap_is_shown_and_recorded_once(people, client_for, couple, listings):
    client = client_for(people.alice)
    html = client.get(reverse("resources:match", args=[couple.pk])).content.decode()
    assert f"Ingen utleiebolig med minst 3 soverom før august {YEAR} (ønsket fra mars {YEAR})" in html
    client.get(reverse("resources:match", args=[couple.pk]))
    gap = MatchingGap.objects.get()
    assert (gap.kind, gap.municipality_id, gap.household_id, gap.resolved_on) == ("housing", "4028", couple.pk, None)
    assert gap.detail == f"ingen utleiebolig med minst 3 soverom før august {YEAR} (ønsket fra mars {YEAR})"


def test_a_gap_is_resolved_when_the_need_is_met(people, client_for, couple, listings):
    client = client_for(people.alice)
    client.get(reverse("resources:match", args=[couple.pk]))
    Housing.objects.create(
        municipality=people.a,
        kind="rent",
        title="Ny enebolig",
        bedrooms=3,
        size_m2=110,
        price=10_000,
        available_from=dt.date(YEAR, 2, 1),
    )
    html = client.get(reverse("resources:match", args=[couple.pk])).content.decode()
    assert "Alle behov har en match i tide." in html
    assert MatchingGap.objects.get().resolved_on == timezone.localdate()


def test_every_missing_job_and_place_is_a_gap(people, client_for, couple):
    html = client_for(people.alice).get(reverse("resources:match", args=[couple.pk])).content.decode()
    assert "Ingen ledig stilling som sykepleier for voksen 1" in html
    assert "Ingen ledig stilling som lærer eller lektor for voksen 2" in html
    assert f"Ingen ledig barnehageplass fra mars {YEAR}" in html
    assert sorted(MatchingGap.objects.values_list("kind", flat=True)) == ["housing", "job", "job", "kindergarten"]


def test_a_read_only_member_sees_matches_but_records_nothing(people, client_for, couple, listings):
    response = client_for(people.rita).get(reverse("resources:match", args=[couple.pk]))
    assert response.status_code == 200 and "Enebolig på Brunkeberg" in response.content.decode()
    assert not MatchingGap.objects.exists()


def test_a_stranger_gets_404(people, client_for, couple, listings):
    assert client_for(people.bob).get(reverse("resources:match", args=[couple.pk])).status_code == 404
    assert client_for(people.bob).get(reverse("resources:match", args=[999_999])).status_code == 404


def test_the_visit_is_in_the_access_log(people, client_for, couple, listings):
    from blilyst.web.privacy.models import AccessLogEntry

    client_for(people.alice).get(reverse("resources:match", args=[couple.pk]))
    entry = AccessLogEntry.objects.filter(household_id=couple.pk).latest("pk")
    assert (entry.username, entry.action, entry.detail) == ("alice", "view", "matching")


def test_erasing_the_household_keeps_the_gap_as_an_anonymous_count(people, client_for, couple, listings):
    client_for(people.alice).get(reverse("resources:match", args=[couple.pk]))
    couple.delete()
    gap = MatchingGap.objects.get()
    assert gap.household_id is None and gap.kind == "housing"


def test_the_gap_list_counts_by_kind(people, client_for, couple):
    client_for(people.alice).get(reverse("resources:match", args=[couple.pk]))
    html = client_for(people.rita).get(reverse("resources:gaps")).content.decode()
    assert '<td>Jobb</td><td class="num">2</td>' in html
    # The household's own words (its job wishes) are not stored in a gap, so analysts never read them.
    assert "Ingen ledig stilling som passer jobbønskene til voksen 2" in html
    assert "lektor" not in html
    assert "Kari" not in html and "Berg" not in html  # no names among the gaps
    html_b = client_for(people.bob).get(reverse("resources:gaps")).content.decode()
    assert '<td>Jobb</td><td class="num">0</td>' in html_b


def test_a_wish_naming_a_sector_matches_that_sectors_vacancies(people, client_for, listings):
    from blilyst.web.newcomers.models import Adult, Household

    household = Household.objects.create(municipality=people.a, label="Familien Lie")
    Adult.objects.create(household=household, name="Siri Lie", job_wishes="Helse")  # as the demo data has it
    html = client_for(people.alice).get(reverse("resources:match", args=[household.pk])).content.decode()
    assert "jobb som sykepleier hos Kviteseid kommune for voksen 1" in html


def test_the_resources_page_links_to_each_open_households_matches(people, client_for, couple):
    from blilyst.web.newcomers.models import Household

    Household.objects.create(municipality=people.a, label="Familien Borte", status="moved_out")
    html = client_for(people.alice).get(reverse("resources:index")).content.decode()
    assert f'href="{reverse("resources:match", args=[couple.pk])}">Familien Berg</a>' in html
    assert "Familien Borte" not in html
    assert "Familien Berg" not in client_for(people.bob).get(reverse("resources:index")).content.decode()


def test_the_gaps_belong_in_the_households_data_export(people, client_for, couple, listings):
    client_for(people.alice).get(reverse("resources:match", args=[couple.pk]))
    today = timezone.localdate().isoformat()
    assert MatchingGap.export_rows(couple) == [
        {
            "kind": "housing",
            "need": "housing",
            "detail": f"ingen utleiebolig med minst 3 soverom før august {YEAR} (ønsket fra mars {YEAR})",
            "recorded_on": today,
            "last_seen": today,
            "resolved_on": None,
        }
    ]


def test_a_household_wanting_a_host_and_a_welcome_day_gets_them(people, client_for, couple):
    from blilyst.web.resources.models import Event, Host

    couple.wants_host, couple.wants_welcome_event, couple.leisure_interests = True, True, "Ski, kor og fiske"
    couple.save()
    Host.objects.create(municipality=people.a, name="Per Dal", phone="90000001", interests="fotball")
    anne = Host.objects.create(
        municipality=people.a, name="Anne Lia", phone="90000002", interests="kor, fiske", languages="norsk, engelsk"
    )
    Host.objects.create(municipality=people.a, name="Inaktiv Vert", phone="90000003", interests="kor", active=False)
    Host.objects.create(municipality=people.b, name="Vinje-vert", phone="90000004", interests="kor fiske ski")
    starts = timezone.now() + dt.timedelta(days=30)
    Event.objects.create(municipality=people.a, title="Velkomstdag", kind="welcome_day", starts=starts)
    Event.objects.create(municipality=people.a, title="Bygdekino", kind="other", starts=starts - dt.timedelta(days=1))
    Event.objects.create(
        municipality=people.a, title="I fjor", kind="welcome_day", starts=starts - dt.timedelta(days=400)
    )
    html = client_for(people.alice).get(reverse("resources:match", args=[couple.pk])).content.decode()
    hosts = html.split("<h2>Verter</h2>")[1].split("</ul>")[0]
    assert hosts.index("Anne Lia") < hosts.index("Per Dal")
    assert f'<a href="/resources/hosts/{anne.pk}/">Anne Lia</a>' in hosts  # each host links to its page
    assert "deler: fiske, kor, norsk" in hosts
    assert "Inaktiv" not in hosts and "Vinje-vert" not in hosts
    events = html.split("<h2>Arrangementer</h2>")[1].split("</ul>")[0]
    assert events.index("Velkomstdag") < events.index("Bygdekino") and "I fjor" not in events


def test_no_host_section_without_the_wish(people, client_for, couple):
    html = client_for(people.alice).get(reverse("resources:match", args=[couple.pk])).content.decode()
    assert "<h2>Verter</h2>" not in html and "<h2>Arrangementer</h2>" not in html


def test_the_link_snippet_for_the_household_page(couple):
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("nb"):
        html = render_to_string("resources/_match_link.html", {"household": couple})
    assert f'<a href="/resources/match/{couple.pk}/">Finn match</a>' in html


def test_the_page_in_english(people, client_for, couple, listings):
    client = client_for(people.alice)
    client.cookies["blilyst_language"] = "en"
    html = client.get(reverse("resources:match", args=[couple.pk])).content.decode()
    assert "<h1>Find matches – Familien Berg</h1>" in html
    assert f"No rental home with at least 3 bedrooms before August {YEAR} (wanted from March {YEAR})" in html
    assert "job as sykepleier at Kviteseid kommune for adult 1" in html
