"""Memo pages: the inbox, drafting, the chain's actions, the PDF (the public verification is in
reports.memos.verification)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import organisation_for, organisations_visible_to
from assessments.models import Organisation
from itaportal import thai
from itaportal.accounts.audit import client_ip
from itaportal.accounts.models import Role, User
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from itaportal.tables import download
from measures.models import MeasurePlan
from reports.documents.builders import DocumentMissing
from reports.documents.selectors import documents_available
from reports.memos import drafts as memo_drafts
from reports.memos.document import memo_docx, render_attachment, render_memo
from reports.memos.forms import ActForm, MemoForm, RecallForm, RouteForm
from reports.memos.inbox import awaiting_count, awaiting_for
from reports.memos.models import ApprovalPolicy, Memo, MemoStep
from reports.memos.register import (
    SEARCH_MAX_LENGTH,
    RegisterFilter,
    RegisterFilterInvalid,
    filename_of,
    people_of,
    register_docx,
    register_html,
    register_rows,
    register_table,
    register_xlsx,
    register_years,
)
from reports.memos.services import (
    MemoRefused,
    RouteStep,
    current_step,
    memo_act,
    memo_create,
    memo_edit,
    memo_recall,
    memo_submit,
)
from reports.pdf import renderer


def _memo(request: AuthenticatedHttpRequest, memo_id: int) -> Memo:
    return get_object_or_404(
        Memo.objects.select_related("organisation", "drafter"),
        pk=memo_id,
        organisation__in=organisations_visible_to(request.user),
    )


def _document_choices(organisation: Organisation) -> list[tuple[str, str]]:
    return [
        (f"{d.kind}:{d.year}", f"{d.label} {thai.digits(d.year, organisation.uses_thai_digits)}")
        for d in documents_available(organisation)
    ]


INBOX_FIELDS = ("reference", "subject", "drafter_id", "created_at")


@login_required
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where a person lands after signing in: reviewers and executives on their inbox when a memo
    waits for them, everyone else (and they, when nothing waits) where "home" sends them."""
    user = request.user
    if user.role in (Role.REVIEWER, Role.EXECUTIVE) and awaiting_count(user):
        return redirect("reports:memo_inbox")
    return redirect("home")


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    # The lists show a few fields of each memo: the drafted texts are not read.
    mine = Memo.objects.filter(drafter=user).only(*INBOX_FIELDS, "status")
    return render(
        request,
        "reports/memos/inbox.html",
        {"awaiting": awaiting_for(user, today=timezone.localdate()), "mine": list(mine)},
    )


