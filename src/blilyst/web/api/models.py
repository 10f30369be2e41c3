"""API tokens: a user's key for the JSON API (``Authorization: Bearer <token>``).

Only a SHA-256 hash of the token is stored; the token itself is shown once, when created.
A token acts as its user, with the same municipalities and roles as on the pages. Every token expires
(``BLILYST_API_TOKEN_DAYS`` unless given), and it is bound to its user's password as Django binds a
session: a password change (or a new one-time password) ends every token issued before. Tokens are
listed and revoked one by one on the user's token page (``accounts:tokens``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "bly_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)  # the first characters, to tell tokens apart
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The user's session auth hash when the token was issued: it changes with the password.
    password_bound = models.CharField(max_length=128, default="")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def issue(cls, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
        """Create a token for ``user``; returns the row and the token (shown once, never stored). Without
        ``expires_at`` it expires after ``BLILYST_API_TOKEN_DAYS``."""
        if expires_at is None:
            expires_at = timezone.now() + dt.timedelta(days=settings.BLILYST_API_TOKEN_DAYS)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        row = cls.objects.create(
            user=user,
            name=name,
            digest=hash_token(token),
            hint=token[:10],
            expires_at=expires_at,
            password_bound=user.get_session_auth_hash(),
        )
        return row, token

    @property
    def state(self) -> str:
        """ "active", "expired", "revoked" or "password changed"."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        if not constant_time_compare(self.password_bound, self.user.get_session_auth_hash()):
            return "password changed"
        return "active"

    @classmethod
    def user_for(cls, token: str):
        """The active user a token belongs to, or None."""
        if not token or not token.startswith(TOKEN_PREFIX):
            return None
        row = cls.objects.active().select_related("user").filter(digest=hash_token(token)).first()
        if row is None or not row.user.is_active or row.user.must_change_password:
            return None
        if not constant_time_compare(row.password_bound, row.user.get_session_auth_hash()):
            return None  # the password changed since the token was issued
        now = timezone.now()
        if row.last_used is None or (now - row.last_used).total_seconds() > 60:
            cls.objects.filter(pk=row.pk).update(last_used=now)
        return row.user
