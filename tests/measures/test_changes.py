"""Changing what was recorded: a follow-up entry edited or deleted, a plan made by mistake
deleted, each confirmed, audited and refused where an approved memo holds it; a plan with no
results to answer refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import YearSummary
from itaportal.accounts.models import AuditEvent
from measures.models import Measure, MeasurePlan, Progress
from measures.services import measures_copy_forward, plan_create
from reports.memos.models import FrozenAttachment, Memo
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

IN_FY_2566 = dt.datetime(2023, 2, 15, 10, tzinfo=dt.UTC)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def approved_memo(plan: MeasurePlan, kind: str, drafter) -> Memo:
    """An approved memo of the plan's organisation that froze the plan's `kind` document."""
    memo = Memo.objects.create(
        organisation=plan.organisation,
        drafter=drafter,
        unit="สำนักปลัด",
        subject="รายงานผลการดำเนินการตามมาตรการ",
        addressee="นายกเทศมนตรี",
        drafter_name="ผู้ร่าง",
        drafter_position="นักวิเคราะห์",
        status=Memo.Status.APPROVED,
        reference="พย ๗๒๔๐๑/๑๒๓",
    )
    FrozenAttachment.objects.create(
        memo=memo, kind=kind, year=plan.fiscal_year, pdf="memos/x.pdf", sha256="0" * 64
    )
    return memo


def progress_url(name: str, progress: Progress) -> str:
    return reverse(f"measures:{name}", args=[progress.measure_id, progress.pk])


# --- a follow-up entry ------------------------------------------------------------------------


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_edits_a_follow_up_entry_from_what_it_says_and_audits_it(progress, staff):
    client = client_for(staff)
    page = client.get(progress_url("progress_edit", progress)).content.decode()
    assert "ประชุมชี้แจง" in page  # the form starts from the entry
    response = client.post(
        progress_url("progress_edit", progress),
        {"date": "2023-02-01", "done": "ประชุมชี้แจงครั้งที่ ๒", "outcome": "เข้าใจ"},
    )
    assert response.status_code == 302
    progress.refresh_from_db()
    assert (progress.date, progress.done) == (dt.date(2023, 2, 1), "ประชุมชี้แจงครั้งที่ ๒")
    entry = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_type="measures.progress")
    assert entry.before["done"] == "ประชุมชี้แจง"
    assert entry.after["done"] == "ประชุมชี้แจงครั้งที่ ๒"
    detail = client.get(response["Location"]).content.decode()
    assert "บันทึกผลการติดตามเรียบร้อยแล้ว" in detail


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_refuses_a_bad_edit_and_changes_nothing(progress, staff):
    response = client_for(staff).post(
        progress_url("progress_edit", progress), {"date": "2023-13-45", "done": ""}
    )
    assert response.status_code == 200
    assert "ยังไม่มีการบันทึกข้อมูล" in response.content.decode()
    progress.refresh_from_db()
    assert progress.done == "ประชุมชี้แจง"


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_replaces_an_evidence_file_and_removes_the_old_one(
    measure, staff, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(staff)
    client.post(
        reverse("measures:measure_detail", args=[measure.pk]),
        {
            "date": "2023-02-01",
            "done": "x",
            "evidence_file": SimpleUploadedFile("a.pdf", b"%PDF-a"),
        },
    )
    progress = measure.progress.get()
    old = tmp_path / progress.evidence_file.name
    assert old.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            progress_url("progress_edit", progress),
            {
                "date": "2023-02-01",
                "done": "x",
                "evidence_file": SimpleUploadedFile("b.pdf", b"%PDF-b"),
            },
        )
    progress.refresh_from_db()
    assert (tmp_path / progress.evidence_file.name).read_bytes() == b"%PDF-b"
    assert not old.exists()


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_removes_the_evidence_file_when_asked(
    measure, staff, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(staff)
    client.post(
        reverse("measures:measure_detail", args=[measure.pk]),
        {
            "date": "2023-02-01",
            "done": "x",
            "evidence_file": SimpleUploadedFile("a.pdf", b"%PDF-a"),
        },
    )
    progress = measure.progress.get()
    stored = tmp_path / progress.evidence_file.name
    page = client.get(progress_url("progress_edit", progress)).content.decode()
    assert "ลบไฟล์หลักฐานเดิม (a.pdf)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            progress_url("progress_edit", progress),
            {"date": "2023-02-01", "done": "x", "remove_file": "on"},
        )
    progress.refresh_from_db()
    assert not progress.evidence_file
    assert not stored.exists()


def test_it_asks_before_deleting_a_follow_up_entry_and_keeps_it_in_the_audit_trail(progress, staff):
    client = client_for(staff)
    page = text_of(client.get(progress_url("progress_delete", progress)).content.decode())
    assert "ลบผลการติดตามนี้หรือไม่" in page and "ประชุมชี้แจง" in page
    assert Progress.objects.filter(pk=progress.pk).exists()  # asking deletes nothing
    assert client.post(progress_url("progress_delete", progress)).status_code == 302
    assert not Progress.objects.filter(pk=progress.pk).exists()
    entry = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_type="measures.progress")
    assert entry.before["done"] == "ประชุมชี้แจง" and entry.user == staff


def test_it_shows_edit_and_delete_beside_each_entry_to_staff_only(progress, staff, reviewer):
    url = reverse("measures:measure_detail", args=[progress.measure_id])
    assert progress_url("progress_edit", progress) in client_for(staff).get(url).content.decode()
    assert progress_url("progress_edit", progress) not in (
        client_for(reviewer).get(url).content.decode()
    )


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_refuses_to_change_follow_up_an_approved_progress_report_holds(progress, staff):
    approved_memo(progress.measure.plan, "progress", staff)
    client = client_for(staff)
    page = text_of(client.get(progress_url("progress_edit", progress)).content.decode())
    assert "พย ๗๒๔๐๑/๑๒๓" in page and "สิ่งที่อนุมัติแล้วต้องคงเดิม" in page
    response = client.post(
        progress_url("progress_edit", progress), {"date": "2023-02-01", "done": "แก้"}
    )
    assert "แก้ไขไม่ได้" in text_of(client.get(response["Location"]).content.decode())
    client.post(progress_url("progress_delete", progress))
    progress.refresh_from_db()
    assert progress.done == "ประชุมชี้แจง"
    assert not AuditEvent.objects.filter(object_type="measures.progress").exists()


def test_an_approved_plan_document_alone_does_not_hold_the_follow_up(progress, staff):
    approved_memo(progress.measure.plan, "plan", staff)  # the plan prints no follow-up
    client_for(staff).post(progress_url("progress_delete", progress))
    assert not Progress.objects.filter(pk=progress.pk).exists()


# --- a plan -----------------------------------------------------------------------------------


def test_it_says_what_goes_with_a_plan_before_deleting_it(plan, measure, progress, staff):
    url = reverse("measures:plan_delete", args=[plan.organisation_id, plan.fiscal_year])
    page = text_of(client_for(staff).get(url).content.decode())
    assert "ลบแผนมาตรการปีงบประมาณ ๒๕๖๖ หรือไม่" in page
    assert "มาตรการ ๑ มาตรการ" in page and "ผลการติดตาม ๑ รายการ" in page
    assert MeasurePlan.objects.filter(pk=plan.pk).exists()


def test_it_deletes_a_plan_with_its_measures_and_keeps_it_in_the_audit_trail(
    plan, measure, progress, staff
):
    url = reverse("measures:plan_delete", args=[plan.organisation_id, plan.fiscal_year])
    response = client_for(staff).post(url)
    assert response["Location"] == reverse("measures:plan_list", args=[plan.organisation_id])
    assert not MeasurePlan.objects.filter(pk=plan.pk).exists()
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not Progress.objects.filter(pk=progress.pk).exists()
    entry = AuditEvent.objects.get(
        action=AuditEvent.Action.DELETE, object_type="measures.measureplan"
    )
    assert entry.before["fiscal_year"] == 2566
    assert "ประชุมชี้แจง" in entry.before["measures"][0]
    summary = YearSummary.objects.get(organisation=plan.organisation, fiscal_year=2565)
    assert not summary.has_plan  # the overview no longer counts it


def test_it_refuses_to_delete_a_plan_an_approved_memo_holds(plan, measure, staff):
    approved_memo(plan, "plan", staff)
    url = reverse("measures:plan_delete", args=[plan.organisation_id, plan.fiscal_year])
    client = client_for(staff)
    page = text_of(client.get(url).content.decode())
    assert "ลบแผนนี้ไม่ได้" in page and "พย ๗๒๔๐๑/๑๒๓" in page
    response = client.post(url)
    assert "แก้ไขไม่ได้" in text_of(client.get(response["Location"]).content.decode())
    assert MeasurePlan.objects.filter(pk=plan.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


def test_deleting_next_years_plan_reopens_the_measures_carried_into_it(plan, measure, staff):
    next_plan = plan_create(organisation=plan.organisation, fiscal_year=2567)
    measures_copy_forward(plan=next_plan, user=staff)
    url = reverse("measures:plan_delete", args=[plan.organisation_id, 2567])
    assert measure.title in text_of(client_for(staff).get(url).content.decode())
    client_for(staff).post(url)
    measure.refresh_from_db()
    assert measure.status == Measure.Status.NOT_STARTED and measure.carried_to is None


def test_it_refuses_a_plan_with_no_results_to_answer(org, staff):
    response = client_for(staff).post(
        reverse("measures:plan_list", args=[org.pk]), {"fiscal_year": "๒๕๗๐"}
    )
    assert response.status_code == 200
    assert "ยังไม่มีผลการประเมินของปีงบประมาณ ๒๕๗๐ หรือปีก่อนหน้า" in text_of(response.content.decode())
    assert not MeasurePlan.objects.exists()
