"""Norwegian pages say nothing in English and show no code keys.

A text that bypasses gettext (an f-string in a view, a model's raw choice value, a dictionary key shown as a
label) shows up as English words or ``snake_case`` on a bokmål or nynorsk page. The key pages are rendered in
both written standards and their visible text is searched for common English words and code keys.
"""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from tests.english_words import COMMON_ENGLISH, english_word_pattern

# English words of the web pages' subjects, beside tests.english_words' common ones.
ENGLISH_WORDS = (
    "none",
    "true",
    "false",
    "household",
    "households",
    "population",
    "municipality",
    "source",
    "save",
    "cancel",
    "delete",
)
ENGLISH = english_word_pattern(*COMMON_ENGLISH, *ENGLISH_WORDS)
CODE_KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ENGLISH_NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")  # 2,463: English digit grouping on a Norwegian page


def visible_text(page: str) -> str:
    """The text a reader sees: no scripts, styles, tags or attributes (alt and title text is kept). A message
    placeholder shown for a person to type (``{household}``) is a key by design and is left out."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    shown = re.findall(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\{[a-z_]+\}", " ", html.unescape(" ".join([text, *shown])))


def leaks(page: str) -> list[str]:
    text = visible_text(page)
    words = {m.group(0) for m in ENGLISH.finditer(text)}
    keys = {m.group(0) for m in CODE_KEY.finditer(text)}
    numbers = {m.group(0) for m in ENGLISH_NUMBER.finditer(text)}
    return sorted(words | keys | numbers)


def test_the_search_finds_english_and_keys():
    page = '<p>Antall <b>households</b> i kommunen: 2,463</p><img alt="target_group"><script>var the_x = 1;</script>'
    assert leaks(page) == ["2,463", "households", "target_group"]
    assert leaks("<p>Husstander i kommunen for 2026</p>") == []
    assert leaks("<p>Plasshaldarar: {household} (namnet på hushaldet)</p>") == []


@pytest.fixture
def a_household(people):
    from blilyst.web.newcomers.models import Household

    return Household.objects.create(municipality=people.a, label="Familien Kárášjohka", origin_place="Porsáŋgu")


PAGES = (
    ("home", {}),
    ("municipality_list", {}),
    ("municipality_detail", {"code": "4028"}),
    ("household_list", {}),
    ("household_create", {}),
    ("my_tasks", {}),
    ("resources:index", {}),
    ("resources:gaps", {}),
    ("outreach:templates", {}),
    ("outreach:calendar", {}),
    ("outreach:welcome", {}),
    ("api_tokens", {}),
    ("privacy", {}),
)


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize(("name", "kwargs"), PAGES, ids=[name for name, _ in PAGES])
def test_norwegian_pages_have_no_english_words_or_code_keys(people, client_for, language, name, kwargs):
    client = client_for(people.alice)
    client.cookies["blilyst_language"] = language
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert leaks(response.content.decode()) == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_a_household_page_has_no_english_words_or_code_keys(people, client_for, a_household, language):
    client = client_for(people.alice)
    client.cookies["blilyst_language"] = language
    page = client.get(reverse("household_detail", kwargs={"pk": a_household.pk})).content.decode()
    assert "Kárášjohka" in page and "Porsáŋgu" in page
    assert leaks(page) == []


PLAN_PAGES = (
    "plan_evidence",
    "plan_bottlenecks",
    "plan_target_group",
    "plan_competence",
    "plan_survey",
    "plan_message",
    "plan_results",
)


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("name", PLAN_PAGES)
def test_the_plan_pages_have_no_english_words_or_code_keys(people, client_for, language, name):
    client = client_for(people.alice)
    client.cookies["blilyst_language"] = language
    response = client.get(reverse(name, kwargs={"code": "4028"}))
    assert response.status_code == 200
    assert leaks(response.content.decode()) == []
