"""Writes on plans and measures: each one transaction, each safe against a concurrent edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import partial
from typing import Any

from django.core.files import File
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Framework, Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal import thai
from itaportal.accounts.audit import audit, values_of
from itaportal.accounts.models import AuditEvent, User
from measures.approvals import Part, refuse_if_held
from measures.models import (
    InstrumentAnalysis,
    Measure,
    MeasurePlan,
    Progress,
    SuggestedMeasure,
)
from measures.schedule import Cadence
from measures.status import CLOSED_STATUSES, MeasureStatus
from measures.summaries import plan_summaries_refresh


@dataclass(frozen=True)
class MeasureData:
    """What people write of a measure (its owners aside); the defaults are a new measure's."""

    title: str
    indicators: list[int]
    items: list[str] = field(default_factory=list)  # item codes (i10, o25) it answers
    method: str = ""
    responsible_unit: str = ""
    other_people: str = ""
    start_month: dt.date | None = None
    end_month: dt.date | None = None
    follow_up: str = ""
    cadence: str = Cadence.NONE.value
    expected_result: str = ""
    status: str = MeasureStatus.NOT_STARTED.value

    @classmethod
    def of(cls, measure: Measure) -> MeasureData:
        """What the measure says now, to change a part of it with dataclasses.replace."""
        return cls(**{field: getattr(measure, field) for field in MEASURE_FIELDS})

    def values(self) -> dict[str, Any]:
        return {field: getattr(self, field) for field in MEASURE_FIELDS}


MEASURE_FIELDS = tuple(field.name for field in fields(MeasureData))


@dataclass(frozen=True)
class ProgressData:
    """A follow-up entry as recorded: when, what was done, the outcome and the evidence."""

    date: dt.date
    done: str
    outcome: str = ""
    evidence_url: str = ""
    evidence_file: File | None = None  # a new file (in place of the one kept, on an edit)
    remove_file: bool = False  # on an edit: the file kept is removed


class StaleEdit(Exception):
    """Someone saved the measure since this edit began; their change is kept."""


@transaction.atomic
def plan_create(
    *,
    organisation: Organisation,
    fiscal_year: int,
    basis_year: int | None = None,
    user: User | None = None,
    ip: str | None = None,
) -> MeasurePlan:
    """A new plan with an empty analysis per instrument of the assessment it answers: the
    results `basis_year`, by default the latest published up to the plan's own year."""
    if basis_year is None:
        basis_year = latest_results_year(organisation, up_to=fiscal_year)
    plan = MeasurePlan.objects.create(
        organisation=organisation, fiscal_year=fiscal_year, basis_year=basis_year
    )
    audit(
        action=AuditEvent.Action.CREATE,
        user=user,
        organisation_id=organisation.pk,
        obj=plan,
        summary=plan_words(plan),
        after=values_of(plan, ["fiscal_year", "basis_year"]),
        ip=ip,
    )
    catalogue = FrameworkCatalogue()
    framework = catalogue.for_year(plan.based_on_year, plan.organisation.kind) or catalogue.latest
    codes = [inst.code for inst in framework.instruments.all()] if framework else []
    InstrumentAnalysis.objects.bulk_create(
        InstrumentAnalysis(plan=plan, instrument=code) for code in codes
    )
    plan_summaries_refresh(organisation_ids=[organisation.pk])
    return plan


def latest_results_year(organisation: Organisation, *, up_to: int) -> int | None:
    """The latest fiscal year, up to `up_to`, whose results the organisation has entered."""
    years = organisation.assessments.filter(fiscal_year__lte=up_to).values_list(
        "fiscal_year", flat=True
    )
    return max(years, default=None)


def _next_order(plan: MeasurePlan) -> int:
    return (plan.measures.aggregate(m=Max("order"))["m"] or 0) + 1


def plan_words(plan: MeasurePlan) -> Promise:
    return format_lazy(_("measures plan of {year}"), year=plan.fiscal_year)


