from django.urls import path

from blilyst.web.outreach import views

app_name = "outreach"

urlpatterns = [
    path("households/<int:household_id>/", views.household_message, name="household_message"),
    path("texts/", views.template_list, name="templates"),
    path("texts/<str:code>/<slug:purpose>/<slug:language>/", views.template_edit, name="template_edit"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("welcome/", views.welcome_list, name="welcome"),
    path("welcome/<int:pk>/contacted/", views.welcome_contacted, name="welcome_contacted"),
    path("welcome/<int:pk>/register/", views.welcome_register, name="welcome_register"),
    path("welcome/<int:pk>/delete/", views.welcome_delete, name="welcome_delete"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
