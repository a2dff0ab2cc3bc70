"""Each drafted sentence held against figures where a fixed sentence would be false (no DB)."""

import datetime as dt
from decimal import Decimal

from assessments.ita import Tier
from measures.schedule import Tally
from reports.documents.drafting import (
    IndicatorFacts,
    YearFacts,
    draft_indicator,
    draft_instrument_description,
    draft_overall,
    draft_progress,
    draft_tiers,
)
from tests.conftest import BANGKAO_2564, BANGKAO_2565, scores_of

D = Decimal
TODAY = dt.date(2026, 12, 3)
NAMES = {
    1: "การปฏิบัติหน้าที่", 2: "การใช้งบประมาณ", 3: "การใช้อำนาจ", 4: "การใช้ทรัพย์สินของราชการ",
    5: "การแก้ไขปัญหาการทุจริต", 6: "คุณภาพการดำเนินงาน", 7: "ประสิทธิภาพการสื่อสาร",
    8: "การปรับปรุงการทำงาน", 9: "การเปิดเผยข้อมูล", 10: "การป้องกันการทุจริต",
}  # fmt: skip


def facts(**overrides):
    base = {
        "number": 10, "name": "การป้องกันการทุจริต", "score": D("37.50"),
        "tier": Tier.URGENT, "change": D("-56.25"), "previous_year": 2564,
        "lowest": True, "highest": False, "instrument": "OIT", "instrument_mean": D("51.07"),
        "measures": ("ประเมินความเสี่ยงการทุจริตประจำปี",),
    }  # fmt: skip
    base.update(overrides)
    return IndicatorFacts(**base)


def indicator(digits=True, target=None, **overrides):
    return draft_indicator(
        facts(**overrides),
        target=target or D(90),
        maintain_from=D(90),
        raise_from=D(85),
        digits=digits,
    )


def test_it_drafts_an_urgent_indicator_with_its_change_and_its_own_measures():
    text = indicator()
    assert text.startswith("ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๓๗.๕๐ คะแนน")
    assert "ลดลง ๕๖.๒๕ คะแนนจากปีงบประมาณ พ.ศ. ๒๕๖๔" in text
    assert "ต่ำที่สุด" in text and "แก้ไขเร่งด่วน" in text and "๘๕.๐๐" in text
    assert "ต่ำกว่าค่าเฉลี่ยของ OIT (๕๑.๐๗ คะแนน) ๑๓.๕๗ คะแนน" in text
    assert "มาตรการที่กำหนดไว้สำหรับตัวชี้วัดนี้ ๑ มาตรการ ได้แก่ “ประเมินความเสี่ยง" in text


def test_it_says_an_urgent_indicator_has_no_measure_yet():
    assert "ยังไม่ได้กำหนดมาตรการสำหรับตัวชี้วัดนี้" in indicator(measures=())


def test_two_indicators_of_one_instrument_read_differently():
    """The instrument's issues pasted into each indicator made them read alike (issue 13)."""
    one = indicator(number=9, name="การเปิดเผยข้อมูล", score=D("64.63"), lowest=False)
    other = indicator(measures=("จัดทำแผนป้องกันการทุจริต",))
    assert "สูงกว่าค่าเฉลี่ยของ OIT" in one and "ต่ำกว่าค่าเฉลี่ยของ OIT" in other
    assert "แผนป้องกัน" in other and "แผนป้องกัน" not in one


def test_it_drafts_in_arabic_digits_for_organisations_that_use_them():
    text = indicator(digits=False, tier=Tier.RAISE, score=D("87.50"), lowest=False)
    assert "87.50" in text and "90.00" in text and "ยกระดับ" in text
    assert "๐" not in text and "๙" not in text


def test_it_asks_no_measure_of_a_maintained_indicator():
    text = indicator(
        tier=Tier.MAINTAIN, score=D(100), change=None, previous_year=None, lowest=False,
        highest=True,
        measures=(),
    )  # fmt: skip
    assert "รักษาระดับ" in text and "สูงที่สุด" in text and "ยังไม่ได้กำหนดมาตรการ" not in text
    assert "จากปี" not in text and "เปรียบเทียบ" not in text


def test_it_says_when_last_year_had_no_score_for_the_indicator():
    text = indicator(change=None)
    assert "ไม่มีคะแนนของปีงบประมาณ พ.ศ. ๒๕๖๔ สำหรับเปรียบเทียบ" in text


