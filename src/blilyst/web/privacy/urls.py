from django.urls import path

from blilyst.web.privacy import views

urlpatterns = [
    path("log/", views.access_log, name="access_log"),
    path("households/<int:pk>/consents/", views.consent_add, name="consent_add"),
    path("households/<int:pk>/consents/<int:consent_pk>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("households/<int:pk>/export/", views.household_export, name="household_export"),
    path(
        "households/<int:pk>/export.html",
        views.household_export_readable,
        {"fmt": "html"},
        name="household_export_html",
    ),
    path(
        "households/<int:pk>/export.pdf", views.household_export_readable, {"fmt": "pdf"}, name="household_export_pdf"
    ),
    path("households/<int:pk>/erase/", views.household_erase, name="household_erase"),
]
