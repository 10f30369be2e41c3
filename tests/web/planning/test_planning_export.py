"""One click: the plan as PDF and DOCX, opened and searched for Kviteseid's real figures."""

from __future__ import annotations

import io

import pytest
from tests.web.conftest import export_plan


def _fill(client) -> None:
    """An assessment, a target group with a goal, an indicator and a measure, and a checked campaign text."""
    client.post(
        "/plan/4028/bottlenecks/",
        {
            "assessed_on": "2025-10-01",
            "rating_receiving": "good",
            "rating_housing": "bottleneck",
            "rating_kindergarten": "partly",
            "rating_jobs": "good",
            "rating_vacancies": "partly",
            "notes_housing": "For få utleieboliger",
            "notes_receiving": "",
            "notes_kindergarten": "",
            "notes_jobs": "",
            "notes_vacancies": "",
        },
    )
    client.post(
        "/plan/4028/target-group/",
        {
            "version": "1",
            "chosen_groups": ["labour_immigrants"],
            "goal": "20 flere i arbeidsalder innen 2030",
            "rationale": "",
            "indicator_name": "Folketall",
            "indicator_metric": "population",
            "indicator_target": "2500",
            "indicator_year": "2030",
            "measures-TOTAL_FORMS": "1",
            "measures-INITIAL_FORMS": "0",
            "measures-MIN_NUM_FORMS": "0",
            "measures-MAX_NUM_FORMS": "12",
            "target_in_migrants": "5",
            "measures-0-name": "Prøveboliger for arbeidsinnvandrere",
            "measures-0-bottleneck": "housing",
            "measures-0-responsible": "Næringssjefen",
            "measures-0-partners_business": "Kviteseid Bygg AS",
            "measures-0-partners_neighbour": "Vinje kommune, Tokke kommune",
            "measures-0-start": "2027-01-01",
            "measures-0-end": "2029-12-31",
            "measures-0-cost": "450000",
            "measures-0-indicator_name": "Husholdninger i prøvebolig",
            "measures-0-indicator_metric": "moved_in_households",
            "measures-0-indicator_target": "6",
            "measures-0-indicator_year": "2029",
        },
    )
    client.post("/plan/4028/message/", {"title": "Nettsiden", "text": "Barnehageplass garantert hele året for alle!"})
    from django.core.files.uploadedfile import SimpleUploadedFile

    employed = '"næring (SN2007)";"alder";"Sysselsatte 2025"\n"86-88 Helse- og sosialtjenester";"55-66 år";84\n'
    client.post(
        "/plan/4028/competence/",
        {"year": "2025", "source": "SSB 07984", "file": SimpleUploadedFile("07984.csv", employed.encode(), "text/csv")},
    )
    client.post(
        "/plan/4028/survey/",
        {
            "title": "Innbyggerundersøkelsen 2026",
            "conducted_on": "2026-10-15",
            "respondents": "120",
            "stay_yes": "60",
            "stay_probably": "30",
            "stay_unsure": "15",
            "stay_probably_not": "10",
            "stay_no": "5",
            "stay_reason_nature": "70",
            "leave_reason_job": "25",
            "leave_reason_transport": "2",
        },
    )


@pytest.fixture
def filled_plan(resources, households, analyst, client_for):
    client = client_for(analyst)
    _fill(client)
    return client


@pytest.fixture
def filled_plan_without_households(resources, analyst, client_for):
    client = client_for(analyst)
    _fill(client)
    return client


def _docx_parts(data: bytes) -> tuple[list[str], list[list[str]], list[bytes]]:
    """A Word file's paragraphs, table rows and pictures, in order."""
    from docx import Document

    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    pictures = [
        document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for shape in document.inline_shapes
    ]
    return paragraphs, rows, pictures


