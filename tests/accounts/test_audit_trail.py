"""The one audit trail: each kind of change recorded once, read in Thai, filtered, exported,
and kept from everyone but the organisation's admins (and superusers, read-only, in the admin)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, Role, User
from measures.models import Measure, MeasurePlan
from measures.services import plan_create
from reports.documents.models import AnalysisText, Committee
from reports.memos.models import MemoAction, MemoEvent
from reports.memos.services import MemoContent, RouteStep, memo_act, memo_create, memo_submit
from tests.conftest import client_for, make_user
from tests.measures.conftest import measure, plan  # noqa: F401  (the fixtures)
from tests.measures.test_views import measure_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_staff(staff: User) -> User:
    staff.first_name, staff.last_name, staff.position = "สมหญิง", "ตั้งใจ", "นักวิเคราะห์นโยบายและแผน"
    staff.save()
    return staff


@pytest.fixture
def org_admin(org: Organisation) -> User:
    return make_user("orgadmin", organisation=org, role=Role.ORG_ADMIN, first_name="ผู้ดูแล")


def text_of(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def trail(admin: User, org: Organisation, **query: str) -> str:
    response = client_for(admin).get(reverse("accounts:audit", args=[org.pk]), query)
    assert response.status_code == 200
    return text_of(response.content.decode())


def only(**lookup: object) -> AuditEvent:
    """The one entry that matches: a change is recorded once, not twice."""
    events = list(AuditEvent.objects.filter(**lookup))
    assert len(events) == 1, events
    return events[0]


def test_it_records_a_score_save_once_with_thai_labels(assessed_org, named_staff, org_admin):
    url = reverse("assessments:scores_edit", args=[assessed_org.pk, 2565])
    form = client_for(named_staff).get(url).context["form"]
    data = {k: ("" if v is None else str(v)) for k, v in form.initial.items()}
    data["ind_10"] = "๔๐"
    assert client_for(named_staff).post(url, data).status_code == 302
    event = only(object_type="assessments.assessment", action="update")
    assert event.user == named_staff and event.ip == "127.0.0.1"
    assert (event.before["score_10"], event.after["score_10"]) == ("37.50", "40.00")
    page = trail(org_admin, assessed_org)
    assert "สมหญิง ตั้งใจ นักวิเคราะห์นโยบายและแผน" in page
    assert "ผลการประเมิน ผลการประเมิน ITA ปี ๒๕๖๕" in page
    assert "คะแนนตัวชี้วัดที่ ๑๐ ๓๗.๕๐ → ๔๐.๐๐" in page
    assert "score_10" not in page and "FY" not in page


def test_it_records_a_new_plan(assessed_org, named_staff, org_admin):
    url = reverse("measures:plan_list", args=[assessed_org.pk])
    assert client_for(named_staff).post(url, {"fiscal_year": "๒๕๖๖"}).status_code == 302
    event = only(object_type="measures.measureplan")
    assert event.action == "create" and event.after == {"fiscal_year": 2566, "basis_year": 2565}
    page = trail(org_admin, assessed_org)
    assert "สร้าง แผนมาตรการ แผนมาตรการปี ๒๕๖๖" in page
    assert "ปีงบประมาณของมาตรการ (พ.ศ.) – → ๒๕๖๖" in page
    assert "ปีงบประมาณของผลการประเมินที่ตอบสนอง (พ.ศ.) – → ๒๕๖๕" in page


def test_it_records_each_measure_copied_forward(plan, measure, named_staff, org_admin):  # noqa: F811 (the fixtures)
    plan_create(organisation=plan.organisation, fiscal_year=2567)
    url = reverse("measures:copy_forward", args=[plan.organisation_id, 2567])
    assert client_for(named_staff).post(url).status_code == 302
    copied = Measure.objects.get(plan__fiscal_year=2567)
    event = only(object_type="measures.measure", object_id=str(copied.pk))
    assert event.action == "copy_forward" and event.after["start_month"] == "2024-01-01"
    page = trail(org_admin, plan.organisation)
    assert "ยกมาจากแผนปีก่อน มาตรการ มาตรการ “มาตรการเผยแพร่ข้อมูลต่อสาธารณะ” ของแผนปี ๒๕๖๗" in page
    assert "เดือนเริ่มต้น – → ๑ มกราคม ๒๕๖๗" in page


def test_it_records_a_measure_edit_field_by_field(plan, measure, named_staff, org_admin):  # noqa: F811 (the fixtures)
    url = reverse("measures:measure_edit", args=[measure.pk])
    data = measure_post(title="มาตรการเผยแพร่ข้อมูลทางเว็บไซต์", version=measure.version)
    assert client_for(named_staff).post(url, data).status_code == 302
    event = only(object_type="measures.measure", action="update")
    assert event.before["title"] == "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ"
    assert event.after["title"] == "มาตรการเผยแพร่ข้อมูลทางเว็บไซต์"
    page = trail(org_admin, plan.organisation)
    assert "มาตรการหรือโครงการ มาตรการเผยแพร่ข้อมูลต่อสาธารณะ → มาตรการเผยแพร่ข้อมูลทางเว็บไซต์" in page
    assert "monthly" not in page and "not_started" not in page


def test_it_records_follow_up_as_follow_up(plan, measure, named_staff, org_admin):  # noqa: F811 (the fixtures)
    url = reverse("measures:measure_detail", args=[measure.pk])
    response = client_for(named_staff).post(url, {"date": "๒๕๖๖-๐๑-๓๑", "done": "ประชุมชี้แจง"})
    assert response.status_code == 302
    event = only(object_type="measures.progress")
    assert event.after["date"] == "2023-01-31" and event.after["done"] == "ประชุมชี้แจง"
    page = trail(org_admin, plan.organisation)
    assert "บันทึกการติดตามผล การติดตามผลของมาตรการ “มาตรการเผยแพร่ข้อมูลต่อสาธารณะ”" in page
    assert "๓๑ มกราคม ๒๕๖๖" in page and "Measure" not in page


def test_it_records_the_plans_analysis_and_the_reports_paragraphs(plan, named_staff, org_admin):  # noqa: F811 (the fixtures)
    url = reverse("measures:analysis_edit", args=[plan.organisation_id, 2566])
    data = {f"{c}_{k}": "" for c in ("IIT", "EIT", "OIT") for k in ("strengths", "issues")}
    data["EIT_issues"] = "ประชาชนไม่ทราบช่องทางร้องเรียน"
    assert client_for(named_staff).post(url, data).status_code == 302
    event = only(object_type="measures.instrumentanalysis")
    assert event.before["issues"] == "" and event.after["issues"] == data["EIT_issues"]
    assessment = plan.organisation.assessments.get(fiscal_year=2565)
    url = reverse("reports:analysis_texts", args=[plan.organisation_id, 2565])
    assert client_for(named_staff).post(url, {"text_0": "ภาพรวมดีขึ้น"}).status_code == 302
    text = AnalysisText.objects.get(assessment=assessment)
    assert only(object_type="reports.analysistext").after == {"text": text.text}
    page = trail(org_admin, plan.organisation)
    assert "ประเด็นที่ต้องแก้ไข – → ประชาชนไม่ทราบช่องทางร้องเรียน" in page
    assert "ย่อหน้าผลคะแนนภาพรวมในรายงานการวิเคราะห์ปี ๒๕๖๕" in page


def test_it_records_memo_actions_once_beside_the_memos_own_history(org, named_staff, org_admin):
    mayor = make_user("mayor", organisation=org, role=Role.EXECUTIVE, first_name="นายก")
    data = MemoContent(unit="สำนักปลัด", subject="รายงานผล ITA", addressee="นายก",
                       drafter_name="สมหญิง", drafter_position="นักวิเคราะห์")  # fmt: skip
    memo = memo_create(organisation=org, drafter=named_staff, data=data, ip="10.0.0.1")
    memo_submit(memo=memo, user=named_staff, route=[RouteStep(mayor)], ip="10.0.0.1",
                today=dt.date(2025, 2, 11))  # fmt: skip
    memo_act(memo=memo, user=mayor, action=MemoAction.APPROVE, opinion="", ip="10.0.0.2")
    assert MemoEvent.objects.filter(memo=memo).count() == 3  # its own page's history stays
    event = only(object_type="reports.memo", action="approve")
    assert event.user == mayor and event.ip == "10.0.0.2"
    assert (event.before, event.after) == ({"status": "in_review"}, {"status": "approved"})
    assert AuditEvent.objects.filter(object_type="reports.memo").count() == 3
    page = trail(org_admin, org, action="approve")
    assert "เห็นชอบ บันทึกข้อความ บันทึกข้อความ" in page and "“รายงานผล ITA”" in page
    assert "สถานะ อยู่ระหว่างพิจารณา → อนุมัติ" in page


def test_it_records_a_role_change(org, named_staff, org_admin):
    url = reverse("accounts:person_edit", args=[org.pk, named_staff.pk])
    data = {"username": "staff", "first_name": "สมหญิง", "last_name": "ตั้งใจ",
            "email": "s@example.org", "position": "หัวหน้าสำนักปลัด", "role": "org_admin",
            "is_active": "on"}  # fmt: skip
    assert client_for(org_admin).post(url, data).status_code == 302
    event = only(object_type="accounts.user", action="update")
    assert (event.before["role"], event.after["role"]) == ("staff", "org_admin")
    page = trail(org_admin, org)
    assert "บทบาท เจ้าหน้าที่ → ผู้ดูแลระบบของหน่วยงาน" in page
    assert "บัญชีผู้ใช้ของ สมหญิง ตั้งใจ (staff)" in page


def test_it_records_the_emblem_upload(org, named_staff, org_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = io.BytesIO()
    Image.new("RGB", (40, 40), "gold").save(image, "PNG")
    upload = SimpleUploadedFile("garuda.png", image.getvalue(), content_type="image/png")
    url = reverse("reports:document_index", args=[org.pk])
    assert client_for(named_staff).post(url, {"emblem": upload}).status_code == 302
    event = only(object_type="assessments.organisation")
    assert event.before == {"emblem": ""} and event.after["emblem"].startswith("emblems/garuda")
    assert "ตราครุฑ – → garuda" in trail(org_admin, org)


def _changes(org: Organisation, named_staff: User) -> None:
    """A plan on 1 March 2568 (B.E.), its measure on 5 March."""
    plan_create(organisation=org, fiscal_year=2568, user=named_staff)
    plan_create(organisation=org, fiscal_year=2569, user=None)
    AuditEvent.objects.filter(object_type="measures.measureplan").update(
        at=dt.datetime(2025, 3, 1, 10, tzinfo=dt.UTC)
    )


def test_it_filters_by_person_kind_action_and_b_e_dates(org, named_staff, org_admin):
    _changes(org, named_staff)
    make_user("other", organisation=org, role=Role.STAFF)
    kinds = trail(org_admin, org, person=str(named_staff.pk))
    assert "แผนมาตรการปี ๒๕๖๘" in kinds and "แผนมาตรการปี ๒๕๖๙" not in kinds
    assert "แผนมาตรการปี ๒๕๖๘" not in trail(org_admin, org, kind="accounts.user")
    assert "แผนมาตรการปี ๒๕๖๘" not in trail(org_admin, org, action="delete")
    day = trail(org_admin, org, since="๒๕๖๘-๐๓-๐๑", until="๒๕๖๘-๐๓-๐๑")
    assert "แผนมาตรการปี ๒๕๖๘" in day and "แผนมาตรการปี ๒๕๖๙" in day
    assert "แผนมาตรการปี ๒๕๖๘" not in trail(org_admin, org, since="2568-03-02")
    day = trail(org_admin, org, since="๑ มี.ค. ๒๕๖๘", until="1/3/2568")
    assert "แผนมาตรการปี ๒๕๖๘" in day and "แผนมาตรการปี ๒๕๖๙" in day


def test_it_says_in_thai_what_is_wrong_with_a_filter_and_lists_nothing(org, named_staff, org_admin):
    _changes(org, named_staff)
    page = trail(org_admin, org, since="๒๕๖๘-๐๒-๒๙")
    assert "กรุณากรอกวันที่ เช่น ๑๕ พ.ย. ๒๕๖๙ หรือ 15/11/2569" in page and "แผนมาตรการปี" not in page
    page = trail(org_admin, org, since="๒๕๖๘-๐๓-๐๒", until="๒๕๖๘-๐๓-๐๑")
    assert "วันที่เริ่มต้นอยู่หลังวันที่สิ้นสุด" in page
    url = reverse("accounts:audit_export", args=[org.pk])
    assert client_for(org_admin).get(url, {"person": "x"}).status_code == 404


def test_it_exports_the_filtered_trail_as_xlsx(org, named_staff, org_admin):
    _changes(org, named_staff)
    url = reverse("accounts:audit_export", args=[org.pk])
    response = client_for(org_admin).get(url, {"person": str(named_staff.pk)})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["วันเวลา", "ผู้ดำเนินการ", "ตำแหน่ง"]
    assert len(rows) == 2
    assert rows[1][1] == "สมหญิง ตั้งใจ" and rows[1][3] == "สร้าง"
    assert rows[1][5] == "แผนมาตรการปี ๒๕๖๘"
    assert "ปีงบประมาณของมาตรการ (พ.ศ.): – → ๒๕๖๘" in rows[1][7]


def test_it_keeps_the_trail_from_outsiders_and_other_roles(org, named_staff, outsider):
    _changes(org, named_staff)
    for name in ("accounts:audit", "accounts:audit_export"):
        url = reverse(name, args=[org.pk])
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(named_staff).get(url).status_code == 403


def test_it_shows_the_trail_to_superusers_read_only_in_the_admin(org, named_staff):
    _changes(org, named_staff)
    root = User.objects.create_superuser("root", "root@example.org", "a-long-test-password-1")
    client = client_for(root)
    listing = client.get(reverse("admin:accounts_auditevent_changelist"))
    assert listing.status_code == 200 and "แผนมาตรการปี 2568" in listing.content.decode()
    event = AuditEvent.objects.get(summary="แผนมาตรการปี 2568")
    change = client.get(reverse("admin:accounts_auditevent_change", args=[event.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:accounts_auditevent_add")).status_code == 403
    delete = reverse("admin:accounts_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.post(change.request["PATH_INFO"], {"summary": "x"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, summary="แผนมาตรการปี 2568").exists()
    assert MeasurePlan.objects.count() == 2


def test_it_records_a_committee_order_and_each_change_to_it(org, named_staff, org_admin):
    from tests.reports.test_views import committee_post

    client = client_for(named_staff)
    assert (
        client.post(reverse("reports:committee_new", args=[org.pk]), committee_post()).status_code
        == 302
    )
    committee = Committee.objects.get(organisation=org)
    created = only(object_type="reports.committee", action="create")
    assert created.user == named_staff and created.organisation_id == org.pk
    assert created.after["members"] == ["steering | นายสมชาย ใจดี | ปลัดเทศบาล | ประธานกรรมการ"]
    edit = reverse("reports:committee_edit", args=[org.pk, committee.pk])
    changed = committee_post(**{"subject": "แต่งตั้งคณะทำงาน ITA", "members-0-name": "นางสมศรี ใจงาม"})
    assert client.post(edit, changed).status_code == 302
    event = only(object_type="reports.committee", action="update")
    assert set(event.before) == set(event.after) == {"subject", "members"}
    assert event.after["subject"] == "แต่งตั้งคณะทำงาน ITA"
    assert client.post(edit, changed).status_code == 302  # nothing changed: nothing recorded
    only(object_type="reports.committee", action="update")
    page = trail(org_admin, org)
    assert "คำสั่ง" in page and "แต่งตั้งคณะกรรมการ ITA → แต่งตั้งคณะทำงาน ITA" in page
    assert "นางสมศรี ใจงาม" in page and "members" not in page


def test_it_records_what_a_superuser_changes_in_the_admin(org, org_admin):
    root = User.objects.create_superuser("root", "root@example.org", "a-long-test-password-1")
    client = client_for(root)
    url = reverse("admin:assessments_organisation_change", args=[org.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields if name != "emblem"}
    data["digit_style"] = Organisation.DigitStyle.ARABIC
    assert client.post(url, data).status_code == 302
    event = only(object_type="assessments.organisation", action="update")
    assert event.user == root and event.organisation_id == org.pk
    assert (event.before, event.after) == ({"digit_style": "thai"}, {"digit_style": "arabic"})
    assert "ตัวเลขที่ใช้ในเอกสาร เลขไทย (๑๒๓) → เลขอารบิก (123)" in trail(org_admin, org)
