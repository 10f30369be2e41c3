"""The four roles and what each may do: the one table of permissions in blilyst.

A user has one role per municipality (``Membership``). Views never test role names; they ask
for a capability (``can(user, Capability.EDIT_HOUSEHOLDS, code)``) so that this table is the
only place to change when the rules change.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CONTACT_PERSON = "contact_person", _("Contact person")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
    READ_ONLY = "read_only", _("Read-only")


class Capability(enum.StrEnum):
    VIEW_STATISTICS = "view_statistics"  # statistics, projections, plans (no personal data)
    EDIT_PLANS = "edit_plans"
    VIEW_HOUSEHOLDS = "view_households"  # personal data of newcomer households
    EDIT_HOUSEHOLDS = "edit_households"
    VIEW_RESOURCES = "view_resources"  # housing, jobs, kindergarten places, hosts, events
    EDIT_RESOURCES = "edit_resources"
    MANAGE_USERS = "manage_users"  # members and settings of the municipality
    VIEW_ACCESS_LOG = "view_access_log"


C = Capability
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    # Follows the households of their municipalities, keeps the resources up to date.
    Role.CONTACT_PERSON: frozenset(
        {C.VIEW_STATISTICS, C.VIEW_HOUSEHOLDS, C.EDIT_HOUSEHOLDS, C.VIEW_RESOURCES, C.EDIT_RESOURCES}
    ),
    # Statistics and plans; never personal data.
    Role.ANALYST: frozenset({C.VIEW_STATISTICS, C.EDIT_PLANS, C.VIEW_RESOURCES}),
    # Users and settings, and who did what (the access log); not the households themselves.
    Role.ADMINISTRATOR: frozenset({C.VIEW_STATISTICS, C.VIEW_RESOURCES, C.MANAGE_USERS, C.VIEW_ACCESS_LOG}),
    # Sees what a contact person sees, changes nothing.
    Role.READ_ONLY: frozenset({C.VIEW_STATISTICS, C.VIEW_HOUSEHOLDS, C.VIEW_RESOURCES}),
}


def capabilities_of(role: str) -> frozenset[Capability]:
    """What ``role`` may do; an unknown role may do nothing."""
    return ROLE_CAPABILITIES.get(role, frozenset())
