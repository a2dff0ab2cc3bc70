"""The ITA arithmetic: every rule of the assessment that is computed, in one module.

The numbers themselves (weights, level bands, tier thresholds, the discrepancy tolerance) are data:
`fixtures/ita_frameworks.json`, loaded by a migration and edited in the Django admin. This module
applies them. It works on plain values (Decimal, int, str) and never touches the database, so each
rule is tested on its own (tests/assessments/test_ita.py); ../shared/domain/ITA.md explains them.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal
from enum import StrEnum
from functools import cached_property

CENT = Decimal("0.01")
HALF_CENT = Decimal("0.005")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
ONE = Decimal(1)


def round2(value: Decimal) -> Decimal:
    """Round to 2 decimals, half up, as NACC publishes its scores."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class Tier(StrEnum):
    """How hard an indicator is worked on next year (ระดับความเข้มข้นของมาตรการ)."""

    MAINTAIN = "maintain"
    RAISE = "raise"
    URGENT = "urgent"


# The tiers whose indicators a plan must answer with a measure.
NEEDS_MEASURE = frozenset({Tier.URGENT, Tier.RAISE})


def indicators_needing_measures(tiers: Mapping[int, Tier]) -> list[int]:
    """Urgent indicators first, then those to raise, each group in number order."""
    return sorted(
        (n for n, tier in tiers.items() if tier in NEEDS_MEASURE),
        key=lambda n: (tiers[n] != Tier.URGENT, n),
    )


def not_covered(tiers: Mapping[int, Tier], covered: Collection[int]) -> list[int]:
    """Urgent/raise indicators outside `covered`."""
    return [n for n in indicators_needing_measures(tiers) if n not in covered]


@dataclass(frozen=True)
class Thresholds:
    """An organisation's tier thresholds and target for a year (default 90 / 85, target 90)."""

    maintain_from: Decimal
    raise_from: Decimal
    target: Decimal


# How a framework may say an indicator's score follows from its items (Instrument.score_from_items):
# "" keeps the indicator's score as published; MEAN_OF_ITEMS makes it the mean of its items' scores
# (OIT: each item 0 or 100, so 100 per item present over the number of items).
MEAN_OF_ITEMS = "mean"


@dataclass(frozen=True)
class InstrumentRule:
    code: str
    weight: Decimal
    indicators: tuple[int, ...]
    score_from_items: str = ""


# An item's code: the instrument's letter(s) and its number (i1, e4, o12).
ITEM_CODE_PATTERN = r"^[a-z]+[0-9]+$"


@dataclass(frozen=True)
class ItemRule:
    """An item of a framework: its code, its indicator, and whether it scores only 0 or 100."""

    code: str
    indicator: int
    all_or_nothing: bool


@dataclass(frozen=True)
class Band:
    """A level band: an overall of at least `min_score` and, for each instrument in `floors`, an
    instrument score of at least its floor (ผ่านดีเยี่ยม: overall 95 and IIT, EIT, OIT 95 each)."""

    code: str
    min_score: Decimal
    passing: bool
    aliases: tuple[str, ...] = ()
    floors: tuple[tuple[str, Decimal], ...] = ()

    @property
    def precedence(self) -> tuple[Decimal, Decimal]:
        """Bands are tried highest first; of two with the same minimum, the one with floors."""
        return (self.min_score, sum((floor for _code, floor in self.floors), ZERO))


