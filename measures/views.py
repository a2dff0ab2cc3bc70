from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import organisation_for, organisations_visible_to, require_edit
from assessments.selectors import FrameworkCatalogue
from itaportal import thai
from itaportal.accounts.audit import client_ip
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import DISK_FULL_MESSAGE, NotFound
from itaportal.storage import is_disk_full
from itaportal.tables import download_records
from measures.approvals import HeldByApproval, Part, plan_holders
from measures.exporting import plan_record, records_csv, records_xlsx
from measures.forms import AnalysisForm, MeasureForm, PlanCreateForm, ProgressForm
from measures.models import Measure, MeasurePlan, Progress, SuggestedMeasure
from measures.selectors import (
    analysis_drafts,
    measure_row,
    measures_with_detail,
    my_measure_rows,
    plan_of,
    plan_view,
    plans_of,
)
from measures.services import (
    StaleEdit,
    analysis_save,
    measure_add_suggestion,
    measure_create,
    measure_delete,
    measure_update,
    measures_copy_forward,
    plan_contents,
    plan_create,
    plan_delete,
    plan_items_framework,
    progress_delete,
    progress_record,
    progress_update,
)


def _today() -> dt.date:
    return timezone.localdate()


def _plan(
    request: AuthenticatedHttpRequest, org_id: int, year: int, *, edit: bool = False
) -> MeasurePlan:
    organisation = organisation_for(request, org_id, edit=edit)
    plan = plan_of(organisation, year)
    if plan is None:
        raise Http404
    return plan


def _measure(request: AuthenticatedHttpRequest, measure_id: int) -> Measure:
    """The measure if its organisation is visible to this user (404 otherwise)."""
    return get_object_or_404(
        Measure.objects.select_related("plan__organisation"),
        pk=measure_id,
        plan__organisation__in=organisations_visible_to(request.user),
    )


def _can_follow_up(request: AuthenticatedHttpRequest, measure: Measure) -> bool:
    """Editors of the organisation, and the measure's owners, record follow-up."""
    user = request.user
    return user.can_edit(measure.plan.organisation) or measure.owners.filter(pk=user.pk).exists()


def _plan_url(plan: MeasurePlan) -> str:
    return reverse("measures:plan_detail", args=[plan.organisation_id, plan.fiscal_year])


