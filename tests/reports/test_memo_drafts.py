"""Memos and the analysis report, drafted from a plan or an assessment, say what the data says."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.services import assessment_save
from measures.models import Measure, MeasurePlan, Progress
from measures.services import plan_create
from reports.documents.builders import analysis_document
from reports.documents.models import AnalysisText
from reports.memos import drafts
from tests.conftest import BANGKAO_2565, DEFAULT_THRESHOLDS, client_for, scores_of

TODAY = dt.date(2026, 12, 3)  # fiscal year 2566 ended on 30 September 2023


def add_measures(plan: MeasurePlan, statuses: list[str], **fields: object) -> list[Measure]:
    return [
        Measure.objects.create(
            plan=plan, order=i, title=f"มาตรการที่ {i}", indicators=[10], status=status, **fields
        )
        for i, status in enumerate(statuses, start=1)
    ]


@pytest.fixture
def plan(assessed_org):
    return plan_create(organisation=assessed_org, fiscal_year=2566)


def test_it_reports_a_plan_with_nothing_done_and_everything_overdue(plan, staff):
    add_measures(plan, ["not_started"] * 13)
    draft = drafts.from_plan(plan, staff, today=TODAY)
    text = " ".join(draft[k] for k in ("facts", "considerations", "proposal"))
    assert "เป็นไปตามมาตรการที่กำหนด" not in text
    assert "จากมาตรการทั้งหมด ๑๓ มาตรการ ดำเนินการแล้วเสร็จ ๐ มาตรการ" in draft["facts"]
    assert "มาตรการที่เลยกำหนด ๑๓ มาตรการ" in draft["facts"]
    assert "ต้องเร่งติดตาม" in draft["considerations"]


def test_it_concludes_all_done_when_every_measure_is(plan, staff):
    add_measures(plan, ["done", "done", "cancelled"])
    draft = drafts.from_plan(plan, staff, today=TODAY)
    assert draft["considerations"].startswith("ดำเนินการครบทุกมาตรการแล้ว")
    assert "ดำเนินการแล้วเสร็จ ๒ มาตรการ" in draft["facts"]
    assert "ไม่มีมาตรการที่เลยกำหนด" in draft["facts"]


def test_it_counts_a_missed_follow_up_during_the_year(plan, staff):
    late, on_time = add_measures(plan, ["in_progress", "in_progress"], cadence="monthly")
    Progress.objects.create(measure=on_time, date=dt.date(2023, 2, 20), done="ประชุม")
    Progress.objects.create(measure=late, date=dt.date(2022, 12, 1), done="ประชุม")
    draft = drafts.from_plan(plan, staff, today=dt.date(2023, 3, 1))
    assert "ณ วันที่ ๑ มีนาคม ๒๕๖๖" in draft["facts"]
    assert "ไม่ได้รายงานความก้าวหน้าตามรอบการติดตาม ๑ มาตรการ" in draft["facts"]
    assert "ยังไม่แล้วเสร็จ ๒ มาตรการ จาก ๒ มาตรการ" in draft["considerations"]


def test_it_says_a_plan_has_no_measures_yet(plan, staff):
    draft = drafts.from_plan(plan, staff, today=TODAY)
    assert "ยังไม่มีมาตรการในระบบ" in draft["facts"]
    assert "เป็นไปตาม" not in draft["considerations"]


def test_the_new_memo_form_starts_from_the_plans_figures(plan, staff):
    add_measures(plan, ["done", "not_started", "not_started"])
    url = reverse("reports:memo_new", args=[plan.organisation_id]) + "?from=plan&year=2566"
    initial = client_for(staff).get(url).context["form"].initial
    assert "ดำเนินการแล้วเสร็จ ๑ มาตรการ" in initial["facts"]
    assert "มาตรการที่เลยกำหนด ๒ มาตรการ" in initial["facts"]


def test_it_compares_an_assessment_with_the_year_before(assessed_org, staff):
    draft = drafts.from_assessment(assessed_org, 2565, staff)
    assert "๖๘.๗๘ คะแนน อยู่ในระดับ C ซึ่งยังไม่ผ่านเกณฑ์การประเมิน" in draft["facts"]
    assert "คะแนนภาพรวมลดลง ๒๓.๖๖ คะแนน" in draft["facts"]
    assert "ตัวชี้วัดที่คะแนนเพิ่มขึ้น ๒ ตัวชี้วัด" in draft["facts"]
    assert "ตัวชี้วัดที่ต้องแก้ไขเร่งด่วน" in draft["considerations"]
    assert "๘ ตัวชี้วัด" in draft["considerations"]


def test_it_says_there_is_no_year_before_to_compare(assessed_org, staff):
    draft = drafts.from_assessment(assessed_org, 2564, staff)
    assert "ไม่มีผลการประเมินของปีงบประมาณ พ.ศ. ๒๕๖๓ ในระบบ" in draft["facts"]


def test_it_does_not_repeat_a_published_level_the_score_contradicts(org, staff):
    assessment_save(
        organisation=org, fiscal_year=2567, scores={}, published_score=Decimal("99.78"),
        published_level="ต้องปรับปรุง", thresholds=DEFAULT_THRESHOLDS, user=None,
    )  # fmt: skip
    facts = drafts.from_assessment(org, 2567, staff)["facts"]
    assert "ระดับต้องปรับปรุง" not in facts and "อยู่ในระดับ ผ่านดีเยี่ยม" in facts
    assert "ระดับที่ประกาศ “ต้องปรับปรุง” ไม่ตรงกับช่วงคะแนน" in facts


def test_it_does_not_promise_an_analysis_it_cannot_attach(org, staff):
    assessment_save(
        organisation=org, fiscal_year=2565, scores={}, published_score=None,
        published_level="", thresholds=DEFAULT_THRESHOLDS, user=None,
    )  # fmt: skip
    draft = drafts.from_assessment(org, 2565, staff)
    assert "ยังไม่มีผลการประเมินของเทศบาลตำบลบางเก่า ในระบบ" in draft["facts"]
    assert "เอกสารแนบ" not in draft["considerations"] and draft["attachments"] == []


def test_the_analysis_report_names_every_indicator_tied_for_top_and_bottom(org):
    scores = scores_of(BANGKAO_2565) | {3: Decimal("86.27"), 9: Decimal("37.50")}
    assessment_save(
        organisation=org, fiscal_year=2565, scores=scores, published_score=None,
        published_level="", thresholds=DEFAULT_THRESHOLDS, user=None,
    )  # fmt: skip
    html = analysis_document(org, 2565).html()
    assert "คะแนนสูงสุด: ๓. การใช้อำนาจ (๘๖.๒๗), ๖. คุณภาพการดำเนินงาน (๘๖.๒๗)" in html
    assert "คะแนนต่ำสุด: ๙. การเปิดเผยข้อมูล (๓๗.๕๐), ๑๐. การป้องกันการทุจริต (๓๗.๕๐)" in html
    assert "ได้คะแนนต่ำที่สุด ร่วมกับตัวชี้วัดที่ ๑๐" in html


def test_an_analysis_paragraph_left_as_drafted_follows_later_figures(assessed_org, staff):
    url = reverse("reports:analysis_texts", args=[assessed_org.pk, 2565])
    client = client_for(staff)
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["text_1"] = "ข้อความที่เจ้าหน้าที่เขียนเอง"
    client.post(url, data)
    assert list(AnalysisText.objects.values_list("number", flat=True)) == [1]
    assessment_save(
        organisation=assessed_org, fiscal_year=2565, scores=scores_of(BANGKAO_2565),
        published_score=Decimal("70.00"), published_level="", thresholds=DEFAULT_THRESHOLDS,
        user=None,
    )  # fmt: skip
    html = analysis_document(assessed_org, 2565).html()
    assert "ได้คะแนน ๗๐.๐๐ คะแนน อยู่ในระดับ C" in html
    assert "ข้อความที่เจ้าหน้าที่เขียนเอง" in html
