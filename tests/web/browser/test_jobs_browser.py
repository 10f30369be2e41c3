"""Background work in chromium, checked with axe-core (WCAG 2.1 AA): an administrator starts the retention job
from the menu's page and reads how it ended."""

from __future__ import annotations

from blilyst.web.jobs.models import Job


def test_an_administrator_starts_work_and_follows_it(page, people, log_in, assert_accessible):
    admin = people.alice
    admin.is_superuser = True
    admin.save()
    log_in(admin)
    page.get_by_role("link", name="Bakgrunnsarbeid").click()
    page.wait_for_load_state()
    assert page.get_by_text("Du har ikke startet noe bakgrunnsarbeid.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Lagringstid: slett personopplysninger som har passert tiden sin").click()
    page.wait_for_load_state()
    assert Job.objects.get().state == "done"
    assert page.get_by_role("status").get_by_text("Ferdig").is_visible()
    assert page.get_by_text("Slettet 0 husstander; anonyme tall beholdt.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Alt bakgrunnsarbeidet ditt").click()
    page.wait_for_load_state()
    assert page.get_by_role("cell", name="Ferdig").is_visible()
    assert_accessible(page)


def test_the_page_follows_queued_work_without_reloading(page, people, log_in, assert_accessible, settings):
    """On the database queue the job's page opens while the work waits; when a worker has done it, the page's
    status region says so by itself (the page is not reloaded: what was typed or read stays where it was)."""
    from django.core.management import call_command
    from playwright.sync_api import expect

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    admin = people.alice
    admin.is_superuser = True
    admin.save()
    log_in(admin, next_url="/jobs/")
    page.get_by_role("button", name="Lagringstid: slett personopplysninger som har passert tiden sin").click()
    page.wait_for_url("**/jobs/*/")
    status = page.get_by_role("status")
    assert status.get_by_text("Venter på en arbeider").is_visible()
    assert page.get_by_role("link", name="sjekke igjen").is_visible()
    assert_accessible(page)
    page.evaluate("window.notReloaded = true")
    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1")
    expect(status.get_by_text("Ferdig")).to_be_visible(timeout=20_000)
    expect(status.get_by_text("Slettet 0 husstander; anonyme tall beholdt.")).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    assert not page.get_by_role("link", name="sjekke igjen").is_visible()
    assert_accessible(page)