def test_it_calls_a_change_that_rounds_to_nothing_equal():
    text = indicator(change=D("0.004"))
    assert "เท่ากับปีงบประมาณ พ.ศ. ๒๕๖๔" in text and "เพิ่มขึ้น" not in text


def test_it_names_the_indicators_tied_for_lowest():
    text = indicator(tied_with=(8, 9))
    assert "ซึ่งเป็นตัวชี้วัดที่ได้คะแนนต่ำที่สุด ร่วมกับตัวชี้วัดที่ ๘ และ ๙" in text


def test_it_aims_a_raise_indicator_past_a_target_it_already_reaches():
    text = indicator(tier=Tier.RAISE, score=D("87.00"), lowest=False, target=D(85))
    assert "ให้ได้คะแนนถึง ๙๐.๐๐ คะแนน" in text and "๘๕.๐๐" not in text


def year(**overrides):
    base = {
        "organisation": "เทศบาลตำบลบางเก่า", "year": 2565, "score": D("68.78"), "level": "C",
        "passing": False, "pass_mark": D(85), "previous_year": 2564,
        "previous_score": D("92.44"), "change": D("-23.66"),
        "scores": scores_of(BANGKAO_2565), "names": NAMES,
        "changes": {
            n: s - scores_of(BANGKAO_2564)[n] for n, s in scores_of(BANGKAO_2565).items()
        },
    }  # fmt: skip
    base.update(overrides)
    return draft_overall(YearFacts(**base), digits=True)


def test_it_drafts_the_overall_paragraph_against_the_year_before():
    text = year()
    assert "ได้คะแนน ๖๘.๗๘ คะแนน อยู่ในระดับ C ซึ่งยังไม่ผ่านเกณฑ์การประเมิน" in text
    assert "เมื่อเทียบกับปีงบประมาณ พ.ศ. ๒๕๖๔ ซึ่งได้ ๙๒.๔๔ คะแนน คะแนนภาพรวมลดลง ๒๓.๖๖ คะแนน" in text
    assert ("ตัวชี้วัดที่คะแนนเพิ่มขึ้น ๒ ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ ๖ (๕.๒๕ คะแนน) และตัวชี้วัดที่ ๘ (๑.๗๗ คะแนน)") in text
    assert "ตัวชี้วัดที่คะแนนลดลง ๘ ตัวชี้วัด" in text and "ตัวชี้วัดที่ ๑๐ (๕๖.๒๕ คะแนน)" in text
    assert "เท่าเดิม" not in text
    assert "ต่ำที่สุด ได้แก่ ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต (๓๗.๕๐ คะแนน)" in text


def test_it_never_calls_a_failing_score_passed():
    assert "ซึ่งผ่านเกณฑ์" not in year()
    passed = year(score=D("92.44"), level="A", passing=True, previous_year=None, changes={})
    assert "อยู่ในระดับ A ซึ่งผ่านเกณฑ์การประเมิน (เกณฑ์ผ่าน ๘๕.๐๐ คะแนนขึ้นไป)" in passed


def test_it_flags_a_published_level_its_score_contradicts():
    text = year(
        score=D("99.78"), level="ผ่านดีเยี่ยม", passing=True, published_level="ต้องปรับปรุง",
        level_mismatch=True, previous_year=None, scores={}, changes={},
    )  # fmt: skip
    assert "อยู่ในระดับ ผ่านดีเยี่ยม" in text
    assert "ระดับที่ประกาศ “ต้องปรับปรุง” ไม่ตรงกับช่วงคะแนน ๙๙.๗๘ คะแนน" in text


def test_it_says_plainly_that_there_is_no_previous_year():
    text = year(previous_year=None, previous_score=None, change=None, changes={})
    assert "ไม่มีผลการประเมินของปีงบประมาณ พ.ศ. ๒๕๖๔ ในระบบ จึงไม่อาจเปรียบเทียบกับปีก่อนได้" in text
    assert "ลดลง" not in text and "เพิ่มขึ้น" not in text


def test_it_says_when_last_year_had_only_a_published_score():
    text = year(changes={})
    assert "คะแนนภาพรวมลดลง ๒๓.๖๖ คะแนน" in text
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๔ ไม่มีคะแนนรายตัวชี้วัดในระบบ" in text


