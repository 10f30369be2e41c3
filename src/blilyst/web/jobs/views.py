"""Start long work in the background and follow it: the job list, the start button, the job's page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from blilyst.web.jobs.models import Job
from blilyst.web.jobs.tasks import start
from blilyst.web.lib.authed import AuthedRequest


def _may_start(request: AuthedRequest) -> bool:
    # Refresh, digests and retention act on every municipality: only the installation's administrators.
    return bool(request.user.is_superuser)


@require_GET
def job_list(request: AuthedRequest) -> HttpResponse:
    jobs = Job.objects.filter(started_by=request.user)[:50]
    return render(
        request, "jobs/list.html", {"jobs": jobs, "kinds": Job.Kind.choices, "may_start": _may_start(request)}
    )


@require_POST
def job_start(request: AuthedRequest) -> HttpResponse:
    if not _may_start(request):
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    if kind not in Job.Kind.values:
        raise Http404("No such kind of work")
    job = start(kind, request.user)
    return redirect("jobs:detail", pk=job.pk)


def _own_job(request: AuthedRequest, pk: int) -> Job:
    return get_object_or_404(Job, pk=pk, started_by=request.user)  # another person's job is not found


@require_GET
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(request, "jobs/detail.html", {"job": _own_job(request, pk)})


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
        }
    )
