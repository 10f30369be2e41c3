from django.contrib.auth import views as auth_views
from django.urls import path

from blilyst.web.accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path("municipalities/<str:code>/members/", views.members, name="members"),
    path("municipalities/<str:code>/settings/", views.municipality_settings, name="municipality_settings"),
    path("municipalities/<str:code>/members/<int:pk>/role/", views.member_role, name="member_role"),
    path("municipalities/<str:code>/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("municipalities/<str:code>/members/<int:pk>/password/", views.member_password, name="member_password"),
]