@login_required
def plan_list(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = organisation_for(request, org_id)
    can_edit = request.user.can_edit(organisation)
    form = PlanCreateForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        require_edit(request, organisation)
        if form.is_valid():
            plan = plan_create(
                organisation=organisation,
                fiscal_year=form.cleaned_data["fiscal_year"],
                basis_year=form.cleaned_data["basis_year"],
                user=request.user,
                ip=client_ip(request),
            )
            messages.success(
                request, _("The plan was created. Start with the indicators listed below.")
            )
            return redirect(_plan_url(plan))
    return render(
        request,
        "measures/plan_list.html",
        {
            "organisation": organisation,
            "plans": plans_of(organisation),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
def plan_detail(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    organisation = organisation_for(request, org_id)
    can_edit = request.user.can_edit(organisation)
    plan = plan_of(organisation, year)
    if plan is None:
        raise Http404
    return render(
        request,
        "measures/plan_detail.html",
        {"organisation": organisation, "view": plan_view(plan, _today()), "can_edit": can_edit},
    )


@login_required
def analysis_edit(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    plan = _plan(request, org_id, year, edit=True)
    form = AnalysisForm(
        request.POST or None,
        plan=plan,
        analyses=list(plan.analyses.all()),
        drafts=analysis_drafts(plan),
    )
    if request.method == "POST" and form.is_valid():
        analysis_save(
            plan=plan,
            texts=form.texts,
            basis_year=form.cleaned_data["basis_year"],
            user=request.user,
            ip=client_ip(request),
        )
        messages.success(request, _("The analysis was saved."))
        return redirect(_plan_url(plan))
    return render(
        request,
        "measures/analysis_form.html",
        {"organisation": plan.organisation, "plan": plan, "form": form},
    )


def _measure_form(
    request: AuthenticatedHttpRequest, plan: MeasurePlan, measure: Measure | None = None
) -> MeasureForm:
    """The measure form with the indicators of the results the plan answers and the items of
    the plan's own year's framework."""
    catalogue = FrameworkCatalogue()
    framework = catalogue.for_year(plan.based_on_year, plan.organisation.kind) or catalogue.latest
    return MeasureForm(
        request.POST or None,
        instance=measure,
        plan=plan,
        indicator_names=framework.indicator_names() if framework else {},
        items_framework=plan_items_framework(plan, catalogue),
    )


@login_required
def measure_new(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    plan = _plan(request, org_id, year, edit=True)
    form = _measure_form(request, plan)
    if request.method == "POST" and form.is_valid():
        measure = measure_create(
            plan=plan,
            data=form.measure_data,
            owners=form.cleaned_data["owners"],
            user=request.user,
            ip=client_ip(request),
        )
        messages.success(request, _("Measure “%(title)s” added.") % {"title": measure.title})
        return redirect(_plan_url(plan))
    return render(
        request,
        "measures/measure_form.html",
        {"organisation": plan.organisation, "plan": plan, "form": form, "measure": None},
    )


@login_required
def measure_edit(request: AuthenticatedHttpRequest, measure_id: int) -> HttpResponse:
    measure = _measure(request, measure_id)
    plan = measure.plan
    require_edit(request, plan.organisation)
    form = _measure_form(request, plan, measure)
    if request.method == "POST" and form.is_valid():
        try:
            measure_update(
                measure=measure,
                data=form.measure_data,
                owners=form.cleaned_data["owners"],
                expected_version=form.cleaned_data["version"] or 0,
                user=request.user,
                ip=client_ip(request),
            )
        except StaleEdit:
            messages.error(
                request,
                _(
                    "Someone else saved this measure while you were editing it. Your changes "
                    "were not saved; the page now shows their version. Make your changes again."
                ),
            )
            return redirect("measures:measure_edit", measure_id=measure.pk)
        messages.success(request, _("Measure “%(title)s” saved.") % {"title": measure.title})
        return redirect(_plan_url(plan))
    return render(
        request,
        "measures/measure_form.html",
        {"organisation": plan.organisation, "plan": plan, "form": form, "measure": measure},
    )


@login_required
def measure_delete_view(request: AuthenticatedHttpRequest, measure_id: int) -> HttpResponse:
    measure = _measure(request, measure_id)
    plan = measure.plan
    require_edit(request, plan.organisation)
    progress_count = measure.progress.count()
    if request.method == "POST":
        title = measure.title
        measure_delete(measure=measure, user=request.user, ip=client_ip(request))
        messages.success(request, _("Measure “%(title)s” deleted.") % {"title": title})
        return redirect(_plan_url(plan))
    return render(
        request,
        "measures/measure_delete.html",
        {"organisation": plan.organisation, "measure": measure, "progress_count": progress_count},
    )


@login_required
def measure_detail(request: AuthenticatedHttpRequest, measure_id: int) -> HttpResponse:
    measure = _measure(request, measure_id)
    can_follow_up = _can_follow_up(request, measure)
    form = ProgressForm(
        request.POST or None, request.FILES or None, measure=measure, today=_today()
    )
    if request.method == "POST":
        if not can_follow_up:
            raise PermissionDenied(
                _("Only the measure's owners and the organisation's staff record follow-up.")
            )
        if form.is_valid():
            try:
                progress_record(
                    measure=measure,
                    data=form.progress_data,
                    user=request.user,
                    ip=client_ip(request),
                )
            except OSError as error:
                if not is_disk_full(error):
                    raise
                form.add_error(None, DISK_FULL_MESSAGE)
            else:
                messages.success(request, _("Follow-up recorded."))
                return redirect("measures:measure_detail", measure_id=measure.pk)
    row = measure_row(measures_with_detail(Measure.objects.filter(pk=measure.pk)).get(), _today())
    return render(
        request,
        "measures/measure_detail.html",
        {
            "organisation": measure.plan.organisation,
            "row": row,
            "measure": row.measure,
            "form": form,
            "can_follow_up": can_follow_up,
            "can_edit": request.user.can_edit(measure.plan.organisation),
        },
    )


@login_required
def evidence(request: AuthenticatedHttpRequest, measure_id: int, progress_id: int) -> FileResponse:
    measure = _measure(request, measure_id)
    progress = get_object_or_404(Progress, pk=progress_id, measure=measure)
    if not progress.evidence_file:
        raise NotFound(_("This follow-up has no file."))
    return FileResponse(progress.evidence_file.open("rb"), as_attachment=True)


def _progress(request: AuthenticatedHttpRequest, measure_id: int, progress_id: int) -> Progress:
    """A follow-up entry for those who may change its organisation's plans (404 outside it,
    403 to the roles that may not)."""
    measure = _measure(request, measure_id)
    require_edit(request, measure.plan.organisation)
    progress = get_object_or_404(Progress, pk=progress_id, measure=measure)
    progress.measure = measure
    return progress


def _held_message(error: HeldByApproval, what: str) -> str:
    return _(
        "%(what)s cannot change: approved memo %(memos)s holds it, and what was approved never "
        "changes."
    ) % {"what": what, "memos": ", ".join(error.holders)}


@login_required
def progress_edit(
    request: AuthenticatedHttpRequest, measure_id: int, progress_id: int
) -> HttpResponse:
    progress = _progress(request, measure_id, progress_id)
    measure = progress.measure
    form = ProgressForm(
        request.POST or None,
        request.FILES or None,
        measure=measure,
        today=_today(),
        progress=progress,
    )
    if request.method == "POST" and form.is_valid():
        try:
            progress_update(
                progress=progress, data=form.progress_data, user=request.user, ip=client_ip(request)
            )
        except HeldByApproval as error:
            messages.error(request, _held_message(error, _("This follow-up")))
            return redirect("measures:measure_detail", measure_id=measure.pk)
        except OSError as error:
            if not is_disk_full(error):
                raise
            form.add_error(None, DISK_FULL_MESSAGE)
        else:
            messages.success(request, _("The follow-up entry was saved."))
            return redirect("measures:measure_detail", measure_id=measure.pk)
    return render(
        request,
        "measures/progress_form.html",
        {
            "organisation": measure.plan.organisation,
            "measure": measure,
            "progress": progress,
            "form": form,
            "holders": plan_holders(measure.plan, Part.FOLLOW_UP),
        },
    )


@login_required
def progress_delete_view(
    request: AuthenticatedHttpRequest, measure_id: int, progress_id: int
) -> HttpResponse:
    progress = _progress(request, measure_id, progress_id)
    measure = progress.measure
    if request.method == "POST":
        try:
            progress_delete(progress=progress, user=request.user, ip=client_ip(request))
        except HeldByApproval as error:
            messages.error(request, _held_message(error, _("This follow-up")))
        else:
            messages.success(request, _("The follow-up entry was deleted."))
        return redirect("measures:measure_detail", measure_id=measure.pk)
    return render(
        request,
        "measures/progress_delete.html",
        {
            "organisation": measure.plan.organisation,
            "measure": measure,
            "progress": progress,
            "holders": plan_holders(measure.plan, Part.FOLLOW_UP),
        },
    )


@login_required
def plan_delete_view(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    plan = _plan(request, org_id, year, edit=True)
    if request.method == "POST":
        try:
            plan_delete(plan=plan, user=request.user, ip=client_ip(request))
        except HeldByApproval as error:
            messages.error(request, _held_message(error, _("This plan")))
            return redirect(_plan_url(plan))
        messages.success(
            request,
            _("The plan of fiscal year %(year)s was deleted.")
            % {"year": thai.year_be(year, plan.organisation.uses_thai_digits)},
        )
        return redirect("measures:plan_list", org_id=plan.organisation_id)
    return render(
        request,
        "measures/plan_delete.html",
        {
            "organisation": plan.organisation,
            "plan": plan,
            "contents": plan_contents(plan),
            "holders": plan_holders(plan, Part.PLAN),
        },
    )


@login_required
@require_POST
def suggestion_add(
    request: AuthenticatedHttpRequest, org_id: int, year: int, suggestion_id: int
) -> HttpResponse:
    plan = _plan(request, org_id, year, edit=True)
    suggestion = get_object_or_404(SuggestedMeasure, pk=suggestion_id, active=True)
    measure = measure_add_suggestion(
        plan=plan, suggestion=suggestion, user=request.user, ip=client_ip(request)
    )
    messages.success(
        request,
        _("“%(title)s” was added to the plan; set its owners and timeline.")
        % {"title": measure.title},
    )
    return redirect("measures:measure_edit", measure_id=measure.pk)


@login_required
@require_POST
def copy_forward(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    plan = _plan(request, org_id, year, edit=True)
    copied = measures_copy_forward(plan=plan, user=request.user, ip=client_ip(request))
    digits = plan.organisation.uses_thai_digits
    source_year = thai.year_be(plan.fiscal_year - 1, digits)
    if copied.source is None:
        messages.info(
            request,
            _("There is no plan for fiscal year %(year)s to copy from.") % {"year": source_year},
        )
    elif copied.measures:
        messages.success(
            request,
            _("Copied from the plan of fiscal year %(year)s (%(n)s): %(titles)s.")
            % {
                "year": source_year,
                "n": thai.digits(len(copied.measures), digits),
                "titles": ", ".join(f"“{m.title}”" for m in copied.measures),
            },
        )
    elif not copied.linked:
        messages.info(
            request,
            _(
                "Nothing left to copy: every measure of the plan of fiscal year %(year)s is done, "
                "cancelled or already carried forward."
            )
            % {"year": source_year},
        )
    if copied.linked:
        messages.info(
            request,
            _(
                "Already in this plan, so not copied again; their originals are now marked "
                "carried forward: %(titles)s."
            )
            % {"titles": ", ".join(f"“{m.title}”" for m in copied.linked)},
        )
    if copied.dropped_items:
        messages.warning(
            request,
            _(
                "Items left out of the copied measures, as this year's framework has no "
                "such items: %(items)s. Choose this year's items for them."
            )
            % {
                "items": "; ".join(
                    f"{title} ({', '.join(thai.digits(code, digits) for code in codes)})"
                    for title, codes in copied.dropped_items.items()
                )
            },
        )
    return redirect(_plan_url(plan))


@login_required
def plan_export(
    request: AuthenticatedHttpRequest, org_id: int, year: int, fmt: str
) -> HttpResponse:
    plan = _plan(request, org_id, year)
    records = [plan_record(plan_view(plan, _today()))]
    return download_records(
        records,
        fmt,
        f"ita-measures-{plan.organisation_id}-{plan.fiscal_year}",
        to_csv=records_csv,
        to_xlsx=records_xlsx,
    )


@login_required
def my_measures(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "measures/my_measures.html", {"rows": my_measure_rows(request.user, _today())}
    )
