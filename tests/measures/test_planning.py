from assessments.ita import Tier, indicators_needing_measures
from measures.planning import uncovered_indicators

TIERS = {1: Tier.URGENT, 2: Tier.MAINTAIN, 6: Tier.RAISE, 10: Tier.URGENT, 7: Tier.RAISE}


def test_it_lists_urgent_before_raise():
    assert indicators_needing_measures(TIERS) == [1, 10, 6, 7]


def test_it_counts_coverage_by_live_measures_only():
    measures = [([1, 2], "in_progress"), ([10], "cancelled"), ([6], "done")]
    assert uncovered_indicators(TIERS, measures) == [10, 7]
    assert uncovered_indicators(TIERS, [([1, 6, 7, 10], "not_started")]) == []
    assert uncovered_indicators({}, []) == []
