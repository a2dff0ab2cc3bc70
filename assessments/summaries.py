"""The kept figures of each organisation's years (YearSummary): their result's part.

The services that write results (assessments.services: a score form, an import; the admin of a
framework) call `summaries_refresh` in their transaction; the plan's part is measures'
(measures.summaries). Pages read the rows instead of evaluating every organisation again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from decimal import Decimal

from django.db.models import Case, OuterRef, Subquery, When

from assessments import ita
from assessments.models import Assessment, IndicatorScore, Organisation, YearSummary
from assessments.selectors import FrameworkCatalogue

RESULT_FIELDS = [
    "score",
    "level",
    "passing",
    "change",
    "urgent",
    "tiers",
    "needing",
    "uncovered",
    "is_demo",
]


def summaries_refresh(
    *,
    organisation_ids: Collection[int] | None = None,
    years: Collection[int] | None = None,
) -> None:
    """Write the result figures of these organisations' `years` again (every organisation and
    every year when None), and which year is each one's latest.

    A year's change is against the year before, so the year after each of `years` is written too.
    A few queries whatever the number of organisations.
    """
    assessments = Assessment.objects.all()
    if organisation_ids is not None:
        assessments = assessments.filter(organisation_id__in=list(organisation_ids))
    written: set[int] | None = None
    if years is not None:
        written = {*years, *(y + 1 for y in years)}
        assessments = assessments.filter(fiscal_year__in={*written, *(y - 1 for y in written)})
    values = list(
        assessments.values_list(
            "pk",
            "organisation_id",
            "fiscal_year",
            "published_score",
            "published_level",
            "maintain_from",
            "raise_from",
            "target",
            "is_demo",
        )
    )
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for assessment_id, number, score in IndicatorScore.objects.filter(
        assessment_id__in=assessments.values("pk")
    ).values_list("assessment_id", "number", "score"):
        scores[assessment_id][number] = score

    # Which indicators each year's plan covers (the plan's part, kept by measures.summaries):
    # the indicators left uncovered follow the result's tiers as well.
    kept = YearSummary.objects.all()
    if organisation_ids is not None:
        kept = kept.filter(organisation_id__in=list(organisation_ids))
    if written is not None:
        kept = kept.filter(fiscal_year__in=written)
    covered = {
        (org_id, year): indicators
        for org_id, year, indicators in kept.values_list(
            "organisation_id", "fiscal_year", "covered"
        )
    }

    catalogue = FrameworkCatalogue()
    evaluated: dict[tuple[int, int], ita.Evaluation] = {}
    rows = []
    organisations = Organisation.objects.all()
    if organisation_ids is not None:
        organisations = organisations.filter(pk__in=list(organisation_ids))
    kinds = dict(organisations.values_list("pk", "kind"))  # a framework may be for some kinds
    for pk, org_id, year, published, level, maintain, raise_, target, is_demo in sorted(
        values, key=lambda v: (v[1], v[2])
    ):
        rules = catalogue.rules_for_year(year, kinds.get(org_id))
        if rules is None:
            continue  # a year no framework covers; entry and import refuse such years
        evaluation = evaluated[(org_id, year)] = ita.evaluate(
            rules,
            scores=scores[pk],
            published_score=published,
            published_level=level,
            thresholds=ita.Thresholds(maintain, raise_, target),
            previous=evaluated.get((org_id, year - 1)),
        )
        if written is None or year in written:
            plan_covers = covered.get((org_id, year), [])
            rows.append(_result_row(org_id, year, evaluation, plan_covers, is_demo=is_demo))
    YearSummary.objects.bulk_create(
        rows,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organisation", "fiscal_year"],
        update_fields=RESULT_FIELDS,
    )
    stale = YearSummary.objects.all()  # years whose result is gone (deleted in the admin)
    if organisation_ids is not None:
        stale = stale.filter(organisation_id__in=list(organisation_ids))
    if written is not None:
        stale = stale.filter(fiscal_year__in=written)
    stale.exclude(
        fiscal_year__in=Assessment.objects.filter(organisation=OuterRef("organisation")).values(
            "fiscal_year"
        )
    ).update(
        score=None,
        level="",
        passing=None,
        change=None,
        urgent=0,
        tiers={},
        needing=0,
        uncovered=0,
        is_demo=False,
    )
    _mark_latest(organisation_ids)


def _result_row(
    org_id: int,
    year: int,
    evaluation: ita.Evaluation,
    covered: Collection[int],
    *,
    is_demo: bool,
) -> YearSummary:
    return YearSummary(
        organisation_id=org_id,
        fiscal_year=year,
        score=evaluation.score,
        level=evaluation.level_text,
        passing=evaluation.passing,
        change=evaluation.overall_change,
        urgent=sum(1 for tier in evaluation.tiers.values() if tier == ita.Tier.URGENT),
        tiers={str(n): str(tier) for n, tier in sorted(evaluation.tiers.items())},
        needing=len(ita.indicators_needing_measures(evaluation.tiers)),
        uncovered=len(ita.not_covered(evaluation.tiers, covered)),
        is_demo=is_demo,
    )


def _mark_latest(organisation_ids: Collection[int] | None) -> None:
    latest_year = (
        Assessment.objects.filter(organisation=OuterRef("organisation"))
        .order_by("-fiscal_year")
        .values("fiscal_year")[:1]
    )
    rows = YearSummary.objects.all()
    if organisation_ids is not None:
        rows = rows.filter(organisation_id__in=list(organisation_ids))
    rows.update(latest=Case(When(fiscal_year=Subquery(latest_year), then=True), default=False))


def tiers_of(kept: Mapping[str, str]) -> dict[int, ita.Tier]:
    """YearSummary.tiers as assessments.ita gives them."""
    return {int(n): ita.Tier(tier) for n, tier in kept.items()}
