"""Erasing a household leaves none of its personal data anywhere the app keeps things: a household whose
every field holds one unique marker is used in every way (pages, search, matching, tasks, contact log,
follow-up, API), then erased; the marker is then in no table (every table is read, sessions decoded), no
cache, no file the app writes, no URL or page it sent, no log line."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import pickle
import re
import zlib
from pathlib import Path

from django.apps import apps
from django.core.cache import caches

from blilyst.web.api.models import ApiToken

MARK = "Qzx7vw"  # never a word, in no data set
PHONE = "98761234"


def _every_row_as_text() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        for row in model._default_manager.all().values():
            text = json.dumps(row, default=str, ensure_ascii=False)
            if model._meta.label == "sessions.Session":
                from django.contrib.sessions.backends.db import SessionStore

                text += json.dumps(SessionStore().decode(row["session_data"]), default=str, ensure_ascii=False)
            found.append((model._meta.label, text))
    return found


def _cached_values() -> list[bytes]:
    """Every value in every cache: the memory cache's pickles, and the file cache's entries unpacked (each file is
    its expiry, pickled, then the value pickled and zlib-compressed, so the raw file shows no marker)."""
    from django.core.cache.backends.filebased import FileBasedCache

    values = []
    for alias in caches:
        cache = caches[alias]
        if isinstance(cache, FileBasedCache):
            for path in cache._list_cache_files():
                with open(path, "rb") as f:
                    pickle.load(f)  # the expiry
                    values.append(zlib.decompress(f.read()))
            continue
        store = getattr(cache, "_cache", {})
        values += [v if isinstance(v, bytes) else pickle.dumps(v) for v in store.values()]
    return values


def _files_written() -> list[Path]:
    roots = [os.environ.get("BLILYST_HOME", ""), os.environ.get("BLILYST_CACHE_DIR", "")]
    return [p for root in roots if root for p in Path(root).rglob("*") if p.is_file()]


# The phone number as people write it ("98761234", "987 61 234", "98-76-12-34"). Not "every digit of the text
# joined": in a large cached chart or file that string is long enough to hold 98761234 by chance.
PHONE_WRITTEN = re.compile(r"[\s.\-]?".join(PHONE))


def _holds_marker(text: str) -> bool:
    return MARK.lower() in text.lower() or PHONE_WRITTEN.search(text) is not None


def test_an_erased_household_leaves_nothing_behind(people, client_for, caplog):
    from blilyst.web.newcomers.models import Adult, Child, ContactLogEntry, FollowUp, Household, Task
    from blilyst.web.resources.models import Housing, JobVacancy

    caplog.set_level(logging.DEBUG)
    seen: list[str] = []  # every URL and page the app sent
    household = Household.objects.create(
        municipality=people.a,
        label=f"{MARK} label",
        origin_place=f"{MARK} place",
        origin_country=f"{MARK} country",
        heard_about="other",
        heard_about_note=f"{MARK} heard",
        contact_person=people.alice,
        housing_tenure="rent",
        housing_bedrooms=3,
        housing_from=dt.date(2027, 3, 1),
        housing_note=f"{MARK} housing",
        school_note=f"{MARK} school",
        leisure_interests=f"{MARK} leisure",
        notes=f"{MARK} notes",
        moved_in_on=dt.date(2026, 1, 1),
        status="moved_in",
        move_out_note=f"{MARK} moving out",
    )
    Adult.objects.create(
        household=household,
        name=f"{MARK} Adult",
        email=f"{MARK.lower()}@example.org",
        phone=PHONE,
        occupation=f"{MARK}occupation",
        job_wishes=f"{MARK}wish, helse",
    )
    Child.objects.create(household=household, first_name=f"{MARK} Child", birth_year=2022)
    Task.objects.create(household=household, title=f"{MARK} task", due=dt.date(2027, 1, 1))
    ContactLogEntry.objects.create(household=household, summary=f"{MARK} summary")
    FollowUp.objects.create(
        household=household, on=dt.date(2026, 4, 1), months=3, feels_included="yes", note=f"{MARK} follow-up"
    )
    # Listings that will not fit, so matching records gaps (the job wish once ended up in them).
    Housing.objects.create(
        municipality=people.a, kind="sale", title="Hus", bedrooms=1, size_m2=50, price=1, available_from="2030-01-01"
    )
    JobVacancy.objects.create(
        municipality=people.a, employer="K", occupation="lærer", sector="education", advertised="nav"
    )

    alice = client_for(people.alice)
    pk = household.pk
    for url in (
        f"/households/{pk}/",
        f"/resources/match/{pk}/",
        f"/privacy/households/{pk}/export/",
        "/resources/gaps/",
        # the plan's pages, so whatever they cache (figures, evidence from the gaps) is cached before the erasure
        "/plan/4028/",
        "/plan/4028/bottlenecks/",
        "/plan/4028/results/",
    ):
        response = alice.get(url)
        assert response.status_code == 200, url
        seen += [url, response.content.decode("utf-8", "replace")]
    for query in (MARK, PHONE, f"{MARK.lower()}@example.org"):
        response = alice.post("/households/", {"q": query})
        assert response.status_code == 200 and f"{MARK} label" in response.text  # found, and by POST
        seen += [response.get("Location", ""), *re.findall(r'href="([^"]*)"', response.text)]
    token = ApiToken.issue(people.alice, "test")[1]
    api = alice.get(f"/api/households/{pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200
    api_gaps = alice.get(f"/api/resources/match/{pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_gaps.status_code == 200

    erased = alice.post(f"/privacy/households/{pk}/erase/", {"confirm": str(pk)}, follow=True)
    assert erased.status_code == 200
    seen += [url for url, _status in erased.redirect_chain]
    for url in ("/households/", "/resources/gaps/", "/plan/4028/results/"):
        seen.append(alice.get(url).content.decode("utf-8", "replace"))

    assert not Household.objects.filter(pk=pk).exists()
    leaks = [label for label, text in _every_row_as_text() if _holds_marker(text)]
    assert leaks == [], f"the erased household's data is still in {sorted(set(leaks))}"
    assert not any(_holds_marker(v.decode("latin-1")) for v in _cached_values()), "still in a cache"
    files = [str(p) for p in _files_written() if _holds_marker(p.read_bytes().decode("latin-1"))]
    assert files == [], f"still in files: {files}"
    urls = [u for u in seen if u.startswith("/") and _holds_marker(u)]
    assert urls == [], urls
    assert not any(_holds_marker(record.getMessage()) for record in caplog.records), "still in the log"
    # What is kept is anonymous: the outcome counts the household, to the month.
    from blilyst.web.privacy.models import AnonymousOutcome

    outcome = AnonymousOutcome.objects.get()
    assert (outcome.adults, outcome.children, outcome.followed_up) == (1, 1, True)
    assert outcome.included_month == dt.date(2026, 4, 1)


def test_the_marker_check_finds_the_phone_as_written_but_not_scattered_digits():
    assert _holds_marker("ring 987 61 234") and _holds_marker("98-76-12-34") and _holds_marker("QZX7VW")
    assert not _holds_marker("9 x 8, 7 of 6; 1 or 2 and 3/4")  # digits of other figures, not the number
