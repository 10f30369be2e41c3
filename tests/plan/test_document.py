"""The plan document: DOCX read back with python-docx, the PDF with pypdf (text) and pikepdf (its structure:
the PDF/UA-1 tags, language, alt text and fonts), both holding Fyresdal's real figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from blilyst.errors import InputError
from blilyst.plan.bottlenecks import BottleneckEvidence, assess
from blilyst.plan.capacity import Capacity
from blilyst.plan.chain import Chain, Indicator, Measure
from blilyst.plan.document import extract_pdf_text, format_date, to_docx, to_pdf, write
from blilyst.plan.evaluation import evaluate
from blilyst.plan.evidence import build_plan, retention_chart
from blilyst.plan.honesty import check_campaign
from blilyst.plan.targetgroups import candidate_groups, check_priorities, evaluate_groups

DAY = dt.date(2026, 11, 26)
CAMPAIGN = (
    "Flytt til Fyresdal! Fred og ro, frisk luft og det gode liv. Småbruk er ledige, og barnehageplass er "
    "garantert. SOS – bygda dør før det er for sent."
)
RECORDS = [
    {"stage": "enquiry", "target_group": "returnees"},
    {"stage": "visited", "target_group": "labour_immigrants"},
] + [
    {
        "stage": "moved_in",
        "target_group": "labour_immigrants",
        "persons": 2,
        "moved_in": f"202{y}-0{m}-01",
        "moved_out": out,
        "move_out_reason": reason,
    }
    for y, m, out, reason in [
        (2, 3, None, None),
        (2, 5, "2023-06-01", "Fant ikke jobb til samboeren"),
        (3, 2, None, None),
        (3, 8, "2024-01-15", "bolig"),
        (4, 4, None, None),
    ]
]


def full_plan(snapshot, lang="nb"):
    evidence = evaluate_groups(
        candidate_groups(),
        "4032",
        migration_by_age=snapshot.migration_by_age,
        immigrants_by_reason=snapshot.immigrants_by_reason,
        refugee_settlement=snapshot.refugee_settlement,
    )
    warnings = check_priorities({"returnees": 50, "lifestyle_movers": 30, "job_seeking_families": 20}, evidence)
    capacity = Capacity(
        housing={"small_farm": 0, "rental": 2}, kindergarten_free={m: (0 if m < 8 else 2) for m in range(1, 13)}
    )
    bottlenecks = assess(
        "4032",
        DAY,
        {"housing": "partly", "kindergarten": "bottleneck"},
        {"housing": "Få utleieboliger"},
        BottleneckEvidence(capacity=capacity),
    )
    chain = Chain(
        "15 flere innbyggere 20–66 år innen 2030",
        ("labour_immigrants",),
        (
            Measure(
                "Prøveboliger",
                target_groups=("labour_immigrants",),
                bottleneck="housing",
                indicators=(
                    Indicator("Fortsatt bosatt etter 2 år", "retention_2y", target=0.7, target_year=2028, baseline=0.5),
                ),
            ),
        ),
    )
    ev = evaluate(
        RECORDS,
        as_of=DAY,
        municipality="4032",
        migration_by_age=snapshot.migration_by_age,
        years=[2022, 2023, 2024],
        min_cell=1,
        min_group=5,
    )
    return build_plan(
        "4032",
        snapshot=snapshot,
        lang=lang,
        prepared_on=DAY,
        target_groups=evidence,
        chosen_groups=("labour_immigrants",),
        priority_warnings=warnings,
        chain=chain,
        bottlenecks=bottlenecks,
        honesty=check_campaign(CAMPAIGN, capacity),
        evaluation=ev,
        evaluation_charts=[retention_chart(ev.curves, lang)],
    )


@pytest.fixture(scope="module")
def plan(snapshot):
    return full_plan(snapshot)


@pytest.fixture(scope="module")
def docx_doc(plan):
    return Document(io.BytesIO(to_docx(plan)))


@pytest.fixture(scope="module")
def pdf_bytes(plan):
    return to_pdf(plan)


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts).replace("\u00a0", " ")


def test_docx_opens_with_all_five_steps_dated_and_sourced(docx_doc):
    headings = [p.text for p in docx_doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Plan for tilflyttingsarbeid – Fyresdal"
    for section in (
        "1. Behovsanalyse",
        "2. Flaskehalser",
        "3. Målgruppe",
        "4. Ærlig budskap",
        "5. Virker det?",
        "Kilder",
    ):
        assert section in headings
    text = docx_text(docx_doc)
    assert "Utarbeidet 26. november 2026" in text
    assert "Kilde: Statistisk sentralbyrå" in text
    assert docx_doc.core_properties.title == "Plan for tilflyttingsarbeid – Fyresdal"
    assert docx_doc.sections[0].footer.paragraphs[0].text.endswith("Kilde: Statistisk sentralbyrå")


def test_docx_holds_fyresdals_real_figures(docx_doc):
    text = docx_text(docx_doc)
    assert "Folketall 1. januar 2026" in text and "1 274" in text
    assert "Folketall 1. januar 2016" in text and "1 323" in text
    # who moves: 383 in-migrants 2021-2025, 27 % of them 45+
    assert "27 %" in text or "27\u00a0%" in text
    # reach: 5 households of 2 persons moved in via the service in 2022-2024, of 93 + 93 + 71 = 257 in-migrants
    assert "Tjenesten nådde 10 av 257 innflyttere i 2022–2024 (3,9 %)." in text
    # honesty check vs kindergarten capacity, with the honest rewrite built from the figures
    assert "Vi har ledige barnehageplasser 5 av 12 måneder; i januar, februar" in text
    assert "Skyggebudskap" in text
    assert "Prøveboliger" in text  # the chain


def test_docx_has_the_charts_as_pictures_with_tables(docx_doc, plan):
    assert len(docx_doc.inline_shapes) == len(plan.charts) + len(plan.evaluation_charts) == 3
    text = docx_text(docx_doc)
    assert text.count("Tallene bak figuren") == 3
    assert text.count("Figurbeskrivelse:") == 3


def test_pdf_text_holds_the_same_figures(pdf_bytes):
    assert pdf_bytes.startswith(b"%PDF-")
    text = " ".join(extract_pdf_text(pdf_bytes).split())  # lines wrap; no-break spaces read as spaces
    for expected in (
        "Plan for tilflyttingsarbeid – Fyresdal",
        "Utarbeidet 26. november 2026",
        "Folketall 1. januar 2026",
        "1 274",
        "1 323",
        "4. Ærlig budskap",
        "3. Målgruppe",
        "Ikke dekket",
        "Kilde: Statistisk sentralbyrå",
        "Nettoinnflytting 2011–2025",
    ):
        assert expected in text, expected
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Plan for tilflyttingsarbeid – Fyresdal"


def test_english_plan(snapshot):
    plan = full_plan(snapshot, lang="en")
    text = " ".join(extract_pdf_text(to_pdf(plan)).split())
    assert "Plan for attracting and keeping residents – Fyresdal" in text
    assert "Prepared 26 November 2026" in text
    assert "1,274" in text
    assert "5. Does it work?" in text


def test_an_empty_plan_says_what_is_missing(snapshot, tmp_path):
    plan = build_plan("4036", snapshot=snapshot, prepared_on=DAY)
    path = write(plan, tmp_path / "vinje.docx")
    text = docx_text(Document(str(path)))
    # bottlenecks, target group, chain, action plan, honesty, evaluation; and the parts build_document adds:
    # competence, employers' recruitment needs, residents' survey, what the service does not offer, message
    # per target group
    assert text.count("Ikke utfylt ennå.") == 11
    for heading in (
        "Kompetanse kommunen vil mangle",
        "Arbeidsgivernes rekrutteringsbehov",
        "Innbyggernes eget ønske om å bli",
        "Hva tilflyttertjenesten ikke kan tilby",
        "Budskapet til hver målgruppe",
    ):
        assert heading in text
    assert "4036 Vinje" in text
    with pytest.raises(InputError, match="må slutte på .docx eller .pdf"):  # bokmål, the default
        write(plan, tmp_path / "vinje.odt")


def _structure(pdf) -> list:
    """(structure type, /Alt) of every element of the PDF's structure tree, in reading order."""
    import pikepdf

    found = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append((str(node["/S"]), str(node.get("/Alt", ""))))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    walk(pdf.Root["/StructTreeRoot"])
    return found


