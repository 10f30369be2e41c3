from django.urls import path

from blilyst.web.frontdoor import views

app_name = "frontdoor"

urlpatterns = [
    path("manage/<str:code>/", views.manage, name="manage"),
    path("<str:code>/", views.public_page, name="front_door"),
    path("<str:code>/<str:lang>/", views.public_page, name="front_door_in"),
    path("<str:code>/<str:lang>/thanks/", views.thanks, name="front_door_thanks"),
]