def test_the_command_line_writes_the_same_document_from_the_saved_plan(filled_plan_without_households, tmp_path):
    import json

    from blilyst.cli import main

    client = filled_plan_without_households
    saved = client.get("/plan/4028/export/plan.json")
    assert saved.status_code == 200
    assert saved["Content-Disposition"].endswith('.json"')
    data = json.loads(saved.content)
    assert data["municipality"] == "4028" and data["chosen_groups"] == ["labour_immigrants"]
    assert data["assessment"]["ratings"]["housing"] == "bottleneck"
    plan_file = tmp_path / "plan-4028.json"
    plan_file.write_bytes(saved.content)

    web = _docx_parts(export_plan(client, "4028", "docx").content)
    out = tmp_path / "cli.docx"
    assert main(["plan", "4028", "--saved", str(plan_file), "--output", str(out)]) == 0
    cli = _docx_parts(out.read_bytes())

    assert cli[0] == web[0]  # every heading and paragraph
    assert cli[1] == web[1]  # every table row (key figures, comparison, assessment, chain, honesty ...)
    assert cli[2] == web[2]  # the same charts, byte for byte
    assert len(web[2]) >= 7
    cells = "\n".join("\n".join(r) for r in web[1])
    assert "Prøveboliger for arbeidsinnvandrere" in cells and "For få utleieboliger" in cells
    # the sections built from the registers' counts travel in the plan file and come out the same
    assert data["registers"]["capacity"]["vacancies"] == {"health": 3}
    for heading in (
        "Kompetanse kommunen vil mangle",
        "Arbeidsgivernes rekrutteringsbehov",
        "Innbyggernes eget ønske om å bli",
        "Hva tilflyttertjenesten ikke kan tilby",
        "Budskapet til hver målgruppe",
    ):
        assert heading in web[0]
    assert "Sykepleier" in cells  # open positions by occupation


