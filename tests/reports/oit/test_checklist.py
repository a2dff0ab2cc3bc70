"""The OIT checklist as an office and its supervisor see it: every item of the year's framework,
entries made once, an item edited, evidence added (its fiscal year read at upload) and deleted,
the portal's approved documents filled in, and bad input refused in Thai with nothing saved."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from assessments.models import Item, Organisation
from itaportal.accounts.models import AuditEvent, Role, User
from reports.memos.models import FrozenAttachment, Memo
from reports.oit.models import LinkCheck, OitEntry, OitEvidence, OitNote
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db
YEAR = 2569


def checklist_url(org: Organisation, year: int = YEAR) -> str:
    return reverse("reports:oit_checklist", args=[org.pk, year])


def entry_url(org: Organisation, code: str, year: int = YEAR) -> str:
    return reverse("reports:oit_entry", args=[org.pk, year, code])


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def pdf_saying(line: str) -> bytes:
    """A one-page PDF whose page reads `line` (ASCII: the core Helvetica font)."""
    stream = f"BT /F1 18 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def oit_state() -> list[Any]:
    """Every OIT row, to prove a refused input changed nothing."""
    with connection.cursor() as cursor:
        rows = []
        for model in (OitEntry, OitEvidence):
            cursor.execute(f"SELECT * FROM {model._meta.db_table} ORDER BY 1")
            rows.append(cursor.fetchall())
    return rows


@pytest.fixture
def opened(org: Organisation, staff: User) -> Organisation:
    """บางเก่า's FY 2569 checklist, opened once by its staff."""
    assert client_for(staff).get(checklist_url(org)).status_code == 200
    return org


def entry(org: Organisation, code: str) -> OitEntry:
    return OitEntry.objects.select_related("item").get(
        organisation=org, fiscal_year=YEAR, item__code=code
    )


def entry_body(**changes: Any) -> dict[str, Any]:
    body = {
        "owner": "นางสาวสมใจ ใจดี",
        "due_on": "๒๕๖๙-๐๓-๓๑",
        "url": "https://www.bangkao.go.th/structure",
        "navigation": "หน้าหลัก > ข้อมูลหน่วยงาน > โครงสร้างองค์กร",
        "elements": ["1"],
        "status": "ready",
        "public": "on",
        "notes": "",
        "itas_text": "",
    }
    body.update(changes)
    return body


def test_it_lists_every_oit_item_of_the_year_with_its_default_due_date(
    org: Organisation, staff: User
) -> None:
    page = client_for(staff).get(checklist_url(org))
    assert page.status_code == 200
    shown = re.findall(r'<tr data-oit-item="(o\d+)"', page.content.decode())
    assert (
        len(shown)
        == 26
        == Item.objects.filter(
            indicator__instrument__framework__first_year=YEAR,
            indicator__instrument__all_or_nothing=True,
        ).count()
    )
    words = text(page)
    assert "ตัวชี้วัดที่ ๙" in words and "ตัวชี้วัดที่ ๑๐" in words
    assert "๓๐ เมษายน ๒๕๖๙" in words  # OIT answers are due by the end of April
    assert "ยังไม่เริ่ม" in words


def test_it_makes_the_entries_once_and_audits_them_once(org: Organisation, staff: User) -> None:
    client = client_for(staff)
    client.get(checklist_url(org))
    client.get(checklist_url(org))
    assert OitEntry.objects.filter(organisation=org, fiscal_year=YEAR).count() == 26
    made = AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, organisation=org)
    assert made.count() == 1
    assert all(e.due_on == dt.date(2026, 4, 30) for e in OitEntry.objects.all())


