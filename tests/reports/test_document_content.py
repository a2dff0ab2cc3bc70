"""What each document holds against its seed (issue 13): plans answering the results they chose,
seed 000's and 002's tables in the plan, per-indicator analysis, the sections people write, the
progress report by indicator. Read from the HTML the PDF is made of; the PDFs' layout is in
test_document_layout.py."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, Role, User
from reports.documents import models as document_models
from reports.documents.builders import build
from reports.documents.models import AnalysisText
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BANGKAO = "เทศบาลตำบลบางเก่า"
NAKHONSI = "เทศบาลนครนครศรีธรรมราช"
PHUSANG = "องค์การบริหารส่วนตำบลภูซาง"


def words(name: str, kind: str, year: int) -> str:
    """The document's text as a reader sees it, without markup, on one line."""
    org = Organisation.objects.get(name=name)
    markup = re.sub(r"<style.*?</style>|<[^>]+>", " ", build(kind, org, year).html(), flags=re.S)
    return " ".join(html.unescape(markup).split())


@pytest.mark.parametrize("name", [NAKHONSI, PHUSANG])
def test_a_plan_answering_its_own_years_results_keeps_sections_1_to_4(demo, name):
    """Seeds 001 and 002 build the FY plan on the same FY's results: nothing is lost."""
    text = words(name, "plan", {NAKHONSI: 2565, PHUSANG: 2567}[name])
    assert "ยังไม่มีผลคะแนน" not in text
    for heading in (
        "๑. ผลคะแนนเทียบกับปีที่ผ่านมา",
        "๒. เป้าหมาย",
        "๓. ระดับความเข้มข้นของมาตรการ",
    ):
        assert heading in text


def test_the_plan_holds_seed_000s_comparison_notes_target_level_and_overall_row(demo):
    text = words(BANGKAO, "plan", 2566)
    assert "IIT คะแนนลดลงเมื่อเทียบกับปีก่อน" in text
    assert "OIT คะแนนลดลงเมื่อเทียบกับปีก่อน" in text
    # The summary sentence names the indicators to fix, by name.
    assert "ซึ่งสะท้อนให้เห็นว่า เทศบาลตำบลบางเก่าต้องแก้ไขปรับปรุงตัวชี้วัด" in text
    assert "การป้องกันการทุจริต" in text.split("ซึ่งสะท้อนให้เห็นว่า", 1)[1]
    assert "ไว้ที่ระดับ A (๙๐.๐๐ คะแนนหรือสูงกว่า)" in text
    # The overall row closes the per-indicator table of section 4, with its level.
    section_4 = text.split("๔. ผลคะแนนรายตัวชี้วัด", 1)[1].split("๕. การวิเคราะห์", 1)[0]
    assert "คะแนนภาพรวม ๖๘.๗๘ ระดับ" in section_4


def test_the_plan_holds_the_executives_acknowledgement_with_the_full_title(demo):
    text = words(BANGKAO, "plan", 2566)
    assert "นายกเทศมนตรีตำบลบางเก่า ได้รับทราบรายงานผลการวิเคราะห์" in text


def test_the_plan_gives_each_instrument_its_scores_issues_timeline_and_unit(demo):
    """Seed 002's table of score, level and issues per instrument; seed 000's timeline and
    responsible unit per instrument."""
    text = words(NAKHONSI, "plan", 2565)
    iit = text.split("๕.๑ ", 1)[1].split("๕.๒ ", 1)[0]
    assert "(IIT) คะแนนเฉลี่ย ๗๗.๗๑" in iit
    assert "๒. การใช้งบประมาณ ๗๕.๓๐ แก้ไขเร่งด่วน" in iit
    assert "ประเด็นที่ต้องแก้ไขปรับปรุง จากผลคะแนน IIT" in iit
    assert "- ระยะเวลาดำเนินการ ต.ค. ๖๔ – มี.ค. ๖๕" in iit
    assert "- ผู้รับผิดชอบ สำนักคลัง" in iit
    # Seed 000's opening sentence: what the instrument counts, how it measures, how it moved.
    assert "IIT ประกอบด้วย ๕ ตัวชี้วัด โดยประเมินจากการรับรู้ของบุคลากรภายในหน่วยงาน" in iit