@dataclass(frozen=True)
class Rules:
    """One framework's rules, as plain values."""

    instruments: tuple[InstrumentRule, ...]
    bands: tuple[Band, ...]
    tolerance: Decimal
    items: tuple[ItemRule, ...] = ()

    def item(self, code: str) -> ItemRule | None:
        return next((item for item in self.items if item.code == code), None)

    # Built once per Rules (a catalogue keeps one per framework): a national overview rates
    # thousands of years against the same few.
    @cached_property
    def ranked_bands(self) -> tuple[Band, ...]:
        """The bands in the order a rating tries them: the first whose conditions hold."""
        return tuple(sorted(self.bands, key=lambda b: b.precedence, reverse=True))

    @cached_property
    def bands_by_label(self) -> dict[str, tuple[Band, ...]]:
        """Every normalised code and alias -> the bands it names."""
        labels: dict[str, list[Band]] = {}
        for band in self.bands:
            for name in dict.fromkeys(normalise_level(n) for n in (band.code, *band.aliases)):
                labels.setdefault(name, []).append(band)
        return {name: tuple(bands) for name, bands in labels.items()}

    @cached_property
    def rated(self) -> dict[tuple[object, ...], tuple[Band, ...]]:
        """possible_levels' answers so far, by score and known instrument scores."""
        return {}

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


# The only scores an all-or-nothing item (OIT) can have: nothing, or everything it requires.
ALL_OR_NOTHING_SCORES = (ZERO, HUNDRED)


def item_score_allowed(item: ItemRule, score: Decimal) -> bool:
    """An item scores 0-100; an all-or-nothing item (OIT) only 0 or 100."""
    if item.all_or_nothing:
        return score in ALL_OR_NOTHING_SCORES
    return ZERO <= score <= HUNDRED


def indicator_from_items(rules: Rules, number: int, items: Mapping[str, Decimal]) -> Decimal | None:
    """Indicator `number`'s score as its framework computes it from the items, rounded as
    published: the mean of its items' scores when its instrument says so and every one of its
    items is scored; None otherwise (the score is then as published, or unknown)."""
    if rules.instrument_of(number).score_from_items != MEAN_OF_ITEMS:
        return None
    codes = [item.code for item in rules.items if item.indicator == number]
    if not codes or any(code not in items for code in codes):
        return None
    return round2(sum((items[code] for code in codes), ZERO) / len(codes))


@dataclass(frozen=True)
class FromItems:
    """What the items say of a year's indicators: the scores computed for indicators left
    empty, and the published scores that differ from their items' mean by more than the
    framework's tolerance (number -> (published, from the items)): a warning, the published
    score stays."""

    computed: dict[int, Decimal]
    mismatches: dict[int, tuple[Decimal, Decimal]]


def scores_from_items(
    rules: Rules, *, scores: Mapping[int, Decimal], items: Mapping[str, Decimal]
) -> FromItems:
    """Apply the framework's rule to a year: a published indicator score always wins."""
    computed: dict[int, Decimal] = {}
    mismatches: dict[int, tuple[Decimal, Decimal]] = {}
    for number in rules.indicator_numbers:
        value = indicator_from_items(rules, number, items)
        if value is None:
            continue
        if number not in scores:
            computed[number] = value
        elif abs(scores[number] - value) > rules.tolerance:
            mismatches[number] = (scores[number], value)
    return FromItems(computed=computed, mismatches=mismatches)


def weights_total(weights: Iterable[Decimal]) -> Decimal:
    """The instruments' weights added up: a framework's must make exactly 1."""
    return sum(weights, ZERO)


def _stricter(a: Band, b: Band) -> bool:
    """Whether `a` asks at least as much as `b` of every instrument, and more of one."""
    fa, fb = dict(a.floors), dict(b.floors)
    codes = set(fa) | set(fb)
    return all(fa.get(c, ZERO) >= fb.get(c, ZERO) for c in codes) and fa != fb


def band_overlaps(bands: Iterable[Band]) -> list[tuple[Band, Band]]:
    """Pairs of bands that could both claim a year: the same minimum and neither stricter."""
    bands = list(bands)
    return [
        (a, b)
        for i, a in enumerate(bands)
        for b in bands[i + 1 :]
        if a.min_score == b.min_score and not _stricter(a, b) and not _stricter(b, a)
    ]


