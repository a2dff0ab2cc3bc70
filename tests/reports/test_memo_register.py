"""The memo register: the organisation's numbered memos as a page, an XLSX table and the register
book in PDF; searched and filtered, with a Thai message (and nothing listed) for a bad filter."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import Organisation
from itaportal import thai
from itaportal.accounts.models import User
from reports.memos.models import Memo
from reports.memos.services import MemoContent, memo_create, memo_submit
from tests.conftest import client_for, make_user, shared_data
from tests.reports.conftest import flat, pdftotext
from tests.reports.test_memos import TODAY, act, route

pytestmark = pytest.mark.django_db


ORG_NAME = "องค์การบริหารส่วนตำบลภูซาง"
PEOPLE = [
    ("drafter", "staff", "ทับทิม", "ใจดี", "นักทรัพยากรบุคคล"),
    ("other", "staff", "สายใจ", "รักงาน", "นักวิเคราะห์นโยบายและแผน"),
    ("head", "reviewer", "มณี", "ศรีสุข", "หัวหน้าสำนักปลัด"),
    ("clerk", "reviewer", "สมชาย", "มั่นคง", "ปลัด"),
    ("mayor", "executive", "สมศักดิ์", "ภูซาง", "นายก"),
]
REGISTER = {
    "approved": "รายงานผลการประเมิน ITA",
    "in_review": "ขออนุมัติจัดอบรมคุณธรรม",
    "returned": "แผนเปิดเผยข้อมูล",
    "next_year": "มาตรการปีถัดไป",
    "draft": "ร่างที่ยังไม่ส่ง",
}


def memo(
    org: Organisation, drafter: User, subject: str, people: dict[str, User], today: dt.date = TODAY
) -> Memo:
    data = MemoContent(
        unit="สำนักปลัด",
        subject=subject,
        addressee="นายก",
        drafter_name=drafter.first_name,
        drafter_position=drafter.position,
    )
    created = memo_create(organisation=org, drafter=drafter, data=data, ip=None)
    return memo_submit(memo=created, user=drafter, route=route(people), ip=None, today=today)


def _register_load() -> None:
    """ภูซาง's people; three numbered memos of B.E. 2568 (one approved), one of 2569, a draft."""
    org = Organisation.objects.create(
        kind="sao", name=ORG_NAME, province="พะเยา", letter_code="พย ๗๒๔๐๑"
    )
    people = {
        name: make_user(name, organisation=org, role=role, first_name=first, last_name=last,
                        position=position)
        for name, role, first, last, position in PEOPLE
    }  # fmt: skip
    approved = memo(org, people["drafter"], REGISTER["approved"], people)
    for who in ("head", "clerk"):
        act(approved, people[who], "forward")
    act(approved, people["mayor"], "approve", "เห็นชอบ")
    Memo.objects.filter(pk=approved.pk).update(
        decided_at=timezone.make_aware(dt.datetime(2025, 2, 14, 10))
    )
    memo(org, people["other"], REGISTER["in_review"], people)
    returned = memo(org, people["drafter"], REGISTER["returned"], people)
    act(returned, people["head"], "return", "แก้ไข")
    memo(org, people["other"], REGISTER["next_year"], people, dt.date(2026, 1, 5))
    memo_create(
        organisation=org, drafter=people["drafter"], ip=None,
        data=MemoContent(unit="สำนักปลัด", subject=REGISTER["draft"], addressee="นายก"),
    )  # fmt: skip


# The approval renders the memo's PDF: the register is written once for the module's tests.
register_world = shared_data("register_world", _register_load)


@pytest.fixture
def org(register_world: None) -> Organisation:
    return Organisation.objects.get(name=ORG_NAME)


@pytest.fixture
def people(org: Organisation) -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(organisation=org)}


@pytest.fixture
def register(org: Organisation) -> dict[str, Memo]:
    return {name: Memo.objects.get(organisation=org, subject=s) for name, s in REGISTER.items()}


def page(user: User, org: Organisation, **query: str) -> str:
    response = client_for(user).get(reverse("reports:memo_register", args=[org.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def table(html: str) -> str:
    return html.split('id="register"', 1)[1].split("</table>", 1)[0]


def listed(html: str, register: dict[str, Memo]) -> set[str]:
    rows = table(html) if 'id="register"' in html else html
    return {name for name, m in register.items() if m.subject in rows}


def test_it_lists_the_numbered_memos_with_their_register_columns(org, people, register):
    html = table(page(people["head"], org))
    assert listed(html, register) == {"approved", "in_review", "returned", "next_year"}
    approved = html.split("รายงานผลการประเมิน ITA", 1)[0].rsplit("<tr>", 1)[1]
    row = html.split("<tr>" + approved, 1)[1].split("</tr>", 1)[0]
    assert "พย ๗๒๔๐๑/๑" in approved and "๑๑ กุมภาพันธ์ ๒๕๖๘" in approved
    assert "ทับทิม ใจดี" in row and "อนุมัติ" in row
    assert "สมศักดิ์ ภูซาง" in row and "๑๔ กุมภาพันธ์ ๒๕๖๘" in row


def test_it_names_no_decider_before_the_decision(org, people, register):
    html = page(people["head"], org, status="in_review")
    assert listed(html, register) == {"in_review", "next_year"}
    assert "สมศักดิ์ ภูซาง" not in table(html)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "อบรม"}, {"in_review"}),
        ({"q": "๗๒๔๐๑/๓"}, {"returned"}),
        ({"q": "72401/3"}, {"returned"}),  # Arabic digits find a Thai-digit reference
        ({"year": "๒๕๖๙"}, {"next_year"}),
        ({"year": "2568"}, {"approved", "in_review", "returned"}),
        ({"status": "approved"}, {"approved"}),
        ({"status": "returned", "year": "2568"}, {"returned"}),
    ],
)
def test_it_searches_and_filters(org, people, register, query, expected):
    assert listed(page(people["drafter"], org, **query), register) == expected


