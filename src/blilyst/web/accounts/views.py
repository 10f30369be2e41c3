"""Logging in and out, changing one's password, and an administrator's list of members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from blilyst.web.accounts import members as member_ops
from blilyst.web.accounts.forms import AddMemberForm, MunicipalitySettingsForm, RoleForm
from blilyst.web.accounts.models import Membership
from blilyst.web.accounts.roles import Capability, Role
from blilyst.web.lib.authed import AuthedRequest
from blilyst.web.lib.tenancy import get_rw_for_user, require_municipality
from blilyst.web.lib.versioning import VersionConflict, conflict_context, rebind_to_current


class LoginView(auth_views.LoginView):
    """Django's login view (already ``login_not_required``) with blilyst's template.

    django-axes counts failures and answers a locked-out username with accounts/locked.html.
    """

    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; choosing one's own password ends the one-time password's obligation. API
    tokens issued before stop working (they are bound to the password, see ``ApiToken``)."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form):
        form.user.must_change_password = False
        return super().form_valid(form)


def _get_rw_membership_for_user(request: HttpRequest, code: str, pk: int) -> Membership:
    return get_rw_for_user(
        request,
        Membership.objects.select_related("user"),
        read=Capability.MANAGE_USERS,
        write=Capability.MANAGE_USERS,
        pk=pk,
        municipality_id=code,
    )


def members(request: HttpRequest, code: str) -> HttpResponse:
    municipality = require_municipality(request, code, Capability.MANAGE_USERS)
    form = AddMemberForm(request.POST or None)
    added = None
    if request.method == "POST" and form.is_valid():
        added = member_ops.add_member(municipality, **form.cleaned_data)
        messages.success(
            request,
            _("%(user)s is now %(role)s in %(municipality)s.")
            % {
                "user": added.membership.user.username,
                "role": Role(added.membership.role).label,
                "municipality": municipality.name,
            },
        )
        form = AddMemberForm()
    rows = municipality.memberships.select_related("user").order_by("user__username")
    ctx = {"municipality": municipality, "memberships": rows, "form": form, "added": added, "roles": Role.choices}
    return render(request, "accounts/members.html", ctx)


@require_POST
def member_role(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    membership = _get_rw_membership_for_user(request, code, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            member_ops.change_role(membership, form.cleaned_data["role"])
            messages.success(request, _("The role of %(user)s is changed.") % {"user": membership.user.username})
        except member_ops.LastAdministrator:
            messages.error(request, _("The municipality must keep at least one administrator."))
    else:
        messages.error(request, _("Choose one of the roles in the list."))
    return redirect("members", code=code)


@require_POST
def member_password(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """Give a member a new one-time password (for one who forgot theirs), shown once on the members page."""
    municipality = require_municipality(request, code, Capability.MANAGE_USERS)
    membership = _get_rw_membership_for_user(request, code, pk)
    try:
        password = member_ops.reset_password(membership, request.user)
    except member_ops.NotYoursToReset:
        messages.error(
            request,
            _(
                "%(user)s also works for a municipality you do not administer, so you cannot set their password. "
                "Ask an administrator of all their municipalities, or the server's operator."
            )
            % {"user": membership.user.username},
        )
        return redirect("members", code=code)
    rows = municipality.memberships.select_related("user").order_by("user__username")
    ctx = {
        "municipality": municipality,
        "memberships": rows,
        "form": AddMemberForm(),
        "roles": Role.choices,
        "reset": {"user": membership.user, "password": password},
    }
    response = render(request, "accounts/members.html", ctx)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def member_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    membership = _get_rw_membership_for_user(request, code, pk)
    try:
        member_ops.remove_member(membership)
        messages.success(request, _("%(user)s no longer has access.") % {"user": membership.user.username})
    except member_ops.LastAdministrator:
        messages.error(request, _("The municipality must keep at least one administrator."))
    return redirect("members", code=code)


def municipality_settings(request: HttpRequest, code: str) -> HttpResponse:
    """The municipality's settings (administrators of that municipality; 404 for anyone else)."""
    from blilyst.web.privacy.rules import retention_days

    municipality = require_municipality(request, code, Capability.MANAGE_USERS)
    form = MunicipalitySettingsForm(request.POST or None, instance=municipality)
    extra: dict = {}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                form.save()
            except VersionConflict as exc:
                # Another administrator saved first: keep what this one typed, next to what is stored now.
                municipality.refresh_from_db()
                extra = conflict_context(form, municipality)
                form = MunicipalitySettingsForm(
                    rebind_to_current(request.POST, exc.current_version), instance=municipality
                )
                status = 409
            else:
                messages.success(
                    request, _("The settings of %(municipality)s are saved.") % {"municipality": municipality.name}
                )
                return redirect("municipality_settings", code=code)
    ctx = {"municipality": municipality, "form": form, "default_days": retention_days(), **extra}
    return render(request, "accounts/settings.html", ctx, status=status)
