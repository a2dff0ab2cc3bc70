from django.urls import path

from reports.batch import views as batch_views
from reports.documents import views as document_views
from reports.memos import policy_views as memo_policy_views
from reports.memos import verification
from reports.memos import views as memo_views
from reports.oit import carry_views as oit_carry_views
from reports.oit import public as oit_public
from reports.oit import review as oit_review
from reports.oit import views as oit_views
from reports.overview import views as overview_views

app_name = "reports"

urlpatterns = [
    path("overview/", overview_views.overview_page, name="overview"),
    path("overview.xlsx", overview_views.overview_xlsx, name="overview_xlsx"),
    path("batches/", batch_views.batch_list, name="batch_list"),
    path("batches/new/", batch_views.batch_new, name="batch_new"),
    path("batches/<int:batch_id>/", batch_views.batch_detail, name="batch_detail"),
    path("batches/<int:batch_id>.zip", batch_views.batch_zip, name="batch_zip"),
    path("orgs/<int:org_id>/documents/", document_views.document_index, name="document_index"),
    path(
        "orgs/<int:org_id>/documents/<str:kind>/<int:year>/",
        document_views.document_preview,
        name="document_preview",
    ),
    path(
        "orgs/<int:org_id>/documents/<str:kind>/<int:year>.pdf",
        document_views.document_pdf,
        name="document_pdf",
    ),
    path(
        "orgs/<int:org_id>/documents/<str:kind>/<int:year>.docx",
        document_views.document_docx_download,
        name="document_docx",
    ),
    path(
        "orgs/<int:org_id>/documents/<str:kind>/<int:year>/sections/",
        document_views.document_texts_edit,
        name="document_texts",
    ),
    path(
        "orgs/<int:org_id>/analysis/<int:year>/texts/",
        document_views.analysis_texts_edit,
        name="analysis_texts",
    ),
    path("orgs/<int:org_id>/committees/new/", document_views.committee_new, name="committee_new"),
    path("start/", memo_views.start, name="start"),
    path("memos/", memo_views.inbox, name="memo_inbox"),
    path("orgs/<int:org_id>/memos/new/", memo_views.memo_new, name="memo_new"),
    path("orgs/<int:org_id>/memos/register/", memo_views.memo_register, name="memo_register"),
    path(
        "orgs/<int:org_id>/memos/register.xlsx",
        memo_views.memo_register_xlsx,
        name="memo_register_xlsx",
    ),
    path(
        "orgs/<int:org_id>/memos/register.pdf",
        memo_views.memo_register_pdf,
        name="memo_register_pdf",
    ),
    path(
        "orgs/<int:org_id>/memos/register.docx",
        memo_views.memo_register_docx,
        name="memo_register_docx",
    ),
    path("memos/<int:memo_id>/", memo_views.memo_detail, name="memo_detail"),
    path("memos/<int:memo_id>/edit/", memo_views.memo_edit_view, name="memo_edit"),
    path("memos/<int:memo_id>/submit/", memo_views.memo_submit_view, name="memo_submit"),
    path("memos/<int:memo_id>/act/", memo_views.memo_act_view, name="memo_act"),
    path("memos/<int:memo_id>/recall/", memo_views.memo_recall_view, name="memo_recall"),
    path(
        "orgs/<int:org_id>/memos/policy/",
        memo_policy_views.approval_policy_edit,
        name="approval_policy",
    ),
    path("memos/<int:memo_id>.pdf", memo_views.memo_pdf, name="memo_pdf"),
    path("memos/<int:memo_id>.docx", memo_views.memo_docx_download, name="memo_docx"),
    path(
        "memos/<int:memo_id>/attachments/<int:index>.pdf",
        memo_views.memo_attachment,
        name="memo_attachment",
    ),
    path("verify/", verification.verify_lookup, name="verify_lookup"),
    path("verify/<str:code>/", verification.verify, name="verify"),
    path(
        "orgs/<int:org_id>/committees/<int:committee_id>/edit/",
        document_views.committee_edit,
        name="committee_edit",
    ),
    # OIT: the public page (no login), what the webmaster takes from it, next year's start and
    # the supervisor's pre-audit
    path("oit/<int:org_id>/<int:year>/", oit_public.oit_public, name="oit_public"),
    path(
        "oit/<int:org_id>/<int:year>/files/<int:evidence_id>/",
        oit_public.oit_public_file,
        name="oit_public_file",
    ),
    path(
        "oit/<int:org_id>/<int:year>/documents/<int:attachment_id>.pdf",
        oit_public.oit_public_document,
        name="oit_public_document",
    ),
    path(
        "orgs/<int:org_id>/oit/<int:year>/public.html",
        oit_public.oit_public_fragment,
        name="oit_public_fragment",
    ),
    path(
        "orgs/<int:org_id>/oit/<int:year>/public.zip",
        oit_public.oit_public_zip,
        name="oit_public_zip",
    ),
    path("orgs/<int:org_id>/oit/<int:year>/carry/", oit_carry_views.oit_carry, name="oit_carry"),
    path("orgs/<int:org_id>/oit/<int:year>/review/", oit_review.oit_review, name="oit_review"),
    path(
        "orgs/<int:org_id>/oit/<int:year>/review/<int:entry_id>/pre-audit/",
        oit_review.oit_pre_audit,
        name="oit_pre_audit",
    ),
    path(
        "orgs/<int:org_id>/oit/<int:year>/review/<int:entry_id>/note/",
        oit_review.oit_note,
        name="oit_note",
    ),
    path(
        "orgs/<int:org_id>/oit/<int:year>/review/evidence/<int:evidence_id>/",
        oit_review.oit_review_file,
        name="oit_review_file",
    ),
    # the OIT checklist (issue 19): the year is the assessed fiscal year (B.E.)
    path("orgs/<int:org_id>/oit/", oit_views.checklist_current, name="oit_current"),
    path("orgs/<int:org_id>/oit/<int:year>/", oit_views.checklist_page, name="oit_checklist"),
    path(
        "orgs/<int:org_id>/oit/<int:year>/estimate/",
        oit_views.estimate_edit,
        name="oit_estimate",
    ),
    path(
        "orgs/<int:org_id>/oit/<int:year>/links/check/",
        oit_views.links_check,
        name="oit_links_check",
    ),
    path("orgs/<int:org_id>/oit/<int:year>/itas/", oit_views.itas_summary, name="oit_itas"),
    path("orgs/<int:org_id>/oit/<int:year>/itas.xlsx", oit_views.itas_xlsx, name="oit_itas_xlsx"),
    path(
        "orgs/<int:org_id>/oit/<int:year>/items/<slug:code>/",
        oit_views.entry_page,
        name="oit_entry",
    ),
    path(
        "orgs/<int:org_id>/oit/<int:year>/items/<slug:code>/evidence/",
        oit_views.evidence_new,
        name="oit_evidence_new",
    ),
    path(
        "orgs/<int:org_id>/oit/evidence/<int:evidence_id>/delete/",
        oit_views.evidence_remove,
        name="oit_evidence_delete",
    ),
    path(
        "orgs/<int:org_id>/oit/evidence/<int:evidence_id>/file/",
        oit_views.evidence_file,
        name="oit_evidence_file",
    ),
]
