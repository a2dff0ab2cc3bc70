"""Layout a records officer passes (issue 13): rows never split from their measure, signatures
never alone, every word inside the page; and bad input (3,000-character titles, 60 measures,
120 committee members, a name with 16 combining marks, markup in every field) still rendering
within the page. The PDFs are rendered once per module and read back with poppler."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from django.db import transaction

from assessments.models import Organisation
from itaportal import thai
from measures.models import Measure, MeasurePlan
from reports.documents.builders import build
from reports.documents.models import Committee
from reports.documents.services import CommitteeData, MemberData, committee_create
from reports.pdf import renderer
from tests.reports.conftest import flat, pdftotext

pytestmark = pytest.mark.django_db

RIGHT_MARGIN = 2 / 2.54 * 72  # 2 cm: every page's right margin
MARKUP = '<img src="http://203.0.113.9/x.png"><script>alert("x")</script>'
COMBINING = "ก" + "\u0e34\u0e48" * 8  # one letter under 16 vowel and tone marks
LONG_URL = "https://bangkao.go.th/" + "ita/" * 40 + "o32.pdf"
# As long as the database keeps (a 3,000-character title is refused by the form and, on
# PostgreSQL, by the column itself).
TITLE_MAX = Measure._meta.get_field("title").max_length or 0
SUBJECT_MAX = Committee._meta.get_field("subject").max_length or 0


def pages(pdf: bytes) -> list[str]:
    return pdftotext(pdf).split("\f")[:-1]


def word_boxes(pdf: bytes) -> list[tuple[float, float, str]]:
    """(page width, word's right edge, word) of every word poppler finds."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    boxes, width = [], 0.0
    for line in out.splitlines():
        if page := re.search(r'<page width="([\d.]+)"', line):
            width = float(page.group(1))
        elif word := re.search(r'xMax="([\d.]+)".*>(.*)</word>', line):
            boxes.append((width, float(word.group(1)), word.group(2)))
    return boxes


def assert_within_the_page(pdf: bytes) -> None:
    outside = [w for width, right, w in word_boxes(pdf) if right > width - RIGHT_MARGIN + 2]
    assert outside == [], f"words in the right margin or off the page: {outside[:5]}"


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker) -> dict[str, bytes]:
    """The demo's orders and progress reports, and a plan and an order full of bad input, each
    rendered once (rolled back afterwards)."""
    from tests.conftest import _load_demo

    with django_db_blocker.unblock(), transaction.atomic():
        _load_demo()
        bangkao = Organisation.objects.get(name="เทศบาลตำบลบางเก่า")
        phusang = Organisation.objects.get(name="องค์การบริหารส่วนตำบลภูซาง")
        out = {
            "order": renderer().render(build("order", bangkao, 2566).html()).pdf,
            "progress": renderer().render(build("progress", phusang, 2567).html()).pdf,
        }
        plan = MeasurePlan.objects.get(organisation=bangkao, fiscal_year=2566)
        plan.measures.all().delete()
        Measure.objects.bulk_create(
            Measure(
                plan=plan,
                order=n,
                title=(f"มาตรการที่ {n} {MARKUP}" + ("ก" * 3000 if n == 1 else ""))[:TITLE_MAX],
                indicators=[1 + n % 10],
                method=f"วิธีดำเนินการของมาตรการที่{n} " + "ขั้นตอนการดำเนินงาน " * (n % 7) + LONG_URL,
                responsible_unit=f"{COMBINING} {MARKUP}",
                follow_up=f"ติดตามผลมาตรการที่{n}",
            )
            for n in range(1, 61)
        )
        Measure.objects.create(
            plan=plan,
            order=61,
            title="มาตรการที่ 61 ที่มีวิธีดำเนินการยาวกว่าหนึ่งหน้า",
            indicators=[9],
            method="\n".join(f"ขั้นตอนที่ {n} ดำเนินการตามแผนและรายงานผล" for n in range(1, 91)),
            responsible_unit="สำนักปลัด",
            follow_up="ติดตามผลทุกเดือน",
        )
        out["plan"] = renderer().render(build("plan", bangkao, 2566).html()).pdf
        committee_create(
            organisation=bangkao,
            data=CommitteeData(
                fiscal_year=2567,
                subject=("แต่งตั้งคณะทำงาน " * 150)[: SUBJECT_MAX - len(MARKUP)] + MARKUP,
                reasons=f"เหตุผล {MARKUP} {LONG_URL}",
                duties_steering="๑. ให้คำปรึกษา",
                issued_on=dt.date(2024, 1, 5),
                signer_name=f"นาย{COMBINING} ใจดี",
                signer_position="นายกเทศมนตรีตำบลบางเก่า",
            ),
            members=[
                MemberData(
                    group="steering" if n <= 20 else "working",
                    name=f"นายสมาชิก{n} {COMBINING}",
                    position=f"ตำแหน่ง {MARKUP}",
                    role="กรรมการ",
                )
                for n in range(1, 121)
            ],
        )
        out["crowded order"] = renderer().render(build("order", bangkao, 2567).html()).pdf
        transaction.set_rollback(True)
    return out


