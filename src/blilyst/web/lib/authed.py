"""The request a protected view receives, for type annotations.

``LoginRequiredMiddleware`` lets a request reach a view not marked ``@login_not_required`` only when its user is
logged in, so such a view's ``request.user`` is always a :class:`~blilyst.web.accounts.models.User`, never
``AnonymousUser``; API endpoints get the same from django-ninja's authentication (a token's user or the session's).
Annotating the view's request as :class:`AuthedRequest` says so to the type checker; Django still
passes its own request object (this class is never instantiated).
"""

from __future__ import annotations

from django.http import HttpRequest

from blilyst.web.accounts.models import User


class AuthedRequest(HttpRequest):
    """An ``HttpRequest`` whose ``user`` is logged in."""

    user: User
