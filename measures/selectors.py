"""Reads for the plan pages: measures with their lateness, coverage of the tiers, suggestions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from assessments.ita import Tier, indicators_needing_measures
from assessments.models import Organisation
from assessments.selectors import YearResult, organisation_year
from itaportal.accounts.models import User
from itaportal.statements import Statement
from measures.models import InstrumentAnalysis, Measure, MeasurePlan, Progress, SuggestedMeasure
from measures.planning import analysis_draft, uncovered_indicators
from measures.schedule import Cadence, Lateness, due_within, lateness


def _owners_and_progress() -> tuple[str | Prefetch, ...]:
    return "owners", Prefetch("progress", queryset=Progress.objects.order_by("date", "pk"))


def _with_owners_and_progress(queryset: QuerySet[Measure]) -> QuerySet[Measure]:
    return queryset.prefetch_related(*_owners_and_progress())


def measures_with_detail(queryset: QuerySet[Measure]) -> QuerySet[Measure]:
    return _with_owners_and_progress(
        queryset.select_related("plan__organisation", "carried_to__plan")
    )


# The reads of every plan page, their SQL written once (itaportal.statements). Ordered by the
# plan's own order, not joined back to the plan and its organisation (the default ordering, by
# plan, whose own is by organisation, did): the caller hands each row its plan.
_MEASURES = Statement(
    lambda plan_id: Measure.objects.filter(plan_id=plan_id).order_by("order", "pk")
)
_ANALYSES = Statement(
    lambda plan_id: InstrumentAnalysis.objects.filter(plan_id=plan_id).order_by("pk")
)
_SUGGESTIONS = Statement(lambda: SuggestedMeasure.objects.filter(active=True))
_PLAN = Statement(
    lambda organisation_id, fiscal_year: MeasurePlan.objects.filter(
        organisation_id=organisation_id, fiscal_year=fiscal_year
    ).order_by()
)


def plan_of(organisation: Organisation, fiscal_year: int) -> MeasurePlan | None:
    """The organisation's plan of that fiscal year, if it has one."""
    found = _PLAN.objects(organisation.pk, fiscal_year, known={"organisation": organisation})
    return found[0] if found else None


def plan_measures(plan: MeasurePlan) -> list[Measure]:
    """The plan's measures with their detail, in the plan's order. The measures they were
    carried to are fetched apart, only when some were (joining a second measure's columns to
    every row cost more than the rest of the read)."""
    measures = _MEASURES.objects(plan.pk, known={"plan": plan})
    prefetch_related_objects(measures, *_owners_and_progress(), "carried_to__plan")
    return measures


@dataclass(frozen=True)
class MeasureRow:
    measure: Measure
    lateness: Lateness
    due_soon: bool

    @property
    def responsible_people(self) -> list[str]:
        owners = [u.get_full_name() or u.get_username() for u in self.measure.owners.all()]
        return owners + self.measure.other_people_list


def measure_row(measure: Measure, today: dt.date) -> MeasureRow:
    late = lateness(
        measure.timeline,
        status=measure.status,
        cadence=Cadence(measure.cadence),
        progress_dates=[p.date for p in measure.progress.all()],
        today=today,
    )
    return MeasureRow(measure, late, due_within(late, today))


@dataclass
class PlanView:
    plan: MeasurePlan
    basis: YearResult | None  # the assessment the plan answers (MeasurePlan.based_on_year)
    rows: list[MeasureRow]
    needing: list[int]  # urgent and raise indicators, urgent first
    uncovered: list[int]
    suggestions: dict[int, list[SuggestedMeasure]] = field(default_factory=dict)

    @property
    def tiers(self) -> dict[int, Tier]:
        return self.basis.evaluation.tiers if self.basis else {}

    @cached_property
    def analyses(self) -> list[InstrumentAnalysis]:
        """In the order they were written (the framework's); by their own key, as the default
        ordering's "plan" would join the plans and their organisations for nothing."""
        return _ANALYSES.objects(self.plan.pk, known={"plan": self.plan})

    @property
    def indicator_names(self) -> dict[int, str]:
        return self.basis.indicator_names if self.basis else {}

    @property
    def overdue(self) -> list[MeasureRow]:
        return [row for row in self.rows if row.lateness.overdue]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        counts = Counter(row.measure.status for row in self.rows)
        return [(value, str(label), counts[value]) for value, label in Measure.Status.choices]

    @property
    def done_share(self) -> int:
        live = [r for r in self.rows if r.measure.status != Measure.Status.CANCELLED]
        if not live:
            return 0
        return round(100 * sum(r.measure.status == Measure.Status.DONE for r in live) / len(live))


def plan_view(plan: MeasurePlan, today: dt.date, years: list[YearResult] | None = None) -> PlanView:
    """`years`: the organisation's evaluated years, when the caller already has them."""
    if years is not None:
        basis = next((y for y in years if y.fiscal_year == plan.based_on_year), None)
    else:
        basis = organisation_year(plan.organisation, plan.based_on_year)
    measures = plan_measures(plan)
    rows = [measure_row(m, today) for m in measures]
    tiers = basis.evaluation.tiers if basis else {}
    uncovered = uncovered_indicators(tiers, [(m.indicators, m.status) for m in measures])
    view = PlanView(
        plan=plan,
        basis=basis,
        rows=rows,
        needing=indicators_needing_measures(tiers),
        uncovered=uncovered,
    )
    if uncovered:
        present = {m.title for m in measures}
        for suggestion in _SUGGESTIONS.objects():
            if suggestion.title in present:
                continue
            for number in uncovered:
                if number in suggestion.indicators:
                    view.suggestions.setdefault(number, []).append(suggestion)
    return view


def analysis_drafts(plan: MeasurePlan) -> dict[str, tuple[str, str]]:
    """The analysis the figures of the results the plan answers draft, per instrument; none
    when those results are not entered."""
    basis = organisation_year(plan.organisation, plan.based_on_year)
    if basis is None:
        return {}
    return analysis_draft(
        instruments=((inst.code, inst.indicators) for inst in basis.rules.instruments),
        names=basis.indicator_names,
        scores=basis.evaluation.scores,
        tiers=basis.evaluation.tiers,
        thai_digits=plan.organisation.uses_thai_digits,
    )


def answering(year: int) -> Q:
    """Plans that answer the results of fiscal year `year` (chosen, or the year before theirs)."""
    return Q(basis_year=year) | Q(basis_year__isnull=True, fiscal_year=year + 1)


def plan_answering(organisation: Organisation, year: int) -> MeasurePlan | None:
    """The plan that answers the results of `year`; the latest, should two answer them."""
    return organisation.plans.filter(answering(year)).order_by("-fiscal_year").first()


def my_measure_rows(user: User, today: dt.date) -> list[MeasureRow]:
    measures = measures_with_detail(
        Measure.objects.filter(owners=user).exclude(
            status__in=[Measure.Status.CANCELLED, Measure.Status.CARRIED_FORWARD]
        )
    ).order_by("-plan__fiscal_year", "order")
    return [measure_row(m, today) for m in measures]


def plans_of(organisation: Organisation) -> QuerySet[MeasurePlan]:
    return organisation.plans.order_by("-fiscal_year")