def test_the_orders_signature_shares_its_page_with_the_last_lines(rendered):
    last = pages(rendered["order"])[-1]
    closing = "ทั้งนี้ ให้ผู้ที่ได้รับการแต่งตั้ง ถือปฏิบัติตามหน้าที่ตั้งแต่บัดนี้เป็นต้นไป"  # seed 004's
    assert flat(closing) in flat(last) and "สั่ง ณ วันที่" in last
    assert "นายกเทศมนตรีตำบลบางเก่า" in last


def test_no_page_ends_on_a_line_that_introduces_what_follows(rendered):
    for name, pdf in rendered.items():
        for number, page in enumerate(pages(pdf), start=1):
            lines = [line for line in page.splitlines() if line.strip()]
            assert lines, f"{name}: page {number} is blank"
            assert lines[-1].strip() not in ("มีหน้าที่", "ประกอบด้วย")


def test_the_progress_reports_first_page_holds_more_than_its_title(rendered):
    first = flat(pages(rendered["progress"])[0])
    assert flat("ให้มีการจัดทำคู่มือหรือมาตรฐานการปฏิบัติงาน") in first


def test_a_measure_is_never_split_from_its_method_across_pages(rendered):
    numbered = pages(rendered["plan"])
    for n in range(2, 61):  # measure 1, 3,000 characters long, is taller than a page
        number = thai.digits(n)  # typed Arabic, printed in the organisation's Thai digits
        title = next(
            i for i, p in enumerate(numbered) if flat(f"มาตรการที่ {number} <img") in flat(p)
        )
        method = next(i for i, p in enumerate(numbered) if flat(f"ของมาตรการที่{number}") in flat(p))
        assert title == method, f"measure {n}: title on page {title + 1}, method on {method + 1}"


def test_a_row_taller_than_a_page_repeats_its_first_column_and_header_on_each_page(rendered):
    title = flat("๖๑. มาตรการที่ ๖๑ ที่มีวิธีดำเนินการยาวกว่าหนึ่งหน้า")
    holding = [
        flat(p) for p in pages(rendered["plan"]) if flat("ดำเนินการตามแผนและรายงานผล") in flat(p)
    ]
    assert len(holding) >= 2  # the 90 steps do need more than one page
    assert all(title in page for page in holding)
    header = ("มาตรการ/แนวทาง", "ระยะเวลาดำเนินการ")  # the measures table's, not in the steps
    assert all(all(flat(h) in page for h in header) for page in holding)


@pytest.mark.parametrize("name", ["plan", "crowded order", "order", "progress"])
def test_every_word_stays_inside_the_page(rendered, name):
    """3,000 characters without a space, long URLs, 16 combining marks: all wrap in place."""
    assert_within_the_page(rendered[name])


def test_markup_prints_as_text_and_nothing_is_fetched(rendered):
    for name in ("plan", "crowded order"):
        assert flat(MARKUP) in flat(pdftotext(rendered[name]))


def test_all_120_members_print_in_thai_digits(rendered):
    text = flat(pdftotext(rendered["crowded order"]))
    assert "๒.๑๐๐" in text and flat(f"๒.{thai.digits(100)}นายสมาชิก๑๒๐") in text
    assert "นายสมาชิก120" not in text