def test_it_lists_indicators_that_stayed_level():
    text = year(changes={1: D(0), 2: D("2.5"), 3: D(0)}, change=D(0))
    assert "คะแนนภาพรวมเท่าเดิม" in text
    assert "ตัวชี้วัดที่คะแนนเท่าเดิม ๒ ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ ๑ และ ๓" in text
    assert "ตัวชี้วัดที่คะแนนลดลง" not in text


def test_it_names_every_indicator_tied_for_highest_and_lowest():
    scores = {n: D(100) for n in range(1, 11)} | {4: D("80.00"), 7: D(80)}
    text = year(scores=scores, changes={})
    assert ("สูงที่สุด ได้แก่ ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่ ตัวชี้วัดที่ ๒ การใช้งบประมาณ") in text
    assert "และตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต (๑๐๐.๐๐ คะแนน)" in text
    assert (
        "ต่ำที่สุด ได้แก่ ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ และตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร (๘๐.๐๐ คะแนน)"
    ) in text


def test_it_says_when_every_indicator_scored_the_same():
    text = year(scores={n: D(90) for n in range(1, 11)}, changes={})
    assert "ทุกตัวชี้วัดได้คะแนนเท่ากัน คือ ๙๐.๐๐ คะแนน" in text
    assert "สูงที่สุด" not in text


def test_it_says_there_is_no_score_yet():
    text = year(score=None, level="", scores={}, changes={})
    assert text == "เทศบาลตำบลบางเก่า ยังไม่มีผลคะแนนการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕ ในระบบ"


def progress(digits=True, **counts):
    base = {
        "done": 0, "in_progress": 0, "not_started": 0, "cancelled": 0, "past_end": 0,
        "follow_up_missed": 0,
    }  # fmt: skip
    return draft_progress(Tally(**base | counts), year=2566, today=TODAY, digits=digits)


def test_it_reports_thirteen_overdue_measures_none_done():
    draft = progress(not_started=13, past_end=13)
    whole = f"{draft.facts} {draft.considerations} {draft.proposal}"
    assert "เป็นไปตามมาตรการที่กำหนด" not in whole and "ครบทุกมาตรการแล้ว" not in whole
    assert draft.facts.startswith("ณ วันที่ ๓ ธันวาคม ๒๕๖๙ จากมาตรการทั้งหมด ๑๓ มาตรการ")
    assert "ดำเนินการแล้วเสร็จ ๐ มาตรการ" in draft.facts
    assert "ยังไม่เริ่มดำเนินการ ๑๓ มาตรการ" in draft.facts
    assert "มาตรการที่เลยกำหนด ๑๓ มาตรการ" in draft.facts
    assert "มาตรการทั้ง ๑๓ มาตรการยังไม่ได้เริ่มดำเนินการ" in draft.considerations
    assert "เลยกำหนด ๑๓ มาตรการ ซึ่งต้องเร่งติดตาม" in draft.considerations
    assert "เร่งดำเนินการมาตรการที่เลยกำหนด" in draft.proposal


def test_it_concludes_all_done_only_when_every_live_measure_is():
    draft = progress(done=5, cancelled=1)
    assert draft.considerations == "ดำเนินการครบทุกมาตรการแล้ว (ไม่นับมาตรการที่ยกเลิก ๑ มาตรการ)"
    assert "ไม่มีมาตรการที่เลยกำหนด" in draft.facts and "และยกเลิก ๑ มาตรการ" in draft.facts
    assert "เลยกำหนด" not in draft.proposal
    assert "ครบทุกมาตรการแล้ว" not in progress(done=5, in_progress=1).considerations


def test_it_separates_measures_past_their_end_from_missed_follow_ups():
    draft = progress(done=2, in_progress=3, not_started=1, past_end=1, follow_up_missed=2)
    assert (
        "มาตรการที่เลยกำหนด ๓ มาตรการ (สิ้นสุดระยะเวลาดำเนินการแล้วแต่ยังไม่แล้วเสร็จ ๑ มาตรการ "
        "และไม่ได้รายงานความก้าวหน้าตามรอบการติดตาม ๒ มาตรการ)"
    ) in draft.facts
    assert "ยังไม่แล้วเสร็จ ๔ มาตรการ จาก ๖ มาตรการ" in draft.considerations


def test_it_says_unfinished_measures_are_on_time_when_none_is_late():
    draft = progress(done=1, in_progress=2, digits=False)
    assert "ยังไม่แล้วเสร็จ 2 มาตรการ จาก 3 มาตรการ" in draft.considerations
    assert "ยังอยู่ในกำหนดเวลาดำเนินการ" in draft.considerations
    assert "ณ วันที่ 3 ธันวาคม 2569" in draft.facts and "เลยกำหนด" not in draft.proposal


