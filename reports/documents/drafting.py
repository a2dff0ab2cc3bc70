"""First drafts, in Thai, of what documents and memos say about the figures (pure functions).

Every sentence is derived from the numbers it is given, so that it cannot claim what they
contradict: scores, levels and changes come from assessments.ita, the counts of measures from
measures.schedule.tally. People edit the drafts; the analysis report prints what they saved
(reports.models.AnalysisText), a memo what its drafter kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from assessments import ita
from assessments.ita import Tier
from itaportal import thai
from measures.schedule import Tally

TIER_TEXT = {
    Tier.MAINTAIN: ("อยู่ในระดับรักษาระดับ ควรดำเนินการเช่นเดิมและตรวจสอบให้ครบถ้วนตามหลักเกณฑ์ที่ปรับปรุงใหม่"),
    Tier.RAISE: "อยู่ในระดับยกระดับ ควรปรับปรุงให้ดียิ่งขึ้นเพื่อให้ได้คะแนนถึง {goal}",
    Tier.URGENT: (
        "อยู่ในระดับแก้ไขเร่งด่วน ต้องแก้ไขจุดอ่อนและข้อบกพร่องอย่างเร่งด่วนเพื่อให้ได้คะแนนไม่ต่ำกว่า {raise_from}"
    ),
}


def and_list(items: Sequence[str], *, numbers: bool = False) -> str:
    """'ก', 'ก และข', 'ก ข และค': a list the way an official Thai text writes it ('๑ และ ๒')."""
    if len(items) <= 1:
        return "".join(items)
    joint = " และ " if numbers else " และ"
    return f"{' '.join(items[:-1])}{joint}{items[-1]}"


def _points(value: Decimal, digits: bool) -> str:
    return f"{thai.number(value, digits)} คะแนน"


def _fiscal_year(year: int, digits: bool) -> str:
    return f"ปีงบประมาณ พ.ศ. {thai.year_be(year, digits)}"


# --- The analysis report, one paragraph per indicator -------------------------------------


@dataclass(frozen=True)
class IndicatorFacts:
    number: int
    name: str
    score: Decimal
    tier: Tier
    change: Decimal | None
    previous_year: int | None  # None: no evaluated year before this one
    lowest: bool
    highest: bool
    tied_with: tuple[int, ...] = ()  # the other indicators sharing its lowest or highest score
    instrument: str = ""  # its instrument's code (IIT, EIT, OIT)
    instrument_mean: Decimal | None = None  # that instrument's mean score this year
    measures: tuple[str, ...] = ()  # the measures of the plan answering this year that name it


def _change_text(facts: IndicatorFacts, digits: bool) -> str:
    if facts.previous_year is None:
        return ""
    year = _fiscal_year(facts.previous_year, digits)
    if facts.change is None:
        return f" ไม่มีคะแนนของ{year} สำหรับเปรียบเทียบ"
    change = ita.round2(facts.change)
    if change > 0:
        return f" เพิ่มขึ้น {_points(change, digits)}จาก{year}"
    if change < 0:
        return f" ลดลง {_points(-change, digits)}จาก{year}"
    return f" เท่ากับ{year}"


def _numbers(numbers: Sequence[int], digits: bool) -> str:
    return and_list([thai.digits(n, digits) for n in numbers], numbers=True)


def draft_indicator(
    facts: IndicatorFacts,
    *,
    target: Decimal,
    maintain_from: Decimal,
    raise_from: Decimal,
    digits: bool,
) -> str:
    parts = [
        f"ตัวชี้วัดที่ {thai.digits(facts.number, digits)} {facts.name} "
        f"ได้คะแนน {_points(facts.score, digits)}{_change_text(facts, digits)}"
    ]
    extreme = "ต่ำที่สุด" if facts.lowest else "สูงที่สุด" if facts.highest else ""
    if extreme:
        sentence = f"ซึ่งเป็นตัวชี้วัดที่ได้คะแนน{extreme}"
        if facts.tied_with:
            sentence += f" ร่วมกับตัวชี้วัดที่ {_numbers(facts.tied_with, digits)}"
        parts.append(sentence)
    # The target is the goal unless this score already reaches it; then the maintain threshold is.
    goal = target if target > facts.score else maintain_from
    parts.append(
        TIER_TEXT[facts.tier].format(
            goal=_points(goal, digits), raise_from=_points(raise_from, digits)
        )
    )
    text = " ".join(parts)
    standing = _standing_sentence(facts, digits)
    if standing:
        text += f" {standing}"
    if facts.measures:
        titles = and_list([f"“{title.strip()}”" for title in facts.measures])
        text += (
            f" มาตรการที่กำหนดไว้สำหรับตัวชี้วัดนี้ "
            f"{thai.digits(len(facts.measures), digits)} มาตรการ ได้แก่ {titles}"
        )
    elif facts.tier != Tier.MAINTAIN:
        text += " ยังไม่ได้กำหนดมาตรการสำหรับตัวชี้วัดนี้"
    return text


def _standing_sentence(facts: IndicatorFacts, digits: bool) -> str:
    """Where the indicator stands within its instrument: above, below or at its mean."""
    if facts.instrument_mean is None or not facts.instrument:
        return ""
    gap = ita.round2(facts.score - facts.instrument_mean)
    mean = _points(facts.instrument_mean, digits)
    if gap > 0:
        return f"สูงกว่าค่าเฉลี่ยของ {facts.instrument} ({mean}) {_points(gap, digits)}"
    if gap < 0:
        return f"ต่ำกว่าค่าเฉลี่ยของ {facts.instrument} ({mean}) {_points(-gap, digits)}"
    return f"เท่ากับค่าเฉลี่ยของ {facts.instrument} ({mean})"


# --- A year's overall result: the analysis report's first paragraph, a memo's facts -------


@dataclass(frozen=True)
class YearFacts:
    """What one organisation's year says, as plain values taken from ita.Evaluation."""

    organisation: str
    year: int
    score: Decimal | None
    level: str  # the rating ita.rate gives (or the ratings still possible); "" without a score
    passing: bool
    pass_mark: Decimal | None
    published_level: str = ""
    level_mismatch: bool = False
    previous_year: int | None = None  # None: no evaluated year before this one
    previous_score: Decimal | None = None
    change: Decimal | None = None
    scores: Mapping[int, Decimal] = field(default_factory=dict)
    changes: Mapping[int, Decimal] = field(default_factory=dict)
    names: Mapping[int, str] = field(default_factory=dict)


