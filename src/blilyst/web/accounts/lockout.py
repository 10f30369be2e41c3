"""The client address django-axes counts failed logins against."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The socket address, or behind ``BLILYST_PROXY_COUNT`` trusted proxies the address the
    outermost of them saw (taken from the right of X-Forwarded-For, which a client cannot forge)."""
    count = settings.BLILYST_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
