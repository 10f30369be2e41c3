"""Logging in and out, changing one's password."""

from __future__ import annotations

from django.contrib.auth import views as auth_views


class LoginView(auth_views.LoginView):
    """Django's login view (already ``login_not_required``) with blilyst's template.

    django-axes counts failures and answers a locked-out username with accounts/locked.html.
    """

    template_name = "registration/login.html"
    redirect_authenticated_user = True
