"""The ITA arithmetic without a database: seed numbers of ../shared/domain/ITA.md, band edges."""

from decimal import Decimal

import pytest

from assessments import ita
from tests.conftest import BANGKAO_2564, BANGKAO_2565, DEFAULT_THRESHOLDS, scores_of

D = Decimal
INSTRUMENTS = (
    ita.InstrumentRule("IIT", D("0.30"), (1, 2, 3, 4, 5)),
    ita.InstrumentRule("EIT", D("0.30"), (6, 7, 8)),
    ita.InstrumentRule("OIT", D("0.40"), (9, 10)),
)
LETTERS = ita.Rules(
    instruments=INSTRUMENTS,
    bands=tuple(
        ita.Band(code, D(low), passing)
        for code, low, passing in [
            ("AA", "95", True),
            ("A", "85", True),
            ("B", "75", False),
            ("C", "65", False),
            ("D", "55", False),
            ("E", "50", False),
            ("F", "0", False),
        ]
    ),
    tolerance=D("0.05"),
)
PASS_FAIL = ita.Rules(
    instruments=INSTRUMENTS,
    bands=(
        ita.Band("ผ่านดีเยี่ยม", D(95), True, ("AA",)),
        ita.Band("ผ่าน", D(85), True, ("A",)),
        ita.Band("ไม่ผ่าน", D(0), False, ("ต้องปรับปรุง", "B", "C", "D", "E", "F")),
    ),
    tolerance=D("0.05"),
)


def evaluate(rules, values, published=None, level="", previous=None):
    return ita.evaluate(
        rules,
        scores=scores_of(values) if isinstance(values, list) else values,
        published_score=D(published) if published else None,
        published_level=level,
        thresholds=DEFAULT_THRESHOLDS,
        previous=previous,
    )


def test_it_computes_bangkao_2565_as_published():
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78")
    assert ev.computed_exact == D("68.7858")
    assert ev.computed_score == D("68.79")
    assert ev.score == D("68.78")
    assert ev.level.code == "C"
    assert ev.instrument_scores == {"IIT": D("76.31"), "EIT": D("84.89"), "OIT": D("51.07")}
    assert not ev.discrepancy


def test_it_rounds_half_up_not_to_even():
    assert ita.round2(D("51.065")) == D("51.07")
    assert ita.round2(D("51.075")) == D("51.08")
    assert ita.round2(D("-14.955")) == D("-14.96")


def test_it_reconciles_nakhon_si_thammarat_2565():
    values = [
        "87.37",
        "75.30",
        "80.75",
        "73.60",
        "71.54",
        "82.50",
        "85.82",
        "81.93",
        "92.78",
        "100",
    ]
    ev = evaluate(LETTERS, values, "86.9", "A")
    assert ev.computed_exact == D("86.8946")
    assert ev.level.code == "A"
    assert not ev.discrepancy and not ev.level_mismatch


def test_it_gives_sobprab_2568_excellent():
    values = ["100", "100", "100", "100", "100", "99.63", "99.37", "99.41", "95.00", "100"]
    ev = evaluate(PASS_FAIL, values, "98.84", "ผ่านดีเยี่ยม")
    assert ev.computed_exact == D("98.841")
    assert ev.level.code == "ผ่านดีเยี่ยม"
    assert not ev.level_mismatch


def test_it_flags_the_two_seed_years_that_do_not_reconcile():
    bangkao = evaluate(LETTERS, BANGKAO_2564, "92.44")
    assert bangkao.computed_exact == D("90.3548")
    assert bangkao.discrepancy
    khok = ["80.79", "67.18", "92.82", "70.24", "70.59", "78.73", "76.76", "75.29", "4.00", "0.00"]
    khoksamrong = evaluate(LETTERS, khok, "45.56", "F")
    assert khoksamrong.computed_exact == D("46.7752")
    assert khoksamrong.discrepancy
    assert khoksamrong.level.code == "F"


def test_it_keeps_the_published_score_authoritative():
    ev = evaluate(LETTERS, BANGKAO_2564, "92.44")
    assert ev.score == D("92.44")
    assert ev.level.code == "A"  # from the published 92.44, not the computed 90.35


