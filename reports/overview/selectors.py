"""The supervisor overview: every organisation of an area with its latest result, plan coverage and
overdue measures, the spread of levels, and how each kind of organisation compares.

Figures are computed a province at a time in a few queries (no query per organisation) and cached
under the province's change counter (ProvinceVersion) and today's date, because overdue measures
change with the calendar. Filtering, sorting and paging work on the cached rows.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from statistics import median

from django.core.cache import cache
from django.db.models import F, OuterRef, QuerySet, Subquery, Sum

from assessments import ita
from assessments.changes import province_versions
from assessments.models import Assessment, IndicatorScore, Organisation, ProvinceVersion
from assessments.selectors import FrameworkCatalogue
from measures.models import Measure, MeasurePlan, Progress
from measures.planning import indicators_needing_measures, uncovered_indicators
from measures.schedule import Cadence, Timeline, lateness

CACHE_SECONDS = 24 * 60 * 60
CACHE_PREFIX = "overview:v1"


@dataclass(frozen=True)
class OrganisationRow:
    """One organisation as the overview shows it; figures are None where data is missing."""

    id: int
    name: str
    kind: str
    district: str
    province: str
    thai_digits: bool
    latest_year: int | None = None
    score: Decimal | None = None
    level: str = ""
    passing: bool | None = None
    change: Decimal | None = None
    urgent: int = 0
    needing: int = 0
    uncovered: int = 0
    has_plan: bool = False
    overdue: int = 0

    @property
    def kind_label(self) -> str:
        return str(Organisation.Kind(self.kind).label)

    @property
    def needs_attention(self) -> bool:
        return self.uncovered > 0 or self.overdue > 0


@dataclass(frozen=True)
class KindSummary:
    kind: str
    count: int
    scored: int
    mean: Decimal | None
    median: Decimal | None
    passing_share: int | None  # percent of scored organisations that pass


@dataclass
class Comparison:
    """A kind of organisation in the area against the same kind nationwide."""

    kind: str
    area: KindSummary
    national: KindSummary | None

    @property
    def label(self) -> str:
        return str(Organisation.Kind(self.kind).label)


@dataclass
class Area:
    """The rows of an area, with the figures the overview prints above the table."""

    rows: list[OrganisationRow]
    levels: list[tuple[str, int, int]] = field(default_factory=list)  # (level, count, percent)
    comparisons: list[Comparison] = field(default_factory=list)


def _cache_key(province: str, version: int, today: dt.date) -> str:
    return f"{CACHE_PREFIX}:{province}:{version}:{today.isoformat()}"


# --- computing rows ----------------------------------------------------------------------------


def compute_rows(organisations: QuerySet[Organisation], today: dt.date) -> list[OrganisationRow]:
    """The overview rows of these organisations, in six queries whatever their number.

    The organisations are passed as a query and used as subqueries, so a whole country's worth
    never travels as a list of ids.
    """
    orgs = list(organisations)
    ids = organisations.values("pk")
    latest_year = (
        Assessment.objects.filter(organisation=OuterRef("organisation"))
        .order_by("-fiscal_year")
        .values("fiscal_year")[:1]
    )
    recent = (
        Assessment.objects.filter(organisation_id__in=ids)
        .annotate(latest=Subquery(latest_year))
        .filter(fiscal_year__gte=F("latest") - 1)
    )
    assessments = list(
        recent.values(
            "pk",
            "organisation_id",
            "fiscal_year",
            "published_score",
            "published_level",
            "maintain_from",
            "raise_from",
            "target",
        )
    )
    scores: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for assessment_id, number, score in IndicatorScore.objects.filter(
        assessment_id__in=recent.values("pk")
    ).values_list("assessment_id", "number", "score"):
        scores[assessment_id][number] = score

    catalogue = FrameworkCatalogue()
    evaluations: dict[int, tuple[int, ita.Evaluation]] = {}
    for a in sorted(assessments, key=lambda a: a["fiscal_year"]):  # previous year first
        rules = catalogue.rules_for_year(a["fiscal_year"])
        if rules is None:
            continue
        previous = evaluations.get(a["organisation_id"])
        evaluations[a["organisation_id"]] = (
            a["fiscal_year"],
            ita.evaluate(
                rules,
                scores=scores[a["pk"]],
                published_score=a["published_score"],
                published_level=a["published_level"],
                thresholds=ita.Thresholds(a["maintain_from"], a["raise_from"], a["target"]),
                previous=previous[1] if previous and previous[0] == a["fiscal_year"] - 1 else None,
            ),
        )

    # The plan that answers the latest result (MeasurePlan.based_on_year), the latest if two do.
    latest = {org_id: year for org_id, (year, _e) in evaluations.items()}
    plans = {
        org_id: pk
        for pk, org_id, year, basis in MeasurePlan.objects.filter(organisation_id__in=ids)
        .order_by("fiscal_year")
        .values_list("pk", "organisation_id", "fiscal_year", "basis_year")
        if latest.get(org_id) == (basis if basis is not None else year - 1)
    }
    plan_measures: dict[int, list[tuple[list[int], str]]] = defaultdict(list)
    overdue: Counter[int] = Counter()
    measures = list(
        Measure.objects.filter(plan__organisation_id__in=ids).values_list(
            "pk",
            "plan_id",
            "plan__organisation_id",
            "plan__fiscal_year",
            "indicators",
            "status",
            "cadence",
            "start_month",
            "end_month",
        )
    )
    progress: dict[int, list[dt.date]] = defaultdict(list)
    for measure_id, day in Progress.objects.filter(
        measure__plan__organisation_id__in=ids
    ).values_list("measure_id", "date"):
        progress[measure_id].append(day)
    for pk, plan_id, org_id, fiscal_year, indicators, status, cadence, start, end in measures:
        plan_measures[plan_id].append((indicators, status))
        late = lateness(
            Timeline(fiscal_year, start, end),
            status=status,
            cadence=Cadence(cadence),
            progress_dates=progress[pk],
            today=today,
        )
        if late.overdue:
            overdue[org_id] += 1

    rows = []
    for org in orgs:
        row = OrganisationRow(
            id=org.pk,
            name=org.name,
            kind=org.kind,
            district=org.district,
            province=org.province,
            thai_digits=org.uses_thai_digits,
            overdue=overdue[org.pk],
        )
        if org.pk in evaluations:
            year, evaluation = evaluations[org.pk]
            tiers = evaluation.tiers
            answering_plan = plans.get(org.pk)
            uncovered = uncovered_indicators(
                tiers, plan_measures[answering_plan] if answering_plan else []
            )
            row = replace(
                row,
                latest_year=year,
                score=evaluation.score,
                level=evaluation.level.code if evaluation.level else "",
                passing=evaluation.level.passing if evaluation.level else None,
                change=evaluation.overall_change,
                urgent=sum(1 for tier in tiers.values() if tier == ita.Tier.URGENT),
                needing=len(indicators_needing_measures(tiers)),
                uncovered=len(uncovered),
                has_plan=answering_plan is not None,
            )
        rows.append(row)
    return rows


def province_rows(provinces: Sequence[str], today: dt.date) -> dict[str, list[OrganisationRow]]:
    """Rows per province, from the cache where the province has not changed since."""
    versions = province_versions(provinces)
    keys = {p: _cache_key(p, versions[p], today) for p in provinces}
    cached = cache.get_many(list(keys.values()))
    result = {p: cached[keys[p]] for p in provinces if keys[p] in cached}
    missing = [p for p in provinces if p not in result]
    if missing:
        fresh: dict[str, list[OrganisationRow]] = {p: [] for p in missing}
        for row in compute_rows(Organisation.objects.filter(province__in=missing), today):
            fresh[row.province].append(row)
        cache.set_many({keys[p]: rows for p, rows in fresh.items()}, CACHE_SECONDS)
        result.update(fresh)
    return result


def all_provinces() -> list[str]:
    return list(Organisation.objects.order_by().values_list("province", flat=True).distinct())


# --- summaries ---------------------------------------------------------------------------------


def summarise_kind(kind: str, rows: Sequence[OrganisationRow]) -> KindSummary:
    scored = [r for r in rows if r.score is not None]
    values = [r.score for r in scored if r.score is not None]
    judged = [r for r in scored if r.passing is not None]
    return KindSummary(
        kind=kind,
        count=len(rows),
        scored=len(scored),
        mean=ita.round2(sum(values, Decimal(0)) / len(values)) if values else None,
        median=ita.round2(Decimal(median(values))) if values else None,
        passing_share=round(100 * sum(1 for r in judged if r.passing) / len(judged))
        if judged
        else None,
    )


def by_kind(rows: Iterable[OrganisationRow]) -> dict[str, KindSummary]:
    groups: dict[str, list[OrganisationRow]] = defaultdict(list)
    for row in rows:
        groups[row.kind].append(row)
    return {kind: summarise_kind(kind, group) for kind, group in groups.items()}


def national_by_kind(today: dt.date) -> dict[str, KindSummary]:
    """Every organisation in the country, summarised per kind; cached until anything changes."""
    totals = ProvinceVersion.objects.aggregate(total=Sum("version"))
    key = f"{CACHE_PREFIX}:national:{totals['total'] or 0}:{today.isoformat()}"
    summary: dict[str, KindSummary] | None = cache.get(key)
    if summary is None:
        rows = [row for rows in province_rows(all_provinces(), today).values() for row in rows]
        summary = by_kind(rows)
        cache.set(key, summary, CACHE_SECONDS)
    return summary


def level_distribution(rows: Sequence[OrganisationRow]) -> list[tuple[str, int, int]]:
    counts = Counter(row.level or "" for row in rows)
    total = len(rows) or 1
    ordered = sorted(
        counts.items(),
        key=lambda item: (item[0] == "", -_best_score_of_level(rows, item[0])),
    )
    return [(level, count, round(100 * count / total)) for level, count in ordered]


def _best_score_of_level(rows: Sequence[OrganisationRow], level: str) -> Decimal:
    """Levels sort from best to worst by the scores they hold, whichever framework named them."""
    return max(
        (r.score for r in rows if r.level == level and r.score is not None), default=Decimal(0)
    )


def area(rows: list[OrganisationRow], today: dt.date) -> Area:
    national = national_by_kind(today)
    return Area(
        rows=rows,
        levels=level_distribution(rows),
        comparisons=[
            Comparison(kind=kind, area=summary, national=national.get(kind))
            for kind, summary in sorted(by_kind(rows).items(), key=lambda kv: -kv[1].count)
        ],
    )
