"""Turning a public interest form into a household at "inquiry", and telling the contact person.

The household goes through the same privacy rules as one a contact person registers: the consent is
recorded with the exact text the person saw (in the language they saw it in), the creation is
written to the access log (``via="public"``), and the contact person gets a task to answer within
``ANSWER_WITHIN_DAYS`` and an e-mail that says only that a new inquiry arrived and where to find it
(no name, no contact data: e-mail is not the place for them).

The e-mail goes through the task queue (``notify_inquiry``, django-tasks), not inside the visitor's request:
the form's answer does not wait on the mail server (a slow SMTP server would otherwise be the form's latency),
and a mail server that is down does not touch the inquiry. With the database queue a worker
(``manage.py db_worker``) sends it moments later; the "immediate" backend sends it at once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from blilyst.web.newcomers.models import Adult, Child, HeardAbout, Household, TargetGroup, Task
from blilyst.web.privacy.models import Action, ConsentPurpose
from blilyst.web.privacy.rules import log_access, record_consent

ANSWER_WITHIN_DAYS = 2
log = logging.getLogger(__name__)


def household_label(adults: list[dict]) -> str:
    """How the contact person will see the household in the list: the adults' names."""
    names = [a["name"].strip() for a in adults if a.get("name", "").strip()]
    return " & ".join(names)[:120]


# savepoint=False: in a request the transaction middleware has already begun the transaction, and a failure
# here fails the whole request anyway (two round trips fewer on every form)
@transaction.atomic(savepoint=False)
def create_inquiry(front_door, data: dict, adults: list[dict], children: list[dict], language: str) -> Household:
    """A new household at "inquiry" in ``front_door``'s municipality from the public form's cleaned data."""
    code = front_door.municipality_id
    household = Household.objects.create(
        municipality_id=code,
        label=household_label(adults),
        target_group=TargetGroup.OTHER,
        origin_place=data.get("origin_place", ""),
        origin_country="",
        heard_about=HeardAbout.WEBSITE,
        heard_about_note=_("Public front door"),
        contact_person=front_door.contact_person,
        housing_tenure=data.get("housing_tenure") or "",
        housing_bedrooms=data.get("housing_bedrooms"),
        housing_from=data.get("housing_from"),
        wants_host=bool(data.get("wants_host")),
        wants_welcome_event=bool(data.get("wants_welcome_event")),
        notes=data.get("message", ""),
    )
    for adult in adults:
        Adult.objects.create(
            household=household,
            name=adult["name"],
            email=adult.get("email", ""),
            phone=adult.get("phone", ""),
            language=language,
            occupation=adult.get("occupation", ""),
            job_wishes=adult.get("job_wishes", ""),
            remote_work=bool(adult.get("remote_work")),
        )
    for child in children:
        Child.objects.create(
            household=household,
            birth_year=child["birth_year"],
            kindergarten_from=child.get("kindergarten_from"),
            needs_school=bool(child.get("needs_school")),
        )
    record_consent(household, ConsentPurpose.FOLLOW_UP, by=None, language=language, new_household=True)
    log_access(None, household, Action.CREATE, detail="public front door", via="public")
    with translation.override(settings.LANGUAGE_CODE):
        Task.objects.create(
            household=household,
            title=_("Answer the inquiry from the public front door"),
            due=timezone.localdate() + dt.timedelta(days=ANSWER_WITHIN_DAYS),
            assigned_to=front_door.contact_person,
        )
    transaction.on_commit(lambda: notify_inquiry.enqueue(household.pk))
    return household


@task()
def notify_inquiry(household_id: int) -> bool:
    """The queued e-mail to the contact person of a new inquiry's front door. Nothing is sent when the
    household was erased meanwhile or the front door has no contact person with an e-mail address."""
    from blilyst.web.frontdoor.models import FrontDoor

    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return False
    front_door = (
        FrontDoor.objects.select_related("municipality", "contact_person")
        .filter(municipality_id=household.municipality_id)
        .first()
    )
    return front_door is not None and notify_contact_person(front_door, household)


def notify_contact_person(front_door, household: Household) -> bool:
    """E-mail the contact person that a new inquiry arrived (household number and link only).

    Returns whether a message was sent. A failing mail server does not lose the inquiry: the
    household and its task are already stored, and the failure is logged for the operator.
    """
    person = front_door.contact_person
    if person is None or not person.email:
        return False
    base = getattr(settings, "BLILYST_BASE_URL", "").rstrip("/")
    link = base + reverse("household_detail", kwargs={"pk": household.pk})
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("New inquiry from the front door of %(municipality)s") % {
            "municipality": front_door.municipality.name
        }
        body = _(
            "A household has sent an inquiry through the public front door (household number %(number)d).\n\n"
            "Open it here: %(link)s\n\nA task to answer it within %(days)d days has been given to you."
        ) % {"number": household.pk, "link": link, "days": ANSWER_WITHIN_DAYS}
    try:
        EmailMessage(subject, body, to=[person.email]).send()
    except OSError:
        log.exception("could not e-mail the contact person about household %s", household.pk)
        return False
    return True