def measure_words(measure: Measure) -> Promise:
    """The measure as the audit trail names it: “title” of the plan of year N."""
    return format_lazy(
        _("measure “{title}” of the plan of {year}"),
        title=measure.title,
        year=measure.plan.fiscal_year,
    )


# What the audit trail keeps of a measure: what people write, and its owners by name.
AUDITED_MEASURE_FIELDS = (*MEASURE_FIELDS, "owners")


def measure_values(measure: Measure) -> dict[str, Any]:
    values = values_of(measure, MEASURE_FIELDS)
    values["owners"] = sorted(u.get_full_name() or u.get_username() for u in measure.owners.all())
    return values


def _audit_measure(
    action: AuditEvent.Action,
    measure: Measure,
    user: User | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    ip: str | None,
) -> None:
    audit(
        action=action,
        user=user,
        organisation_id=measure.plan.organisation_id,
        obj=measure,
        summary=measure_words(measure),
        before=before,
        after=after,
        ip=ip,
    )


@transaction.atomic
def measure_create(
    *,
    plan: MeasurePlan,
    data: MeasureData,
    owners: Iterable[User],
    user: User | None,
    ip: str | None = None,
) -> Measure:
    measure = Measure(plan=plan, order=_next_order(plan), updated_by=user, **data.values())
    measure.save()
    measure.owners.set(owners)
    _audit_measure(AuditEvent.Action.CREATE, measure, user, None, measure_values(measure), ip)
    plan_summaries_refresh(organisation_ids=[plan.organisation_id])
    return measure


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    data: MeasureData,
    owners: Iterable[User],
    expected_version: int,
    user: User | None,
    ip: str | None = None,
) -> Measure:
    """Save an edit begun at `expected_version`; raise StaleEdit if another save came first.

    The version check and the write are one UPDATE, so two simultaneous saves cannot both pass.
    """
    before = measure_values(Measure.objects.get(pk=measure.pk))
    # Reopened by hand: no longer carried forward, its copy goes on by itself.
    carried = {} if data.status == MeasureStatus.CARRIED_FORWARD else {"carried_to": None}
    updated = Measure.objects.filter(pk=measure.pk, version=expected_version).update(
        **data.values(),
        **carried,
        version=F("version") + 1,
        updated_by=user,
        updated_at=timezone.now(),
    )
    if updated == 0:
        raise StaleEdit
    measure.refresh_from_db()
    measure.owners.set(owners)
    _audit_measure(AuditEvent.Action.UPDATE, measure, user, before, measure_values(measure), ip)
    plan_summaries_refresh(organisation_ids=[measure.plan.organisation_id])
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, user: User | None, ip: str | None = None) -> None:
    """Delete a measure and keep what it was, with its follow-up, in the audit trail."""
    uses_thai = measure.plan.organisation.uses_thai_digits
    before = measure_values(measure)
    before["progress"] = [
        f"{thai.date_be(p.date, uses_thai)}: {p.done}" + (f" ({p.outcome})" if p.outcome else "")
        for p in measure.progress.all()
    ]
    _audit_measure(AuditEvent.Action.DELETE, measure, user, before, None, ip)
    for original in Measure.objects.filter(carried_to=measure).select_related("plan"):
        _carried_undo(original, user, ip)
    measure.delete()
    plan_summaries_refresh(organisation_ids=[measure.plan.organisation_id])


@transaction.atomic
def measure_add_suggestion(
    *, plan: MeasurePlan, suggestion: SuggestedMeasure, user: User | None, ip: str | None = None
) -> Measure:
    """Copy a catalogue suggestion into the plan, to be edited there."""
    data = MeasureData(
        title=suggestion.title,
        indicators=list(suggestion.indicators),
        method=suggestion.method,
        responsible_unit=suggestion.responsible_unit,
        follow_up=suggestion.follow_up,
        cadence=suggestion.cadence,
        expected_result=suggestion.expected_result,
    )
    return measure_create(plan=plan, data=data, owners=[], user=user, ip=ip)


def _shift_year(month: dt.date | None) -> dt.date | None:
    return month.replace(year=month.year + 1) if month else None