def test_the_analysis_gives_each_indicator_its_own_paragraph(demo):
    """The instrument's issues were pasted into every indicator: five alike for บางเก่า."""
    text = words(BANGKAO, "analysis", 2565)
    analysis = text.split("๓. การวิเคราะห์รายตัวชี้วัด", 1)[1].split("๔. ", 1)[0]
    paragraphs = re.split(r"(?=ตัวชี้วัดที่ (?:๑๐|[๑-๙]) )", analysis)[1:]
    assert len(paragraphs) == 10
    assert "พนักงานบางคนยังขาดความเข้าใจ" not in analysis  # the IIT issues, once per indicator
    tails = [p.split("ได้คะแนน", 1)[1].split("อยู่ในระดับ", 1)[1] for p in paragraphs]
    assert len(set(tails)) == 10
    assert "ต่ำกว่าค่าเฉลี่ยของ OIT" in paragraphs[9]


def test_the_analysis_charts_each_instrument_and_the_overall_against_the_year_before(demo):
    """Seed 003's first two charts: the overall, and each instrument, beside the indicators'."""
    org = Organisation.objects.get(name=BANGKAO)
    page = build("analysis", org, 2566).html()
    charts = re.findall(r'<svg[^>]*class="ita-chart".*?</svg>', page, re.S)
    assert len(charts) == 2
    instruments = charts[0]
    assert "คะแนนรายเครื่องมือการประเมินและคะแนนภาพรวม ปีงบประมาณ ๒๕๖๖" in instruments
    assert 'id="instruments-chart-title"' in instruments
    groups = re.findall(r'<g class="indicator-group"[^>]*>(.*?)</g>', instruments, re.S)
    labels = [re.findall(r"<text[^>]*>(.*?)</text>", group) for group in groups]
    # Each group: the FY 2565 bar, the FY 2566 bar, then its name under the axis.
    assert [group[-1] for group in labels] == ["IIT", "EIT", "OIT", "ภาพรวม"]
    assert labels[3][:2] == ["๖๘.๘", "๗๘.๐"]  # the overall, 68.78 then 78.03
    assert all(group.count("<rect") == 2 for group in groups)


def test_the_analysis_answers_with_the_plan_that_chose_its_results(demo):
    """นครศรีธรรมราช's FY 2565 plan answers FY 2565: the analysis lists its measures."""
    text = words(NAKHONSI, "analysis", 2565)
    assert "การนำผลการประเมินไปใช้ในปีงบประมาณ พ.ศ. ๒๕๖๕" in text
    assert "ยังไม่ได้กำหนดมาตรการ" not in text.split("การนำผลการประเมินไปใช้", 1)[1]


def test_the_analysis_measures_table_has_seed_003s_columns(demo):
    """Seed 003: each measure with the result of the indicators it answers, and its steps."""
    text = words(NAKHONSI, "analysis", 2565)
    measures = text.split("การนำผลการประเมินไปใช้", 1)[1]
    assert (
        "มาตรการ/โครงการ/กิจกรรม ผลการวิเคราะห์ตัวชี้วัด ขั้นตอน/วิธีการปฏิบัติ "
        "ระยะเวลาดำเนินการ ผู้รับผิดชอบ" in measures
    )
    # The first measure answers indicator 2: its FY 2565 score and tier, then its method.
    first = measures.split("๑. สร้างการรับรู้", 1)[1].split("๒. ", 1)[0]
    assert "ตัวชี้วัดที่ ๒ การใช้งบประมาณ ได้คะแนน ๗๕.๓๐ (แก้ไขเร่งด่วน)" in first
    assert "จัดทำรายงานผลการใช้จ่ายงบประมาณ" in first