def _level_sentences(facts: YearFacts, digits: bool) -> list[str]:
    assert facts.score is not None
    sentences = [
        f"ผลการประเมิน ITA ประจำ{_fiscal_year(facts.year, digits)} ของ{facts.organisation} "
        f"ได้คะแนน {_points(facts.score, digits)} อยู่ในระดับ {facts.level}"
    ]
    if facts.pass_mark is not None:
        verdict = "ซึ่งผ่านเกณฑ์การประเมิน" if facts.passing else "ซึ่งยังไม่ผ่านเกณฑ์การประเมิน"
        sentences[0] += f" {verdict} (เกณฑ์ผ่าน {_points(facts.pass_mark, digits)}ขึ้นไป)"
    if facts.level_mismatch and facts.published_level:
        sentences.append(
            f"ทั้งนี้ ระดับที่ประกาศ “{facts.published_level}” ไม่ตรงกับช่วงคะแนน "
            f"{_points(facts.score, digits)} ซึ่งอยู่ในระดับ {facts.level}"
        )
    return sentences


def _overall_change_sentence(facts: YearFacts, digits: bool) -> str:
    if facts.previous_year is None:
        return (
            f"ไม่มีผลการประเมินของ{_fiscal_year(facts.year - 1, digits)} ในระบบ "
            "จึงไม่อาจเปรียบเทียบกับปีก่อนได้"
        )
    before = _fiscal_year(facts.previous_year, digits)
    if facts.previous_score is None or facts.change is None:
        return f"{before} ไม่มีคะแนนภาพรวมในระบบ จึงไม่อาจเปรียบเทียบคะแนนภาพรวมกับปีก่อนได้"
    change = ita.round2(facts.change)
    opening = f"เมื่อเทียบกับ{before} ซึ่งได้ {_points(facts.previous_score, digits)}"
    if change > 0:
        return f"{opening} คะแนนภาพรวมเพิ่มขึ้น {_points(change, digits)}"
    if change < 0:
        return f"{opening} คะแนนภาพรวมลดลง {_points(-change, digits)}"
    return f"{opening} คะแนนภาพรวมเท่าเดิม"


