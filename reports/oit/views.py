"""The OIT checklist pages: the year's items with what they predict, an item's page (its entry,
elements and evidence), the office's estimate, and the ITAS texts to copy (page and XLSX).

Anyone who may see the organisation reads them (a supervisor included); only those who may
edit its data change them, and the first of them to open a year makes its entries."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import organisation_for, require_edit
from assessments.models import Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal import tables, thai
from itaportal.accounts.audit import client_ip
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from measures.schedule import fiscal_year_of
from reports.oit import selectors
from reports.oit.forms import EntryForm, EstimateForm, EvidenceForm
from reports.oit.itas import itas_draft, itas_text
from reports.oit.models import OitEvidence
from reports.oit.readiness import Checklist, Row, checklist_of
from reports.oit.selectors import OitYear
from reports.oit.services import (
    checklist_open,
    entry_update,
    estimate_save,
    evidence_add,
    evidence_delete,
)
from reports.oit.tasks import oit_links_check_start


def _year(organisation: Organisation, year: int, catalogue: FrameworkCatalogue) -> OitYear:
    found = selectors.oit_year(organisation, year, catalogue)
    if found is None:
        raise NotFound(
            _("Fiscal year %(year)s has no OIT checklist: its framework lists no OIT items.")
            % {"year": thai.year_be(year, organisation.uses_thai_digits)}
        )
    return found


def _checklist(request: AuthenticatedHttpRequest, org_id: int, year: int) -> Checklist:
    """The checklist as this person may see it; made first by someone who may edit it."""
    organisation = organisation_for(request, org_id)
    catalogue = FrameworkCatalogue()
    oit_year = _year(organisation, year, catalogue)
    if request.user.can_edit(organisation):
        checklist_open(
            organisation=organisation,
            fiscal_year=year,
            year=oit_year,
            user=request.user,
            ip=client_ip(request),
        )
    return checklist_of(organisation, year, oit_year, catalogue)


def _row(checklist: Checklist, code: str) -> Row:
    row = next((r for r in checklist.rows if r.item.code == code), None)
    if row is None:
        raise NotFound(_("The checklist has no such item."))
    return row


def _estimate_form(checklist: Checklist, data: Any = None) -> EstimateForm:
    return EstimateForm(
        data,
        instruments=checklist.other_instruments,
        estimated=checklist.estimate.scores if checklist.estimate else {},
        assessed=checklist.assessed,
        thai_digits=checklist.organisation.uses_thai_digits,
    )


@login_required
def checklist_page(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    checklist = _checklist(request, org_id, year)
    organisation = checklist.organisation
    estimate_form = _estimate_form(checklist)
    return render(
        request,
        "reports/oit/checklist.html",
        {
            "organisation": organisation,
            "checklist": checklist,
            "can_edit": request.user.can_edit(organisation),
            "estimate_form": estimate_form,
        },
    )


@login_required
@require_POST
def estimate_edit(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    catalogue = FrameworkCatalogue()
    oit_year = _year(organisation, year, catalogue)
    checklist = checklist_of(organisation, year, oit_year, catalogue)
    form = _estimate_form(checklist, request.POST)
    if not form.is_valid():
        return render(
            request,
            "reports/oit/checklist.html",
            {
                "organisation": organisation,
                "checklist": checklist,
                "can_edit": True,
                "estimate_form": form,
            },
            status=400,
        )
    estimate_save(
        organisation=organisation,
        fiscal_year=year,
        scores=form.scores,
        user=request.user,
        ip=client_ip(request),
    )
    messages.success(request, _("The estimate is saved."))
    return redirect("reports:oit_checklist", org_id=organisation.pk, year=year)


@login_required
@require_POST
def links_check(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    """The checklist's "check the links" button: the check runs in the background (a Celery
    worker, or a thread of this process without Redis) and its results appear on the page."""
    organisation = organisation_for(request, org_id, edit=True)
    _year(organisation, year, FrameworkCatalogue())
    oit_links_check_start(organisation_id=organisation.pk, fiscal_year=year)
    messages.success(
        request,
        _(
            "The links are being checked; reload the page in a minute to see the results "
            "(each address takes at most %(seconds)s seconds)."
        )
        % {
            "seconds": thai.digits(
                round(settings.OIT_LINK_TIMEOUT_SECONDS), organisation.uses_thai_digits
            )
        },
    )
    return redirect("reports:oit_checklist", org_id=organisation.pk, year=year)


@login_required
def entry_page(
    request: AuthenticatedHttpRequest, org_id: int, year: int, code: str
) -> HttpResponse:
    checklist = _checklist(request, org_id, year)
    organisation = checklist.organisation
    row = _row(checklist, code)
    can_edit = request.user.can_edit(organisation)
    digits = organisation.uses_thai_digits
    form = evidence_form = None
    status = 200
    if row.entry is not None and can_edit:
        form = EntryForm(entry=row.entry, thai_digits=digits)
        evidence_form = EvidenceForm(item=row.item)
    if request.method == "POST":
        require_edit(request, organisation)
        assert row.entry is not None  # made by checklist_open for those who may edit
        form = EntryForm(request.POST, entry=row.entry, thai_digits=digits)
        if form.is_valid():
            entry_update(
                entry=row.entry, data=form.entry_data, user=request.user, ip=client_ip(request)
            )
            messages.success(
                request, _("Item %(code)s is saved.") % {"code": thai.digits(row.item.code, digits)}
            )
            return redirect("reports:oit_entry", org_id=organisation.pk, year=year, code=code)
        status = 400
    return render(
        request,
        "reports/oit/entry.html",
        {
            "organisation": organisation,
            "checklist": checklist,
            "row": row,
            "can_edit": can_edit,
            "form": form,
            "evidence_form": evidence_form,
            "draft": itas_draft(row.entry, row.evidence, thai_digits=digits) if row.entry else "",
            "history": selectors.link_history(row.entry) if row.entry else [],
        },
        status=status,
    )


@login_required
@require_POST
def evidence_new(
    request: AuthenticatedHttpRequest, org_id: int, year: int, code: str
) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    checklist = _checklist(request, org_id, year)
    row = _row(checklist, code)
    assert row.entry is not None
    form = EvidenceForm(request.POST, request.FILES, item=row.item)
    if not form.is_valid():
        return render(
            request,
            "reports/oit/entry.html",
            {
                "organisation": organisation,
                "checklist": checklist,
                "row": row,
                "can_edit": True,
                "form": EntryForm(entry=row.entry, thai_digits=organisation.uses_thai_digits),
                "evidence_form": form,
                "draft": itas_draft(
                    row.entry, row.evidence, thai_digits=organisation.uses_thai_digits
                ),
            },
            status=400,
        )
    data = form.cleaned_data
    evidence_add(
        entry=row.entry,
        element=data["element"],
        title=data["title"],
        file=data.get("file"),
        link=data.get("link", ""),
        user=request.user,
        ip=client_ip(request),
    )
    messages.success(request, _("The evidence is added."))
    return redirect("reports:oit_entry", org_id=organisation.pk, year=year, code=code)


def _evidence(request: AuthenticatedHttpRequest, org_id: int, evidence_id: int) -> OitEvidence:
    organisation = organisation_for(request, org_id)
    evidence = (
        OitEvidence.objects.select_related("entry__item", "entry__organisation", "attachment")
        .filter(pk=evidence_id, entry__organisation=organisation)
        .first()
    )
    if evidence is None:
        raise NotFound(_("There is no such evidence."))
    return evidence


@login_required
@require_POST
def evidence_remove(
    request: AuthenticatedHttpRequest, org_id: int, evidence_id: int
) -> HttpResponse:
    evidence = _evidence(request, org_id, evidence_id)
    entry = evidence.entry
    require_edit(request, entry.organisation)
    evidence_delete(evidence=evidence, user=request.user, ip=client_ip(request))
    messages.success(request, _("The evidence is deleted."))
    return redirect(
        "reports:oit_entry", org_id=org_id, year=entry.fiscal_year, code=entry.item.code
    )


@login_required
def evidence_file(request: AuthenticatedHttpRequest, org_id: int, evidence_id: int) -> FileResponse:
    """An uploaded file, or the stored PDF of an approved document the portal filled in."""
    evidence = _evidence(request, org_id, evidence_id)
    if evidence.file:
        return FileResponse(evidence.file.open("rb"), as_attachment=True)
    if evidence.attachment is not None:
        return FileResponse(evidence.attachment.pdf.open("rb"), content_type="application/pdf")
    raise NotFound(_("This evidence has no file."))


def _itas_rows(checklist: Checklist) -> list[tuple[Row, str]]:
    digits = checklist.organisation.uses_thai_digits
    return [
        (row, itas_text(row.entry, row.evidence, thai_digits=digits) if row.entry else "")
        for row in checklist.rows
    ]


@login_required
def itas_summary(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    checklist = _checklist(request, org_id, year)
    return render(
        request,
        "reports/oit/itas_summary.html",
        {
            "organisation": checklist.organisation,
            "checklist": checklist,
            "rows": _itas_rows(checklist),
        },
    )


@login_required
def itas_xlsx(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    checklist = _checklist(request, org_id, year)
    header = [
        _("Item"),
        _("Title"),
        _("Has it (มี/ไม่มี)"),
        _("Page on the main website"),
        _("Text for ITAS"),
    ]
    body = [
        [
            row.item.code,
            row.item.title,
            _("Yes") if row.state.predicted else _("No"),
            row.entry.url if row.entry else "",
            text,
        ]
        for row, text in _itas_rows(checklist)
    ]
    data = tables.xlsx_bytes(_("ITAS"), header, body)
    return tables.download(data, f"itas-{checklist.organisation.pk}-{year}.xlsx")


@login_required
def checklist_current(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    """The menu's "OIT": the checklist of the year being assessed, or the latest year before it
    whose framework lists OIT items."""
    organisation = organisation_for(request, org_id)
    catalogue = FrameworkCatalogue()
    current = fiscal_year_of(timezone.localdate())
    for year in range(current, current - 10, -1):
        if selectors.oit_year(organisation, year, catalogue) is not None:
            return redirect("reports:oit_checklist", org_id=organisation.pk, year=year)
    raise NotFound(_("No framework lists OIT items for the years being assessed."))
