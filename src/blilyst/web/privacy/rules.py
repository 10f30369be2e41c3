"""The privacy rules, in one place: access log, export, erasure, consent and retention.

Views, the API and the retention command call these functions; none of them deletes a
household or writes the access log on its own.

* ``log_access(user, household, action)`` – one row in the access log.
* ``export_household(household)`` – everything held about a household, as a JSON-ready dict (DSAR).
* ``erase_household(household, by=..., cause=...)`` – real deletion (rows gone, not flagged),
  leaving an ``AnonymousOutcome`` and an access-log row.
* ``record_consent`` / ``withdraw_consent`` – consent with the exact text shown; one-click withdrawal.
* ``apply_retention(now=None, days=None)`` – erase households whose last activity is older than the
  retention period, or whose consent has been withdrawn; returns what was done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import overload

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from blilyst.web.privacy.models import (
    CONSENT_TEXTS,
    AccessLogEntry,
    Action,
    AnonymousOutcome,
    Consent,
    ConsentPurpose,
    LoggedRecord,
)

EXPORT_FORMAT = "blilyst-household-export/1"


def retention_days() -> int:
    """The retention period in days (setting ``BLILYST_RETENTION_DAYS``; default 730, from 24 months)."""
    return int(settings.BLILYST_RETENTION_DAYS)


def log_access(user, household, action: str, *, detail: str = "", via: str = "web") -> AccessLogEntry:
    """Record that ``user`` did ``action`` (an ``Action``) to ``household``."""
    return AccessLogEntry.objects.create(
        municipality_id=household.municipality_id,
        household_id=household.pk,
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        detail=detail[:200],
        via=via,
    )


def log_new_resident_access(user, residents, action: str, *, detail: str = "", via: str = "web") -> None:
    """Record that ``user`` did ``action`` to each of ``residents`` (welcome-list rows, ``NewResident``): the
    list holds personal data as a household does, so it is logged the same way, one row per person."""
    username = getattr(user, "username", "") or "system"
    AccessLogEntry.objects.bulk_create(
        AccessLogEntry(
            municipality_id=resident.municipality_id,
            household_id=resident.pk,
            record=LoggedRecord.NEW_RESIDENT,
            user=user if getattr(user, "pk", None) else None,
            username=username,
            action=action,
            detail=detail[:200],
            via=via,
        )
        for resident in residents
    )


def _user_name(user) -> str | None:
    return user.username if user is not None else None


def _iso(value):
    return value.isoformat() if value is not None else None


def offer_export_rows(household) -> list[dict]:
    from blilyst.web.resources.offers import export_rows

    return export_rows(household)


def export_household(household) -> dict:
    """Everything blilyst holds about ``household``: the household, adults, children, needs, status
    history, tasks, contact log, follow-ups, consents, the gaps matching recorded for it and the access log of
    who handled it."""
    h = household
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "household": {
            "id": h.pk,
            "municipality": h.municipality_id,
            "label": h.label,
            "status": h.status,
            "status_since": _iso(h.status_since),
            "target_group": h.target_group,
            "origin_place": h.origin_place,
            "origin_country": h.origin_country,
            "heard_about": h.heard_about,
            "heard_about_note": h.heard_about_note,
            "contact_person": _user_name(h.contact_person),
            "notes": h.notes,
            "moved_in_on": _iso(h.moved_in_on),
            "moved_out_on": _iso(h.moved_out_on),
            "move_out_reason": h.move_out_reason,
            "move_out_note": h.move_out_note,
            "created": _iso(h.created),
            "last_activity": _iso(h.last_activity),
        },
        "needs": {
            "housing_tenure": h.housing_tenure,
            "housing_bedrooms": h.housing_bedrooms,
            "housing_from": _iso(h.housing_from),
            "housing_note": h.housing_note,
            "school_note": h.school_note,
            "leisure_interests": h.leisure_interests,
            "wants_host": h.wants_host,
            "wants_welcome_event": h.wants_welcome_event,
        },
        "adults": [
            {
                "name": a.name,
                "email": a.email,
                "phone": a.phone,
                "language": a.language,
                "occupation": a.occupation,
                "job_wishes": a.job_wishes,
                "remote_work": a.remote_work,
            }
            for a in h.adults.all()
        ],
        "children": [
            {
                "first_name": c.first_name,
                "birth_year": c.birth_year,
                "kindergarten_from": _iso(c.kindergarten_from),
                "needs_school": c.needs_school,
            }
            for c in h.children.all()
        ],
        "status_changes": [
            {"from": s.from_status, "to": s.to_status, "on": _iso(s.on), "by": _user_name(s.by), "note": s.note}
            for s in h.status_changes.select_related("by")
        ],
        "tasks": [
            {"title": t.title, "due": _iso(t.due), "done_at": _iso(t.done_at), "assigned_to": _user_name(t.assigned_to)}
            for t in h.tasks.select_related("assigned_to")
        ],
        "contact_log": [
            {"on": _iso(e.on), "channel": e.channel, "summary": e.summary, "by": _user_name(e.by)}
            for e in h.contact_log.select_related("by")
        ],
        "follow_ups": [
            {
                "on": _iso(f.on),
                "months": f.months,
                "feels_included": f.feels_included,
                "job_satisfaction": f.job_satisfaction,
                "housing_satisfaction": f.housing_satisfaction,
                "school_satisfaction": f.school_satisfaction,
                "social_satisfaction": f.social_satisfaction,
                "considering_moving_away": f.considering_moving_away,
                "note": f.note,
                "by": _user_name(f.by),
            }
            for f in h.follow_ups.select_related("by")
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "text_shown": c.text_shown,
                "language": c.language,
                "given_at": _iso(c.given_at),
                "withdrawn_at": _iso(c.withdrawn_at),
            }
            for c in h.consents.all()
        ],
        # what matching could not find for them, while linked to the household (erasure unlinks it)
        "matching_gaps": [
            {
                "kind": g.kind,
                "need": g.key,
                "detail": g.detail,
                "recorded_on": _iso(g.recorded_on),
                "last_seen": _iso(g.last_seen),
                "resolved_on": _iso(g.resolved_on),
            }
            for g in h.matching_gaps.order_by("recorded_on", "pk")
        ],
        # what the household was offered from its matches, and what it answered
        "offers": offer_export_rows(h),
        "access_log": [
            {"at": _iso(e.at), "user": e.username, "action": e.action, "via": e.via}
            for e in AccessLogEntry.objects.filter(
                household_id=h.pk, municipality_id=h.municipality_id, record=LoggedRecord.HOUSEHOLD
            )
        ],
    }


@overload
def _month(value: dt.date) -> dt.date: ...
@overload
def _month(value: None) -> None: ...
def _month(value: dt.date | None) -> dt.date | None:
    """The first day of ``value``'s month (a datetime in local time); None for None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def _furthest_status(household) -> str:
    from blilyst.web.newcomers.models import STATUS_ORDER

    reached = {household.status, *household.status_changes.values_list("to_status", flat=True)}
    return max(reached, key=STATUS_ORDER.index)


