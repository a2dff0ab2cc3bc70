"""Which indicators a plan must cover, and the analysis the figures draft: pure functions over
the assessment's scores and tiers."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal

from assessments.ita import NEEDS_MEASURE, Tier, not_covered
from itaportal import thai
from measures.status import MeasureStatus


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


def analysis_draft(
    *,
    instruments: Iterable[tuple[str, Iterable[int]]],
    names: Mapping[int, str],
    scores: Mapping[int, Decimal],
    tiers: Mapping[int, Tier],
    thai_digits: bool,
) -> dict[str, tuple[str, str]]:
    """Each instrument's (what is expected to go well, issues to fix) as the figures say them:
    the indicators to maintain, and those to raise or fix urgently, one line each with their
    score. Where a plan's analysis starts before people write it."""

    def lines(numbers: Iterable[int], wanted: Collection[Tier], verb: str) -> str:
        return "\n".join(
            thai.digits(f"ตัวชี้วัดที่ {n} {names.get(n, '')}".rstrip() + f" {verb} ", thai_digits)
            + f"{thai.number(scores[n], thai_digits)} คะแนน"
            for n in numbers
            if n in scores and tiers.get(n) in wanted
        )

    return {
        code: (
            lines(numbers, (Tier.MAINTAIN,), "ได้"),
            lines(numbers, NEEDS_MEASURE, "ได้เพียง"),
        )
        for code, numbers in ((code, list(numbers)) for code, numbers in instruments)
    }
