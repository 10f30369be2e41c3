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
