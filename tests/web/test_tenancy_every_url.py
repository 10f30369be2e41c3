"""Tenancy over every URL and every API operation, for every role.

Every URL pattern of the project and every operation of the OpenAPI description is requested by each
role of municipality A (Kviteseid), by each role of municipality B (Vinje, the strangers) and
anonymously. Path parameters are filled with the numbers of A's objects, and again with numbers that
do not exist. The rules:

* a stranger gets exactly the same answer for A's object as for a missing one (nothing tells A's
  objects apart from nothing), and no answer of any kind shows one of A's markers;
* a read-only member gets 403 on every write;
* analysts and administrators never get a page or operation with personal data;
* anonymous visitors get the login redirect (the API: 401), except on the public pages.

``URLS`` classifies every URL name. A new URL that is not in it fails the test, so whoever adds one
must say who may see it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from enum import Enum

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from blilyst.web.accounts.models import Membership, User
from blilyst.web.accounts.roles import Role

MISSING = 999_999
MISSING_CODE = "9998"  # no such municipality


class Kind(Enum):
    PUBLIC = "public"  # anyone, also anonymous: shows only what a municipality publishes
    OWN = "own"  # the signed-in user's own account (password, tokens, calendar feed)
    STATISTICS = "statistics"  # SSB figures of any municipality, for every signed-in user
    TENANT = "tenant"  # a municipality's own records without personal data
    PERSONAL = "personal"  # personal data: contact persons and read-only members only
    ADMIN = "admin"  # members, settings, access log: administrators only


@dataclass(frozen=True)
class Expect:
    kind: Kind
    writes: bool = False  # a POST changes something (read-only members must get 403)


P, W = Kind.PERSONAL, True
URLS: dict[str, Expect] = {
    "home": Expect(Kind.OWN),
    "privacy": Expect(Kind.PUBLIC),
    "healthz": Expect(Kind.PUBLIC),
    "set_language": Expect(Kind.PUBLIC),
    "login": Expect(Kind.PUBLIC),
    "logout": Expect(Kind.OWN),
    "password_change": Expect(Kind.OWN),
    "password_change_done": Expect(Kind.OWN),
    "api_tokens": Expect(Kind.OWN),
    "api_token_revoke": Expect(Kind.OWN),
    "members": Expect(Kind.ADMIN, W),
    "municipality_settings": Expect(Kind.ADMIN, W),
    "member_role": Expect(Kind.ADMIN, W),
    "member_remove": Expect(Kind.ADMIN, W),
    "member_password": Expect(Kind.ADMIN, W),
    "municipality_list": Expect(Kind.STATISTICS),
    "municipality_detail": Expect(Kind.STATISTICS),
    "household_list": Expect(P),
    "household_create": Expect(P, W),
    "my_tasks": Expect(P),
    "household_detail": Expect(P),
    "household_edit": Expect(P, W),
    "household_needs": Expect(P, W),
    "household_status": Expect(P, W),
    "task_add": Expect(P, W),
    "task_done": Expect(P, W),
    "contact_add": Expect(P, W),
    "follow_up_add": Expect(P, W),
    "access_log": Expect(Kind.ADMIN),
    "consent_add": Expect(P, W),
    "consent_withdraw": Expect(P, W),
    "household_export": Expect(P),
    "household_export_html": Expect(P),
    "household_export_pdf": Expect(P),
    "household_erase": Expect(P, W),
    "api:openapi-json": Expect(Kind.OWN),
    "api:openapi-view": Expect(Kind.OWN),
    "resources:index": Expect(Kind.TENANT),
    "resources:gaps": Expect(Kind.TENANT),
    "resources:match": Expect(P),
    "resources:offer_create": Expect(P, W),
    "resources:offer_answer": Expect(P, W),
    "resources:list": Expect(Kind.TENANT),
    "resources:create": Expect(Kind.TENANT, W),
    "resources:import": Expect(Kind.TENANT, W),
    "resources:edit": Expect(Kind.TENANT, W),
    "resources:delete": Expect(Kind.TENANT, W),
    "plan_index": Expect(Kind.TENANT),
    "plan_evidence": Expect(Kind.TENANT),
    "plan_peers": Expect(Kind.TENANT),
    "plan_scenario": Expect(Kind.TENANT, W),
    "plan_bottlenecks": Expect(Kind.TENANT, W),
    "plan_assessment": Expect(Kind.TENANT),
    "plan_target_group": Expect(Kind.TENANT, W),
    "plan_competence": Expect(Kind.TENANT, W),
    "plan_survey": Expect(Kind.TENANT, W),
    "plan_message": Expect(Kind.TENANT, W),
    "plan_results": Expect(Kind.TENANT),
    "plan_export": Expect(Kind.TENANT),
    "plan_export_file": Expect(Kind.TENANT),
    "plan_export_start": Expect(Kind.TENANT),  # makes a document of what the user may read: read-only may too
    "plan_adopt": Expect(Kind.TENANT, W),
    "plan_adopted_file": Expect(Kind.TENANT),
    "frontdoor:manage": Expect(Kind.ADMIN, W),
    "frontdoor:front_door": Expect(Kind.PUBLIC),
    "frontdoor:front_door_in": Expect(Kind.PUBLIC),
    "frontdoor:front_door_thanks": Expect(Kind.PUBLIC),
    "outreach:household_message": Expect(P, W),
    "outreach:templates": Expect(Kind.TENANT),
    "outreach:template_edit": Expect(Kind.TENANT, W),
    "outreach:calendar": Expect(Kind.OWN),
    "outreach:welcome": Expect(P, W),
    "outreach:welcome_contacted": Expect(P, W),
    "outreach:welcome_register": Expect(P, W),
    "outreach:welcome_delete": Expect(P, W),
    "outreach:calendar_feed": Expect(Kind.PUBLIC),  # the secret token in the URL is the credential
    "jobs:list": Expect(Kind.OWN),
    "jobs:start": Expect(Kind.OWN, W),
    "jobs:detail": Expect(Kind.OWN),
    "jobs:status": Expect(Kind.OWN),
    "jobs:file": Expect(Kind.OWN),
}


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, full name) of every URL pattern; the API's operations are tested from the OpenAPI description."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + str(p.pattern), namespace + p.name


def web_routes() -> list[tuple[str, str]]:
    return [(route, name) for route, name in url_patterns() if not route.startswith("api/") or "openapi" in name]


def test_every_url_is_classified():
    names = {name for _route, name in web_routes()}
    unclassified = sorted(names - URLS.keys())
    assert unclassified == [], f"say in URLS who may use these new URLs: {unclassified}"
    assert sorted(URLS.keys() - names) == [], "URLS names URLs that no longer exist"


@dataclass
class World:
    people: dict[str, User]  # "a:analyst", "b:read_only", ...
    values: dict[str, str]  # path parameter -> A's object
    missing: dict[str, str]  # path parameter -> nothing
    markers: list[str]  # text of A's records that must never reach a stranger


ROLES = [Role.CONTACT_PERSON, Role.ANALYST, Role.ADMINISTRATOR, Role.READ_ONLY]


@pytest.fixture
def world(people, password_hash) -> World:
    from blilyst.web.api.models import ApiToken
    from blilyst.web.jobs.models import Job
    from blilyst.web.newcomers.demo import make_household
    from blilyst.web.newcomers.models import Task
    from blilyst.web.outreach.models import NewResident, Purpose
    from blilyst.web.planning.models import BottleneckAssessment, Plan, PlanVersion
    from blilyst.web.privacy.rules import record_consent
    from blilyst.web.resources.models import Housing

    users: dict[str, User] = {
        "a:contact_person": people.alice,
        "a:read_only": people.rita,
        "b:contact_person": people.bob,
    }
    for side, municipality in (("a", people.a), ("b", people.b)):
        for role in ROLES:
            key = f"{side}:{role.value}"
            if key not in users:
                user = User.objects.create(username=key.replace(":", "-"), password=password_hash)
                Membership.objects.create(user=user, municipality=municipality, role=role)
                users[key] = user
    household = make_household(
        people.a, "Familien Zqxmark", name="Zqxmark Person", email="zqxmark@example.org", contact_person=people.alice
    )
    task = Task.objects.create(household=household, title="Ring Zqxmark", due=dt.date(2026, 12, 1))
    consent = record_consent(household, "follow_up")
    offer = household.offers.create(municipality_id="4028", kind="job", summary="Jobb Zqxmark")
    dwelling = Housing.objects.create(
        municipality_id="4028",
        kind="rent",
        title="Hus Zqxmark",
        bedrooms=3,
        size_m2=120,
        price=9000,
        available_from=dt.date(2027, 1, 1),
    )
    resident = NewResident.objects.create(
        municipality_id="4028", name="Zqxnew Resident", moved_in_on=dt.date(2026, 11, 1)
    )
    assessment = BottleneckAssessment.objects.create(municipality_id="4028", notes={"jobs": "Zqxnote"})
    plan = Plan.objects.create(municipality_id="4028")
    PlanVersion.objects.create(
        plan=plan, number=1, adopted_on=dt.date(2026, 6, 1), case_number="Zqx/1", saved={}, pdf=b"%PDF", docx=b"PK"
    )
    job = Job.objects.create(kind="refresh", started_by=people.alice, summary="Zqxjob")
    _row, token = ApiToken.issue(people.alice, "Zqxtoken")
    member = Membership.objects.get(user=people.rita)
    values = {
        "pk": "",  # depends on the route, see fill()
        "household_id": str(household.pk),
        "task_pk": str(task.pk),
        "consent_pk": str(consent.pk),
        "offer_id": str(offer.pk),
        "code": "4028",
        "number": "1",
        "fmt": "pdf",
        "kind": "housing",
        "lang": "nb",
        "purpose": Purpose.values[0],
        "language": "nb",
        "token": token,
        "pk:households": str(household.pk),
        "pk:resources": str(dwelling.pk),
        "pk:members": str(member.pk),
        "pk:tokens": str(_row.pk),
        "pk:bottlenecks": str(assessment.pk),
        "pk:welcome": str(resident.pk),
        "pk:jobs": str(job.pk),
    }
    missing = {key: str(MISSING) for key in values} | {
        "code": MISSING_CODE,
        "number": "99",
        "fmt": "pdf",
        "kind": "housing",
        "lang": "nb",
        "purpose": values["purpose"],
        "language": "nb",
        "token": "x" * 40,
    }
    markers = ["Zqxmark", "Zqxnew", "Zqxnote", "Zqx/1", "Zqxjob", "Zqxtoken"]
    return World(users, values, missing, markers)


PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


PK_OWNERS = {"households": "households", "<slug:kind>": "resources", "members": "members", "tokens": "tokens"}
PK_OWNERS |= {"bottlenecks": "bottlenecks", "welcome": "welcome", "jobs": "jobs"}


def fill(route: str, values: dict[str, str]) -> str:
    """The URL of ``route`` with its parameters from ``values``; ``pk`` is the object the segment before it names."""
    if "<int:pk>" in route:
        owner = PK_OWNERS[route.split("<int:pk>")[0].rstrip("/").split("/")[-1]]
        route = route.replace("<int:pk>", values[f"pk:{owner}"])
    return "/" + PARAM.sub(lambda match: values[match.group(1)], route)


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def page_without(response, url: str) -> str:
    """The page, less what differs on every request (the masked CSRF token) and the address itself."""
    return CSRF_TOKEN.sub("", response.content.decode(errors="replace")).replace(url, "")


def ask(client, method: str, url: str):
    return client.get(url) if method == "get" else client.post(url, {})


def test_strangers_cannot_tell_as_objects_from_missing_ones(world, client_for):
    """Each role of B, GET and POST on every URL: A's object and a missing one answer alike, and
    nothing of A shows anywhere."""
    problems = []
    for role in ROLES:
        client = client_for(world.people[f"b:{role.value}"])
        for route, name in web_routes():
            if URLS[name].kind is Kind.PUBLIC or name == "logout":
                continue  # the same for everyone: the front door shows what A publishes (tests/web/frontdoor)
            foreign_url, missing_url = fill(route, world.values), fill(route, world.missing)
            for method in ("get", "post"):
                foreign = ask(client, method, foreign_url)
                body = foreign.content.decode(errors="replace")
                leaked = [marker for marker in world.markers if marker in body]
                if leaked:
                    problems.append(f"{role.value} {method.upper()} {foreign_url}: shows {leaked}")
                if foreign_url == missing_url or URLS[name].kind is Kind.STATISTICS:
                    continue  # SSB's figures of every municipality are for every signed-in user
                missing = ask(client, method, missing_url)
                if foreign.status_code != missing.status_code:
                    problems.append(
                        f"{role.value} {method.upper()} {foreign_url}: {foreign.status_code}, missing {missing.status_code}"
                    )
                elif foreign.status_code == 404 and page_without(foreign, foreign_url) != page_without(
                    missing, missing_url
                ):
                    problems.append(f"{role.value} {method.upper()} {foreign_url}: 404 differs from a missing one")
                if 200 <= foreign.status_code < 300:
                    problems.append(f"{role.value} {method.upper()} {foreign_url}: {foreign.status_code}")
        assert client.get("/").status_code == 200, "the stranger must still be signed in, or this test proves nothing"
    assert not problems, "\n".join(problems)


def test_each_role_of_the_municipality_gets_what_its_role_allows(world, client_for):
    problems = []
    for role in ROLES:
        client = client_for(world.people[f"a:{role.value}"])
        for route, name in web_routes():
            expect = URLS[name]
            if expect.kind in (Kind.PUBLIC, Kind.OWN, Kind.STATISTICS):
                continue  # the same for every role
            url = fill(route, world.values)
            personal_blocked = role in (Role.ANALYST, Role.ADMINISTRATOR) and expect.kind is Kind.PERSONAL
            admin_blocked = role is not Role.ADMINISTRATOR and expect.kind is Kind.ADMIN
            if personal_blocked or admin_blocked:
                got = client.get(url).status_code
                if got == 405:  # a form's target: the POST is what counts
                    got = client.post(url, {}).status_code
                if got not in (403, 404):
                    problems.append(f"{role.value} {url}: {got}, should be refused")
            elif role is Role.READ_ONLY and expect.writes:
                got = client.post(url, {}).status_code
                if got != 403:
                    problems.append(f"read_only POST {url}: {got}, should be 403")
        assert client.get("/").status_code == 200, "still signed in, or this test proves nothing"
    assert not problems, "\n".join(problems)


def test_anonymous_visitors_are_sent_to_the_login(world, client):
    problems = []
    for route, name in web_routes():
        url = fill(route, world.values)
        response = client.get(url)
        redirected = response.status_code == 302 and response["Location"].startswith("/accounts/login/")
        redirected |= route.startswith("api/") and response.status_code == 401  # the API asks for a token
        if URLS[name].kind is Kind.PUBLIC:
            if redirected:
                problems.append(f"GET {url}: public page sends to the login")
        elif not redirected:
            problems.append(f"GET {url}: {response.status_code}, should send to the login")
    assert not problems, "\n".join(problems)


# --- The API: every operation of the OpenAPI description, with each role's token. ---

WRITE_METHODS = {"post", "put", "patch", "delete"}
PERSONAL_API = ("/api/households", "/api/resources/match/")
READS_BY_POST = {"/api/households/search", "/api/plan/{code}/honesty"}
# Bodies that pass the schema, so that what answers is the permission check, not the validation.
BODIES = {
    "patch": {"version": 1},
    "/api/households/search": {"q": "Zqxmark"},
    "/api/plan/{code}/honesty": {"text": "Ledige tomter venter på deg i bygda."},
}


def api_operations(world: World, client_for) -> list[tuple[str, str]]:
    schema = client_for(world.people["a:contact_person"]).get("/api/openapi.json").json()
    return sorted(
        (method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", *WRITE_METHODS}
    )


def api_url(path: str, values: dict[str, str]) -> str:
    """``{pk}`` of a resource kind is a dwelling (the other kinds' numbers are then foreign to their tables too)."""
    owner = "households" if path.startswith("/api/households") else "resources"
    path = path.replace("{pk}", values[f"pk:{owner}"])
    return re.sub(r"\{(\w+)\}", lambda match: values[match.group(1)], path)


def call(token: str | None, method: str, url: str, path: str = ""):
    from django.test import Client

    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if method == "get":
        return Client().get(url, **headers)
    body = json.dumps(BODIES.get(path, BODIES.get(method, {})))
    return getattr(Client(), method)(url, data=body, content_type="application/json", **headers)


def test_the_api_keeps_every_role_to_its_own(world, client_for):
    from blilyst.web.api.models import ApiToken

    operations = api_operations(world, client_for)
    assert len(operations) >= 30 and ("patch", "/api/households/{pk}") in operations
    tokens = {key: ApiToken.issue(user, "every-url")[1] for key, user in world.people.items()}
    problems = []
    for method, path in operations:
        url, missing_url = api_url(path, world.values), api_url(path, world.missing)
        got = call(None, method, url).status_code
        if got != 401:
            problems.append(f"anonymous {method.upper()} {url}: {got}, should be 401")
        for role in ROLES:
            foreign = call(tokens[f"b:{role.value}"], method, url)
            body = foreign.content.decode(errors="replace")
            if leaked := [marker for marker in world.markers if marker in body]:
                problems.append(f"b:{role.value} {method.upper()} {url}: shows {leaked}")
            if url != missing_url:
                missing = call(tokens[f"b:{role.value}"], method, missing_url)
                if (foreign.status_code, body) != (missing.status_code, missing.content.decode(errors="replace")):
                    problems.append(f"b:{role.value} {method.upper()} {url}: {foreign.status_code} != missing")
                if 200 <= foreign.status_code < 300:
                    problems.append(f"b:{role.value} {method.upper()} {url}: {foreign.status_code}")
            if role is Role.CONTACT_PERSON:
                continue  # may do it all (and would change A's objects under the next checks)
            own = call(tokens[f"a:{role.value}"], method, url, path).status_code
            refused = {403, 404} if "{pk}" in path or method == "get" else {403, 404, 422}  # 422: the empty body
            if role in (Role.ANALYST, Role.ADMINISTRATOR) and path.startswith(PERSONAL_API) and own not in refused:
                problems.append(f"a:{role.value} {method.upper()} {url}: {own}, personal data")
            if role is Role.READ_ONLY and method in WRITE_METHODS and path not in READS_BY_POST:
                # Changing or deleting A's object is 403; creating is 404 as if A were not there, or 422
                # for this empty body (tests/web/api and tests/web/resources send valid ones).
                # Of the resource kinds only a dwelling exists, so the other kinds' numbers are missing: 404.
                owned = "{pk}" in path and path.startswith(("/api/households", "/api/resources/housing"))
                allowed = {403} if owned else {404} if "{pk}" in path else {403, 404, 422}
                if own not in allowed:
                    problems.append(f"a:read_only {method.upper()} {url}: {own}, should be {allowed}")
    assert not problems, "\n".join(problems)