def plan_items_framework(
    plan: MeasurePlan, catalogue: FrameworkCatalogue | None = None
) -> Framework | None:
    """The framework whose items a plan's measures name: that of the plan's own year (the
    assessment its measures work towards), else that of the results it answers, else the
    latest."""
    catalogue = catalogue or FrameworkCatalogue()
    kind = plan.organisation.kind
    return (
        catalogue.for_year(plan.fiscal_year, kind)
        or catalogue.for_year(plan.based_on_year, kind)
        or catalogue.latest
    )


@dataclass(frozen=True)
class CopiedForward:
    """What copy-forward brought: the plan it copied from (None when there is none), the new
    measures, and by title the items they named that this plan's framework does not have
    (left out)."""

    source: MeasurePlan | None
    measures: list[Measure]
    dropped_items: dict[str, list[str]]
    linked: list[Measure] = field(default_factory=list)  # already here by title: not copied


@transaction.atomic
def measures_copy_forward(
    *, plan: MeasurePlan, user: User | None, ip: str | None = None
) -> CopiedForward:
    """Bring last year's unfinished measures into this plan, with the items they name that this
    plan's framework has too, and mark each original carried forward (closed: no longer
    overdue, not copied again), linked to its copy."""
    previous = (
        MeasurePlan.objects.select_for_update()
        .filter(organisation=plan.organisation, fiscal_year=plan.fiscal_year - 1)
        .first()
    )
    if previous is None:
        return CopiedForward(None, [], {})
    framework = plan_items_framework(plan)
    known = {item.code for item in framework.items()} if framework else set()
    dropped: dict[str, list[str]] = {}
    # A measure of the same title already here (copied before originals were marked, or added
    # by hand) is the original's continuation: linked, not copied twice.
    present = {m.title: m for m in plan.measures.filter(carried_from__isnull=True).order_by("-pk")}
    copied, linked = [], []
    order = _next_order(plan)
    for old in previous.measures.exclude(status__in=CLOSED_STATUSES).prefetch_related("owners"):
        if old.title in present:
            linked.append(present.pop(old.title))
            _carried_mark(old, linked[-1], user, ip)
            continue
        missing = [code for code in old.items if code not in known]
        if missing:
            dropped[old.title] = missing
        data = replace(
            MeasureData.of(old),
            items=[code for code in old.items if code in known],
            status=MeasureStatus.NOT_STARTED,
            start_month=_shift_year(old.start_month),
            end_month=_shift_year(old.end_month),
        )
        new = Measure(plan=plan, order=order, updated_by=user, **data.values())
        new.save()
        new.owners.set(old.owners.all())
        _audit_measure(AuditEvent.Action.COPY_FORWARD, new, user, None, measure_values(new), ip)
        _carried_mark(old, new, user, ip)
        copied.append(new)
        order += 1
    plan_summaries_refresh(organisation_ids=[plan.organisation_id])
    return CopiedForward(previous, copied, dropped, linked)


def _carried_mark(old: Measure, new: Measure, user: User | None, ip: str | None) -> None:
    """Close `old` as carried forward to `new`, audited."""
    before = {"status": old.status}
    Measure.objects.filter(pk=old.pk).update(
        status=MeasureStatus.CARRIED_FORWARD,
        carried_to=new,
        version=F("version") + 1,
        updated_by=user,
        updated_at=timezone.now(),
    )
    after = {"status": MeasureStatus.CARRIED_FORWARD.value}
    _audit_measure(AuditEvent.Action.UPDATE, old, user, before, after, ip)


def _carried_undo(original: Measure, user: User | None, ip: str | None) -> None:
    """Its copy in next year's plan is gone: the original is open again where it was, in
    progress if it has follow-up."""
    status = MeasureStatus.IN_PROGRESS if original.progress.exists() else MeasureStatus.NOT_STARTED
    Measure.objects.filter(pk=original.pk).update(
        status=status,
        carried_to=None,
        version=F("version") + 1,
        updated_by=user,
        updated_at=timezone.now(),
    )
    before = {"status": original.status}
    _audit_measure(AuditEvent.Action.UPDATE, original, user, before, {"status": status.value}, ip)


