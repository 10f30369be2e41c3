from django.urls import path

from blilyst.web.planning import views

urlpatterns = [
    path("", views.plan_index, name="plan_index"),
    path("<str:code>/", views.evidence, name="plan_evidence"),
    path("<str:code>/peers/", views.save_peers, name="plan_peers"),
    path("<str:code>/scenario/", views.save_scenario, name="plan_scenario"),
    path("<str:code>/bottlenecks/", views.bottlenecks, name="plan_bottlenecks"),
    path("<str:code>/bottlenecks/<int:pk>/", views.assessment_detail, name="plan_assessment"),
    path("<str:code>/target-group/", views.target_group, name="plan_target_group"),
    path("<str:code>/competence/", views.competence, name="plan_competence"),
    path("<str:code>/survey/", views.survey, name="plan_survey"),
    path("<str:code>/message/", views.message, name="plan_message"),
    path("<str:code>/results/", views.results, name="plan_results"),
    path("<str:code>/export/", views.export, name="plan_export"),
    path("<str:code>/export/plan.<str:fmt>", views.export_file, name="plan_export_file"),
    path("<str:code>/export/start/", views.export_start, name="plan_export_start"),
    path("<str:code>/adopt/", views.adopt, name="plan_adopt"),
    path("<str:code>/versions/<int:number>/plan.<str:fmt>", views.adopted_file, name="plan_adopted_file"),
]
