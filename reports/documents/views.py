from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.access import is_admin_of, organisation_for, require_edit
from assessments.models import Assessment
from itaportal import thai
from itaportal.accounts.audit import client_ip
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from itaportal.tables import download
from reports.documents.builders import (
    Document,
    DocumentMissing,
    analysis_texts,
    build,
    document_sections,
    section_drafts,
)
from reports.documents.docx import document_docx, docx_filename
from reports.documents.forms import (
    AnalysisTextsForm,
    CommitteeForm,
    DocumentTextsForm,
    EmblemForm,
    MemberFormSet,
    members_of,
)
from reports.documents.models import SECTIONS_OF, Committee, DocumentKind
from reports.documents.selectors import documents_available
from reports.documents.services import (
    analysis_texts_save,
    committee_create,
    committee_update,
    document_texts_save,
    emblem_save,
)
from reports.pdf import renderer


def _document(request: AuthenticatedHttpRequest, org_id: int, kind: str, year: int) -> Document:
    organisation = organisation_for(request, org_id)
    if kind not in DocumentKind.values:
        raise NotFound(_("Unknown document “%(kind)s”.") % {"kind": kind})
    try:
        return build(kind, organisation, year)
    except DocumentMissing as missing:
        raise NotFound(str(missing)) from missing


@login_required
def document_index(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = organisation_for(request, org_id)
    can_edit = request.user.can_edit(organisation)
    form = EmblemForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST":
        require_edit(request, organisation)
        if form.is_valid():
            emblem_save(
                organisation=organisation,
                emblem=form.cleaned_data["emblem"],
                user=request.user,
                ip=client_ip(request),
            )
            messages.success(request, _("The emblem was saved."))
            return redirect("reports:document_index", org_id=organisation.pk)
        organisation.refresh_from_db()
    return render(
        request,
        "reports/document_index.html",
        {
            "organisation": organisation,
            "documents": documents_available(organisation),
            "form": form,
            "can_edit": can_edit,
            "can_change_settings": is_admin_of(request.user, organisation),
        },
    )


@login_required
def document_preview(
    request: AuthenticatedHttpRequest, org_id: int, kind: str, year: int
) -> HttpResponse:
    return HttpResponse(_document(request, org_id, kind, year).html(for_browser=True))


@login_required
def document_pdf(
    request: AuthenticatedHttpRequest, org_id: int, kind: str, year: int
) -> HttpResponse:
    document = _document(request, org_id, kind, year)
    rendered = renderer().render(document.html())
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.filename}"'
    return response


@login_required
def document_docx_download(
    request: AuthenticatedHttpRequest, org_id: int, kind: str, year: int
) -> HttpResponse:
    document = _document(request, org_id, kind, year)
    return download(document_docx(document), docx_filename(document.filename))


@login_required
def analysis_texts_edit(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    document = _document(request, org_id, DocumentKind.ANALYSIS, year)
    result, previous = document.context["result"], document.context["previous"]
    form = AnalysisTextsForm(
        request.POST or None,
        texts=analysis_texts(organisation, result, previous),
        names=result.indicator_names,
        thai_digits=organisation.uses_thai_digits,
    )
    if request.method == "POST" and form.is_valid():
        assessment = get_object_or_404(Assessment, pk=result.assessment.pk)
        analysis_texts_save(
            assessment=assessment, texts=form.texts, user=request.user, ip=client_ip(request)
        )
        messages.success(request, _("The analysis text was saved."))
        return redirect("reports:document_index", org_id=organisation.pk)
    return render(
        request,
        "reports/analysis_texts.html",
        {"organisation": organisation, "form": form, "year": year},
    )


@login_required
def document_texts_edit(
    request: AuthenticatedHttpRequest, org_id: int, kind: str, year: int
) -> HttpResponse:
    """The free-text sections of one document and year: a preface, the rationale, …"""
    organisation = organisation_for(request, org_id, edit=True)
    if kind not in SECTIONS_OF:
        raise NotFound(_("This document has no sections to write."))
    document = _document(request, org_id, kind, year)  # 404 when there is no such document
    form = DocumentTextsForm(
        request.POST or None,
        texts=document_sections(organisation, kind, year, section_drafts(organisation, kind, year)),
    )
    if request.method == "POST" and form.is_valid():
        document_texts_save(
            organisation=organisation,
            kind=kind,
            year=year,
            texts=form.texts,
            user=request.user,
            ip=client_ip(request),
        )
        messages.success(request, _("The document's text was saved."))
        return redirect("reports:document_index", org_id=organisation.pk)
    return render(
        request,
        "reports/document_texts.html",
        {"organisation": organisation, "form": form, "document": document, "year": year},
    )


def _committee_page(
    request: AuthenticatedHttpRequest, org_id: int, committee: Committee | None
) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    # A new order is signed by the executive the organisation's settings name.
    signer = {"signer_name": organisation.executive_name,
              "signer_position": organisation.executive_title}  # fmt: skip
    form = CommitteeForm(
        request.POST or None,
        instance=committee,
        initial=None if committee else signer,
        thai_digits=organisation.uses_thai_digits,
    )
    formset = MemberFormSet(request.POST or None, instance=committee or Committee())
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        members = members_of(formset)
        if committee is None:
            committee = committee_create(
                organisation=organisation,
                data=form.committee_data,
                members=members,
                user=request.user,
                ip=client_ip(request),
            )
        else:
            committee = committee_update(
                committee=committee,
                data=form.committee_data,
                members=members,
                user=request.user,
                ip=client_ip(request),
            )
        number = thai.digits(
            f"{committee.number}/{committee.number_year}", organisation.uses_thai_digits
        )
        messages.success(request, _("Order %(number)s saved.") % {"number": number})
        return redirect("reports:document_index", org_id=organisation.pk)
    return render(
        request,
        "reports/committee_form.html",
        {
            "organisation": organisation,
            "form": form,
            "formset": formset,
            "committee": committee,
        },
    )


@login_required
def committee_new(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    return _committee_page(request, org_id, None)


@login_required
def committee_edit(
    request: AuthenticatedHttpRequest, org_id: int, committee_id: int
) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    committee = get_object_or_404(Committee, pk=committee_id, organisation=organisation)
    return _committee_page(request, org_id, committee)
