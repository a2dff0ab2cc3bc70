"""The ITA arithmetic: every rule of the assessment that is computed, in one module.

The numbers themselves (weights, level bands, tier thresholds, the discrepancy tolerance) are data:
`fixtures/ita_frameworks.json`, loaded by a migration and edited in the Django admin. This module
applies them. It works on plain values (Decimal, int, str) and never touches the database, so each
rule is tested on its own (tests/assessments/test_ita.py); ../shared/domain/ITA.md explains them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def round2(value: Decimal) -> Decimal:
    """Round to 2 decimals, half up, as NACC publishes its scores."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Tier(StrEnum):
    """How hard an indicator is worked on next year (ระดับความเข้มข้นของมาตรการ)."""

    MAINTAIN = "maintain"
    RAISE = "raise"
    URGENT = "urgent"


@dataclass(frozen=True)
class Thresholds:
    """An organisation's tier thresholds and target for a year (default 90 / 85, target 90)."""

    maintain_from: Decimal
    raise_from: Decimal
    target: Decimal


@dataclass(frozen=True)
class InstrumentRule:
    code: str
    weight: Decimal
    indicators: tuple[int, ...]


@dataclass(frozen=True)
class Band:
    """A level band: scores from `min_score` up to the next band's minimum."""

    code: str
    min_score: Decimal
    passing: bool
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    """One framework's rules, as plain values."""

    instruments: tuple[InstrumentRule, ...]
    bands: tuple[Band, ...]
    tolerance: Decimal

    @property
    def indicator_numbers(self) -> tuple[int, ...]:
        return tuple(n for inst in self.instruments for n in inst.indicators)

    def instrument_of(self, number: int) -> InstrumentRule:
        for inst in self.instruments:
            if number in inst.indicators:
                return inst
        raise KeyError(number)

    def indicator_weight(self, number: int) -> Decimal:
        """Points of the overall score that one point of this indicator is worth (e.g. 0.06)."""
        inst = self.instrument_of(number)
        return inst.weight / len(inst.indicators)


def instrument_means(rules: Rules, scores: Mapping[int, Decimal]) -> dict[str, Decimal]:
    """Unrounded mean of each instrument whose indicators are all known."""
    means = {}
    for inst in rules.instruments:
        values = [scores[n] for n in inst.indicators if n in scores]
        if len(values) == len(inst.indicators):
            means[inst.code] = sum(values, ZERO) / len(values)
    return means


def overall_score(rules: Rules, scores: Mapping[int, Decimal]) -> Decimal | None:
    """Weighted sum of the instrument means, unrounded; None unless every indicator is known."""
    means = instrument_means(rules, scores)
    if len(means) != len(rules.instruments):
        return None
    return sum((inst.weight * means[inst.code] for inst in rules.instruments), ZERO)


def level_of(rules: Rules, score: Decimal) -> Band:
    """The band whose range holds `score` (bands are closed below: 85.00 is in 85.00-94.99)."""
    for band in sorted(rules.bands, key=lambda b: b.min_score, reverse=True):
        if score >= band.min_score:
            return band
    raise ValueError(f"no band holds {score}")


def pass_mark(rules: Rules) -> Decimal | None:
    """The lowest score that passes (85.00 in every framework so far); None if no band passes."""
    marks = [band.min_score for band in rules.bands if band.passing]
    return min(marks) if marks else None


def normalise_level(label: str) -> str:
    text = " ".join(str(label).split())
    text = text.removeprefix("ระดับ").strip()
    return text.upper()


def band_named(rules: Rules, label: str) -> Band | None:
    """The band a published level names, by code or by one of its aliases; None if unknown."""
    wanted = normalise_level(label)
    for band in rules.bands:
        if wanted in {normalise_level(name) for name in (band.code, *band.aliases)}:
            return band
    return None


def tier_of(score: Decimal, thresholds: Thresholds) -> Tier:
    if score >= thresholds.maintain_from:
        return Tier.MAINTAIN
    if score >= thresholds.raise_from:
        return Tier.RAISE
    return Tier.URGENT