def _follow_up_facts(household) -> dict:
    """What the plan reads of follow-ups and the status history (months only, no answers' words)."""
    first_yes = household.follow_ups.filter(feels_included="yes").order_by("on", "pk").values_list("on", flat=True)
    settled = household.status_changes.filter(to_status="settled").order_by("on").values_list("on", flat=True)
    return {
        "followed_up": household.follow_ups.exists(),
        "included_month": _month(first_yes.first()),
        "settled_month": _month(settled.first()),
    }


@transaction.atomic
def erase_household(household, *, by=None, cause: str = "erasure", via: str = "web") -> AnonymousOutcome:
    """Delete ``household`` and everything under it for real, keeping only an anonymous outcome.

    ``cause`` is "erasure" (a person asked), "retention" (time ran out) or "withdrawal" (consent
    withdrawn). The access log keeps one row saying who deleted household number N.
    """
    outcome = AnonymousOutcome.objects.create(
        municipality_id=household.municipality_id,
        target_group=household.target_group,
        status=household.status,
        furthest_status=_furthest_status(household),
        adults=household.adults.count(),
        children=household.children.count(),
        heard_about=household.heard_about,
        enquiry_month=_month(household.created),
        moved_in_month=_month(household.moved_in_on),
        moved_out_month=_month(household.moved_out_on),
        move_out_reason=household.move_out_reason,
        cause=cause,
        recorded_month=_month(timezone.now()),
        **_follow_up_facts(household),
    )
    action = Action.DELETE if cause == "erasure" else Action.ANONYMISE
    log_access(by, household, action, detail=cause, via=via)
    household.delete()  # cascades to adults, children, status changes, tasks, contact log, follow-ups, consents
    return outcome


