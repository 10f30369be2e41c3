"""The front door's defences against abuse: a rate limit per address, a honeypot and size limits.

* **Rate limit**: at most ``BLILYST_FRONTDOOR_POSTS_PER_HOUR`` form submissions (default 10) from
  one address per hour, across all municipalities. The address is kept only as an HMAC keyed with
  the server's secret, for about a day (purged by about every 50th submission), so the ledger cannot be read back into addresses. The address is
  the one the login lock-out uses (``accounts.lockout.client_ip``, aware of trusted proxies).
* **Honeypot**: a field people never see (hidden from eyes and screen readers); a robot that fills
  it gets the same thank-you page as a person, and nothing is stored.
* **Size**: a request body over ``MAX_BODY_BYTES`` is refused before the form is read; every field
  has a maximum length, and there are at most ``MAX_ADULTS`` adults and ``MAX_CHILDREN`` children.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from blilyst.web.accounts.lockout import client_ip
from blilyst.web.frontdoor.models import PublicAttempt

MAX_BODY_BYTES = 16_000
MAX_ADULTS = 4
MAX_CHILDREN = 8
HONEYPOT_FIELD = "homepage"
WINDOW = dt.timedelta(hours=1)
KEEP = dt.timedelta(days=1)
#: Entries older than ``KEEP`` are deleted by about one submission in this many (a write saved on the rest).
PURGE_ONE_IN = 50


def posts_per_hour() -> int:
    return int(getattr(settings, "BLILYST_FRONTDOOR_POSTS_PER_HOUR", 10))


def address_hash(request: HttpRequest) -> str:
    address = client_ip(request) or "unknown"
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def allow_attempt(request: HttpRequest, now: dt.datetime | None = None) -> bool:
    """Record a submission from the request's address; False when the address is over its limit."""
    now = now or timezone.now()
    key = address_hash(request)
    if secrets.randbelow(PURGE_ONE_IN) == 0:  # forget day-old entries now and then, not on every form
        PublicAttempt.objects.filter(at__lt=now - KEEP).delete()
    recent = PublicAttempt.objects.filter(address_hash=key, at__gte=now - WINDOW).count()
    if recent >= posts_per_hour():
        return False
    PublicAttempt.objects.create(address_hash=key, at=now)
    return True


def body_too_large(request: HttpRequest) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > MAX_BODY_BYTES


def is_robot(data) -> bool:
    """Whether the hidden honeypot field was filled in."""
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
