"""Which indicators a plan must cover: pure functions over the assessment's tiers."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from assessments.ita import Tier
from measures.status import MeasureStatus

NEEDS_MEASURE = frozenset({Tier.URGENT, Tier.RAISE})


def indicators_needing_measures(tiers: Mapping[int, Tier]) -> list[int]:
    """Urgent indicators first, then those to raise, each group in number order."""
    return sorted(
        (n for n, tier in tiers.items() if tier in NEEDS_MEASURE),
        key=lambda n: (tiers[n] != Tier.URGENT, n),
    )


def covered_indicators(measures: Iterable[tuple[list[int], str]]) -> set[int]:
    """The indicators that live measures address (cancelled measures do not count).

    `measures` are (indicator numbers, status) pairs.
    """
    return {
        n
        for indicators, status in measures
        if status != MeasureStatus.CANCELLED
        for n in indicators
    }


def uncovered_indicators(
    tiers: Mapping[int, Tier], measures: Iterable[tuple[list[int], str]]
) -> list[int]:
    """Urgent/raise indicators that no live measure addresses."""
    return not_covered(tiers, covered_indicators(measures))


def not_covered(tiers: Mapping[int, Tier], covered: Collection[int]) -> list[int]:
    """Urgent/raise indicators outside `covered`."""
    return [n for n in indicators_needing_measures(tiers) if n not in covered]
