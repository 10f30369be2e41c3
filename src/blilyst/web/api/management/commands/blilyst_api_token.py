"""Create (or revoke) an API token for a user: ``manage.py blilyst_api_token alice --name sync``."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from blilyst.web.api.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for USER and print it once (it is stored only as a hash)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="What the token is for.")
        parser.add_argument(
            "--days", type=int, default=0, help="Expire after this many days (0: BLILYST_API_TOKEN_DAYS, 90)."
        )
        parser.add_argument("--revoke", action="store_true", help="Revoke all of the user's tokens instead.")

    def handle(self, username, name, days, revoke, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user called {username!r}; check the name with the administrator.") from None
        if revoke:
            count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
            self.stdout.write(f"Revoked {count} token(s) of {username}.")
            return
        expires = timezone.now() + dt.timedelta(days=days) if days > 0 else None  # None: the default lifetime
        _row, token = ApiToken.issue(user, name, expires_at=expires)
        self.stdout.write(token)