def test_the_paragraph_before_the_measures_is_written_per_document(bangkao_staff, demo):
    """Seed 002's sentence before its measures, seed 003's paragraph: typed, kept, printed
    between the heading and the table."""
    client = client_for(bangkao_staff)
    client.post(sections_url("plan", 2566), {"measures_intro": "ผู้บริหารได้ร่วมกันพิจารณา ดังนี้"})
    plan = words(BANGKAO, "plan", 2566)
    assert "พ.ศ. ๒๕๖๖ ผู้บริหารได้ร่วมกันพิจารณา ดังนี้ มาตรการ/แนวทาง" in plan
    client.post(sections_url("analysis", 2565), {"measures_intro": "จากผลการประเมิน ดังนี้"})
    analysis = words(BANGKAO, "analysis", 2565)
    assert "จากผลการประเมิน ดังนี้" in analysis.split("การนำผลการประเมินไปใช้", 1)[1]
    assert bangkao_texts().filter(section="measures_intro").count() == 2
    # The demo holds the seeds' own: สบปราบ's paragraph and นครศรีธรรมราช's sentence.
    seed_002 = words(NAKHONSI, "plan", 2565)
    assert "ร่วมกันพิจารณาเพื่อกำหนดมาตรการในการส่งเสริมคุณธรรมและความโปร่งใสของ" in seed_002


def test_how_results_are_reported_closes_the_plan_when_written(bangkao_staff):
    """Seed 004's last section, "๕. ขั้นตอนการรายงานผล": typed per plan, printed after the
    measures; a plan without it has no such heading."""
    assert "ขั้นตอนการรายงานผล" not in words(BANGKAO, "plan", 2566)
    client_for(bangkao_staff).post(
        sections_url("plan", 2566), {"reporting": "รายงานในการประชุมพนักงานทุกเดือน"}
    )
    plan = words(BANGKAO, "plan", 2566)
    assert plan.endswith("๗. ขั้นตอนการรายงานผล รายงานในการประชุมพนักงานทุกเดือน")
    seed_004 = words("เทศบาลตำบลโคกสำโรง", "plan", 2564)
    assert "แจ้งเวียนให้พนักงานเทศบาลตำบลโคกสำโรงทราบ" in seed_004


def test_the_progress_report_groups_measures_under_naccs_topics(demo):
    """Seed 001: the table under its heading, the measures under NACC's seven topics."""
    text = words(PHUSANG, "progress", 2567)
    assert (
        "การดำเนินการตามมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        "ปีงบประมาณ พ.ศ. ๒๕๖๗ ตัวชี้วัด มาตรการหรือกิจกรรม" in text
    )
    assert "ส่วนงานที่รับผิดชอบ" in text
    first = text.index("๑. กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ")
    budget = text.index("๕. กระบวนการสร้างความโปร่งใสในการใช้งบประมาณและการจัดซื้อจัดจ้าง")
    power = text.index("๖. กระบวนการควบคุมตรวจสอบการใช้อำนาจและการบริหารงานบุคคล")
    assert first < budget < power
    assert "๑. การปฏิบัติหน้าที่" not in text  # no longer grouped by indicator
    # Both measures of indicator 2 (budget) follow its topic, before the next topic's; each
    # measure says which indicators it answers.
    assert budget < text.index("ส่งเสริมให้บุคลากรในหน่วยงานเข้ามามีส่วนร่วม") < power
    assert budget < text.index("เผยแพร่และประชาสัมพันธ์แผนการดำเนินงาน") < power
    assert "(ตัวชี้วัดที่ ๒)" in text[budget:power]


def test_typed_text_prints_in_the_organisations_digits_urls_and_codes_kept(demo):
    org = Organisation.objects.get(name=BANGKAO)
    assessment = org.assessments.get(fiscal_year=2565)
    AnalysisText.objects.create(
        assessment=assessment,
        number=1,
        text="ตามแผน พ.ศ. 2566 ข้อ 1. ดู https://bangkao.go.th/ita/2566 รายการ o32",
    )
    text = words(BANGKAO, "analysis", 2565)
    assert "ตามแผน พ.ศ. ๒๕๖๖ ข้อ ๑. ดู https://bangkao.go.th/ita/2566 รายการ o32" in text
    assert AnalysisText.objects.get(assessment=assessment, number=1).text.count("2566") == 2