def test_the_command_line_refuses_another_municipalitys_plan(filled_plan_without_households, tmp_path, capsys):
    from blilyst.cli import main

    plan_file = tmp_path / "plan.json"
    plan_file.write_bytes(filled_plan_without_households.get("/plan/4028/export/plan.json").content)
    assert main(["plan", "vinje", "--saved", str(plan_file), "--output", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert "er planen til kommune 4028, ikke 4036 Vinje" in err  # the command line speaks bokmål by default
    assert not (tmp_path / "x.pdf").exists()


def test_the_pdf_holds_kviteseids_figures_and_every_part(filled_plan):
    from blilyst.plan.document import extract_pdf_text

    response = export_plan(filled_plan, "4028", "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="plan-4028-Kviteseid-')
    data = response.content
    assert data.startswith(b"%PDF")
    text = extract_pdf_text(data)
    assert "Kviteseid" in text
    assert "2 463" in text or "2\xa0463" in text  # population 1 January 2026 (SSB 07459)
    assert "Kilde: Statistisk sentralbyrå" in text
    assert "For få utleieboliger" in text  # the bottleneck assessment
    assert "Prøveboliger for arbeidsinnvandrere" in text  # the chain
    assert "Barnehageplass garantert" in text  # the honesty check
    flat = " ".join(text.split())
    # the first page: version, summary with the stated period, recommendations that follow from the figures
    assert "Versjon 1, utkast (ikke vedtatt)." in flat
    assert "Sammendrag" in flat
    assert "I 2011–2025 ble det født færre enn det døde (om lag −159), og nettoinnflyttingen var +126" in flat
    assert "Anbefalinger" in flat
    assert "Fjern flaskehalsene først: bolig (vurdert som flaskehals 1. oktober 2025)." in flat
    # the action plan and the goal check against the target-seeking projection (Kviteseid needs about 11 a year)
    assert "Handlingsplan" in flat and "Næringssjefen" in flat and "450 000 kr" in flat.replace("\xa0", " ")
    # pypdf reads kerning after a capital T as a space ("T okke"): compare without spaces
    compact = flat.replace(" ", "")
    assert "Vinjekommune(nabokommuner);Tokkekommune(nabokommuner)" in compact
    assert "Planen sikter mot 5 flere innflyttere i året" in flat
    # competence: who leaves and enters the working age (projection), and the missing sector said plainly
    assert "Kompetanse kommunen vil mangle" in flat and "fyller 67" in flat
    # by industry, from the uploaded 07984 table: 84 aged 55–66 in health, 7 a year, 70 reach 67 in ten years
    assert "Sysselsatte etter næring som fyller 67" in flat and "86-88 Helse- og sosialtjenester" in flat
    # employers' recruitment needs from the vacancy register: 3 nursing positions, 2 advertised
    assert "Arbeidsgivernes rekrutteringsbehov" in flat
    assert "3 ledige stillinger i stillingsregisteret" in flat and "2 av dem (67" in flat
    # what the service does not offer: no kindergarten place in August; the 2 housing gaps and the 1
    # kindergarten gap are under 3, so hidden
    assert "Hva tilflyttertjenesten ikke kan tilby" in flat and "Ingen ledig plass i august" in flat
    assert "Behov tilflyttertjenesten ikke kunne dekke" in flat and "skjult (under 3)" in flat
    # residents' own wish to stay: the survey's counts, with the 2 who named transport hidden
    assert "Innbyggernes eget ønske om å bli" in flat
    assert "90 av de 120 som svarte (75 %), planlegger å bo her om fem år" in flat.replace("\xa0", " ")
    assert "Planlegger du å bo i kommunen om fem år?" in flat
    # the message for the chosen group (labour immigrants), from the same counts
    assert "Budskapet til hver målgruppe" in flat and "3 ledige stillinger, mest innen helse og omsorg" in flat
    assert "Fra henvendelse til innflytting" in flat  # does it work? (the funnel of the 12 households)
    assert "Andel fortsatt bosatt" in flat  # Kaplan–Meier retention
    # aggregates only: no household's label, no adult's name (the fixture names them "L1 adult 0", ...)
    assert "adult" not in text and not any(f"{label} " in flat for label in ("L1", "L2", "F1", "F2", "Vinje1"))


def test_the_docx_opens_and_holds_the_same_plan(filled_plan):
    from docx import Document

    response = export_plan(filled_plan, "4028", "docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Kviteseid" in text
    assert "2\xa0463" in cells or "2 463" in cells
    assert "5034 Meråker" in cells  # the comparison set
    assert "For få utleieboliger" in cells
    assert "Prøveboliger for arbeidsinnvandrere" in cells
    assert len(document.inline_shapes) >= 7  # the charts (Kviteseid: migration by age, and by sex beside it)
    assert "adult" not in text + cells


def test_export_is_for_members_only(people, analyst, client_for):
    from blilyst.web.jobs.models import Job

    assert client_for(people.bob).post("/plan/4028/export/start/", {"format": "pdf"}).status_code == 404
    assert client_for(people.bob).get("/plan/4028/export/plan.json").status_code == 404
    assert client_for(analyst).post("/plan/4028/export/start/", {"format": "exe"}).status_code == 404
    assert client_for(analyst).get("/plan/4028/export/plan.exe").status_code == 404
    assert client_for(analyst).get("/plan/4028/export/").status_code == 200
    assert not Job.objects.exists()


def test_the_document_is_made_in_the_background_and_only_its_maker_gets_it(people, analyst, client_for):
    """PDF and Word are made as background work (seconds of figures, charts and layout); the export page
    starts it, the job's page follows it and offers the file to whoever started it while they may read the
    plan. Other people, and the maker after losing the membership, get 404."""
    from blilyst.web.accounts.models import Membership
    from blilyst.web.jobs.models import Job

    client = client_for(analyst)
    page = client.get("/plan/4028/export/").content.decode()
    assert 'action="/plan/4028/export/start/"' in page and 'value="pdf"' in page and 'value="docx"' in page
    assert client.get("/plan/4028/export/plan.pdf").status_code == 404  # no longer made inside a page request
    response = export_plan(client, "4028", "pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith('attachment; filename="plan-4028-Kviteseid-')
    job = Job.objects.get()
    assert job.municipality_id == "4028" and job.params == {"format": "pdf", "lang": "nb"}
    status = client.get(f"/jobs/{job.pk}/status/").json()
    assert (
        status["finished"]
        and status["file"] == f"/jobs/{job.pk}/file/"
        and status["summary"].startswith("Planen er klar")
    )
    export_page = client.get("/plan/4028/export/").content.decode()  # found again from the plan's page
    assert "Dokumenter du har laget det siste døgnet" in export_page and f'href="/jobs/{job.pk}/"' in export_page
    assert f'href="/jobs/{job.pk}/"' not in client_for(people.alice).get("/plan/4028/export/").content.decode()
    for stranger in (people.alice, people.bob):  # alice may read the plan too, but did not start the work
        assert client_for(stranger).get(f"/jobs/{job.pk}/file/").status_code == 404
    Membership.objects.filter(user=analyst).delete()
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404


def test_old_documents_are_forgotten(people, analyst, client_for):
    import datetime as dt

    from django.utils import timezone

    from blilyst.web.jobs.models import Job

    client = client_for(analyst)
    assert export_plan(client, "4028", "docx").status_code == 200
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(finished=timezone.now() - dt.timedelta(days=1, minutes=1))
    assert Job.drop_old_files() == 1
    assert client.get(f"/jobs/{job.pk}/file/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/").status_code == 200  # the job's record stays, without the file


def test_the_plan_in_english(people, analyst, client_for):
    import time

    from docx import Document

    client = client_for(analyst)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    started = time.perf_counter()
    response = export_plan(client, "4028", "docx")
    print(f"docx export {time.perf_counter() - started:.1f} s")
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Plan for attracting and keeping residents – Kviteseid" in text
    assert "you need about" in text
    assert "Not filled in yet." in text  # no bottleneck assessment yet: the reader sees what is missing
