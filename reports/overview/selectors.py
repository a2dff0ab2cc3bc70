"""The supervisor overview: every organisation of an area with its latest result, plan coverage and
overdue measures, the spread of levels, and how each kind of organisation compares.

The figures are the kept ones (assessments.models.YearSummary, Measure.overdue_from), annotated on
the area's organisations so that the database filters, sorts, pages, counts and summarises them:
a page costs the same few queries for a district and for the whole country.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OrderBy,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Collate
from django.utils import timezone

from assessments import ita
from assessments.models import Organisation
from measures.models import Measure


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
    is_demo: bool = False  # the latest year's figures are the demo's, made up

    @property
    def kind_label(self) -> str:
        return str(Organisation.Kind(self.kind).label)


@dataclass(frozen=True)
class KindSummary:
    kind: str
    count: int
    scored: int
    mean: Decimal | None
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
    """The figures the overview prints above an area's table."""

    levels: list[tuple[str, int, int]] = field(default_factory=list)  # (level, count, percent)
    comparisons: list[Comparison] = field(default_factory=list)


# --- rows ----------------------------------------------------------------------------------------

THAI = Organisation.DigitStyle.THAI

# The latest year's kept figures, as annotations of an organisation (None without a result).
FIGURES = {
    "latest_year": "fiscal_year",
    "latest_score": "score",
    "latest_level": "level",
    "latest_passing": "passing",
    "latest_change": "change",
    "latest_urgent": "urgent",
    "latest_needing": "needing",
    "latest_uncovered": "uncovered",
    "latest_has_plan": "has_plan",
    "latest_is_demo": "is_demo",
}
# Organisations as `with_figures` annotates them (typed loosely: the type checker's Django plugin
# knows a model's fields, not the annotations a query adds).
WithFigures = QuerySet[Any]
ROW_FIELDS = ("pk", "name", "kind", "district", "province", "digit_style", *FIGURES, "overdue")


def with_figures(organisations: QuerySet[Organisation], today: dt.date) -> WithFigures:
    """These organisations with their latest year's kept figures and their count of overdue
    measures as annotations, so that the database filters, sorts, counts and pages them."""
    overdue = (
        Measure.objects.filter(plan__organisation=OuterRef("pk"), overdue_from__lte=today)
        .order_by()
        .values("plan__organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return organisations.annotate(
        latest=FilteredRelation("summaries", condition=Q(summaries__latest=True)),
        **{name: F(f"latest__{field}") for name, field in FIGURES.items()},
        overdue=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
    )


def rows_of(values: Iterable[tuple[Any, ...]]) -> list[OrganisationRow]:
    """OrganisationRows from `with_figures(...).values_list(*ROW_FIELDS)`."""
    rows = []
    for pk, name, kind, district, province, digits, year, *figures, overdue in values:
        score, level, passing, change, urgent, needing, uncovered, has_plan, is_demo = figures
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
                level=level or "",
                passing=passing,
                change=change,
                urgent=urgent or 0,
                needing=needing or 0,
                uncovered=uncovered or 0,
                has_plan=bool(has_plan),
                overdue=overdue,
                is_demo=bool(is_demo),
            )
        )
    return rows


def compute_rows(organisations: QuerySet[Organisation], today: dt.date) -> list[OrganisationRow]:
    """Every row of these organisations, by name: one query whatever their number."""
    figures = with_figures(organisations, today).order_by(*by_name())
    return rows_of(figures.values_list(*ROW_FIELDS))


def by_name() -> list[OrderBy | Collate]:
    """Names in the order of their characters, as Python sorts them, whatever the database's
    collation (PostgreSQL's may follow a locale). PostgreSQL keeps an index in this order
    (assessments migration 0018): change one, change the other."""
    if connection.vendor == "postgresql":
        return [Collate("name", "C").asc(), F("pk").asc()]  # type: ignore[list-item]
    return [F("name").asc(), F("pk").asc()]


def all_provinces() -> list[str]:
    return list(Organisation.objects.order_by().values_list("province", flat=True).distinct())


# --- summaries ---------------------------------------------------------------------------------


def groups(organisations: WithFigures) -> list[dict[str, Any]]:
    """`with_figures` organisations counted by the database per kind and latest level, in one
    query: how many, how many scored, their scores' sum and best, how many passed of those
    judged. The level spread and the comparison per kind are both added up from these."""
    return list(
        organisations.order_by()
        .values("kind", "latest_level")
        .annotate(
            count=Count("pk"),
            scored=Count("latest_score"),
            total=Sum("latest_score", output_field=DecimalField(max_digits=12, decimal_places=2)),
            best=Max("latest_score"),
            judged=Count("latest_passing"),
            passing=Count("pk", filter=Q(latest_passing=True)),
        )
    )


def by_kind(counted: Iterable[dict[str, Any]]) -> dict[str, KindSummary]:
    """Each kind's count, mean latest score and share passing, from `groups`."""
    sums: dict[str, Counter[str]] = defaultdict(Counter)
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for group in counted:
        kind = group["kind"]
        sums[kind].update({k: group[k] for k in ("count", "scored", "judged", "passing")})
        totals[kind] += group["total"] or 0
    return {
        kind: KindSummary(
            kind=kind,
            count=n["count"],
            scored=n["scored"],
            mean=ita.round2(totals[kind] / n["scored"]) if n["scored"] else None,
            passing_share=round(100 * n["passing"] / n["judged"]) if n["judged"] else None,
        )
        for kind, n in sums.items()
    }


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
    return by_kind(groups(with_figures(Organisation.objects.all(), timezone.localdate())))


def level_distribution(counted: Iterable[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """(level, count, percent), from `groups`: levels from best to worst by the best score each
    holds, whichever framework named them, and the organisations without a result ("") last."""
    counts: Counter[str] = Counter()
    best: dict[str, Decimal] = {}
    for group in counted:
        level = group["latest_level"] or ""
        counts[level] += group["count"]
        best[level] = max(best.get(level, Decimal(0)), group["best"] or Decimal(0))
    total = sum(counts.values()) or 1
    ordered = sorted(counts.items(), key=lambda item: (item[0] == "", -best[item[0]], item[0]))
    return [(level, count, round(100 * count / total)) for level, count in ordered]


def area(counted: Sequence[dict[str, Any]]) -> Area:
    """The figures above the table, from the shown organisations' `groups`."""
    national = national_by_kind()
    return Area(
        levels=level_distribution(counted),
        comparisons=[
            Comparison(kind=kind, area=summary, national=national.get(kind))
            for kind, summary in sorted(by_kind(counted).items(), key=lambda kv: -kv[1].count)
        ],
    )
