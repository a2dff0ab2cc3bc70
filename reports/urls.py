from django.urls import path

from . import memo_views, views

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
    path("memos/", memo_views.inbox, name="memo_inbox"),
    path("orgs/<int:org_id>/memos/new/", memo_views.memo_new, name="memo_new"),
    path("memos/<int:memo_id>/", memo_views.memo_detail, name="memo_detail"),
    path("memos/<int:memo_id>/edit/", memo_views.memo_edit_view, name="memo_edit"),
    path("memos/<int:memo_id>/submit/", memo_views.memo_submit_view, name="memo_submit"),
    path("memos/<int:memo_id>/act/", memo_views.memo_act_view, name="memo_act"),
    path("memos/<int:memo_id>.pdf", memo_views.memo_pdf, name="memo_pdf"),
    path(
        "memos/<int:memo_id>/attachments/<int:index>.pdf",
        memo_views.memo_attachment,
        name="memo_attachment",
    ),
    path("verify/<str:code>/", memo_views.verify, name="verify"),
    path(
        "orgs/<int:org_id>/committees/<int:committee_id>/edit/",
        views.committee_edit,
        name="committee_edit",
    ),
]
