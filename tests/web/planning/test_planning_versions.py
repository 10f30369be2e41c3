"""Plan versions on the export page: adopt (date, case number), frozen documents, what changed, conflicts."""

from __future__ import annotations

import io

import pytest
from tests.web.conftest import export_plan


@pytest.fixture
def plan_with_goal(analyst, client_for):
    from blilyst.web.accounts.models import Municipality
    from blilyst.web.planning.models import Plan

    plan = Plan.for_municipality(Municipality.objects.get(code="4028"))
    plan.goal = "20 flere i arbeidsalder innen 2030"
    plan.chosen_groups = ["labour_immigrants"]
    plan.measures = [{"name": "Prøveboliger", "responsible": "Næringssjefen"}]
    plan.target_in_migrants = 5
    plan.save()
    return client_for(analyst), plan


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def test_adopting_freezes_the_plan_with_its_documents_and_starts_a_new_draft(plan_with_goal):
    client, plan = plan_with_goal
    page = client.get("/plan/4028/export/").content.decode()
    assert "Du arbeider med versjon 1, et utkast." in page
    response = client.post(
        "/plan/4028/adopt/", {"version": plan.version, "adopted_on": "2026-03-12", "case_number": "26/14"}
    )
    assert response.status_code == 302
    adopted = plan.versions.get()
    assert (adopted.number, adopted.case_number, str(adopted.adopted_on)) == (1, "26/14", "2026-03-12")
    assert adopted.figures["population"] == 2463  # Kviteseid, 1 January 2026 (SSB 07459)
    frozen = bytes(client.get("/plan/4028/versions/1/plan.docx").content)
    text = _docx_text(frozen)
    assert "Versjon 1, vedtatt i kommunestyret 12. mars 2026 (sak 26/14)." in text
    assert bytes(client.get("/plan/4028/versions/1/plan.pdf").content).startswith(b"%PDF")

    # work goes on in a new draft; the adopted version's documents stay as they were
    client.post(
        "/plan/4028/target-group/",
        {
            "version": plan.__class__.objects.get(pk=plan.pk).version,
            "chosen_groups": ["labour_immigrants", "returnees"],
            "goal": "20 flere i arbeidsalder innen 2030",
            "target_in_migrants": "11",
            "measures-TOTAL_FORMS": "1",
            "measures-INITIAL_FORMS": "0",
            "measures-MIN_NUM_FORMS": "0",
            "measures-MAX_NUM_FORMS": "12",
            "measures-0-name": "Prøveboliger",
            "measures-0-responsible": "Næringssjefen",
        },
    )
    page = client.get("/plan/4028/export/").content.decode()
    assert "Du arbeider med versjon 2, et utkast." in page
    assert "Ny målgruppe: Tilbakeflyttere." in page
    assert "Målet for flere innflyttere i året er endret fra 5 til 11." in page
    draft = _docx_text(export_plan(client, "4028", "docx").content)
    assert "Versjon 2, utkast (ikke vedtatt)." in draft
    assert "Endringer siden versjon 1, vedtatt 12. mars 2026" in draft
    assert "Ny målgruppe: Tilbakeflyttere." in draft
    assert bytes(client.get("/plan/4028/versions/1/plan.docx").content) == frozen


def test_a_plan_changed_since_the_page_was_opened_is_not_adopted(plan_with_goal):
    client, plan = plan_with_goal
    seen = plan.version
    plan.goal = "Someone else's goal"
    plan.save_checked(seen)
    response = client.post("/plan/4028/adopt/", {"version": seen, "adopted_on": "2026-03-12", "case_number": "26/14"})
    assert response.status_code == 409
    assert "Noen endret planen etter at du åpnet denne siden" in response.content.decode()
    assert not plan.versions.exists()