class ConsentAlreadyGiven(Exception):
    """The household already has an active consent for this purpose."""


def record_consent(
    household, purpose: str, *, by=None, language: str | None = None, new_household: bool = False
) -> Consent:
    """Record consent for ``purpose`` with the text as shown in ``language`` (the current one).

    The same consent is not recorded twice: while one for ``purpose`` is active, this raises
    ``ConsentAlreadyGiven`` (after a withdrawal it can be given again). ``new_household``: the household was
    created in this same transaction (the public form), so it has no consent yet and its last activity is now;
    neither is looked up or written again."""
    if not new_household and household.consents.filter(purpose=purpose, withdrawn_at__isnull=True).exists():
        raise ConsentAlreadyGiven(purpose)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        text = str(CONSENT_TEXTS[ConsentPurpose(purpose)])
    if not new_household:
        household.touch()
    return Consent.objects.create(
        household=household, purpose=purpose, text_shown=text, language=language, recorded_by=by
    )


def withdraw_consent(consent: Consent) -> Consent:
    """Withdraw ``consent`` now (one click). Retention erases the household on its next run if no
    consent is left."""
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    return consent


@dataclass
class RetentionResult:
    cutoff: dt.datetime
    expired: list[int] = field(default_factory=list)  # household ids erased for age
    withdrawn: list[int] = field(default_factory=list)  # household ids erased on withdrawal
    owner_contacts_cleared: list[int] = field(default_factory=list)  # housing ids whose owner contact was blanked
    hosts_deleted: list[int] = field(default_factory=list)  # ids of inactive hosts deleted
    new_residents_deleted: list[int] = field(default_factory=list)  # welcome-list rows past the period

    @property
    def total(self) -> int:
        return len(self.expired) + len(self.withdrawn)


def older_than_retention(field_name: str, now: dt.datetime, days: int | None = None) -> Q:
    """Rows (with a ``municipality``) whose ``field_name`` lies before their municipality's cutoff.

    ``days`` given: that period for every municipality (``--days``). Otherwise each municipality's
    own setting (``Municipality.retention_days``, kept by its administrators) or the server's default.
    """
    from blilyst.web.accounts.models import Municipality

    if days is not None:
        return Q(**{f"{field_name}__lt": now - dt.timedelta(days=days)})
    condition = Q(
        municipality__retention_days__isnull=True, **{f"{field_name}__lt": now - dt.timedelta(days=retention_days())}
    )
    for code, own in Municipality.objects.filter(retention_days__isnull=False).values_list("code", "retention_days"):
        if own is None:  # excluded by the filter; the column's type allows it
            continue
        condition |= Q(municipality_id=code, **{f"{field_name}__lt": now - dt.timedelta(days=own)})
    return condition