def test_it_says_not_started_without_calling_it_late_before_its_time():
    draft = progress(not_started=4)
    assert "มาตรการทั้ง ๔ มาตรการยังไม่ได้เริ่มดำเนินการ" in draft.considerations
    assert "ยังอยู่ในกำหนดเวลา" in draft.considerations


def test_it_says_a_plan_without_measures_has_nothing_to_report():
    draft = progress()
    assert "ยังไม่มีมาตรการในระบบ" in draft.facts
    assert "จึงยังไม่มีผลการดำเนินการที่จะรายงาน" in draft.considerations
    assert "ครบทุกมาตรการ" not in draft.considerations


def test_it_says_so_when_every_measure_was_cancelled():
    draft = progress(cancelled=2)
    assert "มาตรการทั้งหมดได้ยกเลิกแล้ว" in draft.considerations


def test_it_lists_urgent_and_raise_indicators():
    tiers = {1: Tier.URGENT, 2: Tier.RAISE, 3: Tier.URGENT, 4: Tier.MAINTAIN}
    text = draft_tiers(tiers, raise_from=D(85), maintain_from=D(90), digits=True)
    assert "ตัวชี้วัดที่ต้องแก้ไขเร่งด่วน (คะแนนต่ำกว่า ๘๕.๐๐ คะแนน) ๒ ตัวชี้วัด ได้แก่ ตัวชี้วัดที่ ๑ และ ๓" in text
    assert "ตัวชี้วัดที่ควรยกระดับ" in text and "ได้แก่ ตัวชี้วัดที่ ๒" in text
    all_kept = draft_tiers({1: Tier.MAINTAIN}, raise_from=D(85), maintain_from=D(90), digits=True)
    assert all_kept == "ทุกตัวชี้วัดได้คะแนนไม่ต่ำกว่า ๙๐.๐๐ คะแนน อยู่ในระดับรักษาระดับ"


def test_it_counts_measures_carried_into_next_years_plan_apart():
    draft = progress(done=3, carried_forward=2)
    assert "จากมาตรการทั้งหมด ๕ มาตรการ" in draft.facts
    assert "ยกไปดำเนินการต่อในแผนปีถัดไป ๒ มาตรการ" in draft.facts
    assert draft.considerations.startswith("ดำเนินการครบทุกมาตรการแล้ว")
    only_carried = progress(carried_forward=4)
    assert "ยกไปดำเนินการต่อในแผนปีถัดไปแล้ว" in only_carried.considerations
    assert "ยกเลิกแล้ว" not in only_carried.considerations


def describe(changes, mean_change, code="EIT"):
    return draft_instrument_description(
        code=code, changes=changes, mean_change=mean_change, digits=True
    )


def test_an_instrument_is_described_with_how_it_measures_and_how_it_moved():
    text = describe([D("-1.5"), D("-2"), D("-0.1")], D("-1.2"), code="IIT")
    assert text == (
        "IIT ประกอบด้วย ๓ ตัวชี้วัด โดยประเมินจากการรับรู้ของบุคลากรภายในหน่วยงาน "
        "ซึ่งคะแนนเฉลี่ยลดลงจากปีก่อน ๑.๒๐ คะแนน และลดลงทั้ง ๓ ตัวชี้วัด"
    )


def test_a_mean_that_rose_while_an_indicator_fell_says_but():
    text = describe([D("5.25"), D("-1.81"), D("1.77")], D("1.73"))
    assert text.endswith("ซึ่งคะแนนเฉลี่ยเพิ่มขึ้นจากปีก่อน ๑.๗๓ คะแนน แต่ลดลง ๑ จาก ๓ ตัวชี้วัด")


def test_without_a_year_before_nothing_is_said_of_a_change():
    text = describe([None, None], None, code="OIT")
    assert text == "OIT ประกอบด้วย ๒ ตัวชี้วัด โดยตรวจการเปิดเผยข้อมูลสาธารณะทางเว็บไซต์ของหน่วยงาน"
    assert "ปีก่อน" not in text


def test_an_unchanged_mean_is_said_to_be_the_same():
    assert describe([D("1"), D("-1")], D("0")).endswith("ซึ่งคะแนนเฉลี่ยเท่ากับปีก่อน แต่ลดลง ๑ จาก ๒ ตัวชี้วัด")
