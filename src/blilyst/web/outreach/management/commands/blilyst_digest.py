"""Send each contact person the tasks and follow-ups that are overdue or due in the coming days."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from blilyst.web.outreach.mailing import contact_persons, send_digests


class Command(BaseCommand):
    help = (
        "E-mail each contact person (with an e-mail address) what is overdue and due in the next --days days. "
        "Run it once a day from cron or a systemd timer. Example: manage.py blilyst_digest --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="how many days ahead count as due (default 7)")
        parser.add_argument("--dry-run", action="store_true", help="only say who would get a digest")

    def handle(self, *args, days: int, dry_run: bool, **options):
        if not 0 <= days <= 60:
            raise CommandError(f"--days must be 0 to 60, got {days}")
        try:
            sent = send_digests(contact_persons(), days=days, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(
                f"the mail server refused or could not be reached ({exc}); check BLILYST_EMAIL_*"
            ) from exc
        verb = "Would send" if dry_run else "Sent"
        overdue = sum(len(d.overdue) for d in sent)
        due = sum(len(d.due) for d in sent)
        self.stdout.write(f"{verb} {len(sent)} digest(s): {overdue} overdue and {due} due task(s).")
