"""The user's own API tokens: list them, create one (shown once), revoke one."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from blilyst.web.api.models import ApiToken
from blilyst.web.lib.authed import AuthedRequest


class NewTokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100)
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        max_value=365,
        help_text=gettext_lazy("At most a year; the token stops working earlier if you change your password."),
    )


@require_http_methods(["GET", "POST"])
def tokens(request: AuthedRequest) -> HttpResponse:
    """Only the user's own tokens: a token acts as its user, so nobody else's are shown."""
    form = NewTokenForm(request.POST or None, initial={"days": settings.BLILYST_API_TOKEN_DAYS})
    created = None
    if request.method == "POST" and form.is_valid():
        expires = timezone.now() + dt.timedelta(days=form.cleaned_data["days"])
        _row, created = ApiToken.issue(request.user, form.cleaned_data["name"], expires_at=expires)
        form = NewTokenForm(initial={"days": settings.BLILYST_API_TOKEN_DAYS})
    labels = {
        "active": _("active"),
        "expired": _("expired"),
        "revoked": _("revoked"),
        "password changed": _("ended by a password change"),
    }
    rows = [
        {"token": t, "state": t.state, "label": labels[t.state]}
        for t in ApiToken.objects.filter(user=request.user).select_related("user")
    ]
    return render(request, "api/tokens.html", {"form": form, "rows": rows, "created": created})


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another user's token: 404
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens")
