"""Project-level pages: the home page, the privacy notice and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from blilyst.web.lib.authed import AuthedRequest


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    """The start page; for those who follow households, what is overdue and due in the next 14 days
    (``?mine=1``: only the tasks given to them)."""
    import datetime as dt

    from django.utils import timezone

    from blilyst.web.accounts.roles import Capability
    from blilyst.web.lib.tenancy import for_user
    from blilyst.web.newcomers.models import Task

    context: dict = {}
    if request.user.can_anywhere(Capability.VIEW_HOUSEHOLDS):
        today = timezone.localdate()
        mine = request.GET.get("mine") == "1"
        tasks = for_user(request, Task.objects.open(), Capability.VIEW_HOUSEHOLDS, field="household__municipality")
        tasks = tasks.filter(due__lte=today + dt.timedelta(days=14))
        if mine:
            tasks = tasks.filter(assigned_to=request.user)
        rows = list(tasks.select_related("household", "assigned_to").order_by("due", "pk")[: HOME_TASKS + 1])
        context = {
            "show_tasks": True,
            "mine": mine,
            "overdue": [t for t in rows[:HOME_TASKS] if t.due < today],
            "due": [t for t in rows[:HOME_TASKS] if t.due >= today],
            "more": len(rows) > HOME_TASKS,
        }
    return render(request, "home.html", context)


#: How many due tasks the home page lists before pointing to the full list.
HOME_TASKS = 25


@login_not_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy.html", {"retention_months": settings.BLILYST_RETENTION_MONTHS})


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers; for load balancers and monitoring."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie and redirect), and for a logged-in person also their saved choice,
    so it follows them to another browser and outranks their municipality's written standard."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response