def test_it_flags_99_78_labelled_needs_improvement():
    ev = evaluate(PASS_FAIL, {}, "99.78", "ต้องปรับปรุง")
    assert ev.level.code == "ผ่านดีเยี่ยม"
    assert ev.level_mismatch
    assert ev.computed_score is None


def test_it_accepts_letter_levels_quoted_in_pass_fail_years():
    assert not evaluate(PASS_FAIL, {}, "88.00", "A").level_mismatch
    assert evaluate(PASS_FAIL, {}, "88.00", "AA").level_mismatch


def test_it_treats_an_unknown_level_as_a_mismatch():
    assert evaluate(LETTERS, {}, "70", "Z").level_mismatch


@pytest.mark.parametrize(
    ("score", "letter", "pass_fail"),
    [
        ("84.99", "B", "ไม่ผ่าน"),
        ("85.00", "A", "ผ่าน"),
        ("89.99", "A", "ผ่าน"),
        ("90.00", "A", "ผ่าน"),
        ("94.99", "A", "ผ่าน"),
        ("95.00", "AA", "ผ่านดีเยี่ยม"),
        ("100", "AA", "ผ่านดีเยี่ยม"),
        ("0", "F", "ไม่ผ่าน"),
        ("49.99", "F", "ไม่ผ่าน"),
        ("50.00", "E", "ไม่ผ่าน"),
        ("74.99", "C", "ไม่ผ่าน"),
        ("75.00", "B", "ไม่ผ่าน"),
    ],
)
def test_it_places_band_edges(score, letter, pass_fail):
    assert ita.level_of(LETTERS, D(score), {}).code == letter
    assert ita.level_of(PASS_FAIL, D(score), {}).code == pass_fail


@pytest.mark.parametrize(
    ("score", "tier"),
    [
        ("84.99", ita.Tier.URGENT),
        ("85.00", ita.Tier.RAISE),
        ("89.99", ita.Tier.RAISE),
        ("90.00", ita.Tier.MAINTAIN),
        ("100", ita.Tier.MAINTAIN),
        ("0", ita.Tier.URGENT),
    ],
)
def test_it_places_tier_edges(score, tier):
    assert ita.tier_of(D(score), DEFAULT_THRESHOLDS) == tier


def test_it_uses_the_organisations_own_thresholds():
    strict = ita.Thresholds(maintain_from=D(95), raise_from=D(85), target=D(95))
    assert ita.tier_of(D("92"), strict) == ita.Tier.RAISE


def test_it_gives_bangkao_eight_urgent_and_two_raise():
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78")
    assert ev.tiers[10] == ita.Tier.URGENT
    assert sorted(n for n, t in ev.tiers.items() if t == ita.Tier.RAISE) == [6, 7]
    assert sum(t == ita.Tier.URGENT for t in ev.tiers.values()) == 8


def test_it_measures_change_against_the_previous_year():
    before = evaluate(LETTERS, BANGKAO_2564, "92.44")
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78", previous=before)
    assert ev.change[10] == D("-56.25")
    assert ev.change[1] == D("-14.95")
    assert ev.change[6] == D("5.25")
    assert ev.overall_change == D("-23.66")


def test_it_leaves_out_indicators_missing_in_either_year():
    before = evaluate(LETTERS, {1: D(80)})
    ev = evaluate(LETTERS, {1: D(90), 2: D(70)}, previous=before)
    assert ev.change == {1: D(10)}


def test_it_computes_no_overall_without_all_ten():
    partial = scores_of(BANGKAO_2565)
    del partial[7]
    ev = evaluate(LETTERS, partial)
    assert ev.computed_score is None
    assert ev.score is None and ev.level is None
    assert "EIT" not in ev.instrument_scores
    assert ev.instrument_scores["IIT"] == D("76.31")
    assert ev.tiers[1] == ita.Tier.URGENT
    assert not ev.discrepancy


def test_it_lists_weakest_first():
    ev = evaluate(LETTERS, BANGKAO_2565)
    assert ev.weakest_first[:3] == [10, 9, 2]