def test_a_plan_changed_while_its_documents_are_drawn_is_not_adopted(plan_with_goal, monkeypatch):
    """Adopting is background work whose documents are drawn before the plan's row is locked (a lock held for
    seconds would hold up every other save); a save made meanwhile is still caught when the version is frozen,
    and the job's page says so."""
    from blilyst.plan import document
    from blilyst.web.jobs.models import Job

    client, plan = plan_with_goal
    seen = plan.version
    draw = document.to_pdf

    def drawn_while_someone_saves(doc):
        other = plan.__class__.objects.get(pk=plan.pk)
        other.goal = "Someone else's goal"
        other.save_checked(seen)  # not blocked: no lock is held while drawing
        return draw(doc)

    monkeypatch.setattr(document, "to_pdf", drawn_while_someone_saves)
    response = client.post("/plan/4028/adopt/", {"version": seen, "adopted_on": "2026-03-12", "case_number": "26/14"})
    assert response.status_code == 302
    job = Job.objects.get(kind=Job.Kind.ADOPT)
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.state == Job.State.FAILED
    page = client.get(response["Location"]).content.decode()
    assert "Noen endret planen etter at du åpnet denne siden" in page
    assert not plan.versions.exists()
    assert plan.__class__.objects.get(pk=plan.pk).goal == "Someone else's goal"


def test_adopting_is_background_work_with_its_progress_on_the_job_page(plan_with_goal):
    from blilyst.web.jobs.models import Job

    client, plan = plan_with_goal
    response = client.post(
        "/plan/4028/adopt/", {"version": plan.version, "adopted_on": "2026-03-12", "case_number": "26/14"}
    )
    job = Job.objects.get(kind=Job.Kind.ADOPT)
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.state, job.municipality_id, job.params["case_number"]) == (Job.State.DONE, "4028", "26/14")
    assert (job.done, job.total) == (2, 3)  # figures, PDF, Word: the last step reported before freezing
    page = client.get(response["Location"]).content.decode()
    assert "Versjon 1 er vedtatt og låst." in page
    assert 'href="/plan/4028/export/"' in page
    assert plan.versions.get().created_by == job.started_by


def test_adoption_needs_a_case_number_and_a_date_not_in_the_future(plan_with_goal):
    client, plan = plan_with_goal
    response = client.post(
        "/plan/4028/adopt/", {"version": plan.version, "adopted_on": "2999-01-01", "case_number": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vedtaksdatoen kan ikke være fram i tid." in html
    assert not plan.versions.exists()


def test_only_editors_adopt_and_only_members_read_adopted_versions(plan_with_goal, people, client_for):
    client, plan = plan_with_goal
    data = {"version": plan.version, "adopted_on": "2026-03-12", "case_number": "26/14"}
    assert client_for(people.rita).post("/plan/4028/adopt/", data).status_code == 403
    assert client_for(people.bob).post("/plan/4028/adopt/", data).status_code == 404
    assert client.post("/plan/4028/adopt/", data).status_code == 302
    assert client_for(people.rita).get("/plan/4028/versions/1/plan.pdf").status_code == 200
    assert client_for(people.bob).get("/plan/4028/versions/1/plan.pdf").status_code == 404
    assert client.get("/plan/4028/versions/2/plan.pdf").status_code == 404


def test_an_adoption_still_waiting_for_a_worker_is_shown_on_the_export_page(plan_with_goal, analyst):
    from blilyst.web.jobs.models import Job

    client, plan = plan_with_goal
    job = Job.objects.create(
        kind=Job.Kind.ADOPT, started_by=analyst, municipality_id="4028", params={"case_number": "26/14"}
    )
    page = client.get("/plan/4028/export/").content.decode()
    assert f'href="/jobs/{job.pk}/"' in page
    assert "Vedtaket ditt (sak 26/14) er ikke ferdig ennå" in page
    job.finish(Job.State.DONE, "")
    assert f'href="/jobs/{job.pk}/"' not in client.get("/plan/4028/export/").content.decode()
