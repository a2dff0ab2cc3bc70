from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("orgs/<int:org_id>/documents/", views.document_index, name="document_index"),
    path(
        "orgs/<int:org_id>/documents/<str:kind>/<int:year>/",
        views.document_preview,
        name="document_preview",
    ),
    path(
        "orgs/<int:org_id>/documents/<str:kind>/<int:year>.pdf",
        views.document_pdf,
        name="document_pdf",
    ),
    path(
        "orgs/<int:org_id>/analysis/<int:year>/texts/",
        views.analysis_texts_edit,
        name="analysis_texts",
    ),
    path("orgs/<int:org_id>/committees/new/", views.committee_new, name="committee_new"),
    path(
        "orgs/<int:org_id>/committees/<int:committee_id>/edit/",
        views.committee_edit,
        name="committee_edit",
    ),
]