def test_it_plans_the_target_by_weight():
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78")
    plan = ita.target_plan(LETTERS, scores=ev.scores, score=ev.score, target=D(90))
    assert plan.gap == D("21.22")
    assert [lever.number for lever in plan.levers[:2]] == [10, 9]  # 20 % each, 10 has more room
    ten = plan.levers[0]
    assert ten.weight == D("0.2")
    assert ten.max_gain == D("12.50")
    assert ten.points_needed is None  # 106.1 points: more than indicator 10 can give
    assert plan.reachable_alone == []


def test_it_plans_nothing_when_the_target_is_met():
    values = ["100"] * 10
    plan = ita.target_plan(LETTERS, scores=scores_of(values), score=D(100), target=D(90))
    assert plan.gap == 0


def test_it_names_every_indicator_tied_for_lowest_and_highest():
    lowest, highest = ita.extremes({1: D("70"), 2: D("100.00"), 3: D("70.00"), 4: D(100), 5: D(80)})
    assert lowest == [1, 3]
    assert highest == [2, 4]


def test_it_finds_no_extremes_without_scores():
    assert ita.extremes({}) == ([], [])


def test_it_sorts_indicators_into_rose_fell_and_same():
    before = evaluate(LETTERS, BANGKAO_2564, "92.44")
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78", previous=before)
    moved = ita.movement(ev.change)
    assert 6 in moved.rose and 10 in moved.fell and 1 in moved.fell
    assert sorted(moved.rose + moved.fell + moved.same) == sorted(ev.change)


def test_it_counts_a_change_that_rounds_to_nothing_as_none():
    moved = ita.movement({1: D("0.004"), 2: D("-0.004"), 3: D("0.005"), 4: D(0)})
    assert moved == ita.Movement(rose=[3], fell=[], same=[1, 2, 4])


def test_it_finds_the_pass_mark_of_each_framework():
    assert ita.pass_mark(LETTERS) == D(85)
    assert ita.pass_mark(PASS_FAIL) == D(85)
    failing_only = ita.Rules(INSTRUMENTS, (ita.Band("F", D(0), False),), D("0.05"))
    assert ita.pass_mark(failing_only) is None


FLOORS = ita.Rules(
    instruments=INSTRUMENTS,
    bands=(
        ita.Band(
            "ผ่านดีเยี่ยม", D(95), True, ("AA",), (("IIT", D(95)), ("EIT", D(95)), ("OIT", D(95)))
        ),
        ita.Band("ผ่านดี", D(85), True, (), (("IIT", D(85)), ("EIT", D(85)), ("OIT", D(85)))),
        ita.Band("ผ่าน", D(85), True, ("A",)),
        ita.Band("ต้องปรับปรุง", D(70), False, ("ไม่ผ่าน", "B", "C")),
        ita.Band("ต้องปรับปรุงโดยด่วน", D(0), False, ("ไม่ผ่าน", "C", "D", "E", "F")),
    ),
    tolerance=D("0.05"),
)


def codes(bands):
    return [band.code for band in bands]


def instruments(iit, eit, oit):
    """Indicator scores giving these instrument means (each indicator at the mean)."""
    values = [iit] * 5 + [eit] * 3 + [oit] * 2
    return scores_of([str(v) for v in values])


def test_it_rates_pass_when_eit_is_below_85_whatever_the_overall():
    ev = evaluate(FLOORS, instruments(100, 84, 97))
    assert ev.score == D("94.00")
    assert ev.level.code == "ผ่าน"
    assert codes(ev.possible_levels) == ["ผ่าน"]


def test_it_rates_good_at_97_9_when_eit_is_94():
    ev = evaluate(FLOORS, instruments(100, 94, "99.25"))
    assert ev.score == D("97.90")
    assert ev.level.code == "ผ่านดี"


def test_it_rates_excellent_when_every_instrument_reaches_95():
    ev = evaluate(FLOORS, instruments(100, "99.47", "97.50"), "98.84", "ผ่านดีเยี่ยม")
    assert ev.level.code == "ผ่านดีเยี่ยม"
    assert not ev.level_mismatch


def test_it_rates_urgent_at_56_from_the_overall_alone():
    ev = evaluate(FLOORS, {}, "56")
    assert codes(ev.possible_levels) == ["ต้องปรับปรุงโดยด่วน"]
    assert ev.level.code == "ต้องปรับปรุงโดยด่วน"


