from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("orgs/<int:org_id>/plans/", views.plan_list, name="plan_list"),
    path("orgs/<int:org_id>/plans/<int:year>/", views.plan_detail, name="plan_detail"),
    path("orgs/<int:org_id>/plans/<int:year>/delete/", views.plan_delete_view, name="plan_delete"),
    path("orgs/<int:org_id>/plans/<int:year>/analysis/", views.analysis_edit, name="analysis_edit"),
    path("orgs/<int:org_id>/plans/<int:year>/measures/new/", views.measure_new, name="measure_new"),
    path(
        "orgs/<int:org_id>/plans/<int:year>/suggestions/<int:suggestion_id>/add/",
        views.suggestion_add,
        name="suggestion_add",
    ),
    path(
        "orgs/<int:org_id>/plans/<int:year>/copy-forward/", views.copy_forward, name="copy_forward"
    ),
    path(
        "orgs/<int:org_id>/plans/<int:year>/export.<str:fmt>", views.plan_export, name="plan_export"
    ),
    path("measures/mine/", views.my_measures, name="my_measures"),
    path("measures/<int:measure_id>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:measure_id>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:measure_id>/delete/", views.measure_delete_view, name="measure_delete"),
    path(
        "measures/<int:measure_id>/progress/<int:progress_id>/edit/",
        views.progress_edit,
        name="progress_edit",
    ),
    path(
        "measures/<int:measure_id>/progress/<int:progress_id>/delete/",
        views.progress_delete_view,
        name="progress_delete",
    ),
    path(
        "measures/<int:measure_id>/progress/<int:progress_id>/evidence/",
        views.evidence,
        name="evidence",
    ),
]
