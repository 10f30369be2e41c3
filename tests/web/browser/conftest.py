"""Browser tests: playwright drives Debian's chromium against pytest-django's live server.

Every test here is marked ``browser``. Playwright's sync API runs an event loop in the test's
thread, so Django would refuse database calls from the test ("async context"); the tests only
touch the database to create people before the browser starts, hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# WCAG 2.1 level A and AA rules of axe-core.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(
            "Browser tests need Debian's chromium at /usr/bin/chromium: run `make browser` "
            "(or apt-get install chromium), or deselect them with -m 'not browser'."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A fresh browser tab on the live server (an English browser: the pages must stay Norwegian).

    Any Content-Security-Policy violation the browser reports (an inline style or script, a resource
    from another origin) fails the test: such content silently does not work for real users.
    """
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)  # generous: the machine running the tests may be busy
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def log_in(page, password):
    """``log_in(user)``: log in through the login form, as a person would."""

    def do(user, next_url: str = "/"):
        page.goto(f"/accounts/login/?next={next_url}")
        page.get_by_label("Brukernavn").fill(user.username)
        page.get_by_label("Passord").fill(password)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page)``: axe-core finds no WCAG 2.1 A/AA violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert results.violations_count == 0, f"{page.url}:\n{results.generate_report()}"

    return check
