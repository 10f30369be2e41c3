"""The demo municipality (Kviteseid, 4028) and one demo user per role, for ``make run``.

Passwords are generated once and kept in ``BLILYST_HOME/demo-logins.json`` (readable by the
owner only), so the console can show them again on the next start.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from blilyst.web.accounts.models import Membership, Municipality, User
from blilyst.web.accounts.roles import Role

DEMO_MUNICIPALITY = "4028"  # Kviteseid (4036 is Vinje in the 2024 structure)
DEMO_USERS = [
    ("kontaktperson", "Kari", "Kontakt", Role.CONTACT_PERSON),
    ("analytiker", "Ola", "Analyse", Role.ANALYST),
    ("administrator", "Siri", "Admin", Role.ADMINISTRATOR),
    ("lesetilgang", "Per", "Leser", Role.READ_ONLY),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    municipality: str


def logins_file() -> Path:
    return Path(settings.BLILYST_HOME) / "demo-logins.json"


def _read_passwords(path: Path) -> dict[str, str]:
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return {row["username"]: row["password"] for row in rows}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_logins(path: Path, logins: list[DemoLogin]) -> None:
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump([asdict(login) for login in logins], fh, ensure_ascii=False, indent=2)
    tmp.replace(path)


@transaction.atomic
def ensure_demo() -> list[DemoLogin]:
    """Create the demo municipality and users if missing; return their logins.

    An existing demo user keeps the password stored in the logins file; a user whose password
    is not in the file (the file was deleted) gets a new one.
    """
    municipality = Municipality.from_register(DEMO_MUNICIPALITY)
    path = logins_file()
    known = _read_passwords(path)
    logins = []
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        password = known.get(username)
        if created or password is None or not user.check_password(password):
            password = password if (password and created) else secrets.token_urlsafe(12)
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.update_or_create(user=user, municipality=municipality, defaults={"role": role})
        logins.append(DemoLogin(username, password, str(role.value), f"{municipality.name} ({municipality.code})"))
    _write_logins(path, logins)
    return logins
