"""Start long work in the background and follow it: the job list, the start button, the job's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from blilyst.web.jobs.models import Job
from blilyst.web.jobs.tasks import installation_target, start
from blilyst.web.lib.authed import AuthedRequest

# Started here by administrators; a plan export is started from its plan's page by whoever may read the plan.
ADMIN_KINDS = Job.INSTALLATION_KINDS


def _may_start(request: AuthedRequest) -> bool:
    # Refresh, digests and retention act on every municipality: only the installation's administrators.
    return bool(request.user.is_superuser)


@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    jobs = request.user.jobs.defer("file")[:50]  # a job is its starter's own; its file (megabytes) is not shown
    kinds = [(value, label) for value, label in Job.Kind.choices if value in ADMIN_KINDS]
    return render(request, "jobs/list.html", {"jobs": jobs, "kinds": kinds, "may_start": _may_start(request)})


@require_POST
def job_start(request: AuthedRequest) -> HttpResponse:
    if not _may_start(request):
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    if kind not in ADMIN_KINDS:  # a plan export is started from the plan's export page
        raise Http404("No such kind of work")
    job, started = start(kind, request.user, installation_target())
    return follow(request, job, started)


def follow(request: AuthedRequest, job: Job, started: bool) -> HttpResponse:
    """The job's page, after starting its work; when the work was already waiting or running (a second click),
    that job's page, saying so."""
    if not started:
        messages.info(
            request, _("This work was already under way, so it was not started again: here is how far it has come.")
        )
    return redirect("jobs:detail", pk=job.pk)


def _visible_jobs(request: AuthedRequest) -> QuerySet[Job]:
    """The user's own jobs; for administrators also the installation-wide work other administrators started
    (started once for all of them, see :func:`start`)."""
    if _may_start(request):
        return request.user.jobs.all() | Job.installation_work()
    return request.user.jobs.all()


def _own_job(request: AuthedRequest, pk: int, *, with_file: bool = False) -> Job:
    """A job the user may follow (another person's plan work is not found), without its file unless asked: the
    job's page asks for its status every few seconds, and a plan document is megabytes."""
    visible = _visible_jobs(request)
    return get_object_or_404(visible if with_file else visible.defer("file"), pk=pk)


@require_GET
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": _own_job(request, pk)})


@require_GET
def job_file(request: AuthedRequest, pk: int) -> HttpResponse:
    """The file the work made (the plan's document), for its starter while they may still read its plan."""
    from blilyst.web.lib.tenancy import can
    from blilyst.web.planning.views import READ

    job = _own_job(request, pk, with_file=True)
    if not job.has_file or job.file is None:
        raise Http404("No file")
    if job.municipality_id is not None and not can(request.user, READ, job.municipality_id):
        raise Http404("No file")
    response = HttpResponse(bytes(job.file), content_type=job.file_type)
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response


@require_GET
def job_status(request: AuthedRequest, pk: int) -> JsonResponse:
    """The job's progress for a script or a page fragment."""
    job = _own_job(request, pk)
    return JsonResponse(
        {
            "kind": job.kind,
            "state": job.state,
            "state_label": job.get_state_display(),
            "step": job.step,
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "summary": job.summary,
            "finished": job.is_finished,
            "progress_label": _("%(done)s of %(total)s steps") % {"done": job.done, "total": job.total},
            "file": reverse("jobs:file", args=[job.pk]) if job.has_file else None,
            "file_label": _("Download %(name)s") % {"name": job.file_name},
        }
    )
