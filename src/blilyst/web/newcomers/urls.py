from django.urls import path

from blilyst.web.newcomers import views

urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("new/", views.household_create, name="household_create"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("<int:pk>/needs/", views.household_needs, name="household_needs"),
    path("<int:pk>/status/", views.household_status, name="household_status"),
    path("<int:pk>/tasks/", views.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/log/", views.contact_add, name="contact_add"),
    path("<int:pk>/follow-ups/", views.follow_up_add, name="follow_up_add"),
]
