"""Values every template gets."""

from __future__ import annotations

from blilyst.web.accounts.roles import Role


def memberships(request) -> dict:
    """The logged-in user's municipalities and roles, for the header and the home page."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {"user_memberships": []}
    labels = dict(Role.choices)
    rows = user.memberships.select_related("municipality").order_by("municipality_id")
    return {"user_memberships": [(m.municipality, labels.get(m.role, m.role)) for m in rows]}