def test_it_knows_99_78_alone_can_only_be_excellent():
    ev = evaluate(FLOORS, {}, "99.78", "ต้องปรับปรุง")
    assert codes(ev.possible_levels) == ["ผ่านดีเยี่ยม"]
    assert ev.level.code == "ผ่านดีเยี่ยม"
    assert ev.level_mismatch


def test_it_leaves_94_64_alone_between_pass_and_good():
    ev = evaluate(FLOORS, {}, "94.64")
    assert codes(ev.possible_levels) == ["ผ่านดี", "ผ่าน"]
    assert ev.level is None
    assert ev.level_text == "ผ่าน / ผ่านดี"
    assert ev.passing is True
    assert not ev.level_mismatch


def test_it_takes_a_published_level_that_the_overall_allows():
    ev = evaluate(FLOORS, {}, "94.64", "ผ่าน")
    assert ev.level.code == "ผ่าน"
    assert not ev.level_mismatch


def test_it_flags_a_published_level_the_overall_rules_out():
    ev = evaluate(FLOORS, {}, "94.64", "ผ่านดีเยี่ยม")
    assert ev.level is None
    assert ev.level_mismatch


@pytest.mark.parametrize(
    ("score", "possible"),
    [
        ("95.60", ["ผ่านดีเยี่ยม", "ผ่านดี"]),  # an instrument at 84.99 would need another above 100
        ("95.50", ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน"]),  # IIT 84.994 and the rest 100: 95.498
        ("96.00", ["ผ่านดีเยี่ยม", "ผ่านดี"]),
        ("85.00", ["ผ่านดี", "ผ่าน"]),
        ("84.99", ["ต้องปรับปรุง"]),
        ("70.00", ["ต้องปรับปรุง"]),
        ("69.99", ["ต้องปรับปรุงโดยด่วน"]),
    ],
)
def test_it_finds_the_ratings_an_overall_allows(score, possible):
    assert codes(ita.possible_levels(FLOORS, score=D(score), instrument_scores={})) == possible


def test_it_narrows_the_ratings_with_the_instruments_it_knows():
    possible = ita.possible_levels(FLOORS, score=D("94.64"), instrument_scores={"EIT": D(84)})
    assert codes(possible) == ["ผ่าน"]


def test_it_reads_an_alias_shared_by_two_bands_as_either():
    assert not evaluate(FLOORS, {}, "60", "ไม่ผ่าน").level_mismatch
    assert not evaluate(FLOORS, {}, "80", "ไม่ผ่าน").level_mismatch
    assert evaluate(FLOORS, {}, "90", "ไม่ผ่าน").level_mismatch


def test_it_finds_overlapping_and_missing_bands_and_floors():
    assert ita.band_overlaps(FLOORS.bands) == []
    assert ita.band_gap(FLOORS.bands) is None
    twin = ita.Band("ดี", D(85), True, (), (("EIT", D(90)),))
    assert [(a.code, b.code) for a, b in ita.band_overlaps((*FLOORS.bands, twin))] == [
        ("ผ่านดี", "ดี")
    ]
    assert ita.band_gap(FLOORS.bands[:3]) == D(85)
    assert ita.band_gap(FLOORS.bands[:2]) == D("100.01")
    assert ita.unknown_floors(["IIT", "EIT"], FLOORS.bands) == ["OIT"]
    assert ita.weights_total(i.weight for i in INSTRUMENTS) == 1


OIT_ITEMS = tuple(ita.ItemRule(f"o{n}", 9 if n <= 12 else 10, True) for n in range(1, 27))
FLOORS_26 = ita.Rules(FLOORS.instruments, FLOORS.bands, FLOORS.tolerance, OIT_ITEMS)


def gaps_of(rules, iit, eit, oit, item_scores=None):
    ev = evaluate(rules, instruments(iit, eit, oit))
    return {
        gap.band.code: gap
        for gap in ita.rating_gaps(
            rules,
            score=ev.score,
            instrument_scores=ev.instrument_scores,
            item_scores=item_scores or {},
            possible=ev.possible_levels,
        )
    }


def test_it_prices_one_oit_item_of_26_at_1_54_points_of_the_overall():
    oit = FLOORS_26.instruments[2]
    assert ita.round2(ita.item_worth(FLOORS_26, oit)) == D("1.54")
    assert ita.item_worth(FLOORS, oit) is None  # no items in the framework: no price


def test_it_names_eit_as_what_keeps_94_below_good():
    gaps = gaps_of(FLOORS_26, 100, 84, 97)
    assert list(gaps) == ["ผ่านดี", "ผ่านดีเยี่ยม"]
    good = gaps["ผ่านดี"]
    assert good.overall_short == 0
    assert [(s.code, s.points) for s in good.blocking] == [("EIT", D("1.00"))]
    assert not good.items_close_it  # OIT items cannot lift EIT
    excellent = gaps["ผ่านดีเยี่ยม"]
    assert excellent.overall_short == D("1.00")
    assert [(s.code, s.points) for s in excellent.below_floor] == [("EIT", D("11.00"))]


def test_it_names_the_oit_items_scored_zero_that_close_the_gap():
    zeros = {"o2", "o5", "o9", "o17", "o25"}
    items = {f"o{n}": D(0) if f"o{n}" in zeros else D(100) for n in range(1, 27)}
    gaps = gaps_of(FLOORS_26, 100, 100, 80, items)
    good = gaps["ผ่านดี"]
    assert [(s.code, s.points) for s in good.below_floor] == [("OIT", D("5.00"))]
    assert good.items_needed == 2  # 80 + 2 × 3.85 = 87.69
    assert good.items == ("o2", "o5")
    assert good.items_close_it
    assert good.item_worth == D("1.54")
    excellent = gaps["ผ่านดีเยี่ยม"]
    assert excellent.overall_short == D("3.00")
    assert excellent.items_needed == 4  # OIT 95.38, overall 98.15
    assert excellent.items == ("o2", "o5", "o9", "o17")


def test_it_counts_items_without_naming_them_when_item_scores_are_unknown():
    good = gaps_of(FLOORS_26, 100, 100, 80)["ผ่านดี"]
    assert good.items_needed == 2
    assert good.items == ()


def test_it_says_when_the_items_left_cannot_close_the_gap():
    items = {f"o{n}": D(0) if n == 1 else D(100) for n in range(1, 27)}
    good = gaps_of(FLOORS_26, 100, 100, 80, items)["ผ่านดี"]
    assert good.items_needed is None
    assert not good.items_close_it


def test_it_finds_no_gap_above_the_top_rating():
    assert gaps_of(FLOORS_26, 100, 100, 100) == {}


def test_it_plans_the_overall_gap_in_points_when_no_indicator_closes_it_alone():
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78")
    plan = ita.target_plan(LETTERS, scores=ev.scores, score=ev.score, target=D(90))
    ten = plan.levers[0]
    assert ten.still_short == D("8.72")  # 21.22 - 12.50 with indicator 10 at 100
    gained = sum(lever.max_gain for lever in plan.levers if lever.number in plan.together)
    assert gained >= plan.gap
    assert len(plan.together) == 3
    assert plan.together[:2] == [10, 9]


def test_it_says_what_one_indicator_alone_takes_when_it_can():
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78")
    plan = ita.target_plan(LETTERS, scores=ev.scores, score=ev.score, target=D("69.78"))
    by_number = {lever.number: lever for lever in plan.levers}
    ten = by_number[10]  # 1.00 point at 0.2 a point: 5 points, from 37.50 to 42.50
    assert (ten.points_needed, ten.raise_by, ten.raise_to) == (D(5), D(5), D("42.50"))
    two = by_number[2]  # 1.00 at 0.06 a point: 16.67 points (rounded up so they do close it)
    assert two.points_needed == two.raise_by == D("16.67")
    one = by_number[1]  # 83.71: 16.29 points of room, not enough alone
    assert one.points_needed is None and one.raise_by == 0
    assert plan.together == [10]


def test_it_gives_each_indicator_of_the_plan_its_share_when_none_can_alone():
    ev = evaluate(LETTERS, BANGKAO_2565, "68.78")
    plan = ita.target_plan(LETTERS, scores=ev.scores, score=ev.score, target=D(90))
    shares = {lever.number: lever for lever in plan.levers if lever.raise_by}
    assert list(shares) == plan.together == [10, 9, 2]  # most points per indicator point first
    assert shares[10].raise_to == shares[9].raise_to == 100
    assert shares[2].raise_to < 100  # the last one only as far as the gap needs
    gained = sum(lever.weight * lever.raise_by for lever in shares.values())
    assert plan.gap <= gained < plan.gap + D("0.01")
    assert all(lever.raise_by == 0 for lever in plan.levers if lever.number not in shares)


OIT_OF_EIGHT = ita.Rules(
    instruments=INSTRUMENTS,
    bands=(),
    tolerance=D("0.05"),
    items=(*(ita.ItemRule(f"o{n}", 10, True) for n in range(1, 9)), ita.ItemRule("i1", 1, False)),
)


def test_it_counts_the_all_or_nothing_items_a_rise_takes():
    # indicator 10 of eight 0-or-100 items at 50: each item adds 12.5 to it, 2.5 to the overall
    scores = {n: D(100) for n in range(1, 10)} | {10: D(50)}
    plan = ita.target_plan(OIT_OF_EIGHT, scores=scores, score=D(90), target=D(95))
    ten = next(lever for lever in plan.levers if lever.number == 10)
    assert ten.points_needed == D(25) and ten.items_needed == 2
    assert ita.items_for(OIT_OF_EIGHT, 10, D("12.51")) == 2  # a part of an item is a whole one
    assert ita.items_for(OIT_OF_EIGHT, 1, D(10)) is None  # IIT items are not all or nothing


# From items: indicator 9 of three OIT items computed as their mean, IIT as published.
FROM_ITEMS = ita.Rules(
    instruments=(
        ita.InstrumentRule("IIT", D("0.5"), (1,)),
        ita.InstrumentRule("OIT", D("0.5"), (9, 10), score_from_items=ita.MEAN_OF_ITEMS),
    ),
    bands=(),
    tolerance=D("0.05"),
    items=(
        ita.ItemRule("i1", 1, False),
        ita.ItemRule("o1", 9, True),
        ita.ItemRule("o2", 9, True),
        ita.ItemRule("o3", 9, True),
        ita.ItemRule("o4", 10, True),
    ),
)


def test_it_computes_an_empty_indicator_as_its_items_mean_where_the_framework_says():
    items = {"i1": D(50), "o1": D(100), "o2": D(100), "o3": D(0)}
    facts = ita.scores_from_items(FROM_ITEMS, scores={}, items=items)
    assert facts.computed == {9: D("66.67")}  # 100 per item present over 3; IIT as published
    assert facts.mismatches == {}


def test_it_computes_nothing_from_items_not_all_entered():
    facts = ita.scores_from_items(FROM_ITEMS, scores={}, items={"o1": D(100), "o2": D(100)})
    assert facts.computed == {} and ita.indicator_from_items(FROM_ITEMS, 10, {}) is None


def test_it_keeps_a_published_indicator_and_warns_beyond_the_tolerance():
    items = {"o1": D(100), "o2": D(100), "o3": D(0), "o4": D(100)}
    close = ita.scores_from_items(FROM_ITEMS, scores={9: D("66.70"), 10: D(0)}, items=items)
    assert close.computed == {} and close.mismatches == {10: (D(0), D(100))}
    far = ita.scores_from_items(FROM_ITEMS, scores={9: D("66.73")}, items=items)
    assert far.mismatches == {9: (D("66.73"), D("66.67"))} and far.computed == {10: D(100)}


def test_a_measure_is_reported_under_the_topic_of_its_first_indicator():
    assert sorted(n for t in ita.MEASURE_TOPICS for n in t.indicators) == list(range(1, 11))
    assert ita.measure_topic([2]).number == 5
    assert ita.measure_topic([9, 6]).number == 2  # indicator 6 comes first: services
    assert ita.measure_topic([10]).name.startswith("กลไกและมาตรการ")
    assert ita.measure_topic([]) is None
    assert ita.measure_topic([11]) is None