def test_viewing_an_opened_year_locks_nothing(
    org: Organisation, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the request that makes a year's entries takes the organisation's row lock (which
    numbering orders and memos also take); every later page view reads."""
    client = client_for(staff)
    assert client.get(checklist_url(org)).status_code == 200
    locks: list[object] = []
    real = Organisation.objects.select_for_update

    def counted(*args: Any, **kwargs: Any) -> Any:
        locks.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(Organisation.objects, "select_for_update", counted)
    assert client.get(checklist_url(org)).status_code == 200
    assert locks == []
    OitEntry.objects.filter(organisation=org, item__code="o3").delete()
    assert client.get(checklist_url(org)).status_code == 200
    assert len(locks) == 1 and OitEntry.objects.filter(organisation=org).count() == 26


def test_a_year_whose_framework_lists_no_oit_items_is_not_found_in_thai(
    org: Organisation, staff: User
) -> None:
    page = client_for(staff).get(checklist_url(org, 2568))
    assert page.status_code == 404
    assert "ไม่มีรายการตรวจ OIT" in text(page)
    assert not OitEntry.objects.exists()


def test_the_menu_leads_to_the_checklist(org: Organisation, staff: User) -> None:
    client = client_for(staff)
    home = client.get(reverse("assessments:dashboard", args=[org.pk])).content.decode()
    assert reverse("reports:oit_current", args=[org.pk]) in home
    answer = client.get(reverse("reports:oit_current", args=[org.pk]))
    assert answer.status_code == 302
    assert re.fullmatch(rf"/orgs/{org.pk}/oit/25\d\d/", answer["Location"])


@pytest.mark.parametrize("who", ["reviewer", "supervisor"])
def test_readers_see_the_checklist_without_edit_controls_and_write_nothing(
    opened: Organisation, who: str, request: pytest.FixtureRequest
) -> None:
    reader: User = request.getfixturevalue(who)
    one = entry(opened, "o1")
    OitNote.objects.create(entry=one, author=reader, text="ขอลิงก์ที่เปิดได้โดยตรง")
    before = oit_state()
    client = client_for(reader)
    page = client.get(checklist_url(opened))
    assert page.status_code == 200
    assert 'id="estimate"' not in page.content.decode()
    assert "ขอลิงก์ที่เปิดได้โดยตรง" in text(page)
    item = client.get(entry_url(opened, "o1"))
    assert item.status_code == 200
    assert 'id="entry-form"' not in item.content.decode()
    assert 'id="evidence-form"' not in item.content.decode()
    assert client.post(entry_url(opened, "o1"), entry_body()).status_code == 403
    assert oit_state() == before


def test_a_reader_before_anyone_opened_the_year_makes_nothing(
    org: Organisation, reviewer: User
) -> None:
    page = client_for(reviewer).get(checklist_url(org))
    assert page.status_code == 200
    assert len(re.findall(r'<tr data-oit-item="o\d+"', page.content.decode())) == 26
    assert not OitEntry.objects.exists()


def test_another_organisations_user_gets_404(opened: Organisation, outsider: User) -> None:
    client = client_for(outsider)
    before = oit_state()
    assert client.get(checklist_url(opened)).status_code == 404
    assert client.post(entry_url(opened, "o1"), entry_body()).status_code == 404
    evidence = OitEvidence.objects.create(
        entry=entry(opened, "o1"), title="x", link="https://www.bangkao.go.th/"
    )
    before = oit_state()
    delete = reverse("reports:oit_evidence_delete", args=[opened.pk, evidence.pk])
    assert client.post(delete).status_code == 404
    own = reverse("reports:oit_evidence_delete", args=[outsider.organisation_id, evidence.pk])
    assert client.post(own).status_code == 404
    assert oit_state() == before


def test_staff_edit_an_item_and_the_change_is_audited(opened: Organisation, staff: User) -> None:
    client = client_for(staff)
    answer = client.post(entry_url(opened, "o1"), entry_body())
    assert answer.status_code == 302
    saved = entry(opened, "o1")
    assert saved.owner == "นางสาวสมใจ ใจดี"
    assert saved.due_on == dt.date(2026, 3, 31)
    assert saved.url == "https://www.bangkao.go.th/structure"
    assert saved.elements_done == [1]
    assert saved.status == "ready"
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).get()
    assert event.after is not None and event.after["owner"] == "นางสาวสมใจ ใจดี"
    page = text(client.get(checklist_url(opened)))
    assert "พร้อมตรวจ" in page and "นางสาวสมใจ ใจดี" in page and "๓๑ มีนาคม ๒๕๖๙" in page
    assert "๑ จาก ๒๖ ข้อพร้อม" in page


@pytest.mark.parametrize(
    ("digit_style", "shown"), [("thai", "๓๑ มี.ค. ๒๕๖๙"), ("arabic", "31 มี.ค. 2569")]
)
def test_a_due_date_typed_the_thai_way_is_saved_and_shown_back_in_the_buddhist_era(
    opened: Organisation, staff: User, digit_style: str, shown: str
) -> None:
    Organisation.objects.filter(pk=opened.pk).update(digit_style=digit_style)
    client = client_for(staff)
    answer = client.post(entry_url(opened, "o1"), entry_body(due_on="๓๑ มีนาคม ๒๕๖๙"))
    assert answer.status_code == 302
    assert entry(opened, "o1").due_on == dt.date(2026, 3, 31)
    assert f'name="due_on" value="{shown}"' in client.get(entry_url(opened, "o1")).content.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://www.bangkao.go.th/o1.pdf", "ที่อยู่เว็บต้องขึ้นต้นด้วย http:// หรือ https://"),
        ("http://192.168.1.10/o1.pdf", "เครือข่ายภายใน"),
        ("https://www.bangkao.go.th/" + "a" * 10_000, "รับได้ไม่เกิน ๑๐๐๐ ตัวอักษร"),
    ],
)
def test_a_bad_address_is_refused_in_thai_and_nothing_changes(
    opened: Organisation, staff: User, url: str, message: str
) -> None:
    before = oit_state()
    answer = client_for(staff).post(entry_url(opened, "o1"), entry_body(url=url))
    assert answer.status_code == 400
    assert message in text(answer)
    assert oit_state() == before


def test_an_element_out_of_range_is_refused_in_thai(opened: Organisation, staff: User) -> None:
    before = oit_state()
    answer = client_for(staff).post(entry_url(opened, "o1"), entry_body(elements=["1", "9"]))
    assert answer.status_code == 400
    assert "เลือกตัวเลือกที่ถูกต้อง" in text(answer)
    assert oit_state() == before


def test_an_item_with_elements_offers_one_box_each(opened: Organisation, staff: User) -> None:
    item = entry(opened, "o25").item
    assert len(item.element_list) == 2
    page = client_for(staff).get(entry_url(opened, "o25")).content.decode()
    assert len(re.findall(r'name="elements"', page)) == 2
    assert item.element_list[1] in page


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_wrong_year_pdf_is_flagged_in_thai(opened: Organisation, staff: User) -> None:
    """o23 (the anti-corruption plan) wants the assessed year's: a FY 2568 plan is flagged."""
    client = client_for(staff)
    pdf = pdf_saying("Anti-corruption action plan, fiscal year 2568")
    answer = client.post(
        reverse("reports:oit_evidence_new", args=[opened.pk, YEAR, "o23"]),
        {"element": "0", "title": "แผนปฏิบัติการป้องกันการทุจริต", "file": upload("plan.pdf", pdf)},
    )
    assert answer.status_code == 302
    evidence = OitEvidence.objects.get()
    assert evidence.document_year == 2568
    flag = "เอกสารเป็นของปีงบประมาณ ๒๕๖๘ แต่ข้อนี้ต้องเป็นปี ๒๕๖๙"
    assert flag in text(client.get(checklist_url(opened)))
    assert flag in text(client.get(entry_url(opened, "o23")))
    stored: Any = client.get(reverse("reports:oit_evidence_file", args=[opened.pk, evidence.pk]))
    assert b"".join(stored.streaming_content) == pdf


def test_the_right_year_in_the_title_is_not_flagged(opened: Organisation, staff: User) -> None:
    client = client_for(staff)
    client.post(
        reverse("reports:oit_evidence_new", args=[opened.pk, YEAR, "o23"]),
        {
            "element": "0",
            "title": "แผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ พ.ศ. ๒๕๖๙",
            "link": "https://www.bangkao.go.th/o23.pdf",
        },
    )
    assert OitEvidence.objects.get().document_year == 2569
    assert "เอกสารเป็นของปีงบประมาณ" not in text(client.get(checklist_url(opened)))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"MZ\x90\x00\x03 an executable", "เนื้อหาของไฟล์ไม่ตรงกับชนิดไฟล์"),
        ("plan.exe", b"MZ\x90\x00\x03 an executable", "แนบไฟล์ PDF"),
        ("plan.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "ไฟล์มีขนาดเกิน ๑๐ MB"),
    ],
)
def test_a_forbidden_file_is_refused_in_thai_and_nothing_is_kept(
    opened: Organisation, staff: User, name: str, content: bytes, message: str
) -> None:
    before = oit_state()
    answer = client_for(staff).post(
        reverse("reports:oit_evidence_new", args=[opened.pk, YEAR, "o1"]),
        {"element": "0", "title": "โครงสร้าง", "file": upload(name, content)},
    )
    assert answer.status_code == 400
    assert message in text(answer)
    assert oit_state() == before