def band_gap(bands: Iterable[Band]) -> Decimal | None:
    """The overall below which some years have no rating, or None: every year needs a band
    without floors at or below its overall (a year that misses a band's floors falls to the
    bands below it)."""
    floorless = [b.min_score for b in bands if not b.floors]
    lowest = min(floorless) if floorless else HUNDRED + CENT
    return lowest if lowest > ZERO else None


def unknown_floors(rules_codes: Iterable[str], bands: Iterable[Band]) -> list[str]:
    """Instruments that bands set a floor on but the framework does not have."""
    known = set(rules_codes)
    return sorted({code for b in bands for code, _floor in b.floors if code not in known})


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


def level_of(rules: Rules, score: Decimal, instrument_scores: Mapping[str, Decimal]) -> Band:
    """The rating of a year whose instrument scores are all known: the first band, highest
    first, whose minimum the overall reaches and whose floors every instrument meets (bands are
    closed below: 85.00 is in 85.00-94.99). Instrument scores are compared as published, to 2
    decimals."""
    for band in rules.ranked_bands:
        if score >= band.min_score and all(
            code in instrument_scores and round2(instrument_scores[code]) >= floor
            for code, floor in band.floors
        ):
            return band
    raise ValueError(f"no band holds {score}")


def _band_possible(
    rules: Rules,
    band: Band,
    higher: tuple[Band, ...],
    low: Decimal,
    high: Decimal,
    known: Mapping[str, Decimal],
) -> bool:
    """Whether some instrument scores (the known ones as they are, the others anywhere in
    0-100) give an overall within [low, high] rated `band`: its conditions hold, and each band
    tried before it fails, by an overall below its minimum or an instrument below its floor."""
    if high < band.min_score:
        return False
    floors = dict(band.floors)
    lower = {i.code: floors.get(i.code, ZERO) for i in rules.instruments}
    upper = {i.code: HUNDRED for i in rules.instruments}
    return _fails_each(rules, higher, max(low, band.min_score), high, lower, upper, known)


def _fails_each(
    rules: Rules,
    higher: tuple[Band, ...],
    low: Decimal,
    high: Decimal,
    lower: dict[str, Decimal],
    upper: dict[str, Decimal],
    known: Mapping[str, Decimal],
) -> bool:
    if not higher:
        total_low = total_high = ZERO
        for inst in rules.instruments:
            lo, hi = lower[inst.code], upper[inst.code]
            if inst.code in known:
                value = round2(known[inst.code])
                if not lo <= value <= hi:
                    return False
                lo = hi = value
            if lo > hi:
                return False
            total_low += inst.weight * lo
            total_high += inst.weight * hi
        # An overall published to 2 decimals is any exact figure within half a cent of it.
        return total_low <= high + HALF_CENT and total_high >= low - HALF_CENT and low <= high
    band, rest = higher[0], higher[1:]
    if low < band.min_score and _fails_each(
        rules, rest, low, min(high, band.min_score - CENT), lower, upper, known
    ):
        return True
    for code, floor in band.floors:
        if code not in upper:
            continue
        # Below the floor as published: at most a cent under it.
        narrowed = {**upper, code: min(upper[code], floor - CENT)}
        if _fails_each(rules, rest, low, high, lower, narrowed, known):
            return True
    return False


def possible_levels(
    rules: Rules, *, score: Decimal | None, instrument_scores: Mapping[str, Decimal]
) -> tuple[Band, ...]:
    """Every rating the known figures still allow, highest first.

    With every instrument score known there is one. With only the overall known, the weights
    and the floors say which remain: 99.78 leaves ผ่านดีเยี่ยม alone (every instrument must then
    be above 99), 94.64 leaves ผ่าน and ผ่านดี. With no overall, whatever the known instruments
    allow."""
    known = {code: round2(value) for code, value in instrument_scores.items()}
    key = (score, *sorted(known.items()))
    if key not in rules.rated:
        if score is not None and all(i.code in known for i in rules.instruments):
            rules.rated[key] = (level_of(rules, score, known),)
        else:
            low, high = (score, score) if score is not None else (ZERO, HUNDRED)
            ranked = rules.ranked_bands
            rules.rated[key] = tuple(
                band
                for index, band in enumerate(ranked)
                if _band_possible(rules, band, ranked[:index], low, high, known)
            )
    return rules.rated[key]


