"""Values every template gets."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from blilyst.web.accounts.roles import Capability, Role, capabilities_of


@dataclass(frozen=True)
class MembershipView:
    municipality: object
    role: str
    role_label: str
    capabilities: frozenset

    @property
    def can_manage_users(self) -> bool:
        return Capability.MANAGE_USERS in self.capabilities


def memberships(request) -> dict:
    """The logged-in user's municipalities and roles, for the home page: read only when a template uses them
    (every page renders through here, and most never show them)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_memberships": []}

    def read() -> list[MembershipView]:
        labels = dict(Role.choices)
        rows = user.memberships.select_related("municipality").order_by("municipality_id")
        return [
            MembershipView(m.municipality, m.role, labels.get(m.role, m.role), capabilities_of(m.role)) for m in rows
        ]

    return {"user_memberships": SimpleLazyObject(read)}
