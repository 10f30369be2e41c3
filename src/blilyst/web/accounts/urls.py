from django.contrib.auth import views as auth_views
from django.urls import path

from blilyst.web.accounts import views
from blilyst.web.api import views as token_views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("tokens/", token_views.tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("municipalities/<str:code>/members/", views.members, name="members"),
    path("municipalities/<str:code>/settings/", views.municipality_settings, name="municipality_settings"),
    path("municipalities/<str:code>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("municipalities/<str:code>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("municipalities/<str:code>/members/<int:pk>/password/", views.member_password, name="member_password"),
]
