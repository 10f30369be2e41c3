"""The resource lists: each user sees their own municipality's rows, personal data only with the right role."""

from __future__ import annotations

from django.urls import reverse


def test_it_lists_only_the_users_municipality(people, client_for, resources):
    html = client_for(people.alice).get(reverse("resources:list", args=["housing"])).content.decode()
    assert "Enebolig på Brunkeberg" in html
    assert "Hytte ved Totak" not in html
    assert "1 rad." in html


def test_a_contact_person_sees_the_owners_contact(people, client_for, resources):
    html = client_for(people.alice).get(reverse("resources:list", args=["housing"])).content.decode()
    assert "Olav Haugen" in html and "91234567" in html


def test_an_analyst_does_not_see_personal_data(people, client_for, resources):
    from blilyst.web.accounts.models import Membership
    from blilyst.web.accounts.roles import Role

    Membership.objects.filter(user=people.rita).update(role=Role.ANALYST)
    client = client_for(people.rita)
    html = client.get(reverse("resources:list", args=["housing"])).content.decode()
    assert "Enebolig på Brunkeberg" in html
    assert "Olav Haugen" not in html and "91234567" not in html
    assert client.get(reverse("resources:list", args=["hosts"])).status_code == 404


def test_a_read_only_member_sees_no_edit_links(people, client_for, resources):
    html = client_for(people.rita).get(reverse("resources:list", args=["jobs"])).content.decode()
    assert "sykepleier" in html
    assert reverse("resources:edit", args=["jobs", resources.job_a.pk]) not in html
    assert reverse("resources:create", args=["jobs"]) not in html


def test_it_filters_on_status(people, client_for, resources):
    resources.job_a.status = "filled"
    resources.job_a.save()
    client = client_for(people.alice)
    assert "0 rader." in client.get(reverse("resources:list", args=["jobs"]), {"status": "open"}).content.decode()
    assert "1 rad." in client.get(reverse("resources:list", args=["jobs"]), {"status": "filled"}).content.decode()


def test_an_unknown_kind_is_404(people, client_for):
    assert client_for(people.alice).get("/resources/castles/").status_code == 404


def test_the_overview_counts_the_users_rows(people, client_for, resources):
    html = client_for(people.bob).get(reverse("resources:index")).content.decode()
    assert "Boliger</a> (1)" in html


def test_a_place_from_march_can_be_checked(people, client_for, resources):
    import datetime as dt

    from blilyst.web.resources.models import KindergartenCapacity

    KindergartenCapacity.objects.create(
        municipality=people.a, kindergarten="Kviteseid barnehage", month=dt.date(2027, 5, 1), free_places=3
    )
    KindergartenCapacity.objects.create(
        municipality=people.b, kindergarten="Åmot barnehage", month=dt.date(2027, 3, 1), free_places=5
    )  # Vinje's: not Alice's
    client = client_for(people.alice)
    url = reverse("resources:list", args=["kindergartens"])
    html = client.get(url, {"month": "2027-03", "children": "1"}).content.decode()
    assert "Ledig plass fra mars 2027 for 1 barn:\n  Brunkeberg barnehage (1)." in html
    html = client.get(url, {"month": "2027-03", "children": "2"}).content.decode()
    assert "Ingen barnehage har ledige plasser for 2 barn fra mars 2027." in html
    assert "Første er fra mai 2027 i Kviteseid barnehage." in html
    assert "Åmot" not in html
    html = client.get(url, {"month": "mars", "children": "1"}).content.decode()
    assert "Oppgi en gyldig dato." in html
