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
        user = User(
            username=username, first_name=first_name, last_name=last_name, email=email, must_change_password=True
        )
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


class NotYoursToReset(Exception):
    """The member also serves a municipality where the administrator is not an administrator."""


def reset_password(membership: Membership, administrator: User) -> str:
    """A new one-time password for ``membership``'s user, to hand over; returns it (shown once).

    Only for a user every one of whose municipalities ``administrator`` administers: otherwise an
    administrator of one municipality could log in as a regional office's user and see another
    municipality's households (raises ``NotYoursToReset``). Setting the password ends the user's other
    sessions (Django checks the password hash on every request)."""
    user = membership.user
    theirs = set(user.memberships.values_list("municipality_id", flat=True))
    mine = set(administrator.municipality_codes()) & {
        code for code, role in administrator.memberships_by_code().items() if role == Role.ADMINISTRATOR
    }
    if user.is_superuser or not theirs <= mine:
        raise NotYoursToReset
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password
