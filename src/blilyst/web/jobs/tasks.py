"""The background tasks (django-tasks): data refresh, digest e-mails, retention, the plan's documents, adopting
a plan version.

Each task gets the id of a :class:`~blilyst.web.jobs.models.Job` and writes its progress and outcome there,
in the language of the person who started it. A failure the user can act on (SSB unreachable, a bad answer,
the mail server refusing) ends the job with that message; anything else also marks the job failed (so its
page never says "running" for ever) and is raised again for the worker's log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from blilyst.errors import BlilystError
from blilyst.web.jobs.models import GivenUp, Job

if TYPE_CHECKING:
    from blilyst.web.accounts.models import User


def _refresh(job: Job) -> str:
    from blilyst.stats.refresh import refresh_snapshot

    def progress(step: str, done: int, total: int) -> None:
        job.report(_("Fetching %(table)s from SSB") % {"table": step}, done, total)

    result = refresh_snapshot(progress=progress)
    rows = sum(result.datasets.values())
    return ngettext(
        "Refreshed %(sets)d data set (%(rows)s rows) from SSB with %(requests)d requests; every app process "
        "reads the new data at its next request.",
        "Refreshed %(sets)d data sets (%(rows)s rows) from SSB with %(requests)d requests; every app process "
        "reads the new data at its next request.",
        len(result.datasets),
    ) % {"sets": len(result.datasets), "rows": number_format(rows, force_grouping=True), "requests": result.requests}


def _digest(job: Job) -> str:
    from blilyst.web.outreach.mailing import contact_persons, send_digests

    job.report(_("Sending the digests"))
    try:
        sent = send_digests(contact_persons())
    except OSError as exc:
        raise BlilystError(
            _("The mail server refused or could not be reached (%(error)s); check BLILYST_EMAIL_*.") % {"error": exc}
        ) from exc
    return ngettext("Sent %(n)d digest.", "Sent %(n)d digests.", len(sent)) % {"n": len(sent)}


def _retention(job: Job) -> str:
    from blilyst.web.privacy.rules import apply_retention

    job.report(_("Erasing personal data past the retention period"))
    Job.drop_old_files()
    result = apply_retention()
    erased = len(result.expired) + len(result.withdrawn)
    return ngettext(
        "Erased %(n)d household; anonymous counts kept.", "Erased %(n)d households; anonymous counts kept.", erased
    ) % {"n": erased}


def _export(job: Job) -> str:
    from django.core.exceptions import PermissionDenied

    from blilyst.web.planning.views import export_document

    Job.drop_old_files()
    if job.municipality_id is None:
        raise BlilystError(_("The export does not say which municipality's plan to make."))
    try:
        name, content_type, data = export_document(
            job.started_by,
            job.municipality_id,
            job.params.get("format", "pdf"),
            job.params.get("lang", "nb"),
            job.report,
        )
    except PermissionDenied:
        raise BlilystError(
            _("You may no longer read this municipality's plan, so the document was not made.")
        ) from None
    job.attach(name, content_type, data)
    return _("The plan is ready: %(name)s (%(size)s kB).") % {"name": name, "size": max(1, round(len(data) / 1024))}


def _adopt(job: Job) -> str:
    from django.core.exceptions import PermissionDenied

    from blilyst.web.lib.versioning import VersionConflict
    from blilyst.web.planning.views import _adopt_conflict_message, adopt_version

    if job.municipality_id is None:
        raise BlilystError(_("The adoption does not say which municipality's plan to freeze."))
    try:
        number = adopt_version(job.started_by, job.municipality_id, job.params, job.report)
    except PermissionDenied:
        raise BlilystError(_("You may no longer edit this municipality's plan, so it was not adopted.")) from None
    except VersionConflict:
        raise BlilystError(_adopt_conflict_message()) from None
    return _("Version %(number)d is adopted and frozen.") % {"number": number}


def _rematch(job: Job) -> str:
    from blilyst.web.resources.views import rematch

    code = job.municipality_id or ""

    def progress(done: int, total: int) -> None:
        job.report(_("Re-matching the open households"), done, total)

    while True:
        done = rematch(job.started_by, code, progress)
        summary = ngettext(
            "Re-matched %(n)s open household against the registers as they are now.",
            "Re-matched %(n)s open households against the registers as they are now.",
            done,
        ) % {"n": number_format(done, force_grouping=True)}
        if job.finish_unless_again(summary):  # the registers changed while it ran: once more
            return summary


WORK: dict[str, Callable[[Job], str]] = {
    Job.Kind.REFRESH: _refresh,
    Job.Kind.DIGEST: _digest,
    Job.Kind.RETENTION: _retention,
    Job.Kind.EXPORT: _export,
    Job.Kind.ADOPT: _adopt,
    Job.Kind.REMATCH: _rematch,
}


@task()
def run_job(job_id: int) -> str:
    """Do the job's work and record how it ended (a job given up before a worker took it is not done)."""
    job = Job.objects.select_related("started_by").get(pk=job_id)
    with translation.override(job.started_by.preferred_language() or settings.LANGUAGE_CODE):
        try:
            job.report(_("Started"))
            summary = WORK[job.kind](job)
        except GivenUp:  # started again after it went silent: the job that replaced it does the work
            return job.summary
        except BlilystError as exc:  # says what was wrong and what to do
            job.finish(Job.State.FAILED, str(exc))
            return job.summary
        except BaseException:
            job.finish(Job.State.FAILED, _("The work stopped on an unexpected error; the worker's log has it."))
            raise
        job.finish(Job.State.DONE, summary)
        return summary


def start(kind: str, user: User, target: str, **about: Any) -> tuple[Job, bool]:
    """Put the work of ``kind`` for ``target`` on the queue (the immediate backend runs it at once) and return
    its job and True; when such work is already waiting or running, return that job and False instead (a
    double click, or two people at once, start it once). ``about``: the job's municipality and params."""
    Job.give_up_silent(
        kind,
        target,
        _("The work reported nothing for an hour and was given up (its worker stopped); it was started again."),
    )
    running = _active(kind, target)
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, started_by=user, target=target, **about)
    except IntegrityError:  # a request beside this one started it a moment ago
        running = _active(kind, target)
        if running is None:  # not that: a real integrity error
            raise
        return running, False
    try:
        result = run_job.enqueue(job.pk)
    except BaseException:
        job.finish(Job.State.FAILED, _("The work could not be put on the queue; the app's log says why."))
        raise
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job, True


def _active(kind: str, target: str) -> Job | None:
    return Job.objects.filter(kind=kind, target=target, state__in=Job.ACTIVE).defer("file").first()


def installation_target() -> str:
    """The target of work done for the whole installation (refresh, digests, retention): one at a time."""
    return "installation"


def plan_target(user: User, code: str, *choices: str) -> str:
    """The target of work on ``code``'s plan for ``user`` (their document in a format and language, their
    adoption): one at a time per person, since each follows and downloads their own."""
    return "/".join(("plan", code, f"user-{user.pk}", *choices))
