"""Supervisors pre-audit an organisation's OIT checklist, as NACC's clarification round will: every
item read-only, each marked "passed the pre-audit" (or the mark withdrawn) and annotated with
notes the office reads and answers. The office cannot pre-audit its own items."""

from __future__ import annotations

import mimetypes
import posixpath
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from assessments.access import can_see, organisation_for
from assessments.models import Item, Organisation
from itaportal import thai
from itaportal.accounts.audit import audit, client_ip
from itaportal.accounts.models import AuditEvent, User
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from reports.oit.models import OitEntry, OitNote
from reports.oit.review_forms import NoteForm, PreAuditForm
from reports.oit.selectors import oit_items

# Services ------------------------------------------------------------------------------------


def may_pre_audit(user: User, organisation: Organisation) -> bool:
    """A supervisor of the organisation's area (or a superuser): never its own people."""
    return user.is_superuser or (user.is_supervisor and can_see(user, organisation))


def may_note(user: User, organisation: Organisation) -> bool:
    """Those who pre-audit, and the organisation's people who change its data (to answer)."""
    return may_pre_audit(user, organisation) or user.can_edit(organisation)


@transaction.atomic
def oit_entry_pre_audit(*, entry: OitEntry, by: User, passed: bool, ip: str | None = None) -> bool:
    """Mark the item as having passed the pre-audit (by whom, when), or withdraw the mark.
    Returns whether anything changed: marking a marked item keeps its first mark."""
    entry = OitEntry.objects.select_for_update().select_related("item").get(pk=entry.pk)
    if passed == (entry.pre_audited_at is not None):
        return False
    before = {
        "pre_audited_at": entry.pre_audited_at,
        "pre_audited_by": entry.pre_audited_by_id,
    }
    entry.pre_audited_at = timezone.now() if passed else None
    entry.pre_audited_by = by if passed else None
    entry.save(update_fields=["pre_audited_at", "pre_audited_by"])
    summary = (
        gettext_lazy("OIT item {code} of fiscal year {year} passed the pre-audit")
        if passed
        else gettext_lazy("Pre-audit of OIT item {code} of fiscal year {year} withdrawn")
    )
    audit(
        action=AuditEvent.Action.UPDATE,
        user=by,
        organisation_id=entry.organisation_id,
        obj=entry,
        summary=format_lazy(summary, code=entry.item.code, year=entry.fiscal_year),
        before=before,
        after={"pre_audited_at": entry.pre_audited_at, "pre_audited_by": entry.pre_audited_by_id},
        ip=ip,
    )
    return True


@transaction.atomic
def oit_note_add(*, entry: OitEntry, author: User, text: str, ip: str | None = None) -> OitNote:
    """A note on the item, by a supervisor or the office answering one."""
    note = OitNote.objects.create(entry=entry, author=author, text=text)
    audit(
        action=AuditEvent.Action.CREATE,
        user=author,
        organisation_id=entry.organisation_id,
        obj=note,
        summary=format_lazy(
            gettext_lazy("Note on OIT item {code} of fiscal year {year}"),
            code=entry.item.code,
            year=entry.fiscal_year,
        ),
        after={"entry": entry.pk, "text": text},
        ip=ip,
    )
    return note


# Views ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRow:
    item: Item
    entry: OitEntry | None
    note_form: NoteForm


def _entry(organisation: Organisation, year: int, entry_id: int) -> OitEntry:
    """The item of this organisation's checklist of this year; 404 for any other."""
    entry = (
        OitEntry.objects.filter(pk=entry_id, organisation=organisation, fiscal_year=year)
        .select_related("item")
        .first()
    )
    if entry is None:
        raise NotFound(_("This organisation's checklist of that year has no such item."))
    return entry