def _movement_sentences(facts: YearFacts, digits: bool) -> list[str]:
    if facts.previous_year is None or not facts.scores:
        return []
    if not facts.changes:
        return [
            f"{_fiscal_year(facts.previous_year, digits)} ไม่มีคะแนนรายตัวชี้วัดในระบบ "
            "จึงไม่อาจเปรียบเทียบรายตัวชี้วัดได้"
        ]
    moved = ita.movement(facts.changes)
    sentences = []
    for numbers, words in ((moved.rose, "เพิ่มขึ้น"), (moved.fell, "ลดลง")):
        if numbers:
            items = [
                f"ตัวชี้วัดที่ {thai.digits(n, digits)} "
                f"({_points(abs(ita.round2(facts.changes[n])), digits)})"
                for n in numbers
            ]
            sentences.append(
                f"ตัวชี้วัดที่คะแนน{words} {thai.digits(len(numbers), digits)} ตัวชี้วัด "
                f"ได้แก่ {and_list(items)}"
            )
    if moved.same:
        sentences.append(
            f"ตัวชี้วัดที่คะแนนเท่าเดิม {thai.digits(len(moved.same), digits)} ตัวชี้วัด "
            f"ได้แก่ ตัวชี้วัดที่ {_numbers(moved.same, digits)}"
        )
    return sentences


def _named(numbers: Sequence[int], names: Mapping[int, str], digits: bool) -> str:
    return and_list(
        [f"ตัวชี้วัดที่ {thai.digits(n, digits)} {names.get(n, '')}".rstrip() for n in numbers]
    )


def _extreme_sentences(facts: YearFacts, digits: bool) -> list[str]:
    lowest, highest = ita.extremes(facts.scores)
    if not lowest:
        return []
    if lowest == highest:
        return [f"ทุกตัวชี้วัดได้คะแนนเท่ากัน คือ {_points(facts.scores[lowest[0]], digits)}"]
    return [
        f"ตัวชี้วัดที่ได้คะแนนสูงที่สุด ได้แก่ {_named(highest, facts.names, digits)} "
        f"({_points(facts.scores[highest[0]], digits)})",
        f"ตัวชี้วัดที่ได้คะแนนต่ำที่สุด ได้แก่ {_named(lowest, facts.names, digits)} "
        f"({_points(facts.scores[lowest[0]], digits)})",
    ]


def draft_overall(facts: YearFacts, *, digits: bool) -> str:
    if facts.score is None:
        return (
            f"{facts.organisation} ยังไม่มีผลคะแนนการประเมิน ITA "
            f"ประจำ{_fiscal_year(facts.year, digits)} ในระบบ"
        )
    return " ".join(
        [
            *_level_sentences(facts, digits),
            _overall_change_sentence(facts, digits),
            *_movement_sentences(facts, digits),
            *_extreme_sentences(facts, digits),
        ]
    )


# --- How a plan's measures stand: a memo reporting progress -------------------------------


@dataclass(frozen=True)
class ProgressDraft:
    facts: str
    considerations: str
    proposal: str


def _count(n: int, digits: bool) -> str:
    return f"{thai.digits(n, digits)} มาตรการ"


def _overdue_sentence(counted: Tally, digits: bool) -> str:
    kinds = []
    if counted.past_end:
        kinds.append(f"สิ้นสุดระยะเวลาดำเนินการแล้วแต่ยังไม่แล้วเสร็จ {_count(counted.past_end, digits)}")
    if counted.follow_up_missed:
        kinds.append(
            f"ไม่ได้รายงานความก้าวหน้าตามรอบการติดตาม {_count(counted.follow_up_missed, digits)}"
        )
    return f"มาตรการที่เลยกำหนด {_count(counted.overdue, digits)} ({and_list(kinds)})"