def test_it_filters_by_a_person_who_drafted_or_acted(org, people, register):
    other = page(people["drafter"], org, person=str(people["other"].pk))
    assert listed(other, register) == {"in_review", "next_year"}
    mayor = page(people["drafter"], org, person=thai.digits(people["mayor"].pk))
    assert listed(mayor, register) == {"approved", "in_review", "returned", "next_year"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "ไม่ใช่ปีพุทธศักราช"),
        ({"year": "2025"}, "พุทธศักราช"),
        ({"year": "9" * 30}, "ไม่ใช่ปีพุทธศักราช"),
        ({"status": "bogus"}, "ไม่มีสถานะ"),
        ({"person": "x"}, "ไม่มีบุคคลนี้"),
        ({"person": "999999"}, "ไม่มีบุคคลนี้"),
        ({"q": "ก" * 201}, "ไม่เกิน"),
    ],
)
def test_it_answers_a_bad_filter_with_a_thai_message_and_lists_nothing(
    org, people, register, query, message
):
    html = page(people["drafter"], org, **query)
    assert message in html and listed(html, register) == set()


def test_it_does_not_filter_by_a_person_of_another_organisation(org, people, register):
    elsewhere = Organisation.objects.create(kind="sao", name="อบต.อื่น", province="พะเยา")
    stranger = make_user("stranger", organisation=elsewhere, role="staff")
    html = page(people["drafter"], org, person=str(stranger.pk))
    assert "ไม่มีบุคคลนี้" in html and listed(html, register) == set()


def test_it_hides_the_register_from_another_organisation(org, people, register):
    elsewhere = Organisation.objects.create(kind="sao", name="อบต.อื่น", province="พะเยา")
    stranger = make_user("stranger", organisation=elsewhere, role="org_admin")
    for name in ("memo_register", "memo_register_xlsx", "memo_register_pdf"):
        response = client_for(stranger).get(reverse(f"reports:{name}", args=[org.pk]))
        assert response.status_code == 404
        assert "รายงานผลการประเมิน" not in response.content.decode(errors="replace")


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_it_exports_the_filtered_register_to_xlsx(org, people, register):
    url = reverse("reports:memo_register_xlsx", args=[org.pk])
    header, *rows = xlsx_rows(client_for(people["head"]).get(url, {"year": "๒๕๖๘"}))
    assert header == ("ลำดับ", "ที่", "ลงวันที่", "เรื่อง", "ผู้ร่าง", "สถานะ", "ผู้สั่งการ",
                      "วันที่สั่งการ")  # fmt: skip
    assert len(rows) == 3
    assert rows[0] == ("๑", "พย ๗๒๔๐๑/๑", "๑๑ กุมภาพันธ์ ๒๕๖๘", "รายงานผลการประเมิน ITA",
                       "ทับทิม ใจดี", "อนุมัติ", "สมศักดิ์ ภูซาง", "๑๔ กุมภาพันธ์ ๒๕๖๘")  # fmt: skip


def test_it_refuses_to_export_with_a_bad_filter(org, people, register):
    for name in ("memo_register_xlsx", "memo_register_pdf"):
        url = reverse(f"reports:{name}", args=[org.pk])
        response = client_for(people["head"]).get(url, {"status": "bogus"})
        assert response.status_code == 404 and "ไม่มีสถานะ" in response.content.decode()


def test_it_prints_the_register_book_on_landscape_pages(org, people, register, tmp_path):
    url = reverse("reports:memo_register_pdf", args=[org.pk])
    response = client_for(people["head"]).get(url, {"year": "2568"})
    assert response["Content-Type"] == "application/pdf"
    text = flat(pdftotext(response.content))
    assert flat("ทะเบียนหนังสือ (บันทึกข้อความ) ประจำปี พ.ศ. ๒๕๖๘") in text
    assert flat("องค์การบริหารส่วนตำบลภูซาง") in text
    for cell in ("พย ๗๒๔๐๑/๑", "๑๑ กุมภาพันธ์ ๒๕๖๘", "รายงานผลการประเมิน ITA", "ทับทิม ใจดี",
                 "สมศักดิ์ ภูซาง", "๑๔ กุมภาพันธ์ ๒๕๖๘", "ขออนุมัติจัดอบรมคุณธรรม"):  # fmt: skip
        assert flat(cell) in text
    assert "มาตรการปีถัดไป" not in text  # B.E. 2569
    path = tmp_path / "register.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout.decode()
    assert "841.89 x 595.276" in info or "842 x 595" in info  # A4 landscape


def test_it_prints_arabic_digits_for_such_an_organisation(org, people, register):
    org.digit_style = Organisation.DigitStyle.ARABIC
    org.save()
    url = reverse("reports:memo_register_pdf", args=[org.pk])
    text = flat(pdftotext(client_for(people["head"]).get(url).content))
    assert flat("14 กุมภาพันธ์ 2568") in text and "๑๔" not in text