def test_evidence_needs_a_file_or_a_link_and_a_public_address(
    opened: Organisation, staff: User
) -> None:
    client = client_for(staff)
    url = reverse("reports:oit_evidence_new", args=[opened.pk, YEAR, "o1"])
    before = oit_state()
    none = client.post(url, {"element": "0", "title": "โครงสร้าง"})
    assert "แนบไฟล์หรือใส่ลิงก์" in text(none)
    local = client.post(url, {"element": "0", "title": "x", "link": "http://localhost/a.pdf"})
    assert "ชี้มาที่เครื่องแม่ข่ายนี้เอง" in text(local)
    beyond = client.post(url, {"element": "5", "title": "x", "link": "https://a.go.th/"})
    assert "เลือกตัวเลือกที่ถูกต้อง" in text(beyond)
    assert oit_state() == before


def test_staff_delete_evidence_and_its_file(
    opened: Organisation, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(staff)
    client.post(
        reverse("reports:oit_evidence_new", args=[opened.pk, YEAR, "o1"]),
        {"element": "0", "title": "โครงสร้าง", "file": upload("o1.pdf", pdf_saying("o1"))},
    )
    evidence = OitEvidence.objects.get()
    storage, name = evidence.file.storage, evidence.file.name
    assert name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("reports:oit_evidence_delete", args=[opened.pk, evidence.pk]))
    assert answer.status_code == 302
    assert not OitEvidence.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 1
    assert not storage.exists(name)


