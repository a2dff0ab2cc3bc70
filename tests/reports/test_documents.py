"""Every document of every seed organisation, rendered and read back."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.models import Assessment, Organisation
from reports.documents.builders import DocumentMissing, build
from reports.documents.models import AnalysisText
from reports.pdf import renderer
from tests.reports.conftest import flat, pdftotext

pytestmark = pytest.mark.django_db

SEED_ORGANISATIONS = {
    "เทศบาลตำบลบางเก่า": (2565, 2566),
    "เทศบาลนครนครศรีธรรมราช": (2565, 2565),
    "เทศบาลตำบลสบปราบ": (2568, 2569),
    "เทศบาลตำบลโคกสำโรง": (2563, 2564),
    "องค์การบริหารส่วนตำบลภูซาง": (2567, 2567),
}  # organisation: (assessed year, year of the measures)
SEED_DOCUMENTS = [
    (name, kind, assessed if kind == "analysis" else planned)
    for name, (assessed, planned) in SEED_ORGANISATIONS.items()
    for kind in ("analysis", "plan", "progress", "order")
]


def text_of(name: str, kind: str, year: int, *, layout: bool = False) -> str:
    org = Organisation.objects.get(name=name)
    rendered = renderer().render(build(kind, org, year).html())
    assert rendered.pages >= 1
    return pdftotext(rendered.pdf, layout=layout)


@pytest.mark.parametrize(("name", "kind", "year"), SEED_DOCUMENTS)
def test_it_renders_every_seed_document(demo, name, kind, year):
    text = text_of(name, kind, year)
    assert name in text.replace("\n", "")
    assert "ตาบล" not in text and "สานัก" not in text and "ดาเนินการ" not in text


def test_it_prints_the_analysis_with_thai_digits_and_tiers(demo):
    text = text_of("เทศบาลตำบลบางเก่า", "analysis", 2565)
    assert "๘๓.๗๑" in text and "๖๘.๗๘" in text and "−๕๖.๒๕" in text
    assert "แก้ไขเร่งด่วน" in text and "ยกระดับ" in text
    assert "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕" in text
    pages = text_of("เทศบาลตำบลบางเก่า", "analysis", 2565, layout=True).split("\f")
    assert "- ๑ -" not in pages[0] and pages[1].strip().startswith("- ๒ -")
    assert "83.71" not in text


def test_it_prints_the_plan_with_its_measures_table(demo):
    text = text_of("เทศบาลตำบลบางเก่า", "plan", 2566)
    for header in ("มาตรการ/แนวทาง", "วิธีดำเนินการ", "ผู้รับผิดชอบ", "ระยะเวลาดำเนินการ", "การติดตามผล"):
        assert header in text
    assert "ม.ค. – มิ.ย. ๒๕๖๖" in text
    assert "งานนิติการ" in text
    assert "๙๐.๐๐หรือสูงกว่ารักษาระดับ" in flat(text)  # the organisation's maintain threshold


def test_copied_text_keeps_the_page_number_and_the_orders_rule_on_lines_of_their_own(demo):
    # pdftotext glues a line ending in "-" to the next, as a hyphenated word: "- ๒ ๓. ระดับ…".
    page_two = text_of("เทศบาลตำบลบางเก่า", "plan", 2566).split("\f")[1]
    assert page_two.splitlines()[0].strip() == "- ๒ -"
    order = text_of("เทศบาลตำบลบางเก่า", "order", 2566).splitlines()
    assert "-" * 29 in [line.strip() for line in order]


def test_a_landscape_first_page_has_no_page_number_either(demo):
    pages = text_of("เทศบาลตำบลบางเก่า", "progress", 2566, layout=True).split("\f")
    assert "- ๑ -" not in pages[0]
    assert pages[1].strip().startswith("- ๒ -")


def test_the_seeds_own_texts_print_where_the_seeds_have_them(demo):
    # Seed 003: what เทศบาลตำบลสบปราบ wrote in its analysis of 2568, kept as the demo's texts.
    analysis = flat(text_of("เทศบาลตำบลสบปราบ", "analysis", 2568))
    assert flat("คำนำ การประเมินคุณธรรมและความโปร่งใส") in analysis
    assert flat("หลักการและเหตุผล สำนักงานคณะกรรมการป้องกัน") in analysis
    assert flat("(EIT) ส่วนที่ ๑ คะแนนรวม ๙๙.๘๑ คะแนน") in analysis
    assert flat("(๙) ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล ได้คะแนนร้อยละ ๙๕.๐๐") in analysis
    assert flat("เป็นตัวชี้วัดที่มีคะแนนต่ำที่สุดเมื่อเปรียบเทียบกับตัวชี้วัดอื่น") in analysis
    # Seed 004: the plan's assessment details and sample sizes, in Arabic digits as typed.
    plan = flat(text_of("เทศบาลตำบลโคกสำโรง", "plan", 2564))
    assert flat("2. ประชากรกลุ่มตัวอย่าง และการเก็บรวบรวมข้อมูล") in plan
    assert flat("เมื่อวันที่ 10 กุมภาพันธ์ 2564 ณ ห้องประชุมสภาเทศบาลตำบลโคกสำโรง") in plan


def test_the_orders_signer_has_his_rank_on_the_line_above_his_name(demo):
    lines = [line.strip() for line in text_of("เทศบาลตำบลโคกสำโรง", "order", 2564).splitlines()]
    name = lines.index("(คมสันต์ มีตา)")
    assert lines[name - 1] == "ว่าที่ร้อยโท"  # as seed 004 signs
    assert lines[name + 1] == "ปลัดเทศบาล ปฏิบัติหน้าที่ นายกเทศมนตรีตำบลโคกสำโรง"


def test_it_prints_arabic_digits_for_organisations_that_use_them(demo):
    text = text_of("เทศบาลตำบลโคกสำโรง", "order", 2564)
    assert "ที่ 74/2564" in text
    assert "17 กุมภาพันธ์ 2564" in text  # a B.E. date
    pages = text_of("เทศบาลตำบลโคกสำโรง", "order", 2564, layout=True).split("\f")
    assert pages[1].strip().startswith("- 2 -")
    assert not re.search("[\u0e50-\u0e59]", text)


def test_it_prints_the_progress_report_with_what_was_done(demo):
    text = text_of("องค์การบริหารส่วนตำบลภูซาง", "progress", 2567)
    assert "สรุปผลการดำเนินการ" in text and "ผลลัพธ์" in text
    assert "๓๐ กันยายน ๒๕๖๗" in text
    assert "ดำเนินการแล้วเสร็จ" in flat(text)


def test_it_prints_the_edited_analysis_text(demo):
    org = Organisation.objects.get(name="เทศบาลตำบลบางเก่า")
    assessment = Assessment.objects.get(organisation=org, fiscal_year=2565)
    AnalysisText.objects.create(assessment=assessment, number=10, text="ข้อความที่เจ้าหน้าที่แก้ไขเอง")
    text = text_of("เทศบาลตำบลบางเก่า", "analysis", 2565)
    assert "ข้อความที่เจ้าหน้าที่แก้ไขเอง" in text


def test_it_reports_only_the_published_overall_when_indicators_are_unknown(demo):
    text = text_of("องค์การบริหารส่วนตำบลภูซาง", "analysis", 2567)
    assert "๙๙.๗๘" in text and "ผ่านดีเยี่ยม" in text
    assert "ต้องปรับปรุง" in text  # the published level that contradicts the score


def test_it_explains_what_is_missing(demo):
    org = Organisation.objects.get(name="องค์การบริหารส่วนตำบลภูซาง")
    with pytest.raises(DocumentMissing, match="2599"):
        build("plan", org, 2599)
    with pytest.raises(DocumentMissing, match="2599"):
        build("analysis", org, 2599)


def test_it_renders_through_the_command(demo, tmp_path: Path):
    out = tmp_path / "plan.pdf"
    call_command(
        "render_report", "plan", "--org-name", "เทศบาลตำบลสบปราบ", "--province", "ลำปาง",
        "--year", "๒๕๖๙", "--out", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    assert "เทศบาลตำบลสบปราบ" in pdftotext(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org-name", "ไม่มี", "--province", "ลำปาง", "--year", "2569"], "no organisation"),
        (["--org-name", "เทศบาลตำบลสบปราบ", "--province", "ลำปาง", "--year", "abc"], "not a year"),
        (["--org-name", "เทศบาลตำบลสบปราบ", "--province", "ลำปาง", "--year", "2550"], "2550"),
        (["--org-name", "เทศบาลตำบลสบปราบ", "--province", "ลำปาง"], "--year"),
    ],
)
def test_it_refuses_bad_command_input_and_writes_nothing(demo, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        call_command("render_report", "plan", *args, "--out", str(out), stdout=io.StringIO())
    assert not out.exists()


def test_it_numbers_orders_per_calendar_year(demo):
    from reports.documents.services import CommitteeData, MemberData, committee_create

    org = Organisation.objects.get(name="เทศบาลตำบลโคกสำโรง")
    data = CommitteeData(
        fiscal_year=2565, subject="แต่งตั้ง", reasons="ก", duties_steering="ข", signer_name="ค",
        signer_position="ง", issued_on=dt.date(2021, 12, 1),
    )  # fmt: skip
    member = [MemberData(group="steering", name="ก", position="ข", role="ประธาน")]
    first = committee_create(organisation=org, data=data, members=member)
    second = committee_create(
        organisation=org, data=replace(data, issued_on=dt.date(2021, 12, 2)), members=member
    )
    new_year = committee_create(
        organisation=org, data=replace(data, issued_on=dt.date(2022, 1, 5)), members=member
    )
    assert (first.number, first.number_year) == (75, 2564)  # after the seed's 74/2564
    assert (second.number, second.number_year) == (76, 2564)
    assert (new_year.number, new_year.number_year) == (1, 2565)


def test_it_names_the_weakest_items_of_each_weak_indicator_in_the_analysis(org):
    from decimal import Decimal

    from assessments import ita
    from assessments.services import assessment_save

    scores = {n: Decimal(90) for n in range(1, 11)} | {9: Decimal(80)}
    assessment_save(
        organisation=org,
        fiscal_year=2566,
        scores=scores,
        published_score=None,
        published_level="",
        thresholds=ita.Thresholds(Decimal(90), Decimal(85), Decimal(90)),
        user=None,
        items={"o11": Decimal(100), "o12": Decimal(0), "i1": Decimal(50)},
    )
    html = build("analysis", org, 2566).html()
    said = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    # indicator 9 (80) is urgent: its items, lowest first; indicator 1 (90) keeps its level
    assert (
        "ข้อที่ได้คะแนนต่ำสุดของตัวชี้วัดที่ ๙: ข้อ o๑๒ ข้อมูลเชิงสถิติการให้บริการ ๐.๐๐ คะแนน, "
        "ข้อ o๑๑ คู่มือหรือมาตรฐานการให้บริการ ๑๐๐.๐๐ คะแนน"
    ) in said
    assert "ตัวชี้วัดที่ ๑:" not in said