@dataclass(frozen=True)
class Evaluation:
    """Everything the portal says about one organisation's year."""

    scores: dict[int, Decimal]
    instrument_scores: dict[str, Decimal]
    computed_exact: Decimal | None
    computed_score: Decimal | None
    published_score: Decimal | None
    score: Decimal | None
    level: Band | None
    published_level: str
    discrepancy: bool
    level_mismatch: bool
    tiers: dict[int, Tier]
    change: dict[int, Decimal] = field(default_factory=dict)
    overall_change: Decimal | None = None

    @property
    def weakest_first(self) -> list[int]:
        return sorted(self.scores, key=lambda n: (self.scores[n], n))


def evaluate(
    rules: Rules,
    *,
    scores: Mapping[int, Decimal],
    published_score: Decimal | None,
    published_level: str,
    thresholds: Thresholds,
    previous: Evaluation | None = None,
) -> Evaluation:
    """Evaluate a year; `previous` is the same organisation's evaluation of the year before."""
    scores = dict(scores)
    exact = overall_score(rules, scores)
    computed = round2(exact) if exact is not None else None
    score = published_score if published_score is not None else computed
    level = level_of(rules, score) if score is not None else None
    discrepancy = (
        exact is not None
        and published_score is not None
        and abs(exact - published_score) > rules.tolerance
    )
    level_mismatch = False
    if published_level and level is not None:
        level_mismatch = band_named(rules, published_level) != level
    change: dict[int, Decimal] = {}
    overall_change = None
    if previous is not None:
        change = {n: scores[n] - previous.scores[n] for n in scores if n in previous.scores}
        if score is not None and previous.score is not None:
            overall_change = score - previous.score
    return Evaluation(
        scores=scores,
        instrument_scores={k: round2(v) for k, v in instrument_means(rules, scores).items()},
        computed_exact=exact,
        computed_score=computed,
        published_score=published_score,
        score=score,
        level=level,
        published_level=published_level,
        discrepancy=discrepancy,
        level_mismatch=level_mismatch,
        tiers={n: tier_of(s, thresholds) for n, s in scores.items()},
        change=change,
        overall_change=overall_change,
    )


def extremes(scores: Mapping[int, Decimal]) -> tuple[list[int], list[int]]:
    """The indicators with the lowest and with the highest score: every tied one, by number."""
    if not scores:
        return [], []
    low, high = min(scores.values()), max(scores.values())
    return (
        sorted(n for n, s in scores.items() if s == low),
        sorted(n for n, s in scores.items() if s == high),
    )


@dataclass(frozen=True)
class Movement:
    """Which indicators rose, fell or stayed against the year before, by number."""

    rose: list[int]
    fell: list[int]
    same: list[int]


def movement(change: Mapping[int, Decimal]) -> Movement:
    """Sort changes as they are published, to 2 decimals: a change that rounds to 0.00 is none."""
    rounded = {n: round2(c) for n, c in change.items()}
    return Movement(
        rose=sorted(n for n, c in rounded.items() if c > 0),
        fell=sorted(n for n, c in rounded.items() if c < 0),
        same=sorted(n for n, c in rounded.items() if c == 0),
    )


@dataclass(frozen=True)
class Lever:
    """What one indicator can do for the overall score."""

    number: int
    weight: Decimal  # overall points per indicator point
    headroom: Decimal  # points left before 100
    max_gain: Decimal  # overall points if the indicator reached 100
    points_needed: Decimal | None  # indicator points that alone close the gap, if it can


@dataclass(frozen=True)
class TargetPlan:
    target: Decimal
    gap: Decimal  # overall points still needed (0 when the target is met)
    levers: list[Lever]

    @property
    def reachable_alone(self) -> list[Lever]:
        return [lever for lever in self.levers if lever.points_needed is not None]


def target_plan(
    rules: Rules, *, scores: Mapping[int, Decimal], score: Decimal, target: Decimal
) -> TargetPlan:
    """How far the overall is from the target, and which indicators move it most per point."""
    gap = max(ZERO, target - score)
    levers = []
    for number in rules.indicator_numbers:
        if number not in scores:
            continue
        weight = rules.indicator_weight(number)
        headroom = HUNDRED - scores[number]
        needed = round2(gap / weight) if gap else ZERO
        levers.append(
            Lever(
                number=number,
                weight=weight,
                headroom=headroom,
                max_gain=round2(weight * headroom),
                points_needed=needed if needed <= headroom else None,
            )
        )
    levers.sort(key=lambda lv: (-lv.weight, -lv.max_gain, lv.number))
    return TargetPlan(target=target, gap=round2(gap), levers=levers)
