"""The plan's part of the kept figures (assessments.models.YearSummary), and the day each
measure turns overdue (Measure.overdue_from).

measures.services calls `plan_summaries_refresh` in the transaction of every write to plans,
measures and follow-up; `summaries_rebuild` (`manage.py rebuild_summaries`) writes both parts
from scratch.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection

from django.db import transaction
from django.db.models import F

from assessments.ita import Tier, not_covered
from assessments.models import YearSummary
from assessments.summaries import summaries_refresh, tiers_of
from measures.models import Measure, MeasurePlan, Progress
from measures.planning import covered_indicators
from measures.schedule import Cadence, overdue_from


def plan_summaries_refresh(*, organisation_ids: Collection[int] | None = None) -> None:
    """Write again, for these organisations (every one when None), which result each plan
    answers with which indicators covered, and the day each measure turns overdue.

    A plan answers the result its office chose (by default the year before it): its row is
    that year's. A few queries whatever the number of organisations.
    """
    plans = MeasurePlan.objects.all()
    if organisation_ids is not None:
        plans = plans.filter(organisation_id__in=list(organisation_ids))
    measures = Measure.objects.filter(plan__in=plans.values("pk"))
    progress: dict[int, list[dt.date]] = defaultdict(list)
    for measure_id, day in Progress.objects.filter(measure__in=measures.values("pk")).values_list(
        "measure_id", "date"
    ):
        progress[measure_id].append(day)

    of_plan: dict[int, list[tuple[list[int], str]]] = defaultdict(list)
    moved = []
    for measure in measures.select_related("plan").only(
        "plan__fiscal_year",
        "indicators",
        "status",
        "cadence",
        "start_month",
        "end_month",
        "overdue_from",
    ):
        of_plan[measure.plan_id].append((measure.indicators, measure.status))
        turns_overdue = overdue_from(
            measure.timeline,
            status=measure.status,
            cadence=Cadence(measure.cadence),
            progress_dates=progress[measure.pk],
        )
        if turns_overdue != measure.overdue_from:
            measure.overdue_from = turns_overdue
            moved.append(measure)
    Measure.objects.bulk_update(moved, ["overdue_from"], batch_size=1000)

    # The plan that answers a result (MeasurePlan.based_on_year); the latest when two do.
    answering: dict[tuple[int, int], int] = {}
    for pk, org_id, fiscal_year, basis in plans.order_by("fiscal_year", "pk").values_list(
        "pk", "organisation_id", "fiscal_year", "basis_year"
    ):
        answering[(org_id, basis if basis is not None else fiscal_year - 1)] = pk
    tiers = _kept_tiers(organisation_ids)  # the result's part: what the plan must cover
    rows = []
    for (org_id, year), pk in answering.items():
        covered = covered_indicators(of_plan[pk])
        rows.append(
            YearSummary(
                organisation_id=org_id,
                fiscal_year=year,
                has_plan=True,
                covered=sorted(covered),
                uncovered=len(not_covered(tiers.get((org_id, year), {}), covered)),
            )
        )
    YearSummary.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organisation", "fiscal_year"],
        update_fields=["has_plan", "covered", "uncovered"],
    )
    gone = YearSummary.objects.filter(has_plan=True)  # plans deleted in the admin
    if organisation_ids is not None:
        gone = gone.filter(organisation_id__in=list(organisation_ids))
    answered = {(row.organisation_id, row.fiscal_year) for row in rows}
    for row in gone.only("organisation_id", "fiscal_year"):
        if (row.organisation_id, row.fiscal_year) not in answered:
            YearSummary.objects.filter(pk=row.pk).update(
                has_plan=False, covered=[], uncovered=F("needing")
            )


def _kept_tiers(organisation_ids: Collection[int] | None) -> dict[tuple[int, int], dict[int, Tier]]:
    rows = YearSummary.objects.all()
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    return {
        (org_id, year): tiers_of(kept)
        for org_id, year, kept in rows.values_list("organisation_id", "fiscal_year", "tiers")
    }


@transaction.atomic
def summaries_rebuild(*, organisation_ids: Collection[int] | None = None) -> None:
    """Every kept figure of these organisations (every one when None) written from scratch:
    after bulk loads, and to check that the services kept them right."""
    rows = YearSummary.objects.all()
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    rows.delete()
    summaries_refresh(organisation_ids=organisation_ids)
    plan_summaries_refresh(organisation_ids=organisation_ids)
