"""Supervisors pre-audit an organisation's OIT checklist and leave notes; the office reads them
and answers, and cannot pre-audit its own items."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, Role, User
from reports.oit.models import OitEntry, OitEvidence, OitNote, OitStatus
from reports.oit.review_forms import NOTE_LENGTH
from reports.oit.selectors import oit_items
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

YEAR = 2569


@pytest.fixture
def entries(org: Organisation, other_org: Organisation) -> dict[str, OitEntry]:
    mine = {i.code: i for i in oit_items(organisation=org, fiscal_year=YEAR)}
    structure = OitEntry.objects.create(
        organisation=org,
        fiscal_year=YEAR,
        item=mine["o1"],
        status=OitStatus.READY,
        url="https://bangkao.go.th/structure",
    )
    OitEvidence.objects.create(
        entry=structure, title="แผนผังองค์กร", link="https://bangkao.go.th/chart", public=False
    )
    theirs = {i.code: i for i in oit_items(organisation=other_org, fiscal_year=YEAR)}
    foreign = OitEntry.objects.create(organisation=other_org, fiscal_year=YEAR, item=theirs["o1"])
    return {"mine": structure, "foreign": foreign}


@pytest.fixture
def office(org: Organisation) -> User:
    return make_user("office", organisation=org, role=Role.STAFF, first_name="ทับทิม")


@pytest.fixture
def elsewhere() -> User:
    return make_user("supervisor-phayao", role=Role.SUPERVISOR, supervised_province="พะเยา")


def review_url(org: Organisation) -> str:
    return reverse("reports:oit_review", args=[org.pk, YEAR])


def action_url(name: str, org: Organisation, entry: OitEntry) -> str:
    return reverse(f"reports:{name}", args=[org.pk, YEAR, entry.pk])


def state() -> list[object]:
    return [
        *OitEntry.objects.order_by("pk").values_list(),
        *OitNote.objects.order_by("pk").values_list(),
        AuditEvent.objects.exclude(action=AuditEvent.Action.PERMISSION_DENIED).count(),
    ]


def test_it_shows_the_supervisor_every_item_read_only(
    org: Organisation, entries: dict[str, OitEntry], supervisor: User
) -> None:
    html = client_for(supervisor).get(review_url(org)).content.decode()
    headings = re.findall(r'<h2 class="h5" id="heading-(o\d+)"', html)
    assert headings == [i.code for i in oit_items(organisation=org, fiscal_year=YEAR)]
    assert "พร้อมตรวจ" in html and "https://bangkao.go.th/structure" in html
    assert "แผนผังองค์กร" in html  # evidence, public or not
    assert "หน่วยงานยังไม่ได้เริ่มข้อนี้" in html  # items the office has not started
    assert "ผ่านการตรวจเบื้องต้น" in html  # the button


def test_a_supervisor_marks_an_item_and_withdraws_the_mark(
    org: Organisation, entries: dict[str, OitEntry], supervisor: User
) -> None:
    client = client_for(supervisor)
    url = action_url("oit_pre_audit", org, entries["mine"])
    page = client.post(url, {"passed": "1"}, follow=True).content.decode()
    assert "ข้อ o๑ ผ่านการตรวจเบื้องต้น" in page
    assert 'class="badge text-bg-success pre-audited"' in page
    entry = OitEntry.objects.get(pk=entries["mine"].pk)
    assert entry.pre_audited_by == supervisor and entry.pre_audited_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, organisation=org)
    assert "ผ่านการตรวจเบื้องต้น" in event.summary and event.user == supervisor
    page = client.post(url, {"passed": "0"}, follow=True).content.decode()
    assert "ถอนผลการตรวจเบื้องต้นของข้อ o๑ แล้ว" in page
    assert OitEntry.objects.get(pk=entries["mine"].pk).pre_audited_at is None


def test_a_supervisors_note_appears_for_the_office_which_answers(
    org: Organisation, entries: dict[str, OitEntry], supervisor: User, office: User
) -> None:
    url = action_url("oit_note", org, entries["mine"])
    client_for(supervisor).post(url, {"text": "ลิงก์แผนผังองค์กรเปิดไม่ได้ กรุณาตรวจสอบ"})
    client = client_for(office)
    page = client.get(review_url(org)).content.decode()
    assert "ลิงก์แผนผังองค์กรเปิดไม่ได้ กรุณาตรวจสอบ" in page
    assert (
        'action="' + reverse("reports:oit_pre_audit", args=[org.pk, YEAR, entries["mine"].pk])
        not in page
    )
    answer = client.post(url, {"text": "แก้ลิงก์แล้ว"}, follow=True).content.decode()
    assert "บันทึกในข้อ o๑ แล้ว" in answer
    assert answer.index("ลิงก์แผนผังองค์กรเปิดไม่ได้") < answer.index("แก้ลิงก์แล้ว")
    notes = OitNote.objects.filter(entry=entries["mine"]).order_by("pk")
    assert [n.author for n in notes] == [supervisor, office]
    assert AuditEvent.objects.filter(object_type=OitNote._meta.label_lower).count() == 2


def test_the_office_cannot_pre_audit_its_own_items(
    org: Organisation, entries: dict[str, OitEntry], office: User
) -> None:
    client = client_for(office)
    before = state()
    answer = client.post(action_url("oit_pre_audit", org, entries["mine"]), {"passed": "1"})
    assert answer.status_code == 403
    assert "เฉพาะผู้กำกับดูแลเท่านั้นที่ตรวจเบื้องต้นได้" in answer.content.decode()
    assert state() == before


@pytest.mark.parametrize("text", ["", "   ", "ก" * (NOTE_LENGTH + 1), "ก" * 20_000])
def test_a_note_empty_or_too_long_is_refused_in_thai(
    org: Organisation, entries: dict[str, OitEntry], supervisor: User, text: str
) -> None:
    client = client_for(supervisor)
    before = state()
    page = client.post(action_url("oit_note", org, entries["mine"]), {"text": text})
    html = page.content.decode()
    assert page.status_code == 200
    assert "กรุณาเขียนบันทึกก่อน" in html or "บันทึกยาวได้ไม่เกิน ๕๐๐๐ ตัวอักษร" in html, html[-2000:]
    assert state() == before


def test_a_pre_audit_or_note_on_another_organisations_item_is_404(
    org: Organisation, entries: dict[str, OitEntry], supervisor: User
) -> None:
    client = client_for(supervisor)
    before = state()
    foreign = entries["foreign"]  # of ภูซาง, พะเยา: put under บางเก่า's address
    for name, body in (("oit_pre_audit", {"passed": "1"}), ("oit_note", {"text": "แทรก"})):
        answer = client.post(action_url(name, org, foreign), body)
        assert answer.status_code == 404
        assert "รายการตรวจของหน่วยงานนี้ในปีนั้นไม่มีข้อนี้" in answer.content.decode()
    assert state() == before


def test_a_supervisor_of_another_province_gets_404(
    org: Organisation, entries: dict[str, OitEntry], elsewhere: User
) -> None:
    client = client_for(elsewhere)
    before = state()
    assert client.get(review_url(org)).status_code == 404
    answer = client.post(action_url("oit_pre_audit", org, entries["mine"]), {"passed": "1"})
    assert answer.status_code == 404
    assert state() == before
