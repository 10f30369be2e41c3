from django.urls import path

from blilyst.web.resources import views

app_name = "resources"

urlpatterns = [
    path("", views.index, name="index"),
    path("gaps/", views.gap_list, name="gaps"),
    path("match/<int:household_id>/", views.household_matches, name="match"),
    path("match/<int:household_id>/offer/", views.offer_create, name="offer_create"),
    path("match/<int:household_id>/offers/<int:offer_id>/answer/", views.offer_answer, name="offer_answer"),
    path("<slug:kind>/", views.resource_list, name="list"),
    path("<slug:kind>/new/", views.resource_create, name="create"),
    path("<slug:kind>/import/", views.resource_import, name="import"),
    path("<slug:kind>/<int:pk>/", views.resource_edit, name="edit"),
    path("<slug:kind>/<int:pk>/delete/", views.resource_delete, name="delete"),
]
