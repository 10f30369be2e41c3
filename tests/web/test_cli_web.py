"""``blilyst web demo`` and ``blilyst web manage`` (``serve`` is demo + Django's runserver)."""

from __future__ import annotations

import json

from blilyst.cli import main
from blilyst.web.accounts.demo import ensure_demo, logins_file
from blilyst.web.accounts.models import Membership, User
from blilyst.web.accounts.roles import Role


def test_demo_creates_kviteseid_and_one_user_per_role(db):
    logins = ensure_demo()
    assert [login.username for login in logins] == ["kontaktperson", "analytiker", "administrator", "lesetilgang"]
    roles = dict(Membership.objects.filter(municipality_id="4028").values_list("user__username", "role"))
    assert roles == {
        "kontaktperson": Role.CONTACT_PERSON,
        "analytiker": Role.ANALYST,
        "administrator": Role.ADMINISTRATOR,
        "lesetilgang": Role.READ_ONLY,
    }
    assert Membership.objects.get(user__username="kontaktperson").municipality.name == "Kviteseid"
    for login in logins:
        assert User.objects.get(username=login.username).check_password(login.password)


def test_demo_keeps_the_passwords_on_a_second_run(db):
    first = ensure_demo()
    second = ensure_demo()
    assert [login.password for login in first] == [login.password for login in second]
    assert User.objects.count() == 4


def test_demo_passwords_are_stored_for_the_owner_only(db):
    ensure_demo()
    path = logins_file()
    assert path.stat().st_mode & 0o077 == 0
    assert {row["username"] for row in json.loads(path.read_text())} >= {"kontaktperson"}


def test_the_demo_command_prints_how_to_log_in(db, capsys):
    assert main(["web", "demo"]) == 0
    out = capsys.readouterr().out
    assert "kontaktperson" in out and "Kviteseid (4028)" in out
    password = json.loads(logins_file().read_text())[0]["password"]
    assert password in out
    assert "Kontaktperson – Kviteseid (4028)" in out and "contact_person" not in out  # the role named, not its code


def test_the_demo_command_names_the_roles_in_the_commands_language(db, capsys):
    assert main(["web", "demo", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Contact person – Kviteseid (4028)" in out and "Read-only – Kviteseid (4028)" in out


def test_the_demo_command_gives_kviteseid_listings_to_match_against(db):
    from blilyst.web.resources.models import Housing, JobVacancy

    assert main(["web", "demo"]) == 0
    assert Housing.objects.filter(municipality_id="4028", kind=Housing.Kind.TRIAL).exists()
    assert JobVacancy.objects.filter(municipality_id="4028").count() >= 2


def test_manage_runs_a_django_command(db, capsys):
    assert main(["web", "manage", "showmigrations", "accounts"]) == 0
    assert "[X] 0001_initial" in capsys.readouterr().out


def test_the_demo_command_gives_kviteseid_made_up_households_along_the_pipeline(db):
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from blilyst.web.newcomers.models import Household

    assert main(["web", "demo"]) == 0
    assert main(["web", "demo"]) == 0  # a second start adds nothing
    households = {h.label: h for h in Household.objects.filter(municipality_id="4028")}
    assert sorted(households) == [
        "Familien Ali (demo)",
        "Familien Berg (demo)",
        "Familien Nowak (demo)",
        "Marte Haugen (demo)",
    ]
    assert {h.status for h in households.values()} == {"enquiry", "in_dialogue", "visited", "moved_in"}
    assert all(a.email.endswith("@example.org") for h in households.values() for a in h.adults.all() if a.email)
    nowak = households["Familien Nowak (demo)"]
    assert [a.job_wishes for a in nowak.adults.order_by("pk")] == ["sykepleier", "snekker, byggfag"]
    ali = households["Familien Ali (demo)"]
    follow_ups = dict(ali.tasks.values_list("follow_up_months", "due"))
    assert sorted(follow_ups) == [3, 12, 24] and follow_ups[3] < timezone.localdate()  # overdue
    assert all(h.consents.filter(purpose="follow_up").exists() for h in households.values())

    client = Client()
    client.force_login(User.objects.get(username="kontaktperson"))
    assert "Familien Berg (demo)" in client.get(reverse("household_list")).content.decode()
    matches = client.get(reverse("resources:match", args=[nowak.pk])).content.decode()
    assert "Prøvebolig Fjågesund" in matches.split('<ol class="suggestions">')[1]


def test_demo_households_never_touch_a_municipality_with_households(db):
    from blilyst.web.newcomers.demo import ensure_demo_households, make_household
    from blilyst.web.newcomers.models import Household

    ensure_demo()
    make_household("4028", "Ekte familie")
    assert ensure_demo_households("4028") == 0
    assert list(Household.objects.values_list("label", flat=True)) == ["Ekte familie"]
