"""The figures the help pages quote, read from a framework and its rules (assessments.ita)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assessments import ita
from assessments.models import Framework
from assessments.selectors import FrameworkCatalogue
from assessments.tiers import TIER_LABELS, TIER_MEANINGS, tier_css
from itaportal.accounts.models import User
from itaportal.help.glossary import INSTRUMENT_MEANINGS


def percent(share: Decimal) -> Decimal:
    """A share of the overall (0.06) as people read it (6, 11.67): rounded, no trailing zeros."""
    value = ita.round2(share * ita.HUNDRED)
    return value.quantize(ita.ONE) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class IndicatorFigures:
    number: int
    name: str
    weight: Decimal  # percent of the overall


@dataclass(frozen=True)
class InstrumentFigures:
    code: str
    name: str
    weight: Decimal  # percent of the overall
    indicators: list[IndicatorFigures]
    items: int
    parts: list[str]
    all_or_nothing: bool
    item_worth: Decimal | None  # overall points one all-or-nothing item is worth
    meaning: str  # what it measures, where the glossary knows its code


@dataclass(frozen=True)
class BandFigures:
    code: str
    min_score: Decimal
    passing: bool
    floors: list[tuple[str, Decimal]]
    aliases: tuple[str, ...]
    # The lowest band, from 0: the scores below the next band up, as people say it ("below 70").
    below: Decimal | None = None


@dataclass(frozen=True)
class TierFigures:
    label: str
    meaning: str
    css: str
    low: Decimal | None  # from this score (None: from 0)
    high: Decimal | None  # up to below this score (None: up to 100)


@dataclass(frozen=True)
class Figures:
    """One framework as the help quotes it."""

    framework: Framework
    instruments: list[InstrumentFigures]
    bands: list[BandFigures]  # highest first, as a rating tries them
    pass_mark: Decimal | None
    thresholds: ita.Thresholds
    tolerance: Decimal
    all_or_nothing_scores: tuple[Decimal, ...] = ita.ALL_OR_NOTHING_SCORES

    @property
    def tiers(self) -> list[TierFigures]:
        """The three tiers, each with the scores that fall in it (ita.tier_of's thresholds)."""
        maintain, raise_ = self.thresholds.maintain_from, self.thresholds.raise_from
        bounds = {
            ita.Tier.MAINTAIN: (maintain, None),
            ita.Tier.RAISE: (raise_, maintain),
            ita.Tier.URGENT: (None, raise_),
        }
        return [
            TierFigures(
                str(TIER_LABELS[tier]), str(TIER_MEANINGS[tier]), tier_css(tier), *bounds[tier]
            )
            for tier in ita.Tier
        ]

    @property
    def all_or_nothing(self) -> list[InstrumentFigures]:
        return [inst for inst in self.instruments if inst.all_or_nothing]


def _next_up(rules: ita.Rules, band: ita.Band) -> Decimal | None:
    higher = [other.min_score for other in rules.bands if other.min_score > band.min_score]
    return min(higher) if higher else None


def figures_of(framework: Framework, rules: ita.Rules) -> Figures:
    instruments = []
    for instrument, rule in zip(framework.instruments.all(), rules.instruments, strict=True):
        worth = ita.item_worth(rules, rule)
        instruments.append(
            InstrumentFigures(
                code=instrument.code,
                name=instrument.name_th,
                weight=percent(rule.weight),
                indicators=[
                    IndicatorFigures(
                        number=indicator.number,
                        name=indicator.name_th,
                        weight=percent(rules.indicator_weight(indicator.number)),
                    )
                    for indicator in instrument.indicators.all()
                ],
                items=instrument.item_count,
                parts=[part.name_th for part in instrument.parts.all()],
                all_or_nothing=instrument.all_or_nothing,
                item_worth=ita.round2(worth) if worth is not None else None,
                meaning=str(INSTRUMENT_MEANINGS.get(instrument.code, "")),
            )
        )
    return Figures(
        framework=framework,
        instruments=instruments,
        bands=[
            BandFigures(
                code=band.code,
                min_score=band.min_score,
                passing=band.passing,
                floors=list(band.floors),
                aliases=band.aliases,
                below=_next_up(rules, band) if band.min_score == ita.ZERO else None,
            )
            for band in rules.ranked_bands
        ],
        pass_mark=ita.pass_mark(rules),
        thresholds=framework.default_thresholds(),
        tolerance=rules.tolerance,
    )


def figures_for(user: User) -> Figures | None:
    """The latest framework, the one made for the person's kind of organisation where there is
    one; None before any framework exists."""
    catalogue = FrameworkCatalogue()
    if not catalogue.years:
        return None
    kind = user.organisation.kind if user.organisation else None
    framework = catalogue.for_year(catalogue.years[-1], kind) or catalogue.latest
    assert framework is not None
    return figures_of(framework, catalogue.rules(framework))
