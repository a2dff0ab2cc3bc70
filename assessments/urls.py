from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("<int:org_id>/", views.dashboard, name="dashboard"),
    path("<int:org_id>/years/new/", views.scores_new, name="scores_new"),
    path("<int:org_id>/years/<int:year>/edit/", views.scores_edit, name="scores_edit"),
    path("<int:org_id>/export.<str:fmt>", views.scores_export, name="scores_export"),
    path("<int:org_id>/settings/", views.organisation_settings, name="organisation_settings"),
    path("import/", views.scores_import, name="scores_import"),
    path("import/template.<str:fmt>", views.scores_import_template, name="scores_import_template"),
]
