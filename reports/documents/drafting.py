"""First drafts of the analysis report's paragraphs, in Thai, from the numbers (pure functions).

People edit the drafts; the report prints what they saved (reports.models.AnalysisText).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from assessments.ita import Tier
from itaportal import thai

TIER_TEXT = {
    Tier.MAINTAIN: ("อยู่ในระดับรักษาระดับ ควรดำเนินการเช่นเดิมและตรวจสอบให้ครบถ้วนตามหลักเกณฑ์ที่ปรับปรุงใหม่"),
    Tier.RAISE: "อยู่ในระดับยกระดับ ควรปรับปรุงให้ดียิ่งขึ้นเพื่อให้ได้คะแนนถึงเป้าหมาย {target}",
    Tier.URGENT: (
        "อยู่ในระดับแก้ไขเร่งด่วน ต้องแก้ไขจุดอ่อนและข้อบกพร่องอย่างเร่งด่วนเพื่อให้ได้คะแนนไม่ต่ำกว่า {raise_from}"
    ),
}


@dataclass(frozen=True)
class IndicatorFacts:
    number: int
    name: str
    score: Decimal
    tier: Tier
    change: Decimal | None
    previous_year: int | None
    lowest: bool
    highest: bool
    issues: str  # the plan's issues to fix for this indicator's instrument, if any


def _change_text(facts: IndicatorFacts, digits: bool) -> str:
    if facts.change is None or facts.previous_year is None:
        return ""
    year = thai.year_be(facts.previous_year, digits)
    if facts.change > 0:
        return f" เพิ่มขึ้น {thai.number(facts.change, digits)} คะแนนจากปี {year}"
    if facts.change < 0:
        return f" ลดลง {thai.number(-facts.change, digits)} คะแนนจากปี {year}"
    return f" เท่ากับปี {year}"


def draft_indicator(
    facts: IndicatorFacts, *, target: Decimal, raise_from: Decimal, digits: bool
) -> str:
    parts = [
        f"ตัวชี้วัดที่ {thai.digits(facts.number, digits)} {facts.name} "
        f"ได้คะแนน {thai.number(facts.score, digits)} คะแนน{_change_text(facts, digits)}"
    ]
    if facts.lowest:
        parts.append("ซึ่งเป็นตัวชี้วัดที่ได้คะแนนต่ำที่สุด")
    elif facts.highest:
        parts.append("ซึ่งเป็นตัวชี้วัดที่ได้คะแนนสูงที่สุด")
    parts.append(
        TIER_TEXT[facts.tier].format(
            target=thai.number(target, digits), raise_from=thai.number(raise_from, digits)
        )
    )
    text = " ".join(parts)
    if facts.issues and facts.tier != Tier.MAINTAIN:
        text += f" ประเด็นที่ต้องแก้ไขปรับปรุง ได้แก่ {facts.issues.strip()}"
    return text


def draft_overall(
    *,
    organisation: str,
    year: int,
    score: Decimal | None,
    level: str | None,
    change: Decimal | None,
    lowest: list[str],
    highest: list[str],
    digits: bool,
) -> str:
    if score is None:
        return (
            f"{organisation} ยังไม่มีผลคะแนนการประเมิน ITA "
            f"ประจำปีงบประมาณ พ.ศ. {thai.year_be(year, digits)}"
        )
    text = (
        f"ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {thai.year_be(year, digits)} ของ{organisation} "
        f"ได้คะแนน {thai.number(score, digits)} คะแนน อยู่ในระดับ {level}"
    )
    if change is not None:
        direction = "เพิ่มขึ้น" if change > 0 else "ลดลง" if change < 0 else "เท่าเดิม"
        text += f" {direction}"
        if change:
            text += f" {thai.number(abs(change), digits)} คะแนน"
        text += "จากปีก่อน"
    if highest:
        text += f" ตัวชี้วัดที่ได้คะแนนสูงที่สุด ได้แก่ {' '.join(highest)}"
    if lowest:
        text += f" ตัวชี้วัดที่ได้คะแนนต่ำที่สุด ได้แก่ {' '.join(lowest)}"
    return text