def approved_memo(org: Organisation, kinds: list[tuple[str, int]], drafter: User) -> Memo:
    memo = Memo.objects.create(
        organisation=org,
        drafter=drafter,
        unit="สำนักปลัด",
        subject="ขออนุมัติมาตรการ",
        addressee="นายกเทศมนตรี",
        drafter_name="สมใจ",
        drafter_position="นักวิเคราะห์",
        attachments=[{"kind": k, "year": y} for k, y in kinds],
        status=Memo.Status.APPROVED,
        reference="พย ๗๒๔๐๑/๑๑๙",
        decided_at=timezone.now(),
    )
    for kind, year in kinds:
        frozen = FrozenAttachment(memo=memo, kind=kind, year=year, sha256="0" * 64)
        frozen.pdf.save(f"memo-{memo.pk}-{kind}-{year}.pdf", ContentFile(pdf_saying(kind)))
    return memo


def test_approved_documents_fill_the_items_the_portal_produces(
    org: Organisation, staff: User
) -> None:
    """FY 2569: the analysis and the plan answer o25, the progress report o26."""
    approved_memo(org, [("analysis", 2568), ("plan", 2569)], staff)
    refused = approved_memo(org, [("progress", 2569)], staff)
    Memo.objects.filter(pk=refused.pk).update(status=Memo.Status.REJECTED)
    client = client_for(staff)
    client.get(checklist_url(org))
    client.get(checklist_url(org))  # a second opening adds nothing
    o25 = entry(org, "o25")
    kinds = sorted(o25.evidence.values_list("portal_document", flat=True))
    assert kinds == ["analysis", "plan"]
    assert o25.elements_done == [1, 2]
    assert not entry(org, "o26").evidence.exists()  # the progress report was not approved
    page = client.get(entry_url(org, "o25"))
    assert "ปีงบประมาณ พ.ศ. ๒๕๖๙" in text(page) or "๒๕๖๙" in text(page)
    plan = o25.evidence.get(portal_document="plan")
    pdf: Any = client.get(reverse("reports:oit_evidence_file", args=[org.pk, plan.pk]))
    assert b"".join(pdf.streaming_content) == pdf_saying("plan")


def test_a_link_check_shows_on_the_checklist(opened: Organisation, staff: User) -> None:
    one = entry(opened, "o1")
    one.url = "https://www.bangkao.go.th/structure"
    one.save()
    LinkCheck.objects.create(
        entry=one,
        url=one.url,
        checked_at=timezone.now(),
        ok=False,
        status_code=404,
        problem="หน้านี้ไม่พบ (404)",
    )
    assert "หน้านี้ไม่พบ (404)" in text(client_for(staff).get(checklist_url(opened)))


def test_an_organisation_admin_edits_and_an_executive_reads(opened: Organisation) -> None:
    admin = make_user("admin1", organisation=opened, role=Role.ORG_ADMIN)
    executive = make_user("exec1", organisation=opened, role=Role.EXECUTIVE)
    assert client_for(admin).post(entry_url(opened, "o2"), entry_body()).status_code == 302
    assert client_for(executive).post(entry_url(opened, "o3"), entry_body()).status_code == 403
