"""The honesty check on realistic campaign texts in bokmål and English."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blilyst.plan.capacity import Capacity
from blilyst.plan.honesty import (
    SUPPORTED,
    UNSUPPORTED,
    UNVERIFIABLE,
    check_campaign,
    check_claim,
)

IDYLL_CAMPAIGN_NB = """Flytt til Fjellbygda!
Her finner du fred og ro, frisk luft og vakker natur mellom fjell og fjord. Småbruk er ledige for den som vil
leve det gode liv på landet. Barnehageplass er garantert for alle barn, og vi har jobb til begge.
Kommunen har gode vilkår for kunstnere. Alle er velkommen!
SOS – bygda dør hvis ikke flere flytter hit før det er for sent."""

CONCRETE_CAMPAIGN_NB = """Vi trenger sykepleiere og ingeniører. Industribedriftene i dalen har 12 ledige stillinger, og
helsetunet søker tre sykepleiere. Mange ledige stillinger venter på deg og partneren din: vi har jobb til begge
i helse, industri og skole. Vi har ledige utleieboliger og to prøveboliger du kan bo i mens du bestemmer deg.
Vi kan ikke love barnehageplass i august, men kontaktpersonen hjelper dere med å finne en løsning."""

ENGLISH_AD = """Escape the rat race! Breathtaking scenery, peace and quiet and fresh air in an idyllic village.
Small farms available, guaranteed kindergarten places and jobs for both of you. Everything is free: free plots,
free kindergarten. Save our village before it is too late!"""

TIGHT = Capacity(
    housing={"small_farm": 0, "rental": 0, "for_sale": 4},
    kindergarten_free={m: (0 if m <= 7 else 3) for m in range(1, 13)},
    vacancies={"health": 4},
)
AMPLE = Capacity(
    housing={"rental": 6, "trial_housing": 2, "for_sale": 3},
    kindergarten_free=dict.fromkeys(range(1, 13), 5),
    vacancies={"health": 3, "industry": 12, "education": 2},
    vacancies_advertised=15,
    vacancies_known=17,
    offers={"artist_studio": 2},
)


def verdicts(report):
    return {c.kind: c.verdict for c in report.claims}


def test_an_idyll_campaign_with_promises_the_place_cannot_keep():
    report = check_campaign(IDYLL_CAMPAIGN_NB, TIGHT)
    assert verdicts(report) == {
        "small_farm": UNSUPPORTED,
        "kindergarten_guaranteed": UNSUPPORTED,
        "jobs_for_both": UNSUPPORTED,
        "artists": UNVERIFIABLE,
    }
    kg = next(c for c in report.claims if c.kind == "kindergarten_guaranteed")
    assert kg.reason["nb"] == "Ingen ledig plass i januar, februar, mars, april, mai, juni, juli."
    both = next(c for c in report.claims if c.kind == "jobs_for_both")
    assert "alle innen health" in both.reason["nb"]
    kinds = [c.kind for c in report.cliches]
    assert {"rural_idyll", "generic_nature", "crisis", "everyone"} <= set(kinds)
    idyll = next(c for c in report.cliches if c.kind == "rural_idyll")
    assert "3 idyllord og 1 ord om jobb" in idyll.reason["nb"]
    crisis = next(c for c in report.cliches if c.kind == "crisis")
    assert crisis.excerpt.startswith("SOS")
    assert "nedgang" in crisis.reason["nb"]
    assert not report.is_honest()
    assert report.counts() == {SUPPORTED: 0, UNSUPPORTED: 3, UNVERIFIABLE: 1}


def test_a_concrete_campaign_backed_by_capacity_passes():
    report = check_campaign(CONCRETE_CAMPAIGN_NB, AMPLE)
    assert verdicts(report) == {
        "jobs_available": SUPPORTED,
        "jobs_for_both": SUPPORTED,
        "rental": SUPPORTED,
        "trial_housing": SUPPORTED,
    }  # the negated kindergarten sentence is not a claim
    both = next(c for c in report.claims if c.kind == "jobs_for_both")
    assert both.reason["en"] == "17 vacancies in 3 sectors (health, industry, education)."
    jobs = next(c for c in report.claims if c.kind == "jobs_available")
    assert "88 % av dem er lyst ut" in jobs.reason["nb"]
    assert report.cliches == ()
    assert report.is_honest()


def test_an_english_ad_with_shadow_messages():
    report = check_campaign(ENGLISH_AD, TIGHT)
    v = verdicts(report)
    assert v["small_farm"] == UNSUPPORTED
    assert v["kindergarten_guaranteed"] == UNSUPPORTED
    assert v["jobs_for_both"] == UNSUPPORTED
    assert v["plots"] == UNVERIFIABLE  # no plots recorded at all
    kinds = {c.kind for c in report.cliches}
    assert {"relaxation", "generic_nature", "rural_idyll", "everything_free", "crisis"} <= kinds
    frame = report.to_frame("en")
    assert set(frame["type"]) == {"claim", "cliche"}
    assert (frame.loc[frame.kind == "small_farm", "verdict_label"] == "Unsupported").all()


def test_idyll_is_fine_when_jobs_dominate():
    text = "Jobb i industrien, jobb i helse, kompetansearbeidsplasser og karriere – og frisk luft på kjøpet."
    report = check_campaign(text)
    assert "rural_idyll" not in {c.kind for c in report.cliches}
    assert report.job_mentions == 5 and report.idyll_mentions == 1


def test_without_capacity_every_claim_is_unverifiable():
    report = check_campaign("Småbruk til salgs og ledige tomter!")
    assert verdicts(report) == {"small_farm": UNVERIFIABLE, "plots": UNVERIFIABLE}
    assert "Registrer ledige boliger" in report.claims[0].reason["nb"]


@pytest.mark.parametrize(
    "kind, capacity, expected",
    [
        ("small_farm", Capacity(housing={"small_farm": 2}), SUPPORTED),
        ("kindergarten_guaranteed", Capacity(kindergarten_free={1: 2, 2: 3}), UNVERIFIABLE),  # months missing
        ("jobs_for_both", Capacity(vacancies={"health": 1}), UNSUPPORTED),
        ("artists", Capacity(offers={"artist_studio": 0}), UNSUPPORTED),
        ("housing_available", Capacity(housing={"rental": 0, "for_sale": 0}), UNSUPPORTED),
        ("jobs_available", Capacity(), UNVERIFIABLE),
    ],
)
def test_claim_verdicts(kind, capacity, expected):
    assert check_claim(kind, capacity)[0] == expected


def test_one_claim_per_kind_and_sentence():
    report = check_campaign(
        "Ledige boliger, mange boliger, billige boliger. Ledige boliger igjen.", Capacity(housing={"rental": 1})
    )
    assert [c.kind for c in report.claims] == ["housing_available", "housing_available"]


WORDS = [
    "småbruk",
    "ledige",
    "barnehageplass",
    "garantert",
    "jobb",
    "til",
    "begge",
    "idyll",
    "SOS",
    "fred",
    "og",
    "ro",
    "ikke",
    "small",
    "farms",
    "available",
    "free",
    "everything",
    "is",
    ".",
    "!",
    "\n",
    "alle",
    "er",
    "velkommen",
    "gratis",
    "tomter",
    "kunstnere",
    "gode",
    "vilkår",
    "for",
    "æøå",
]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40), st.booleans())
def test_any_text_gives_a_consistent_report(words, with_capacity):
    text = " ".join(words)
    report = check_campaign(text, AMPLE if with_capacity else None)
    for item in report.claims + report.cliches:
        start, end = item.span
        assert 0 <= start < end <= len(text)
        assert text[start:end].strip() and text[start:end] in text
        assert item.excerpt and item.excerpt in text
    assert sum(report.counts().values()) == len(report.claims)
    if not with_capacity:
        assert all(c.verdict == UNVERIFIABLE for c in report.claims)
