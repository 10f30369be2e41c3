"""Adding people to a municipality, changing their role and removing them (administrators only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from blilyst.web.accounts.models import Membership, Municipality, User
from blilyst.web.accounts.roles import Role


class LastAdministrator(Exception):
    """The change would leave the municipality without an administrator."""


@dataclass(frozen=True)
class Added:
    membership: Membership
    created_user: bool
    password: str | None  # the one-time password of a new user, shown once to the administrator


@transaction.atomic
def add_member(
    municipality: Municipality, *, username: str, role: Role, first_name: str = "", last_name: str = "", email: str = ""
) -> Added:
    """Give ``username`` ``role`` in ``municipality``, creating the user (with a random password
    to hand over and change at first login) if there is none by that name."""
    user = User.objects.filter(username=username).first()
    password = None
    created = user is None
    if created:
        password = secrets.token_urlsafe(12)
        user = User(username=username, first_name=first_name, last_name=last_name, email=email)
        user.set_password(password)
        user.save()
    membership, _ = Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
    return Added(membership, created, password)


def _other_administrators(membership: Membership) -> bool:
    return (
        Membership.objects.filter(municipality_id=membership.municipality_id, role=Role.ADMINISTRATOR)
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def change_role(membership: Membership, role: Role) -> None:
    if membership.role == Role.ADMINISTRATOR and role != Role.ADMINISTRATOR and not _other_administrators(membership):
        raise LastAdministrator
    membership.role = role
    membership.save(update_fields=["role"])


@transaction.atomic
def remove_member(membership: Membership) -> None:
    if membership.role == Role.ADMINISTRATOR and not _other_administrators(membership):
        raise LastAdministrator
    membership.delete()