def draft_progress(counted: Tally, *, year: int, today: dt.date, digits: bool) -> ProgressDraft:
    """A progress memo's facts, considerations and proposal from the plan's tally on `today`."""
    as_of = f"ณ วันที่ {thai.date_be(today, digits)}"
    publish = "รายงานผลการดำเนินการตามมาตรการต่อผู้บริหารและเผยแพร่ทางเว็บไซต์ของหน่วยงาน"
    if counted.total == 0:
        return ProgressDraft(
            facts=(
                f"{as_of} มาตรการส่งเสริมคุณธรรมและความโปร่งใส ประจำ{_fiscal_year(year, digits)} "
                "ยังไม่มีมาตรการในระบบ"
            ),
            considerations="เมื่อยังไม่ได้กำหนดมาตรการ จึงยังไม่มีผลการดำเนินการที่จะรายงาน",
            proposal="เห็นควรให้ผู้รับผิดชอบกำหนดมาตรการให้ครบถ้วนก่อน แล้วจึงรายงานผลการดำเนินการต่อผู้บริหาร",
        )
    facts = (
        f"{as_of} จากมาตรการทั้งหมด {_count(counted.total, digits)} "
        f"ดำเนินการแล้วเสร็จ {_count(counted.done, digits)} "
        f"อยู่ระหว่างดำเนินการ {_count(counted.in_progress, digits)} "
        f"ยังไม่เริ่มดำเนินการ {_count(counted.not_started, digits)}"
    )
    if counted.cancelled:
        facts += f" และยกเลิก {_count(counted.cancelled, digits)}"
    if counted.carried_forward:
        facts += f" และยกไปดำเนินการต่อในแผนปีถัดไป {_count(counted.carried_forward, digits)}"
    if counted.overdue:
        facts += f" ในจำนวนนี้มี{_overdue_sentence(counted, digits)}"
    else:
        facts += " ไม่มีมาตรการที่เลยกำหนด"
    facts += " รายละเอียดตามรายงานผลการดำเนินการที่แนบ"

    if counted.live == 0 and counted.carried_forward:
        considerations = (
            "มาตรการที่ยังไม่แล้วเสร็จได้ยกไปดำเนินการต่อในแผนปีถัดไปแล้ว จึงไม่มีมาตรการที่ต้องดำเนินการต่อในแผนนี้"
        )
    elif counted.live == 0:
        considerations = "มาตรการทั้งหมดได้ยกเลิกแล้ว จึงไม่มีมาตรการที่ต้องดำเนินการต่อ"
    elif counted.done == counted.live:
        considerations = "ดำเนินการครบทุกมาตรการแล้ว"
        if counted.cancelled:
            considerations += f" (ไม่นับมาตรการที่ยกเลิก {_count(counted.cancelled, digits)})"
        if counted.carried_forward:
            considerations += (
                f" (ไม่นับมาตรการที่ยกไปแผนปีถัดไป {_count(counted.carried_forward, digits)})"
            )
    else:
        open_ = counted.live - counted.done
        if counted.done == 0 and counted.in_progress == 0:
            sentences = [f"มาตรการทั้ง {_count(counted.live, digits)}ยังไม่ได้เริ่มดำเนินการ"]
        else:
            sentences = [
                f"การดำเนินการยังไม่ครบทุกมาตรการ โดยยังไม่แล้วเสร็จ {_count(open_, digits)}"
                f" จาก {_count(counted.live, digits)}"
            ]
        if counted.overdue:
            sentences.append(
                f"มีมาตรการที่เลยกำหนด {_count(counted.overdue, digits)} "
                "ซึ่งต้องเร่งติดตามให้ผู้รับผิดชอบดำเนินการและรายงานผล"
            )
        else:
            sentences.append("มาตรการที่ยังไม่แล้วเสร็จยังอยู่ในกำหนดเวลาดำเนินการ")
        considerations = " ".join(sentences)

    if counted.overdue:
        proposal = (
            f"เห็นควรมอบหมายผู้รับผิดชอบเร่งดำเนินการมาตรการที่เลยกำหนดและรายงานความก้าวหน้า และ{publish}"
        )
    else:
        proposal = f"เห็นควร{publish}"
    return ProgressDraft(facts=facts, considerations=considerations, proposal=proposal)


def draft_tiers(
    tiers: Mapping[int, Tier], *, raise_from: Decimal, maintain_from: Decimal, digits: bool
) -> str:
    """Which indicators need urgent work, which should be raised: a memo's consideration."""
    if not tiers:
        return ""
    urgent = sorted(n for n, t in tiers.items() if t == Tier.URGENT)
    raise_ = sorted(n for n, t in tiers.items() if t == Tier.RAISE)
    if not urgent and not raise_:
        return f"ทุกตัวชี้วัดได้คะแนนไม่ต่ำกว่า {_points(maintain_from, digits)} อยู่ในระดับรักษาระดับ"
    sentences = []
    if urgent:
        sentences.append(
            f"ตัวชี้วัดที่ต้องแก้ไขเร่งด่วน (คะแนนต่ำกว่า {_points(raise_from, digits)}) "
            f"{thai.digits(len(urgent), digits)} ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ {_numbers(urgent, digits)}"
        )
    if raise_:
        sentences.append(
            f"ตัวชี้วัดที่ควรยกระดับ (คะแนนตั้งแต่ {thai.number(raise_from, digits)} "
            f"แต่ต่ำกว่า {_points(maintain_from, digits)}) "
            f"{thai.digits(len(raise_), digits)} ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ {_numbers(raise_, digits)}"
        )
    return " ".join(sentences)


