"""Create made-up households for a demo or a benchmark: ``blilyst_demo_households 4028 --count 100``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from blilyst.web.accounts.models import Municipality
from blilyst.web.newcomers.demo import generate_households


class Command(BaseCommand):
    help = "Create COUNT made-up households (no real people) in MUNICIPALITY. Example: 4028 --count 100"

    def add_arguments(self, parser):
        parser.add_argument("municipality")
        parser.add_argument("--count", type=int, default=50)
        parser.add_argument("--contact-person", default="", help="Username of their contact person.")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, municipality, count, contact_person, seed, **options):
        try:
            target = Municipality.objects.get(code=municipality)
        except Municipality.DoesNotExist:
            raise CommandError(
                f"Municipality {municipality} is not in the database; run `blilyst web demo` or add it first."
            ) from None
        person = None
        if contact_person:
            person = get_user_model().objects.filter(username=contact_person).first()
            if person is None:
                raise CommandError(f"No user called {contact_person!r}.")
        n = generate_households(target, count, seed=seed, contact_person=person)
        self.stdout.write(f"Created {n} made-up households in {target}.")
