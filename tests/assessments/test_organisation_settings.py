"""The organisation admin's settings page: what the documents print, audited, refused in Thai."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments import emblem
from assessments.models import Organisation, Unit
from itaportal.accounts.models import AuditEvent, Role, User
from reports.memos.drafts import signature_defaults
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_admin(org: Organisation) -> User:
    return make_user("orgadmin", organisation=org, role=Role.ORG_ADMIN, first_name="ผู้ดูแล")


def url(org: Organisation) -> str:
    return reverse("assessments:organisation_settings", args=[org.pk])


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def body(**changes: Any) -> dict[str, Any]:
    data = {
        "letter_code": "พบ ๗๖๐๐๑",
        "executive_title": "นายกเทศมนตรีตำบลบางเก่า",
        "executive_name": "นายสมชาย ใจดี",
        "digit_style": "thai",
        "units-TOTAL_FORMS": "3",
        "units-INITIAL_FORMS": "0",
        "units-0-name": "สำนักปลัด",
        "units-0-phone": "๐ ๓๒๔๗ ๑๒๓๔ ต่อ ๑๒",
        "units-1-name": "กองคลัง",
        "units-1-phone": "",
        "units-2-name": "",
        "units-2-phone": "",
    }
    return {**data, **changes}


def stored(org: Organisation) -> tuple[Any, ...]:
    org.refresh_from_db()
    units = list(org.units.values_list("name", "phone", "order"))
    return (org.letter_code, org.executive_title, org.executive_name, org.digit_style,
            org.emblem.name, units)  # fmt: skip


def png(size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "gold").save(out, "PNG")
    return out.getvalue()


def test_it_saves_what_the_documents_print(org, org_admin):
    response = client_for(org_admin).post(url(org), body())
    assert response.status_code == 302 and response.url == url(org)
    assert stored(org) == (
        "พบ ๗๖๐๐๑",
        "นายกเทศมนตรีตำบลบางเก่า",
        "นายสมชาย ใจดี",
        "thai",
        "",
        [("สำนักปลัด", "๐ ๓๒๔๗ ๑๒๓๔ ต่อ ๑๒", 0), ("กองคลัง", "", 1)],
    )
    page = client_for(org_admin).get(url(org)).content.decode()
    assert 'value="พบ ๗๖๐๐๑"' in page and 'value="กองคลัง"' in page


def test_it_records_one_entry_with_what_changed(org, org_admin):
    client_for(org_admin).post(url(org), body())
    client_for(org_admin).post(url(org), body(**{"digit_style": "arabic", "units-1-name": ""}))
    events = AuditEvent.objects.filter(object_type="assessments.organisation").order_by("pk")
    assert len(events) == 2 and events[1].user == org_admin
    assert events[1].before == {
        "digit_style": "thai",
        "units": ["สำนักปลัด (๐ ๓๒๔๗ ๑๒๓๔ ต่อ ๑๒)", "กองคลัง"],
    }
    assert events[1].after == {"digit_style": "arabic", "units": ["สำนักปลัด (๐ ๓๒๔๗ ๑๒๓๔ ต่อ ๑๒)"]}
    trail = text_of(
        client_for(org_admin).get(reverse("accounts:audit", args=[org.pk])).content.decode()
    )
    assert "ตัวเลขที่ใช้ในเอกสาร เลขไทย (๑๒๓) → เลขอารบิก (123)" in trail
    assert "ส่วนราชการ สำนักปลัด (๐ ๓๒๔๗ ๑๒๓๔ ต่อ ๑๒), กองคลัง → สำนักปลัด (๐" in trail


def test_it_records_nothing_when_nothing_changed(org, org_admin):
    client_for(org_admin).post(url(org), body())
    client_for(org_admin).post(url(org), body())
    assert AuditEvent.objects.filter(object_type="assessments.organisation").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"units-0-phone": "โทรหาได้เลย"}, "กรุณากรอกหมายเลขโทรศัพท์เป็นตัวเลข"),
        ({"units-0-phone": "๑๒"}, "กรุณากรอกหมายเลขโทรศัพท์เป็นตัวเลข"),
        ({"units-2-phone": "0 3247 1234"}, "กรุณาระบุชื่อส่วนราชการของหมายเลขโทรศัพท์นี้"),
        ({"units-1-name": "สำนักปลัด"}, "ชื่อส่วนราชการซ้ำกัน"),
        ({"digit_style": "roman"}, "เลือกตัวเลือกที่ถูกต้อง"),
        ({"letter_code": "พบ" * 26}, "กรุณากรอกไม่เกิน ๕๐ ตัวอักษร"),
        (
            {"emblem": SimpleUploadedFile("garuda.png", png((3_000, 1_000)))},
            "ด้านหนึ่งยาวเกินสองเท่าของอีกด้าน",
        ),
        ({"emblem": SimpleUploadedFile("garuda.png", b"GIF89a...")}, "PNG หรือ JPEG"),
    ],
)
def test_it_refuses_bad_input_in_thai_and_saves_nothing(org, org_admin, changes, message):
    client_for(org_admin).post(url(org), body())
    before = stored(org)
    data = body(**{"letter_code": "ใหม่ ๑", **changes})
    response = client_for(org_admin).post(url(org), data)
    assert response.status_code == 200
    page = text_of(response.content.decode())
    assert "ยังไม่มีการบันทึกข้อมูล" in page and message in page
    assert stored(org) == before
    assert AuditEvent.objects.filter(object_type="assessments.organisation").count() == 1


def test_it_stores_the_emblem_re_encoded_and_takes_it_away(org, org_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("ครุฑ.PNG", png((2_000, 2_000)))
    assert client_for(org_admin).post(url(org), body(emblem=upload)).status_code == 302
    org.refresh_from_db()
    assert org.emblem.name == "emblems/ครุฑ.png"
    assert Image.open(org.emblem.path).size == (emblem.MAX_HEIGHT_PX, emblem.MAX_HEIGHT_PX)
    page = client_for(org_admin).get(url(org)).content.decode()
    clear = re.search(r'for="emblem-clear_id">(.*?)</label>', page)
    assert clear is not None and clear[1] == "ล้าง"  # not the overview's "ล้างตัวกรอง"
    assert client_for(org_admin).post(url(org), body(**{"emblem-clear": "on"})).status_code == 302
    org.refresh_from_db()
    assert not org.emblem
    event = AuditEvent.objects.filter(object_type="assessments.organisation").latest("pk")
    assert event.before == {"emblem": "emblems/ครุฑ.png"} and event.after == {"emblem": ""}


def test_it_tells_the_admin_when_the_stored_emblem_cannot_be_printed(
    org, org_admin, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    org.emblem.save("old.png", io.BytesIO(b"\x89PNG\r\n\x1a\n damaged"))  # type: ignore[arg-type]
    page = text_of(client_for(org_admin).get(url(org)).content.decode())
    assert "ตราครุฑที่เก็บไว้พิมพ์ไม่ได้" in page


def test_it_writes_the_numbers_of_its_rules_in_the_organisations_digits(org, org_admin):
    page = text_of(client_for(org_admin).get(url(org)).content.decode())
    assert "ไม่เกิน ๔๐ ล้านพิกเซล" in page and "๖๐๐ จุดต่อนิ้ว" in page and "สูง ๓ ซม." in page
    Organisation.objects.filter(pk=org.pk).update(digit_style="arabic")
    page = text_of(client_for(org_admin).get(url(org)).content.decode())
    assert "ไม่เกิน 40 ล้านพิกเซล" in page and "600 จุดต่อนิ้ว" in page


def test_the_dashboard_follows_a_new_digit_style_at_once(assessed_org, org_admin):
    dashboard = reverse("assessments:dashboard", args=[assessed_org.pk])
    assert "๖๘.๗๘" in client_for(org_admin).get(dashboard).content.decode()
    client_for(org_admin).post(url(assessed_org), body(digit_style="arabic"))
    page = client_for(org_admin).get(dashboard).content.decode()
    assert "68.78" in page and "๖๘.๗๘" not in page


def test_a_memo_starts_from_the_first_unit_and_its_telephone(org, org_admin, staff):
    assert signature_defaults(org, staff)["unit"] == (
        "สำนักปลัด เทศบาลตำบลบางเก่า อำเภอชะอำ จังหวัดเพชรบุรี"
    )
    client_for(org_admin).post(url(org), body())
    assert signature_defaults(org, staff)["unit"] == (
        "สำนักปลัด เทศบาลตำบลบางเก่า อำเภอชะอำ จังหวัดเพชรบุรี โทร. ๐ ๓๒๔๗ ๑๒๓๔ ต่อ ๑๒"
    )
    form = client_for(staff).get(reverse("reports:memo_new", args=[org.pk])).content.decode()
    assert 'list="unit-lines"' in form
    assert '<option value="กองคลัง เทศบาลตำบลบางเก่า อำเภอชะอำ จังหวัดเพชรบุรี">' in form


def test_a_new_committee_order_is_signed_by_the_executive(org, org_admin, staff):
    client_for(org_admin).post(url(org), body())
    form = client_for(staff).get(reverse("reports:committee_new", args=[org.pk])).context["form"]
    assert form["signer_name"].value() == "นายสมชาย ใจดี"
    assert form["signer_position"].value() == "นายกเทศมนตรีตำบลบางเก่า"


def test_the_admin_finds_the_page_in_the_menu_and_on_the_people_page(org, org_admin):
    client = client_for(org_admin)
    assert url(org) in client.get(reverse("home"), follow=True).content.decode()
    assert url(org) in client.get(reverse("accounts:people", args=[org.pk])).content.decode()
    documents = reverse("reports:document_index", args=[org.pk])
    assert url(org) in client.get(documents).content.decode()


def test_other_roles_find_no_link_and_are_refused(org, staff, reviewer):
    for person in (staff, reviewer):
        client = client_for(person)
        assert url(org) not in client.get(reverse("home"), follow=True).content.decode()
        documents = reverse("reports:document_index", args=[org.pk])
        assert url(org) not in client.get(documents).content.decode()
        assert client.get(url(org)).status_code == 403
        assert client.post(url(org), body()).status_code == 403
    assert not Unit.objects.exists()


def test_another_organisations_admin_gets_nothing(org, other_org):
    stranger = make_user("stranger", organisation=other_org, role=Role.ORG_ADMIN)
    assert client_for(stranger).get(url(org)).status_code == 404
    assert client_for(stranger).post(url(org), body()).status_code == 404
    assert stored(org)[0] == "" and not Unit.objects.exists()