def progress_record(
    *, measure: Measure, data: ProgressData, user: User | None, ip: str | None = None
) -> Progress:
    """Record follow-up; a measure not yet started is in progress from now on.

    The evidence file is written whole before the row (itaportal.storage) and removed again if
    the row is not committed: no file without its row, no row without its file."""
    progress = Progress(
        measure=measure,
        date=data.date,
        done=data.done,
        outcome=data.outcome,
        evidence_url=data.evidence_url,
        evidence_file=data.evidence_file or "",
        recorded_by=user,
    )
    try:
        with transaction.atomic():
            _progress_save(progress, measure, user, ip)
    except BaseException:
        stored = progress.evidence_file
        if stored.name and getattr(stored, "_committed", False):  # written, row not committed
            stored.storage.delete(stored.name)
        raise
    return progress


def _progress_save(progress: Progress, measure: Measure, user: User | None, ip: str | None) -> None:
    progress.save()
    Measure.objects.filter(pk=measure.pk, status=Measure.Status.NOT_STARTED).update(
        status=Measure.Status.IN_PROGRESS, version=F("version") + 1
    )
    audit(
        action=AuditEvent.Action.CREATE,
        user=user,
        organisation_id=measure.plan.organisation_id,
        obj=progress,
        summary=format_lazy(_("follow-up of the {measure}"), measure=measure_words(measure)),
        after=values_of(progress, PROGRESS_FIELDS),
        ip=ip,
    )
    plan_summaries_refresh(organisation_ids=[measure.plan.organisation_id])


PROGRESS_FIELDS = ("date", "done", "outcome", "evidence_url", "evidence_file")


def progress_words(progress: Progress) -> Promise:
    return format_lazy(_("follow-up of the {measure}"), measure=measure_words(progress.measure))


def _file_delete_on_commit(names: Iterable[str | None]) -> None:
    """Remove stored files once the rows that named them are gone for good."""
    storage = Progress._meta.get_field("evidence_file").storage  # type: ignore[union-attr]
    for name in names:
        if name:
            transaction.on_commit(partial(storage.delete, name))


def progress_update(
    *, progress: Progress, data: ProgressData, user: User | None, ip: str | None = None
) -> Progress:
    """Change a follow-up entry, audited; a new file replaces the one kept, which is removed
    once the change is committed (the new one is removed again if it is not). Refused
    (HeldByApproval) when an approved progress report holds the plan's follow-up."""
    plan = progress.measure.plan
    refuse_if_held(plan, Part.FOLLOW_UP)
    before = values_of(progress, PROGRESS_FIELDS)
    kept = progress.evidence_file.name
    progress.date, progress.done, progress.outcome = data.date, data.done, data.outcome
    progress.evidence_url = data.evidence_url
    if data.evidence_file:
        progress.evidence_file = data.evidence_file
    elif data.remove_file:
        progress.evidence_file = ""  # type: ignore[assignment]
    try:
        with transaction.atomic():
            progress.save()
            after = values_of(progress, PROGRESS_FIELDS)
            audit(
                action=AuditEvent.Action.UPDATE,
                user=user,
                organisation_id=plan.organisation_id,
                obj=progress,
                summary=progress_words(progress),
                before=before,
                after=after,
                ip=ip,
            )
            if progress.evidence_file.name != kept:
                _file_delete_on_commit([kept])
            plan_summaries_refresh(organisation_ids=[plan.organisation_id])
    except BaseException:
        stored = progress.evidence_file
        if (
            data.evidence_file
            and stored.name
            and stored.name != kept
            and getattr(stored, "_committed", False)
        ):
            stored.storage.delete(stored.name)  # the new file, whose row was not committed
        raise
    return progress


