"""The client address django-axes counts failed logins against, and the two limits it counts them by."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str | None:
    """The socket address, or behind ``BLILYST_PROXY_COUNT`` trusted proxies the address the
    outermost of them saw (taken from the right of X-Forwarded-For, which a client cannot forge)."""
    count = settings.BLILYST_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class PerUserAndAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits: ``AXES_FAILURE_LIMIT`` wrong passwords for one user name
    from one address, and ``BLILYST_LOGIN_ADDRESS_LIMIT`` from one address across all user names (password
    spraying: a few guesses each for many names). Axes compares one count with one limit, so the address's
    count is scaled to the user limit: reaching either limit locks the address out (for that user name, or
    for every name). A successful login resets both, as ``AXES_RESET_ON_SUCCESS`` does."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        per_user, per_address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        user_limit, address_limit = settings.AXES_FAILURE_LIMIT, settings.BLILYST_LOGIN_ADDRESS_LIMIT
        return max(per_user, per_address * user_limit // address_limit)