@pytest.fixture
def bangkao_staff(demo) -> User:
    return User.objects.get(username="bangkao-staff")


def bangkao_texts():
    """Bang Kao's sections (the demo holds other organisations' too, from the seeds)."""
    return document_models.DocumentText.objects.filter(organisation__name=BANGKAO)


def sections_url(kind: str, year: int) -> str:
    org = Organisation.objects.get(name=BANGKAO)
    return reverse("reports:document_texts", args=[org.pk, kind, year])


def test_people_write_the_preface_rationale_and_eit_parts_and_they_are_kept(bangkao_staff):
    client = client_for(bangkao_staff)
    page = client.get(sections_url("analysis", 2565))
    assert "หลักการและเหตุผล" in page.content.decode()
    table = "ส่วนที่ ๑\t99.81\nส่วนที่ ๒\t99.13"
    response = client.post(
        sections_url("analysis", 2565),
        {"preface": "คำนำของเทศบาล", "rationale": "ตามยุทธศาสตร์ชาติ", "eit_parts": table},
    )
    assert response.status_code == 302
    text = words(BANGKAO, "analysis", 2565)
    assert "คำนำ คำนำของเทศบาล" in text and "หลักการและเหตุผล ตามยุทธศาสตร์ชาติ" in text
    assert "ส่วนที่ ๑ ๙๙.๘๑ ส่วนที่ ๒ ๙๙.๑๓" in text  # a typed table, Thai digits at print
    stored = bangkao_texts().get(section="eit_parts", fiscal_year=2565)
    assert stored.text == table  # as typed
    event = AuditEvent.objects.filter(object_type__icontains="document").latest("at")
    assert event.user == bangkao_staff and event.organisation_id == stored.organisation_id


def test_an_emptied_section_goes_back_to_the_draft_and_the_deletion_is_audited(bangkao_staff):
    client = client_for(bangkao_staff)
    client.post(sections_url("plan", 2566), {"acknowledgement": "ผู้บริหารรับทราบแล้ว"})
    assert "ผู้บริหารรับทราบแล้ว" in words(BANGKAO, "plan", 2566)
    client.post(sections_url("plan", 2566), {"acknowledgement": ""})
    assert not bangkao_texts().filter(section="acknowledgement").exists()
    assert "นายกเทศมนตรีตำบลบางเก่า ได้รับทราบ" in words(BANGKAO, "plan", 2566)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


def test_a_section_left_as_drafted_is_not_stored(bangkao_staff):
    client = client_for(bangkao_staff)
    form = client.get(sections_url("plan", 2566)).context["form"]
    client.post(sections_url("plan", 2566), {k: v.initial for k, v in form.fields.items()})
    assert not bangkao_texts().exists()


def test_a_too_long_section_is_refused_in_thai_and_nothing_changes(bangkao_staff):
    response = client_for(bangkao_staff).post(
        sections_url("analysis", 2565), {"preface": "ก" * 20001}
    )
    assert response.status_code == 200
    assert "ตัวอักษร" in response.content.decode()
    assert not bangkao_texts().exists()


def test_readers_and_other_organisations_cannot_write_sections(demo):
    reviewer = User.objects.get(username="bangkao-reviewer")
    assert reviewer.role == Role.REVIEWER
    assert (
        client_for(reviewer).post(sections_url("analysis", 2565), {"preface": "x"}).status_code
        == 403
    )
    outsider = User.objects.get(username="phusang-staff")
    assert client_for(outsider).get(sections_url("analysis", 2565)).status_code == 404
    assert not bangkao_texts().exists()


def test_a_document_without_sections_answers_404(bangkao_staff):
    assert client_for(bangkao_staff).get(sections_url("order", 2566)).status_code == 404
