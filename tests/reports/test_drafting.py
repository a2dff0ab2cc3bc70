from decimal import Decimal

from assessments.ita import Tier
from reports.documents.drafting import IndicatorFacts, draft_indicator, draft_overall


def facts(**overrides):
    base = {
        "number": 10, "name": "การป้องกันการทุจริต", "score": Decimal("37.50"),
        "tier": Tier.URGENT, "change": Decimal("-56.25"), "previous_year": 2564,
        "lowest": True, "highest": False, "issues": "ต้องประเมินความเสี่ยงการทุจริตประจำปี",
    }  # fmt: skip
    base.update(overrides)
    return IndicatorFacts(**base)


def test_it_drafts_an_urgent_indicator_with_its_change_and_issues():
    text = draft_indicator(facts(), target=Decimal(90), raise_from=Decimal(85), digits=True)
    assert text.startswith("ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต ได้คะแนน ๓๗.๕๐ คะแนน")
    assert "ลดลง ๕๖.๒๕ คะแนนจากปี ๒๕๖๔" in text
    assert "ต่ำที่สุด" in text and "แก้ไขเร่งด่วน" in text and "๘๕.๐๐" in text
    assert "ประเมินความเสี่ยง" in text


def test_it_drafts_in_arabic_digits_for_organisations_that_use_them():
    text = draft_indicator(
        facts(tier=Tier.RAISE, lowest=False),
        target=Decimal(90),
        raise_from=Decimal(85),
        digits=False,
    )
    assert "37.50" in text and "90.00" in text and "ยกระดับ" in text


def test_it_leaves_issues_out_of_a_maintained_indicator():
    text = draft_indicator(
        facts(tier=Tier.MAINTAIN, score=Decimal(100), change=None, lowest=False, highest=True),
        target=Decimal(90), raise_from=Decimal(85), digits=True,
    )  # fmt: skip
    assert "รักษาระดับ" in text and "สูงที่สุด" in text and "ประเมินความเสี่ยง" not in text
    assert "จากปี" not in text


def test_it_drafts_the_overall_paragraph():
    text = draft_overall(
        organisation="เทศบาลตำบลบางเก่า", year=2565, score=Decimal("68.78"), level="C",
        change=Decimal("-23.66"), lowest=["การป้องกันการทุจริต"], highest=["คุณภาพการดำเนินงาน"],
        digits=True,
    )  # fmt: skip
    assert "๖๘.๗๘ คะแนน อยู่ในระดับ C ลดลง ๒๓.๖๖ คะแนนจากปีก่อน" in text
    assert "ต่ำที่สุด ได้แก่ การป้องกันการทุจริต" in text