def test_the_pdf_is_tagged_for_pdf_ua(pdf_bytes, plan):
    """What is checked (there is no veraPDF here, it is not on PyPI): the PDF/UA-1 identification in the XMP
    metadata, a marked document with a structure tree, the document language, the title shown as window
    title, headings, tables with header cells, one Figure per chart each with its alternative text, and only
    embedded DejaVu fonts. Not checked: the full Matterhorn protocol (e.g. contrast, table header scopes)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        assert pdf.open_metadata()["pdfuaid:part"] == "1"
        assert bool(pdf.Root["/MarkInfo"]["/Marked"])
        assert str(pdf.Root["/Lang"]) == "nb-NO"
        assert bool(pdf.Root["/ViewerPreferences"]["/DisplayDocTitle"])
        tags = _structure(pdf)
        kinds = [kind for kind, _alt in tags]
        assert kinds[0] == "/Document" and "/H1" in kinds and "/H2" in kinds and "/TH" in kinds
        figures = [alt for kind, alt in tags if kind == "/Figure"]
        assert len(figures) == len(plan.charts) + len(plan.evaluation_charts)
        assert all(alt for alt in figures)
        assert figures[0] == plan.charts[0].alt_text
        fonts = {
            str(font["/BaseFont"]).split("+", 1)[-1] for page in pdf.pages for font in page.Resources["/Font"].values()
        }
        assert fonts <= {"DejaVu-Sans", "DejaVu-Sans-Bold", "DejaVu-Sans-Oblique"}


def test_sami_names_are_drawn_not_transliterated():
    from blilyst.plan.document import Plan

    plan = Plan("5610", "Kárášjohka – Karasjok", DAY, summary="Porsáŋgu, Kárášjohka og Unjárga: Ŋ ŧ đ č š ž.")
    text = " ".join(extract_pdf_text(to_pdf(plan)).split())
    assert "Kárášjohka – Karasjok" in text
    assert "Porsáŋgu, Kárášjohka og Unjárga: Ŋ ŧ đ č š ž." in text


def test_dates_in_both_languages():
    assert format_date(DAY, "nb") == "26. november 2026"
    assert format_date(DAY, "en") == "26 November 2026"


def test_target_group_table_names_the_bottlenecks_that_hit_each_group(docx_doc):
    table = next(t for t in docx_doc.tables if t.rows[0].cells[0].text == "Gruppe")
    header = [c.text for c in table.rows[0].cells]
    assert header[5] == "Flaskehalser"
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["Jobbsøkende barnefamilier"][5] == "barnehage, bolig"
    assert rows["✓ Arbeidsinnvandrere"][5] == "bolig"
    assert rows["Folk over 45 år"][2] == "27\u00a0%"


def test_evaluation_tables_use_group_names(docx_doc):
    text = docx_text(docx_doc)
    assert "Andel fortsatt bosatt" in text
    table = next(
        t
        for t in docx_doc.tables
        if t.rows[0].cells[0].text == "Gruppe" and "etter 1 år" in [c.text for c in t.rows[0].cells]
    )
    groups = [r.cells[0].text for r in table.rows[1:]]
    assert groups == ["Alle", "Arbeidsinnvandrere"]
    assert "labour_immigrants" not in text


def test_long_notes_do_not_break_the_pdf():
    from blilyst.plan.document import Plan

    note = "Lang merknad om boliger og leiemarkedet i bygda. " * 200
    plan = Plan("4032", "Fyresdal", DAY, bottlenecks=assess("4032", DAY, {"housing": "partly"}, {"housing": note}))
    text = extract_pdf_text(to_pdf(plan))
    assert text.count("merknad") >= 200  # the table row flows over pages, nothing is lost


def test_no_word_is_broken_and_no_heading_ends_a_page(pdf_bytes):
    from pypdf import PdfReader

    from blilyst.plan.pdf import CSS

    assert "hyphens: manual" in CSS and "overflow-wrap: normal" in CSS
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
        assert not any(line.rstrip().endswith("-") and not line.rstrip().endswith(" -") for line in lines)
    # headings are kept with what follows: the last text line of a page is never a heading
    headings = {"1. Behovsanalyse", "2. Flaskehalser", "3. Målgruppe", "4. Ærlig budskap", "5. Virker det?", "Kilder"}
    for page in PdfReader(io.BytesIO(pdf_bytes)).pages:
        lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
        body = [line for line in lines if "Kilde: Statistisk sentralbyrå" not in line and " / " not in line]
        assert not body or body[-1].strip() not in headings


def test_a_chain_naming_the_municipalitys_own_group_prints_its_name_and_no_false_error(snapshot):
    from blilyst.plan.targetgroups import user_group

    nurses = user_group("nurses", "Sykepleiere med familie", age_range=(25, 49))
    groups = [*list(candidate_groups()), nurses]
    evidence = evaluate_groups(
        groups,
        "4032",
        migration_by_age=snapshot.migration_by_age,
        immigrants_by_reason=snapshot.immigrants_by_reason,
        refugee_settlement=snapshot.refugee_settlement,
    )
    chain = Chain(
        "10 flere sykepleiere innen 2030",
        ("nurses",),
        (
            Measure(
                "Prøveboliger for sykepleiere",
                target_groups=("nurses",),
                bottleneck="housing",
                indicators=(
                    Indicator("Fortsatt bosatt etter 2 år", "retention_2y", target=0.7, target_year=2028, baseline=0.5),
                ),
            ),
        ),
    )
    document = build_plan(
        "4032", snapshot=snapshot, prepared_on=DAY, target_groups=evidence, chosen_groups=("nurses",), chain=chain
    )
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(to_docx(document))).tables
        for row in table.rows
        for cell in row.cells
    )
    paragraphs = "\n".join(p.text for p in Document(io.BytesIO(to_docx(document))).paragraphs)
    assert "Sykepleiere med familie" in text
    assert "Ukjent målgruppe" not in paragraphs


def test_the_docx_is_a4_in_norwegian_with_alt_text_on_every_picture(docx_doc, plan, snapshot):
    from docx.oxml.ns import qn

    section = docx_doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, stored in twips
    assert docx_doc.core_properties.language == "nb-NO"
    lang = docx_doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert lang.find(qn("w:lang")).get(qn("w:val")) == "nb-NO"
    alts = [shape._inline.docPr.get("descr") for shape in docx_doc.inline_shapes]
    assert alts == [c.alt_text for c in [*plan.charts, *plan.evaluation_charts]]
    nynorsk = Document(io.BytesIO(to_docx(full_plan(snapshot, lang="nn"))))
    assert nynorsk.core_properties.language == "nn-NO"


def test_years_in_the_tables_behind_the_charts_are_not_grouped_like_numbers():
    """A year column prints 2016, never '2 016' (issue 8: every figure carries its year, readably)."""
    from blilyst.plan.assembly import build_document
    from blilyst.plan.saved import SavedPlan

    doc = Document(io.BytesIO(to_docx(build_document(SavedPlan("5528"), lang="nb"))))
    year_cells = [
        row.cells[0].text
        for table in doc.tables
        if table.rows and table.rows[0].cells[0].text == "År"
        for row in table.rows[1:]
    ]
    assert "2006" in year_cells and "2046" in year_cells
    assert all(cell.isdigit() and len(cell) == 4 for cell in year_cells), year_cells[:5]


def test_target_group_shares_of_immigrants_carry_their_year_and_age(docx_doc):
    """The shares of immigrants by reason end in 2021: the column says 2021 and the caption says how old that
    is in a plan dated 2026 (issue 8: a sentence built on data older than three years says so)."""
    table = next(t for t in docx_doc.tables if t.rows[0].cells[0].text == "Gruppe")
    assert [c.text for c in table.rows[0].cells][4] == "Andel av innvandrere 2021"
    assert "Andelene av innvandrere er fra 2021, 5 år gamle" in docx_text(docx_doc)
