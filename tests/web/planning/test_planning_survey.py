"""Residents' own wish to stay: staff enter a survey's counts; the page and the plan report them alike."""

from __future__ import annotations

SURVEY = {
    "title": "Innbyggerundersøkelsen 2026",
    "conducted_on": "2026-10-15",
    "respondents": "120",
    "stay_yes": "60",
    "stay_probably": "30",
    "stay_unsure": "15",
    "stay_probably_not": "10",
    "stay_no": "5",
    "stay_reason_nature": "70",
    "stay_reason_family": "55",
    "stay_reason_community": "2",
    "leave_reason_job": "25",
    "leave_reason_transport": "1",
}


def test_the_survey_is_stored_as_counts_and_shown_with_small_counts_hidden(people, analyst, client_for):
    from blilyst.web.planning.models import ResidentSurvey

    client = client_for(analyst)
    response = client.post("/plan/4028/survey/", SURVEY)
    assert response.status_code == 302
    survey = ResidentSurvey.objects.get(municipality="4028")
    assert survey.respondents == 120
    assert survey.stay == {"yes": 60, "probably": 30, "unsure": 15, "probably_not": 10, "no": 5}
    assert survey.leave_reasons == {"job": 25, "transport": 1}
    html = client.get("/plan/4028/survey/").content.decode()
    assert "Innbyggerundersøkelsen 2026, 15. oktober 2026: 120 innbyggere svarte." in html
    assert "Natur og friluftsliv" in html and "skjult (under 3)" in html
    # the plan reads the latest survey
    data = client.get("/plan/4028/export/plan.json").json()
    assert data["survey"]["respondents"] == 120 and data["survey"]["stay_reasons"]["community"] == 2


def test_counts_that_do_not_add_up_are_refused_in_norwegian(people, analyst, client_for):
    from blilyst.web.planning.models import ResidentSurvey

    client = client_for(analyst)
    response = client.post("/plan/4028/survey/", SURVEY | {"stay_no": "6"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Svarene på femårsspørsmålet blir til sammen 121, flere enn de 120 som svarte." in html
    response = client.post("/plan/4028/survey/", SURVEY | {"leave_reason_job": "121"})
    assert "Flere enn de 120 innbyggerne som svarte." in response.content.decode()
    response = client.post("/plan/4028/survey/", SURVEY | {"conducted_on": "2999-01-01"})
    assert response.status_code == 200
    assert ResidentSurvey.objects.count() == 0


def test_only_writers_enter_surveys_and_strangers_see_nothing(people, analyst, client_for):
    from blilyst.web.planning.models import ResidentSurvey

    client_for(analyst).post("/plan/4028/survey/", SURVEY)
    assert client_for(people.rita).get("/plan/4028/survey/").status_code == 200  # read-only may read
    assert client_for(people.rita).post("/plan/4028/survey/", SURVEY).status_code == 403
    assert client_for(people.bob).get("/plan/4028/survey/").status_code == 404
    assert ResidentSurvey.objects.count() == 1


def test_the_counts_can_come_from_a_file(people, analyst, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from blilyst.web.planning.models import ResidentSurvey

    sheet = "del;svar;antall\nfem år;Ja;70\nfem år;Nei;20\ngrunn til å flytte;Arbeid;12\n".encode()
    fields = {k: v for k, v in SURVEY.items() if not k.startswith(("stay_", "leave_"))}
    response = client_for(analyst).post(
        "/plan/4028/survey/", fields | {"file": SimpleUploadedFile("svar.csv", sheet, "text/csv")}
    )
    assert response.status_code == 302
    survey = ResidentSurvey.objects.get()
    assert survey.stay == {"yes": 70, "no": 20} and survey.leave_reasons == {"job": 12}
    bad = "del;svar;antall\nfem år;Kanskje;3\n".encode()
    response = client_for(analyst).post(
        "/plan/4028/survey/", fields | {"file": SimpleUploadedFile("svar.csv", bad, "text/csv")}
    )
    assert "Filen kan ikke brukes: linje 2" in response.content.decode()