def households_due_for_retention(now: dt.datetime | None = None, days: int | None = None):
    """(cutoff, expired queryset, withdrawn queryset): households to erase now. ``cutoff`` is the
    server-wide one (or that of ``days``); a municipality with its own period uses that."""
    from blilyst.web.newcomers.models import Household

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days if days is not None else retention_days())
    old = older_than_retention("last_activity", now, days)
    expired = Household.objects.filter(old)
    withdrawn_ids = Consent.objects.filter(withdrawn_at__isnull=False).values("household_id")
    active_ids = Consent.objects.filter(withdrawn_at__isnull=True).values("household_id")
    withdrawn = Household.objects.filter(Q(pk__in=withdrawn_ids) & ~Q(pk__in=active_ids)).exclude(old)
    return cutoff, expired, withdrawn


def apply_retention(
    now: dt.datetime | None = None, days: int | None = None, *, dry_run: bool = False
) -> RetentionResult:
    """Erase households past the retention period or without consent left; keep anonymous outcomes."""
    cutoff, expired, withdrawn = households_due_for_retention(now, days)
    result = RetentionResult(cutoff=cutoff)
    for cause, queryset, bucket in (
        ("retention", expired, result.expired),
        ("withdrawal", withdrawn, result.withdrawn),
    ):
        for household in queryset.order_by("pk").iterator(chunk_size=200):
            bucket.append(household.pk)
            if not dry_run:
                erase_household(household, by=None, cause=cause, via="command")
    apply_resource_retention(now or timezone.now(), days, result, dry_run=dry_run)
    apply_welcome_list_retention(now or timezone.now(), days, result, dry_run=dry_run)
    return result


def apply_welcome_list_retention(
    now: dt.datetime, days: int | None, result: RetentionResult, *, dry_run: bool = False
) -> None:
    """The welcome list of new residents (``outreach.NewResident``) under the households' retention: a row
    whose last activity (uploaded again, contacted) is older than its municipality's period is deleted."""
    from blilyst.web.outreach.models import NewResident

    old = NewResident.objects.filter(older_than_retention("last_activity", now, days))
    result.new_residents_deleted.extend(old.order_by("pk").values_list("pk", flat=True))
    if not dry_run:
        old.delete()


def apply_resource_retention(
    now: dt.datetime, days: int | None, result: RetentionResult, *, dry_run: bool = False
) -> None:
    """Personal data in the resources: the same retention period as households.

    Owners of dwellings and hosts are not households, but their names and contacts are personal
    data too. A dwelling that is sold, let or withdrawn and unchanged for the retention period (of
    its municipality, see ``older_than_retention``) keeps its facts (they are the housing evidence)
    but loses the owner's name, phone and e-mail; a host marked inactive and unchanged as long is
    deleted. Active hosts and available or
    reserved dwellings are in use and kept. Fills ``result.owner_contacts_cleared`` and
    ``result.hosts_deleted``.
    """
    from blilyst.web.resources.models import Host, Housing

    blank = dict.fromkeys(Housing.PERSONAL_DATA_FIELDS, "")
    has_owner = Q()
    for name in Housing.PERSONAL_DATA_FIELDS:
        has_owner |= ~Q(**{name: ""})
    old = older_than_retention("updated", now, days)
    housing = Housing.objects.filter(has_owner, old, status__in=[Housing.Status.TAKEN, Housing.Status.WITHDRAWN])
    hosts = Host.objects.filter(old, active=False)
    result.owner_contacts_cleared.extend(housing.order_by("pk").values_list("pk", flat=True))
    result.hosts_deleted.extend(hosts.order_by("pk").values_list("pk", flat=True))
    if not dry_run:
        with transaction.atomic():
            # update() leaves ``updated`` alone: clearing is not a change by a person
            Housing.objects.filter(pk__in=result.owner_contacts_cleared).update(**blank)
            Host.objects.filter(pk__in=result.hosts_deleted).delete()
