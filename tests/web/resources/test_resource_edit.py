"""Creating, changing and deleting resources: tenant isolation and validation messages in nb/en."""

from __future__ import annotations

from django.urls import reverse

from blilyst.web.resources.models import Housing, JobVacancy, KindergartenCapacity

JOB = {
    "employer": "Kviteseid kommune",
    "occupation": "lærer",
    "sector": "education",
    "advertised": "finn",
    "deadline": "2027-01-31",
    "positions": "1",
    "status": "open",
}


def test_a_contact_person_creates_a_vacancy_in_their_municipality(people, client_for):
    response = client_for(people.alice).post(
        reverse("resources:create", args=["jobs"]), {**JOB, "municipality": "4028"}
    )
    assert response.status_code == 302
    job = JobVacancy.objects.get(occupation="lærer")
    assert job.municipality_id == "4028" and str(job.deadline) == "2027-01-31"


def test_one_cannot_create_in_another_municipality(people, client_for):
    response = client_for(people.alice).post(
        reverse("resources:create", args=["jobs"]), {**JOB, "municipality": "4036"}
    )
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()
    assert not JobVacancy.objects.exists()


def test_a_read_only_member_may_not_create(people, client_for):
    assert client_for(people.rita).get(reverse("resources:create", args=["jobs"])).status_code == 403
    assert (
        client_for(people.rita)
        .post(reverse("resources:create", args=["jobs"]), {**JOB, "municipality": "4028"})
        .status_code
        == 403
    )
    assert not JobVacancy.objects.exists()


def test_trial_housing_over_three_years_shows_the_error_in_norwegian(people, client_for):
    data = {
        "municipality": "4028",
        "kind": "trial",
        "title": "Prøvebolig",
        "bedrooms": "3",
        "size_m2": "90",
        "price": "7000",
        "term_months": "48",
        "status": "available",
        "available_from": "2027-03-01",
    }
    html = client_for(people.alice).post(reverse("resources:create", args=["housing"]), data).content.decode()
    assert "En prøvebolig leies ut i høyst tre år (36 måneder); oppgi 1 til 36." in html
    assert not Housing.objects.exists()


def test_the_same_error_in_english(people, client_for):
    client = client_for(people.alice)
    client.cookies["blilyst_language"] = "en"
    data = {
        "municipality": "4028",
        "kind": "trial",
        "title": "Trial",
        "bedrooms": "3",
        "size_m2": "90",
        "price": "7000",
        "term_months": "48",
        "status": "available",
        "available_from": "2027-03-01",
    }
    html = client.post(reverse("resources:create", args=["housing"]), data).content.decode()
    assert "Trial housing is let for at most three years (36 months); give 1 to 36." in html


def test_a_month_field_takes_a_browser_month(people, client_for):
    data = {"municipality": "4028", "kindergarten": "Kviteseid barnehage", "month": "2027-03", "free_places": "2"}
    assert client_for(people.alice).post(reverse("resources:create", args=["kindergartens"]), data).status_code == 302
    assert KindergartenCapacity.objects.get().month.isoformat() == "2027-03-01"
    again = client_for(people.alice).post(reverse("resources:create", args=["kindergartens"]), data)
    assert again.status_code == 200 and KindergartenCapacity.objects.count() == 1  # one row per kindergarten and month


def test_the_owner_edits(people, client_for, resources):
    url = reverse("resources:edit", args=["jobs", resources.job_a.pk])
    data = {**JOB, "occupation": "sykepleier", "status": "filled", "version": resources.job_a.version}
    response = client_for(people.alice).post(url, data)
    assert response.status_code == 302
    resources.job_a.refresh_from_db()
    assert resources.job_a.status == "filled" and resources.job_a.municipality_id == "4028"


def test_the_municipality_cannot_be_moved_on_edit(people, client_for, resources):
    url = reverse("resources:edit", args=["jobs", resources.job_a.pk])
    client_for(people.alice).post(url, {**JOB, "municipality": "4036", "version": resources.job_a.version})
    resources.job_a.refresh_from_db()
    assert resources.job_a.municipality_id == "4028"


def test_a_stranger_gets_404_for_everything(people, client_for, resources):
    client = client_for(people.bob)
    for kind, obj in (("jobs", resources.job_a), ("housing", resources.house_a), ("kindergartens", resources.place_a)):
        assert client.get(reverse("resources:edit", args=[kind, obj.pk])).status_code == 404
        assert client.post(reverse("resources:edit", args=[kind, obj.pk]), JOB).status_code == 404
        assert client.post(reverse("resources:delete", args=[kind, obj.pk])).status_code == 404
    assert JobVacancy.objects.filter(pk=resources.job_a.pk).exists()


def test_a_read_only_member_gets_403_on_write(people, client_for, resources):
    client = client_for(people.rita)
    assert client.get(reverse("resources:edit", args=["jobs", resources.job_a.pk])).status_code == 403
    assert client.post(reverse("resources:edit", args=["jobs", resources.job_a.pk]), JOB).status_code == 403
    assert client.post(reverse("resources:delete", args=["housing", resources.house_a.pk])).status_code == 403
    assert Housing.objects.filter(pk=resources.house_a.pk).exists()


def test_the_owner_deletes(people, client_for, resources):
    response = client_for(people.alice).post(reverse("resources:delete", args=["housing", resources.house_a.pk]))
    assert response.status_code == 302
    assert not Housing.objects.filter(pk=resources.house_a.pk).exists()


def test_delete_needs_post(people, client_for, resources):
    assert (
        client_for(people.alice).get(reverse("resources:delete", args=["housing", resources.house_a.pk])).status_code
        == 405
    )