@dataclass(frozen=True)
class Rating:
    """What the portal says of a year's rating: the ratings still possible, the one it gives
    (None when the figures leave more than one and no published level settles it) and whether
    a published level contradicts the figures."""

    possible: tuple[Band, ...]
    level: Band | None
    mismatch: bool

    @property
    def level_text(self) -> str:
        """The rating as people read it: the one level, or every one still possible, lowest
        first ("ผ่าน / ผ่านดี"); "" when nothing is known."""
        if self.level is not None:
            return self.level.code
        return " / ".join(band.code for band in reversed(self.possible))

    @property
    def passing(self) -> bool | None:
        """Whether the year passes; None when the figures do not say."""
        if self.level is not None:
            return self.level.passing
        verdicts = {band.passing for band in self.possible}
        return verdicts.pop() if len(verdicts) == 1 else None


def rate(
    rules: Rules,
    *,
    score: Decimal | None,
    instrument_scores: Mapping[str, Decimal],
    published_level: str = "",
) -> Rating:
    """The one rule that rates a year's result (the dashboard, the overview, the documents and
    the exports all come here). `score` is the overall that counts (the published one when
    known), `instrument_scores` the instruments' scores as far as known."""
    if score is None and not instrument_scores:
        return Rating(possible=(), level=None, mismatch=False)
    possible = possible_levels(rules, score=score, instrument_scores=instrument_scores)
    named = [b for b in bands_named(rules, published_level) if b in possible]
    if len(possible) == 1:
        level: Band | None = possible[0]
    elif len(named) == 1:
        level = named[0]
    else:
        level = None
    mismatch = bool(published_level) and not named
    return Rating(possible=possible, level=level, mismatch=mismatch)


def pass_mark(rules: Rules) -> Decimal | None:
    """The lowest score that passes (85.00 in every framework so far); None if no band passes."""
    marks = [band.min_score for band in rules.bands if band.passing]
    return min(marks) if marks else None


def normalise_level(label: str) -> str:
    text = " ".join(str(label).split())
    text = text.removeprefix("ระดับ").strip()
    return text.upper()


def bands_named(rules: Rules, label: str) -> tuple[Band, ...]:
    """The bands a published level names, by code or alias ("ไม่ผ่าน" names both bands below
    the pass mark); () if none."""
    return rules.bands_by_label.get(normalise_level(label), ()) if label else ()


def band_named(rules: Rules, label: str) -> Band | None:
    """The first band a published level names; None if unknown."""
    named = bands_named(rules, label)
    return named[0] if named else None


@dataclass(frozen=True)
class MeasureTopic:
    """A topic of NACC's report on an office's internal measures (seed 001's first column), and
    the indicators whose measures it reports."""

    number: int
    name: str
    indicators: tuple[int, ...]


MEASURE_TOPICS = (
    MeasureTopic(1, "กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ", (1,)),
    MeasureTopic(2, "การให้บริการและระบบ E-Service", (6, 8)),
    MeasureTopic(3, "ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ", (7, 9)),
    MeasureTopic(4, "กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ", (4,)),
    MeasureTopic(5, "กระบวนการสร้างความโปร่งใสในการใช้งบประมาณและการจัดซื้อจัดจ้าง", (2,)),
    MeasureTopic(6, "กระบวนการควบคุมตรวจสอบการใช้อำนาจและการบริหารงานบุคคล", (3,)),
    MeasureTopic(7, "กลไกและมาตรการในการแก้ไขและป้องกันการทุจริตภายในหน่วยงาน", (5, 10)),
)