def _review_page(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    year: int,
    bound: tuple[int, NoteForm] | None = None,
) -> HttpResponse:
    items = oit_items(organisation=organisation, fiscal_year=year)
    if not items:
        raise NotFound(_("Fiscal year %(year)s has no OIT items.") % {"year": year})
    entries = {
        entry.item_id: entry
        for entry in OitEntry.objects.filter(
            organisation=organisation, fiscal_year=year, item__in=items
        )
        .select_related("pre_audited_by")
        .prefetch_related(
            "evidence",
            Prefetch("remarks", queryset=OitNote.objects.select_related("author")),
        )
    }
    rows = []
    for item in items:
        entry = entries.get(item.pk)
        form = bound[1] if bound and entry and bound[0] == entry.pk else NoteForm()
        rows.append(ReviewRow(item, entry, form))
    return render(
        request,
        "reports/oit/review.html",
        {
            "org": organisation,
            "year": year,
            "rows": rows,
            "may_pre_audit": may_pre_audit(request.user, organisation),
            "may_note": may_note(request.user, organisation),
            "audited": sum(1 for e in entries.values() if e.pre_audited_at),
        },
    )


@login_required
def oit_review(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    """The checklist read-only, for the supervisor and the organisation's people."""
    organisation = organisation_for(request, org_id)
    return _review_page(request, organisation, year)


def _back(org_id: int, year: int, entry: OitEntry) -> HttpResponse:
    return redirect(reverse("reports:oit_review", args=[org_id, year]) + f"#item-{entry.pk}")


@login_required
@require_POST
def oit_pre_audit(
    request: AuthenticatedHttpRequest, org_id: int, year: int, entry_id: int
) -> HttpResponse:
    organisation = organisation_for(request, org_id)
    if not may_pre_audit(request.user, organisation):
        raise PermissionDenied(
            _("Only a supervisor pre-audits; the organisation's own people cannot.")
        )
    entry = _entry(organisation, year, entry_id)
    form = PreAuditForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["passed"]))
        return _back(org_id, year, entry)
    passed = form.cleaned_data["passed"]
    changed = oit_entry_pre_audit(
        entry=entry, by=request.user, passed=passed, ip=client_ip(request)
    )
    code = thai.digits(entry.item.code, organisation.uses_thai_digits)
    if not changed:
        messages.info(request, _("Item %(code)s was already so; nothing changed.") % {"code": code})
    elif passed:
        messages.success(request, _("Item %(code)s passed the pre-audit.") % {"code": code})
    else:
        messages.success(
            request, _("The pre-audit of item %(code)s was withdrawn.") % {"code": code}
        )
    return _back(org_id, year, entry)


@login_required
@require_POST
def oit_note(
    request: AuthenticatedHttpRequest, org_id: int, year: int, entry_id: int
) -> HttpResponse:
    organisation = organisation_for(request, org_id)
    if not may_note(request.user, organisation):
        raise PermissionDenied(_("Your role cannot leave notes on this checklist."))
    entry = _entry(organisation, year, entry_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _review_page(request, organisation, year, bound=(entry.pk, form))
    oit_note_add(
        entry=entry, author=request.user, text=form.cleaned_data["text"], ip=client_ip(request)
    )
    messages.success(
        request,
        _("The note on item %(code)s was saved.")
        % {"code": thai.digits(entry.item.code, organisation.uses_thai_digits)},
    )
    return _back(org_id, year, entry)


@login_required
def oit_review_file(
    request: AuthenticatedHttpRequest, org_id: int, year: int, evidence_id: int
) -> FileResponse:
    """An evidence file of the checklist, for whoever may read it (public or not)."""
    organisation = organisation_for(request, org_id)
    entry = OitEntry.objects.filter(
        organisation=organisation, fiscal_year=year, evidence__pk=evidence_id
    ).first()
    evidence = entry.evidence.filter(pk=evidence_id).exclude(file="").first() if entry else None
    if evidence is None:
        raise NotFound(_("This organisation's checklist of that year has no such file."))
    name = posixpath.basename(evidence.file.name or "")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=name, content_type=content_type
    )