# --- The measures plan: the year-over-year notes, the executive's acknowledgement ----------


def _direction(change: Decimal) -> str:
    """How a score moved, in the plan's words, once rounded to the hundredth it is printed to."""
    change = ita.round2(change)
    return "เพิ่มขึ้น" if change > 0 else "ลดลง" if change < 0 else "เท่าเดิม"


def instrument_change_note(code: str, change: Decimal | None) -> str:
    """'IIT คะแนนลดลงเมื่อเทียบกับปีก่อน' (seed 000's comparison column); '' without a change."""
    if change is None:
        return ""
    return f"{code} คะแนน{_direction(change)}เมื่อเทียบกับปีก่อน"


# How each instrument measures, as seed 000 introduces it ("… โดยประเมินจากการรับรู้ของ…").
INSTRUMENT_SOURCES = {
    "IIT": "โดยประเมินจากการรับรู้ของบุคลากรภายในหน่วยงาน",
    "EIT": "โดยประเมินจากการรับรู้ของผู้รับบริการและผู้มาติดต่อหน่วยงาน",
    "OIT": "โดยตรวจการเปิดเผยข้อมูลสาธารณะทางเว็บไซต์ของหน่วยงาน",
}


def draft_instrument_description(
    *,
    code: str,
    changes: Sequence[Decimal | None],
    mean_change: Decimal | None,
    digits: bool,
) -> str:
    """Seed 000's sentence under each instrument's heading in the plan: how many indicators,
    how it measures, how its mean and its indicators moved since the year before."""
    count = thai.digits(len(changes), digits)
    parts = [f"{code} ประกอบด้วย {count} ตัวชี้วัด"]
    if code in INSTRUMENT_SOURCES:
        parts.append(INSTRUMENT_SOURCES[code])
    if mean_change is not None:
        direction = _direction(mean_change)
        fell = sum(1 for c in changes if c is not None and _direction(c) == "ลดลง")
        if direction == "เท่าเดิม":
            moved = "ซึ่งคะแนนเฉลี่ยเท่ากับปีก่อน"
        else:
            points = _points(abs(ita.round2(mean_change)), digits)
            moved = f"ซึ่งคะแนนเฉลี่ย{direction}จากปีก่อน {points}"
        if fell == len(changes) and fell > 1:
            moved += f" และลดลงทั้ง {count} ตัวชี้วัด"
        elif fell:
            joint = "และ" if direction == "ลดลง" else "แต่"
            moved += f" {joint}ลดลง {thai.digits(fell, digits)} จาก {count} ตัวชี้วัด"
        parts.append(moved)
    return " ".join(parts)


def draft_instrument_changes(
    organisation: str,
    changes: Mapping[str, Decimal | None],
    needing: Sequence[str],
) -> str:
    """The sentence under the year-over-year table: which instruments rose or fell, and which
    indicators (urgent and raise, by name) the organisation has to fix."""
    groups: dict[str, list[str]] = {}
    for code, change in changes.items():
        if change is None:
            continue
        groups.setdefault(_direction(change), []).append(code)
    sentences = [f"{and_list(codes)} คะแนน{words}เมื่อเทียบกับปีก่อน" for words, codes in groups.items()]
    if needing:
        fix = f"ซึ่งสะท้อนให้เห็นว่า {organisation}ต้องแก้ไขปรับปรุงตัวชี้วัด{and_list(list(needing))}"
        sentences.append(fix)
    elif sentences:
        sentences.append(f"โดย{organisation}ได้คะแนนถึงระดับรักษาระดับทุกตัวชี้วัด")
    return " ".join(sentences)


def draft_acknowledgement(*, executive: str, basis_year: int, plan_year: int, digits: bool) -> str:
    """Seed 000's paragraph: the executive has taken note of the analysis and the measures."""
    return (
        f"{executive} ได้รับทราบรายงานผลการวิเคราะห์ผลคะแนนการประเมินคุณธรรมและความโปร่งใส"
        "ในการดำเนินงานของหน่วยงานภาครัฐ (Integrity and Transparency Assessment : ITA) "
        f"ประจำ{_fiscal_year(basis_year, digits)} และมาตรการ/แนวทางที่จะดำเนินการ "
        f"เพื่อยกระดับค่าคะแนนการประเมินในปีงบประมาณ พ.ศ. {thai.year_be(plan_year, digits)} "
        "สรุปได้ดังนี้"
    )
