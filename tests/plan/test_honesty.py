"""The honesty check: claims read from bokmål and nynorsk, judged against the registers, rewritten honestly."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blilyst.plan.capacity import Capacity
from blilyst.plan.claims import Amount, Price, Subject, When, find_claims
from blilyst.plan.honesty import (
    SUPPORTED,
    UNSUPPORTED,
    UNVERIFIABLE,
    Thresholds,
    check_campaign,
    document_section,
)
from blilyst.plan.norwegian import split_compound, variety

# The Kviteseid text from issue 10 that the keyword list passed as "0 claims without cover, 0 clichés".
KVITESEID = """Flytt til Kviteseid! Vi har ledige barnehageplasser hele året, og rimelige utleieboliger står klare.
Kunstnere får atelier i det gamle meieriet. Hvis ikke flere flytter hit, mister vi skolen."""

KVITESEID_CAPACITY = Capacity(
    housing={"rental": 0, "for_sale": 3, "small_farm": 0, "plot": 0, "trial_housing": 1},
    housing_prices={"rental": (), "for_sale": (1_900_000, 2_600_000, 3_100_000), "trial_housing": (6_500,)},
    kindergarten_free={**dict.fromkeys(range(1, 12), 2), 12: 0},
    vacancies={"health": 4, "education": 0, "industry": 2},
    occupations={"sykepleier": 3, "helsefagarbeider": 1, "operatør": 2},
    offers={"artist_studio": 0, "coworking": 1, "host": 3},
    as_of=dt.date(2026, 12, 1),
)
RULES = Thresholds(many=10, rent_limit=8_000, price_limit=2_500_000)


def by_subject(report):
    return {c.kind: c for c in report.claims}


def test_the_kviteseid_text_from_the_issue_is_caught_now():
    report = check_campaign(KVITESEID, KVITESEID_CAPACITY, RULES)
    found = by_subject(report)
    assert {k: c.verdict for k, c in found.items()} == {
        "kindergarten": UNSUPPORTED,
        "rental": UNSUPPORTED,
        "offers": UNSUPPORTED,
    }
    kindergarten = found["kindergarten"]
    assert kindergarten.claim.time.when is When.ALL_YEAR
    assert "desember 0" in kindergarten.reason("nb")
    assert kindergarten.rewrite() == "Vi har ledige barnehageplasser 11 av 12 måneder; i desember er det venteliste."
    rental = found["rental"]
    assert rental.claim.price is Price.AFFORDABLE
    assert rental.reason("nb").startswith("Boligregisteret har 0 boliger til leie ledig")
    assert rental.figures["available"] == 0
    assert found["offers"].claim.offer == "artist_studio"
    assert [c.kind for c in report.cliches] == ["crisis"]
    assert "nedgang" in report.cliches[0].reason("nb")
    assert not report.is_honest()


def test_nynorsk_inflection_and_compounds_and_a_nynorsk_rewrite():
    text = "Vi har ledige barnehageplassar heile året. Kommunen har rimelege utleigebustader."
    report = check_campaign(text, KVITESEID_CAPACITY, RULES)
    assert report.lang == "nn"
    found = by_subject(report)
    assert found["kindergarten"].verdict == UNSUPPORTED
    assert found["kindergarten"].rewrite() == (
        "Vi har ledige barnehageplassar 11 av 12 månader; i desember er det venteliste."
    )
    assert found["rental"].rewrite().startswith("Akkurat no har vi ingen ledige bustader til leige")
    # the editor's language is independent of the text's: reasons follow the page, rewrites the text
    assert found["rental"].reason("en").startswith("The housing register has 0 homes to rent available")


def test_negation_is_scoped_to_its_clause():
    text = "Vi kan ikke love barnehageplass i desember, men vi har ledige stillinger og ingen ledige utleieboliger."
    claims = find_claims(text)
    assert [(c.subject, c.positive) for c in claims] == [
        (Subject.KINDERGARTEN, False),
        (Subject.JOBS, True),
    ] or {(c.subject, c.positive) for c in claims} == {
        (Subject.KINDERGARTEN, False),
        (Subject.JOBS, True),
        (Subject.RENTAL, False),
    }
    report = check_campaign(text, KVITESEID_CAPACITY, RULES)
    assert [c.kind for c in report.claims] == ["jobs"]
    assert {c.subject for c in report.negated} >= {Subject.KINDERGARTEN}


def test_a_double_negative_is_a_promise():
    (claim,) = find_claims("Det er ikke vanskelig å få barnehageplass hos oss.")
    assert claim.subject is Subject.KINDERGARTEN and claim.positive
    (claim,) = find_claims("I barnehagen er det ingen venteliste.")
    assert claim.positive and claim.time.when is When.ALL_YEAR


@pytest.mark.parametrize(
    "sentence, verdict, matching",
    [
        ("Skolene har ledige stillinger for lærere.", UNSUPPORTED, 0),  # no vacancy in education
        ("Sykehjemmet har ledige stillinger for sykepleiere.", SUPPORTED, 3),
        ("Legekontoret har ledig stilling for lege.", UNSUPPORTED, 0),  # health has 4, none for doctors
        ("Industrien har mange ledige jobber.", UNSUPPORTED, 2),  # "mange" is more than 10
        ("Her er det seks ledige stillinger.", SUPPORTED, 6),
        ("Her er det sju ledige stillinger.", UNSUPPORTED, 6),
    ],
)
def test_jobs_are_judged_occupation_by_occupation(sentence, verdict, matching):
    (finding,) = check_campaign(sentence, KVITESEID_CAPACITY, RULES).claims
    assert finding.kind == "jobs"
    assert finding.verdict == verdict
    assert finding.figures["matching"] == matching


def test_the_municipalitys_many_and_price_limit_decide():
    text = "Vi har mange rimelige boliger til salgs."
    strict = check_campaign(text, KVITESEID_CAPACITY, Thresholds(many=10, price_limit=2_500_000)).claims[0]
    assert strict.claim.quantity.amount is Amount.MANY
    assert strict.verdict == UNSUPPORTED and strict.figures["matching"] == 1
    loose = check_campaign(text, KVITESEID_CAPACITY, Thresholds(many=1, price_limit=3_000_000)).claims[0]
    assert loose.verdict == SUPPORTED and loose.figures["matching"] == 2
    unset = check_campaign(text, KVITESEID_CAPACITY, Thresholds()).claims[0]
    assert unset.verdict == UNVERIFIABLE
    assert "Innstillinger" in unset.reason("nb")


def test_months_and_now_are_read_from_the_text():
    fra_august = find_claims("Det er ledig barnehageplass fra august.")[0]
    assert fra_august.time.when is When.MONTHS and fra_august.time.months == (8,)
    til_jul = find_claims("Barnehagen har plass til barnet ditt til jul.")[0]
    assert til_jul.time.months == (12,)
    now = find_claims("Du får barnehageplass med en gang du flytter hit.")[0]
    assert now.time.when is When.NOW
    report = check_campaign("Det er ledig barnehageplass fra august.", KVITESEID_CAPACITY, RULES)
    assert report.claims[0].verdict == SUPPORTED


def test_unknown_months_and_missing_registers_cannot_be_checked_and_say_which_register_would():
    partial = Capacity(kindergarten_free={8: 2, 9: 3})
    finding = check_campaign("Barnehageplass hele året!", partial).claims[0]
    assert finding.verdict == UNVERIFIABLE
    nothing = check_campaign("Vi har fiber i hele kommunen og ledige småbruk.", None)
    assert {c.kind: c.verdict for c in nothing.claims} == {"broadband": UNVERIFIABLE, "small_farm": UNVERIFIABLE}
    broadband = by_subject(nothing)["broadband"]
    assert "Nkoms dekningskart" in broadband.reason("nb")
    assert by_subject(nothing)["small_farm"].rewrite() is None


def test_compounds_split_into_known_parts():
    from blilyst.plan.claims import HEADS, MODIFIERS

    assert split_compound("barnehageplassar", HEADS, MODIFIERS, "nn")[-1] == "plass"
    assert split_compound("lærerstillinger", HEADS, MODIFIERS) == ("lærer", "stilling")
    assert split_compound("utleigebustadene", HEADS, MODIFIERS, "nn") == ("utleige", "bustad")
    assert split_compound("bustadtomter", HEADS, MODIFIERS, "nn") == ("bustad", "tomt")
    assert variety("Vi har ikkje ledige bustader no.") == "nn"
    assert variety("Vi har ikke ledige boliger nå.") == "nb"


def test_idyll_is_fine_when_jobs_dominate():
    text = "Jobb i industrien, jobb i helse, kompetansearbeidsplasser og karriere – og frisk luft på kjøpet."
    report = check_campaign(text)
    assert "rural_idyll" not in {c.kind for c in report.cliches}
    assert report.job_mentions == 5 and report.idyll_mentions == 1


def test_the_plan_document_section_is_in_the_documents_language_and_rewrites_in_the_texts():
    report = check_campaign(KVITESEID, KVITESEID_CAPACITY, RULES)
    english = document_section(report, "en")
    assert english.claim_header[-1] == "Honest rewrite"
    assert english.summary.startswith("0 supported, 3 unsupported")
    row = english.claim_rows[0]
    assert row[2] == "Unsupported" and row[4].startswith("Vi har ledige barnehageplasser 11 av 12")
    norsk = document_section(report, "nb")
    assert norsk.claim_header[0] == "Påstand" and norsk.cliche_rows[0][0].startswith("Skyggebudskap")


def test_the_rows_are_built_once_for_the_page_the_document_and_the_frame():
    report = check_campaign(KVITESEID, KVITESEID_CAPACITY, RULES)
    rows = report.claim_rows("en")
    assert rows[0]["verdict"] == UNSUPPORTED and rows[0]["verdict_label"] == "Unsupported"
    assert rows[0]["rewrite"].startswith("Vi har ledige barnehageplasser 11 av 12")
    section = document_section(report, "en")
    assert section.claim_rows == tuple(
        (r["label"], r["excerpt"], r["verdict_label"], r["reason"], r["rewrite"]) for r in rows
    )
    cliches = report.cliche_rows("nb")
    assert cliches[0]["label"].startswith("Skyggebudskap") and set(cliches[0]) == {"label", "excerpt", "reason"}
    frame = report.to_frame("en")
    assert list(frame["type"]) == ["claim"] * len(rows) + ["cliche"] * len(cliches)
    assert frame.iloc[0]["reason"] == rows[0]["reason"] and frame.iloc[-1]["verdict"] == ""


def test_a_bad_written_standard_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="nb, nn"):
        check_campaign("Vi har ledige boliger.", lang="sv")
    with pytest.raises(ValueError, match="many"):
        Thresholds(many=0)


WORDS = [
    "småbruk",
    "ledige",
    "barnehageplass",
    "barnehageplassar",
    "garantert",
    "heile",
    "året",
    "jobb",
    "til",
    "begge",
    "idyll",
    "SOS",
    "ikke",
    "ikkje",
    "mange",
    "rimelige",
    "utleigebustader",
    "lærere",
    "stillinger",
    "for",
    "fra",
    "august",
    ",",
    "men",
    ".",
    "!",
    "?",
    "\n",
    "alle",
    "gratis",
    "tomter",
    "12",
    "æøå",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.booleans())
def test_any_text_gives_a_consistent_report(words, with_capacity):
    text = " ".join(words)
    report = check_campaign(text, KVITESEID_CAPACITY if with_capacity else None, RULES)
    for item in (*report.claims, *report.cliches):
        start, end = item.span
        assert 0 <= start < end <= len(text)
        assert item.excerpt and item.excerpt in text
    for finding in report.claims:
        assert finding.reason("nb") and finding.reason("nn") and finding.reason("en")
        assert (finding.rewrite() is not None) == (finding.verdict == UNSUPPORTED)
    assert sum(report.counts().values()) == len(report.claims)
    if not with_capacity:
        assert all(c.verdict == UNVERIFIABLE for c in report.claims)


def test_the_lemma_dictionaries_ship_inside_the_simplemma_wheel():
    """Offline by construction: simplemma reads its nb and nn dictionaries from its own package, no download."""
    from importlib import resources

    data = resources.files("simplemma") / "strategies" / "dictionaries" / "data"
    assert (data / "nb.plzma").is_file() and (data / "nn.plzma").is_file()