@login_required
def memo_new(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    source, year_text = request.GET.get("from", ""), request.GET.get("year", "")
    initial: dict[str, object] = {}
    if source in ("assessment", "plan"):
        try:
            year = int(year_text)
        except ValueError:
            raise NotFound(_("Give the fiscal year as a number.")) from None
        if source == "assessment":
            if not organisation.assessments.filter(fiscal_year=year).exists():
                raise NotFound(
                    _("There are no results for fiscal year %(year)s: enter the scores first.")
                    % {"year": year}
                )
            initial = memo_drafts.from_assessment(organisation, year, request.user)
        else:
            plan = get_object_or_404(MeasurePlan, organisation=organisation, fiscal_year=year)
            initial = memo_drafts.from_plan(plan, request.user)
    else:
        initial = memo_drafts.signature_defaults(organisation, request.user)
    form = MemoForm(
        request.POST or None,
        initial=initial,
        documents=_document_choices(organisation),
        units=organisation.unit_lines(),
    )
    if request.method == "POST" and form.is_valid():
        memo = memo_create(
            organisation=organisation,
            drafter=request.user,
            data=form.memo_data,
            ip=client_ip(request),
        )
        messages.success(
            request, _("The memo was saved as a draft. Check it, then choose its route.")
        )
        return redirect("reports:memo_detail", memo_id=memo.pk)
    return render(
        request,
        "reports/memos/form.html",
        {"organisation": organisation, "form": form, "memo": None},
    )


@login_required
def memo_edit_view(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    memo = _memo(request, memo_id)
    if memo.drafter_id != request.user.pk or not memo.is_editable:
        raise PermissionDenied(_("Only the drafter edits a memo, and only before it is decided."))
    form = MemoForm(
        request.POST or None,
        instance=memo,
        documents=_document_choices(memo.organisation),
        units=memo.organisation.unit_lines(),
    )
    if request.method == "POST" and form.is_valid():
        memo_edit(memo=memo, user=request.user, data=form.memo_data, ip=client_ip(request))
        messages.success(request, _("The memo was saved."))
        return redirect("reports:memo_detail", memo_id=memo.pk)
    return render(
        request,
        "reports/memos/form.html",
        {"organisation": memo.organisation, "form": form, "memo": memo},
    )


def _route_people(memo: Memo) -> list[User]:
    return list(
        User.objects.filter(organisation=memo.organisation, is_active=True)
        .exclude(pk=memo.drafter_id)
        .order_by("role", "first_name")
    )


def _route_form(memo: Memo, data: Any = None, initial: dict[str, str] | None = None) -> RouteForm:
    return RouteForm(
        data,
        initial=initial,
        people=_route_people(memo),
        rows=ApprovalPolicy.of(memo.organisation).max_steps,
        thai_digits=memo.organisation.uses_thai_digits,
    )


@login_required
def memo_detail(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    memo = _memo(request, memo_id)
    step = current_step(memo)
    my_turn = step is not None and step.user_id == request.user.pk
    mine = memo.drafter_id == request.user.pk
    route_form = None
    if mine and memo.is_editable:
        previous = list(memo.steps.filter(version=memo.version).order_by("order"))
        initial = {}
        for i, s in enumerate(previous):
            initial[f"user_{i}"], initial[f"acting_{i}"] = str(s.user_id), s.acting_title
        initial[f"acting_{len(previous) - 1}"] = ""  # the decider signs as the policy says
        route_form = _route_form(memo, initial=initial)
    steps = list(memo.steps.select_related("user").order_by("-version", "order"))
    recallable = (
        mine
        and memo.status == Memo.Status.IN_REVIEW
        and all(
            s.status in (MemoStep.Status.PENDING, MemoStep.Status.WAITING)
            for s in steps
            if s.version == memo.version
        )
    )
    return render(
        request,
        "reports/memos/detail.html",
        {
            "organisation": memo.organisation,
            "memo": memo,
            "step": step,
            "my_turn": my_turn,
            "act_form": ActForm() if my_turn else None,
            "route_form": route_form,
            "recallable": recallable,
            "steps": steps,
            "versions": memo.versions.order_by("-version"),
            "events": memo.events.select_related("user"),
        },
    )


@login_required
@require_POST
def memo_submit_view(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    memo = _memo(request, memo_id)
    form = _route_form(memo, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("reports:memo_detail", memo_id=memo.pk)
    if memo.drafter_id != request.user.pk or not memo.is_editable:
        raise PermissionDenied(_("Only the drafter submits a draft or a returned memo."))
    route = [RouteStep(user, acting) for user, acting in form.cleaned_data["route"]]
    try:
        memo = memo_submit(
            memo=memo,
            user=request.user,
            route=route,
            ip=client_ip(request),
            today=timezone.localdate(),
        )
    except MemoRefused as refused:
        messages.error(request, str(refused))
        return redirect("reports:memo_detail", memo_id=memo.pk)
    messages.success(request, _("Memo %(ref)s submitted.") % {"ref": memo.reference})
    return redirect("reports:memo_detail", memo_id=memo.pk)


@login_required
@require_POST
def memo_recall_view(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    memo = _memo(request, memo_id)
    if memo.drafter_id != request.user.pk or not RecallForm(request.POST).is_valid():
        raise PermissionDenied(_("Only the drafter recalls a memo."))
    try:
        memo_recall(memo=memo, user=request.user, ip=client_ip(request))
    except MemoRefused as refused:
        messages.error(request, str(refused))
        return redirect("reports:memo_detail", memo_id=memo.pk)
    messages.success(
        request, _("The memo was recalled: edit it and submit it again as a new version.")
    )
    return redirect("reports:memo_detail", memo_id=memo.pk)


@login_required
@require_POST
def memo_act_view(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    memo = _memo(request, memo_id)
    form = ActForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the memo."))
        return redirect("reports:memo_detail", memo_id=memo.pk)
    try:
        memo_act(
            memo=memo,
            user=request.user,
            action=form.cleaned_data["action"],
            opinion=form.cleaned_data["opinion"],
            ip=client_ip(request),
        )
    except MemoRefused as refused:
        messages.error(request, str(refused))
        return redirect("reports:memo_detail", memo_id=memo.pk)
    messages.success(request, _("Your action was recorded."))
    return redirect("reports:memo_detail", memo_id=memo.pk)


@login_required
def memo_pdf(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    """A decided memo: the bytes printed at its decision. Before it: as it stands now."""
    memo = _memo(request, memo_id)
    if memo.approved_pdf:
        with memo.approved_pdf.open("rb") as stored:
            pdf = stored.read()
    else:
        pdf = render_memo(memo)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="memo-{memo.pk}.pdf"'
    return response


@login_required
def memo_docx_download(request: AuthenticatedHttpRequest, memo_id: int) -> HttpResponse:
    """The memo as it stands, editable; readable by whoever may read its PDF."""
    memo = _memo(request, memo_id)
    return download(memo_docx(memo), f"memo-{memo.pk}.docx")


@login_required
def memo_attachment(
    request: AuthenticatedHttpRequest, memo_id: int, index: int
) -> HttpResponse | FileResponse:
    """An attached document: as frozen at the decision, or as it stands now before it."""
    memo = _memo(request, memo_id)
    if not 0 <= index < len(memo.attachments):
        raise NotFound(_("The memo has no such attachment."))
    item = memo.attachments[index]
    frozen = memo.frozen_attachments.filter(kind=item["kind"], year=item["year"]).first()
    if frozen is not None:
        return FileResponse(frozen.pdf.open("rb"), content_type="application/pdf")
    if memo.is_frozen:
        raise NotFound(_("The memo has no such attachment."))
    try:
        pdf = render_attachment(memo.organisation, item["kind"], int(item["year"]))
    except DocumentMissing as missing:
        raise NotFound(str(missing)) from missing
    return HttpResponse(pdf, content_type="application/pdf")


def _register(
    request: AuthenticatedHttpRequest, org_id: int
) -> tuple[Organisation, RegisterFilter, str]:
    """The organisation (if this person may read it) and the filter; a bad value gives its Thai
    message and a filter that lists nothing."""
    organisation = organisation_for(request, org_id)
    try:
        return organisation, RegisterFilter.of(request.GET, organisation), ""
    except RegisterFilterInvalid as invalid:
        return organisation, RegisterFilter(), str(invalid)


REGISTER_PAGE_SIZE = 100


@login_required
def memo_register(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation, chosen, error = _register(request, org_id)
    memos = register_rows(organisation, chosen)
    page = Paginator(memos.none() if error else memos, REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    digits = organisation.uses_thai_digits
    memos_on_page = list(page.object_list)
    return render(
        request,
        "reports/memos/register.html",
        {
            "organisation": organisation,
            "chosen": chosen,
            "error": error,
            "page": page,
            "rows": zip(memos_on_page, register_table(organisation, memos_on_page), strict=True),
            "years": [(year, thai.digits(year, digits)) for year in register_years(organisation)],
            "statuses": Memo.Status.choices,
            "people": people_of(organisation),
            "query": chosen.query_string(),
            "search": request.GET.get("q", "")[:SEARCH_MAX_LENGTH],
        },
    )


def _register_export(
    request: AuthenticatedHttpRequest, org_id: int
) -> tuple[Organisation, RegisterFilter]:
    organisation, chosen, error = _register(request, org_id)
    if error:
        raise NotFound(error)
    return organisation, chosen


@login_required
def memo_register_xlsx(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation, chosen = _register_export(request, org_id)
    data = register_xlsx(organisation, register_rows(organisation, chosen))
    return download(data, filename_of(organisation, chosen, "xlsx"))


@login_required
def memo_register_pdf(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation, chosen = _register_export(request, org_id)
    html = register_html(organisation, register_rows(organisation, chosen), chosen)
    response = HttpResponse(renderer().render(html).pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{filename_of(organisation, chosen, "pdf")}"'
    )
    return response


@login_required
def memo_register_docx(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation, chosen = _register_export(request, org_id)
    data = register_docx(organisation, register_rows(organisation, chosen), chosen)
    return download(data, filename_of(organisation, chosen, "docx"))
