from django.urls import path

from blilyst.web.analysis import views

urlpatterns = [
    path("", views.municipality_list, name="municipality_list"),
    path("<str:code>/", views.municipality_detail, name="municipality_detail"),
]
