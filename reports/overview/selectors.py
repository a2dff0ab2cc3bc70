"""The supervisor overview: every organisation of an area with its latest result, plan coverage and
overdue measures, the spread of levels, and how each kind of organisation compares.

The figures are the kept ones (assessments.models.YearSummary, Measure.overdue_from), read in three
queries whatever the size of the area; the country's comparison is counted by the database.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import median

from django.conf import settings
from django.db.models import Count, DecimalField, F, FilteredRelation, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from assessments import ita
from assessments.models import Organisation, YearSummary
from assessments.summaries import tiers_of
from measures.models import Measure
from measures.planning import indicators_needing_measures, not_covered


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


# --- rows ----------------------------------------------------------------------------------------


def compute_rows(organisations: QuerySet[Organisation], today: dt.date) -> list[OrganisationRow]:
    """The overview rows of these organisations, in two queries whatever their number: each
    organisation with its latest year's kept figures, and the count of its overdue measures.

    The organisations are passed as a query and used as a subquery, so a whole country's worth
    never travels as a list of ids. Plain values, not model instances: a country is 7,850 rows.
    """
    overdue = dict(
        Measure.objects.filter(plan__organisation_id__in=organisations.values("pk"))
        .filter(overdue_from__lte=today)
        .values_list("plan__organisation_id")
        .annotate(n=Count("pk"))
        .values_list("plan__organisation_id", "n")
    )
    values = organisations.annotate(
        latest=FilteredRelation("summaries", condition=Q(summaries__latest=True))
    ).values_list(
        "pk",
        "name",
        "kind",
        "district",
        "province",
        "digit_style",
        *(f"latest__{name}" for name in LATEST_FIELDS),
    )
    rows = []
    for pk, name, kind, district, province, digits, year, *kept in values:
        if year is None:
            rows.append(
                OrganisationRow(
                    pk, name, kind, district, province, digits == THAI, overdue=overdue.get(pk, 0)
                )
            )
            continue
        score, level, passing, change, urgent, tiers_kept, has_plan, covered = kept
        tiers = tiers_of(tiers_kept)
        rows.append(
            OrganisationRow(
                pk,
                name,
                kind,
                district,
                province,
                digits == THAI,
                latest_year=year,
                score=score,
                level=level,
                passing=passing,
                change=change,
                urgent=urgent,
                needing=len(indicators_needing_measures(tiers)),
                uncovered=len(not_covered(tiers, covered)),
                has_plan=has_plan,
                overdue=overdue.get(pk, 0),
            )
        )
    return rows


THAI = Organisation.DigitStyle.THAI
LATEST_FIELDS = (
    "fiscal_year",
    "score",
    "level",
    "passing",
    "change",
    "urgent",
    "tiers",
    "has_plan",
    "covered",
)


def province_rows(provinces: Sequence[str], today: dt.date) -> dict[str, list[OrganisationRow]]:
    result: dict[str, list[OrganisationRow]] = {p: [] for p in provinces}
    for row in compute_rows(Organisation.objects.filter(province__in=provinces), today):
        result[row.province].append(row)
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


_national: tuple[float, dict[str, KindSummary]] | None = None


def national_by_kind() -> dict[str, KindSummary]:
    """Every organisation in the country, summarised per kind: the same figures for every
    supervisor, so each process keeps them settings.NATIONAL_FIGURES_SECONDS (a minute) rather
    than going over the whole country on every view. The area's own figures are always live."""
    global _national
    seconds = settings.NATIONAL_FIGURES_SECONDS
    now = time.monotonic()
    if seconds > 0 and _national is not None and now - _national[0] < seconds:
        return _national[1]
    figures = national_by_kind_now()
    _national = (now, figures)
    return figures


def national_by_kind_now() -> dict[str, KindSummary]:
    """Every organisation in the country, summarised per kind by the database."""
    counts = dict(
        Organisation.objects.order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    latest = YearSummary.objects.filter(latest=True, score__isnull=False).order_by()
    figures = {
        f["organisation__kind"]: f
        for f in latest.values("organisation__kind").annotate(
            scored=Count("pk"),
            total=Sum("score", output_field=DecimalField(max_digits=12, decimal_places=2)),
            judged=Count("pk", filter=Q(passing__isnull=False)),
            passing=Count("pk", filter=Q(passing=True)),
        )
    }
    middles = _national_middles(latest)
    summaries = {}
    for kind, count in counts.items():
        f = figures.get(kind)
        if f is None:
            summaries[kind] = KindSummary(kind, count, 0, None, None, None)
            continue
        scored = f["scored"]
        summaries[kind] = KindSummary(
            kind=kind,
            count=count,
            scored=scored,
            mean=ita.round2(Decimal(f["total"]) / scored),
            median=ita.round2(Decimal(median(middles[kind]))),
            passing_share=round(100 * f["passing"] / f["judged"]) if f["judged"] else None,
        )
    return summaries


def _national_middles(latest: QuerySet[YearSummary]) -> dict[str, list[Decimal]]:
    """Each kind's one or two middle scores, in one query: the scores ranked within their kind
    by a window, and only the middle ranks sent back (a kind of n scores: ranks (n+1)//2 to
    n//2+1)."""
    ranked = latest.annotate(
        kind=F("organisation__kind"),
        rank=Window(RowNumber(), partition_by=F("organisation__kind"), order_by=F("score").asc()),
        n=Window(Count("pk"), partition_by=F("organisation__kind")),
    ).filter(rank__gte=(F("n") + 1) / 2, rank__lte=F("n") / 2 + 1)
    middles: dict[str, list[Decimal]] = defaultdict(list)
    for kind, score in ranked.values_list("kind", "score"):
        if score is not None:  # the filter left none; the column may hold them
            middles[kind].append(score)
    return middles


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


def area(rows: list[OrganisationRow]) -> Area:
    national = national_by_kind()
    return Area(
        rows=rows,
        levels=level_distribution(rows),
        comparisons=[
            Comparison(kind=kind, area=summary, national=national.get(kind))
            for kind, summary in sorted(by_kind(rows).items(), key=lambda kv: -kv[1].count)
        ],
    )