def measure_topic(indicators: Iterable[int]) -> MeasureTopic | None:
    """The topic a measure is reported under: that of the first indicator it answers (None for a
    measure without indicators, or whose indicators no topic reports)."""
    for number in sorted(indicators):
        for topic in MEASURE_TOPICS:
            if number in topic.indicators:
                return topic
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
    possible_levels: tuple[Band, ...] = ()

    @property
    def weakest_first(self) -> list[int]:
        return sorted(self.scores, key=lambda n: (self.scores[n], n))

    @property
    def rating(self) -> Rating:
        return Rating(possible=self.possible_levels, level=self.level, mismatch=self.level_mismatch)

    @property
    def level_text(self) -> str:
        return self.rating.level_text

    @property
    def passing(self) -> bool | None:
        return self.rating.passing


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
    means = instrument_means(rules, scores)
    rating = rate(rules, score=score, instrument_scores=means, published_level=published_level)
    discrepancy = (
        exact is not None
        and published_score is not None
        and abs(exact - published_score) > rules.tolerance
    )
    change: dict[int, Decimal] = {}
    overall_change = None
    if previous is not None:
        change = {n: scores[n] - previous.scores[n] for n in scores if n in previous.scores}
        if score is not None and previous.score is not None:
            overall_change = score - previous.score
    return Evaluation(
        scores=scores,
        instrument_scores={k: round2(v) for k, v in means.items()},
        computed_exact=exact,
        computed_score=computed,
        published_score=published_score,
        score=score,
        level=rating.level,
        published_level=published_level,
        discrepancy=discrepancy,
        level_mismatch=rating.mismatch,
        tiers={n: tier_of(s, thresholds) for n, s in scores.items()},
        change=change,
        overall_change=overall_change,
        possible_levels=rating.possible,
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
    still_short: Decimal = ZERO  # overall points still missing with this indicator at 100
    # Its part in closing the gap: the points that alone close it, or else its share of
    # TargetPlan.together (all of its headroom but for the last one's); 0 outside the plan.
    raise_by: Decimal = ZERO
    # All-or-nothing items (OIT) of the indicator that `raise_by` takes at 100 each (each
    # worth 100 / its item count of the indicator); None when its items are not such.
    items_needed: int | None = None
    score: Decimal = ZERO

    @property
    def raise_to(self) -> Decimal:
        return self.score + self.raise_by


@dataclass(frozen=True)
class TargetPlan:
    target: Decimal
    gap: Decimal  # overall points still needed (0 when the target is met)
    levers: list[Lever]
    # The fewest indicators that, raised together (all but the last to 100), close the gap,
    # most overall points first; every indicator when even all of them at 100 fall short.
    together: list[int] = field(default_factory=list)

    @property
    def reachable_alone(self) -> list[Lever]:
        return [lever for lever in self.levers if lever.points_needed is not None]


def _points_for(overall: Decimal, weight: Decimal) -> Decimal:
    """Indicator points that add `overall` points, rounded up to 2 decimals (so they do)."""
    return (overall / weight).quantize(Decimal("0.01"), rounding=ROUND_UP)


def items_for(rules: Rules, number: int, points: Decimal) -> int | None:
    """All-or-nothing items of indicator `number` to bring to 100 for `points` more indicator
    points (an indicator of 8 such items rises 12.5 with each); None unless all its items are
    all or nothing."""
    items = [item for item in rules.items if item.indicator == number]
    if not items or not all(item.all_or_nothing for item in items):
        return None
    return math.ceil(points * len(items) / HUNDRED)


def target_plan(
    rules: Rules, *, scores: Mapping[int, Decimal], score: Decimal, target: Decimal
) -> TargetPlan:
    """How far the overall is from the target, which indicators move it most per point, and
    what each takes: alone when one can close the gap, else as part of the fewest that can."""
    gap = max(ZERO, target - score)
    levers = []
    for number in rules.indicator_numbers:
        if number not in scores:
            continue
        weight = rules.indicator_weight(number)
        headroom = HUNDRED - scores[number]
        needed = _points_for(gap, weight) if gap else ZERO
        levers.append(
            Lever(
                number=number,
                weight=weight,
                headroom=headroom,
                max_gain=round2(weight * headroom),
                points_needed=needed if needed <= headroom else None,
                still_short=max(ZERO, round2(gap - weight * headroom)),
                score=scores[number],
            )
        )
    levers.sort(key=lambda lv: (-lv.weight, -lv.max_gain, lv.number))
    together: list[int] = []
    share: dict[int, Decimal] = {}
    left = gap
    for lever in sorted(levers, key=lambda lv: (-lv.max_gain, lv.number)):
        if left <= 0 or lever.max_gain <= 0:
            break
        together.append(lever.number)
        share[lever.number] = min(lever.headroom, _points_for(left, lever.weight))
        left -= lever.weight * lever.headroom
    planned = []
    for lever in levers:
        part = lever.points_needed if lever.points_needed else share.get(lever.number, ZERO)
        planned.append(
            replace(lever, raise_by=part, items_needed=items_for(rules, lever.number, part))
        )
    return TargetPlan(target=target, gap=round2(gap), levers=planned, together=together)


def item_predicted(
    *, elements_total: int, elements_done: int, link_ok: bool | None, year_ok: bool | None
) -> Decimal:
    """What an all-or-nothing (OIT) item will score, as far as the office can tell before NACC
    does: 100 only when every required element is in (an item that lists none counts as one
    element), its page answered healthy at the last link check and no evidence is of the wrong
    fiscal year; 0 otherwise. A link never checked is not yet healthy; a year nobody could read
    (None) does not count against the item."""
    complete = elements_done >= max(elements_total, 1)
    return HUNDRED if complete and link_ok is True and year_ok is not False else ZERO


def item_worth(rules: Rules, instrument: InstrumentRule) -> Decimal | None:
    """Overall points one all-or-nothing item of `instrument` is worth: its weight spread over
    its items (OIT of 26 items at 40 %: 40 / 26 = 1.54); None when it has no such items."""
    count = len(_all_or_nothing_items(rules, instrument))
    return instrument.weight * HUNDRED / count if count else None


def overall_from_means(rules: Rules, means: Mapping[str, Decimal]) -> Decimal | None:
    """The weighted overall of instrument scores (instrument code -> score), unrounded; None
    unless every instrument's is known: a predicted overall from a predicted OIT and the other
    instruments' scores of another year or an estimate."""
    if any(inst.code not in means for inst in rules.instruments):
        return None
    return sum((inst.weight * means[inst.code] for inst in rules.instruments), ZERO)


def item_cost(rules: Rules, code: str, items: Mapping[str, Decimal]) -> Decimal | None:
    """Overall points an item scored below 100 costs, the other items as they are: its
    instrument's weight times how far its mean would rise with the item at 100 (an item of an
    indicator of 7 items moves it more than one of 19; item_worth is the average). None when
    the instrument's mean cannot be computed from the items."""
    item = rules.item(code)
    if item is None:
        return None
    instrument = rules.instrument_of(item.indicator)
    better = {**items, code: HUNDRED}
    now = _mean_from_items(rules, instrument, items)
    then = _mean_from_items(rules, instrument, better)
    if now is None or then is None:
        return None
    return instrument.weight * (then - now)


def _mean_from_items(
    rules: Rules, instrument: InstrumentRule, items: Mapping[str, Decimal]
) -> Decimal | None:
    scores = {n: indicator_from_items(rules, n, items) for n in instrument.indicators}
    known = {n: s for n, s in scores.items() if s is not None}
    return instrument_means(rules, known).get(instrument.code)


def _all_or_nothing_items(rules: Rules, instrument: InstrumentRule) -> list[ItemRule]:
    return [i for i in rules.items if i.all_or_nothing and i.indicator in instrument.indicators]


@dataclass(frozen=True)
class Shortfall:
    """An instrument under a band's floor: its score and the floor it must reach."""

    code: str
    score: Decimal
    floor: Decimal

    @property
    def points(self) -> Decimal:
        return self.floor - self.score


@dataclass(frozen=True)
class RatingGap:
    """What stands between a year and a higher rating: the overall points it lacks, the
    instruments under the band's floors, and the all-or-nothing (OIT) items that would close
    it: how many (None when even every one missing would not) and which, when item scores are
    known (those scored 0, in the framework's order)."""

    band: Band
    overall_short: Decimal
    below_floor: tuple[Shortfall, ...]
    unknown_floors: tuple[str, ...]
    item_instrument: str | None = None
    item_worth: Decimal | None = None
    items_needed: int | None = None
    items: tuple[str, ...] = ()

    @property
    def blocking(self) -> tuple[Shortfall, ...]:
        """The instruments below the floor that the items cannot lift."""
        return tuple(s for s in self.below_floor if s.code != self.item_instrument)

    @property
    def items_close_it(self) -> bool:
        """Whether the items alone bring the year to this band."""
        return (
            self.items_needed is not None
            and self.items_needed > 0
            and not self.blocking
            and not self.unknown_floors
        )


def rating_gaps(
    rules: Rules,
    *,
    score: Decimal,
    instrument_scores: Mapping[str, Decimal],
    item_scores: Mapping[str, Decimal],
    possible: tuple[Band, ...],
) -> list[RatingGap]:
    """For every band above the year's rating (above the lowest still possible when the
    figures leave several), lowest first: how far the year is from it."""
    ranked = rules.ranked_bands
    if not possible:
        return []
    lowest = max(ranked.index(band) for band in possible)
    known = {code: round2(value) for code, value in instrument_scores.items()}
    gaps = [
        _rating_gap(rules, band, score=score, known=known, item_scores=item_scores)
        for band in ranked[:lowest]
    ]
    return [
        gap for gap in reversed(gaps) if gap.overall_short or gap.below_floor or gap.unknown_floors
    ]


def _rating_gap(
    rules: Rules,
    band: Band,
    *,
    score: Decimal,
    known: Mapping[str, Decimal],
    item_scores: Mapping[str, Decimal],
) -> RatingGap:
    overall_short = max(ZERO, band.min_score - score)
    below = tuple(
        Shortfall(code, known[code], floor)
        for code, floor in band.floors
        if code in known and known[code] < floor
    )
    unknown = tuple(code for code, _floor in band.floors if code not in known)
    gap = RatingGap(band, overall_short, below, unknown)
    for inst in rules.instruments:
        worth = item_worth(rules, inst)
        if worth is None:
            continue
        items = _all_or_nothing_items(rules, inst)
        per_item = HUNDRED / len(items)
        entered = [i for i in items if i.code in item_scores]
        missing = [i.code for i in entered if item_scores[i.code] == ZERO]
        current = known.get(inst.code)
        if entered:
            available = len(missing)
        elif current is not None:
            available = int(((HUNDRED - current) / per_item).to_integral_value(ROUND_HALF_UP))
        else:
            available = len(items)
        floor = dict(band.floors).get(inst.code)
        needed = None
        for count in range(available + 1):
            lifted = current + count * per_item if current is not None else None
            if round2(score + count * worth) >= band.min_score and (
                floor is None or lifted is None or round2(lifted) >= floor
            ):
                needed = count
                break
        return RatingGap(
            band,
            overall_short,
            below,
            unknown,
            item_instrument=inst.code,
            item_worth=round2(worth),
            items_needed=needed,
            items=tuple(missing[:needed]) if needed else (),
        )
    return gap
