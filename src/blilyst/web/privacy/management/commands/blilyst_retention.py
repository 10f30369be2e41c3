"""Delete personal data past the retention period or without consent; keep anonymous counts.

Run daily from cron or a scheduler: ``python -m django blilyst_retention`` (or ``blilyst web retention``).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from blilyst.web.privacy.rules import apply_retention, retention_days


class Command(BaseCommand):
    help = (
        "Erase households whose last activity is older than BLILYST_RETENTION_DAYS, or whose consent was "
        "withdrawn, keeping only anonymous outcomes; clear owners' contacts of dwellings no longer offered "
        "and delete inactive hosts after the same period. Example: blilyst_retention --dry-run"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Retention period in days (default: setting).")
        parser.add_argument("--dry-run", action="store_true", help="Only say what would be erased.")

    def handle(self, days, dry_run, **options):
        options["days_given"] = days is not None
        days = days if days is not None else retention_days()
        if days < 1:
            from django.core.management.base import CommandError

            raise CommandError("--days must be at least 1.")
        explicit = options.get("days_given", False)
        result = apply_retention(days=days if explicit else None, dry_run=dry_run)
        verb = "Would erase" if dry_run else "Erased"
        self.stdout.write(
            f"{verb} {len(result.expired)} household(s) inactive since before {result.cutoff:%Y-%m-%d} "
            f"({days} days) and {len(result.withdrawn)} without consent; anonymous outcomes kept."
        )
        self.stdout.write(
            f"{'Would clear' if dry_run else 'Cleared'} the owner's contact of {len(result.owner_contacts_cleared)} "
            f"dwelling(s) sold, let or withdrawn and {'would delete' if dry_run else 'deleted'} "
            f"{len(result.hosts_deleted)} inactive host(s), unchanged for as long."
        )
        self.stdout.write(
            f"{'Would delete' if dry_run else 'Deleted'} {len(result.new_residents_deleted)} new resident(s) "
            "from the welcome list, inactive for as long."
        )
        if not options["days_given"]:
            from blilyst.web.accounts.models import Municipality

            own = [
                f"{m.name} {m.retention_days} days" for m in Municipality.objects.filter(retention_days__isnull=False)
            ]
            if own:
                self.stdout.write(f"Municipalities with their own retention period: {', '.join(own)}.")