@transaction.atomic
def progress_delete(*, progress: Progress, user: User | None, ip: str | None = None) -> None:
    """Delete a follow-up entry, kept in the audit trail; its file goes once that is committed.
    Refused (HeldByApproval) when an approved progress report holds the plan's follow-up."""
    plan = progress.measure.plan
    refuse_if_held(plan, Part.FOLLOW_UP)
    audit(
        action=AuditEvent.Action.DELETE,
        user=user,
        organisation_id=plan.organisation_id,
        obj=progress,
        summary=progress_words(progress),
        before=values_of(progress, PROGRESS_FIELDS),
        ip=ip,
    )
    _file_delete_on_commit([progress.evidence_file.name])
    progress.delete()
    plan_summaries_refresh(organisation_ids=[plan.organisation_id])


@dataclass(frozen=True)
class PlanContents:
    """What goes with a plan when it is deleted."""

    measures: int
    follow_up: int
    files: int
    reopened: list[str]  # titles of last year's measures carried into it, open again after


def plan_contents(plan: MeasurePlan) -> PlanContents:
    progress = Progress.objects.filter(measure__plan=plan)
    return PlanContents(
        measures=plan.measures.count(),
        follow_up=progress.count(),
        files=progress.exclude(evidence_file="").count(),
        reopened=list(
            Measure.objects.filter(carried_to__plan=plan).values_list("title", flat=True)
        ),
    )


@transaction.atomic
def plan_delete(*, plan: MeasurePlan, user: User | None, ip: str | None = None) -> None:
    """Delete a plan made by mistake with its analysis, measures and follow-up (their files
    once that is committed), kept in the audit trail; last year's measures carried into it are
    open again. Refused (HeldByApproval) when an approved memo holds the plan's documents."""
    refuse_if_held(plan, Part.PLAN)
    uses_thai = plan.organisation.uses_thai_digits
    before = values_of(plan, ["fiscal_year", "basis_year"])
    before["measures"] = [
        f"{m.title} ({m.get_status_display()}; "
        + ", ".join(f"{thai.date_be(p.date, uses_thai)}: {p.done}" for p in m.progress.all())
        + ")"
        for m in plan.measures.prefetch_related("progress")
    ]
    audit(
        action=AuditEvent.Action.DELETE,
        user=user,
        organisation_id=plan.organisation_id,
        obj=plan,
        summary=plan_words(plan),
        before=before,
        ip=ip,
    )
    for original in Measure.objects.filter(carried_to__plan=plan):
        _carried_undo(original, user, ip)
    _file_delete_on_commit(
        Progress.objects.filter(measure__plan=plan).values_list("evidence_file", flat=True)
    )
    plan.delete()
    plan_summaries_refresh(organisation_ids=[plan.organisation_id])


@transaction.atomic
def analysis_save(
    *,
    plan: MeasurePlan,
    texts: Mapping[str, tuple[str, str]],
    basis_year: int | None = None,
    user: User | None = None,
    ip: str | None = None,
) -> None:
    """Save each instrument's (expected strengths, issues) and, when given, the results the plan
    answers; each change is audited."""
    if basis_year is not None and basis_year != plan.based_on_year:
        before_basis = {"basis_year": plan.based_on_year}
        plan.basis_year = basis_year
        plan.save(update_fields=["basis_year", "updated_at"])
        audit(
            action=AuditEvent.Action.UPDATE,
            user=user,
            organisation_id=plan.organisation_id,
            obj=plan,
            summary=plan_words(plan),
            before=before_basis,
            after={"basis_year": basis_year},
            ip=ip,
        )
        plan_summaries_refresh(organisation_ids=[plan.organisation_id])  # it answers another year
    fields = ("expected_strengths", "issues")
    known = {a.instrument: a for a in plan.analyses.all()}
    for code, (strengths, issues) in texts.items():
        analysis = known.get(code) or InstrumentAnalysis(plan=plan, instrument=code)
        before = values_of(analysis, fields) if analysis.pk else None
        analysis.expected_strengths, analysis.issues = strengths, issues
        after = values_of(analysis, fields)
        if before == after:
            continue
        analysis.save()
        audit(
            action=AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE,
            user=user,
            organisation_id=plan.organisation_id,
            obj=analysis,
            summary=format_lazy(
                _("analysis of instrument {code} in the {plan}"),
                code=code,
                plan=plan_words(plan),
            ),
            before=before,
            after=after,
            ip=ip,
        )
