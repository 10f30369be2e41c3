"""E-mail addresses and phone numbers on the household page are links that open mail and the phone."""

from __future__ import annotations

import pytest

from blilyst.web.newcomers.templatetags.newcomers_tags import phone_uri


def test_the_household_page_links_email_and_phone(people, client_for, household):
    html = client_for(people.alice).get(f"/households/{household.pk}/").content.decode()
    assert 'href="mailto:kari@example.org"' in html
    assert 'href="tel:+4791234567"' in html


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("912 34 567", "+4791234567"),
        ("+47 912 34 567", "+4791234567"),
        ("0048 600 100 200", "+48600100200"),
        ("35 06 50 00 1", "350650001"),
    ],
)
def test_phone_numbers_become_dialable_uris(written, uri):
    assert phone_uri(written) == uri
