"""What the organisation's dashboard shows for a year, assembled from the evaluated years."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from assessments import ita, tiers
from assessments.charts import indicator_chart
from assessments.models import Organisation
from assessments.selectors import YearResult
from itaportal import thai


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    name: str
    instrument: str
    previous: Decimal | None
    score: Decimal | None
    change: Decimal | None
    tier: ita.Tier | None
    weight: Decimal

    @property
    def tier_label(self) -> str:
        return tiers.tier_label(self.tier)

    @property
    def tier_css(self) -> str:
        return tiers.tier_css(self.tier)


@dataclass(frozen=True)
class ItemRow:
    code: str
    title: str
    score: Decimal


# How many of a weak indicator's items the dashboard names: where its points were lost.
WEAKEST_ITEMS = 3


def weakest_items(result: YearResult) -> dict[int, list[ItemRow]]:
    """For each urgent or raise indicator with item scores, in the framework's order, its
    lowest items (at most WEAKEST_ITEMS): where it lost its points. The dashboard and the
    analysis document both name these."""
    item_scores = result.item_scores
    tiers = result.evaluation.tiers
    weak: dict[int, list[ItemRow]] = {}
    for inst in result.framework.instruments.all():
        for ind in inst.indicators.all():
            if tiers.get(ind.number) not in (ita.Tier.URGENT, ita.Tier.RAISE):
                continue
            scored = sorted(
                (
                    ItemRow(code=item.code, title=item.title, score=item_scores[item.code])
                    for item in ind.items.all()
                    if item.code in item_scores
                ),
                key=lambda i: i.score,
            )
            if scored:
                weak[ind.number] = scored[:WEAKEST_ITEMS]
    return weak


@dataclass(frozen=True)
class InstrumentBlock:
    code: str
    name: str
    weight: Decimal
    mean: Decimal | None
    rows: list[IndicatorRow]


@dataclass(frozen=True)
class YearDashboard:
    result: YearResult
    previous: YearResult | None
    instruments: list[InstrumentBlock]
    weakest: list[IndicatorRow]
    chart: SafeString
    plan: ita.TargetPlan | None
    weak_items: list[tuple[IndicatorRow, list[ItemRow]]]
    rating_gaps: list[ita.RatingGap]

    @property
    def levers(self) -> list[tuple[ita.Lever, str]]:
        """The target plan's levers with their indicator names."""
        if self.plan is None:
            return []
        names = self.result.indicator_names
        return [(lever, names.get(lever.number, "")) for lever in self.plan.levers]


def year_dashboard(
    organisation: Organisation, result: YearResult, previous: YearResult | None
) -> YearDashboard:
    ev = result.evaluation
    names = result.indicator_names
    previous_scores = previous.evaluation.scores if previous else {}
    blocks = []
    rows_by_number = {}
    for inst in result.framework.instruments.all():
        rows = []
        for ind in inst.indicators.all():
            row = IndicatorRow(
                number=ind.number,
                name=names.get(ind.number, ""),
                instrument=inst.code,
                previous=previous_scores.get(ind.number),
                score=ev.scores.get(ind.number),
                change=ev.change.get(ind.number),
                tier=ev.tiers.get(ind.number),
                weight=result.rules.indicator_weight(ind.number),
            )
            rows.append(row)
            rows_by_number[ind.number] = row
        blocks.append(
            InstrumentBlock(
                code=inst.code,
                name=inst.name_th,
                weight=inst.weight,
                mean=ev.instrument_scores.get(inst.code),
                rows=rows,
            )
        )
    weakest = [rows_by_number[n] for n in ev.weakest_first if n in rows_by_number]
    item_scores = result.item_scores
    weak_items = [
        (rows_by_number[number], items) for number, items in weakest_items(result).items()
    ]
    plan = None
    rating_gaps: list[ita.RatingGap] = []
    if ev.score is not None:
        plan = ita.target_plan(
            result.rules, scores=ev.scores, score=ev.score, target=result.assessment.target
        )
        rating_gaps = ita.rating_gaps(
            result.rules,
            score=ev.score,
            instrument_scores=ev.instrument_scores,
            item_scores=item_scores,
            possible=ev.possible_levels,
        )
    chart = indicator_chart(
        numbers=list(rows_by_number),
        current=ev.scores,
        previous=previous_scores,
        tiers=ev.tiers,
        year=result.fiscal_year,
        previous_year=previous.fiscal_year if previous else None,
        thai_digits=organisation.uses_thai_digits,
        title=_("Indicator scores, fiscal year %(year)s against the year before")
        % {"year": thai.year_be(result.fiscal_year, organisation.uses_thai_digits)},
    )
    return YearDashboard(
        result=result,
        previous=previous,
        instruments=blocks,
        weakest=weakest,
        chart=chart,
        plan=plan,
        weak_items=weak_items,
        rating_gaps=rating_gaps,
    )
