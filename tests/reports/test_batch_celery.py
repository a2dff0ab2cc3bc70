"""Batch printing through the real path: a Redis server as broker and a Celery worker process that
reads the test database (PostgreSQL: the worker is another process, so it must see committed data
in a server database) and writes the PDFs that the web side packs and serves."""

from __future__ import annotations

import io
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.urls import reverse

from itaportal.accounts.models import User
from itaportal.celery import app as celery_app
from measures.models import MeasurePlan
from reports.batch.models import PrintBatch, PrintJob
from reports.batch.tasks import print_document
from tests.conftest import client_for
from tests.reports.conftest import pdftotext

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One Redis server for the session: the web side's pooled broker connections stay valid."""
    tmp_path = tmp_path_factory.mktemp("redis")
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: scripts/portal test installs it"
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def point_celery_at(url: str) -> None:
    """Send this process' tasks to `url`: app.close() drops the pooled broker connections but
    not the producers bound to them, which would go on sending to the old broker."""
    celery_app.conf.update(broker_url=url)
    celery_app.close()
    celery_app.amqp._producer_pool = None  # type: ignore[attr-defined]


def worker_env(redis_url: str, media_root: str, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}"
        f"/{db['NAME']}"
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "itaportal.test_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_MEDIA_ROOT": media_root,
        **extra,
    }


def start_worker(env: dict[str, str], log: Any, concurrency: int = 2) -> subprocess.Popen[bytes]:
    """A Celery worker in its own process group, so that the test can kill all of it at once."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "itaportal",
            "worker",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture
def worker(redis_url: str, settings: Any, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A Celery worker process on the test database, and this process sending to it."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BATCH_RUNNER = "celery"
    env = worker_env(redis_url, settings.MEDIA_ROOT)
    log = (tmp_path / "worker.log").open("wb")
    process = start_worker(env, log)
    previous = celery_app.conf.broker_url
    point_celery_at(redis_url)
    try:
        yield process
    finally:
        point_celery_at(previous)
        process.terminate()
        process.wait(30)
        log.close()
        print((tmp_path / "worker.log").read_text(errors="replace")[-3000:])


def wait_until_done(batch: PrintBatch, timeout: float = 180) -> PrintBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status == PrintBatch.Status.DONE:
            return batch
        time.sleep(0.5)
    raise AssertionError(f"batch still {batch.status} after {timeout} s")


def test_the_workers_print_a_supervisors_batch_and_the_page_offers_the_zip(
    frameworks_back: None, demo: None, worker: subprocess.Popen[bytes]
) -> None:
    supervisor = User.objects.create_user(
        "supervisor-all-thai", role="supervisor", supervised_province="พะเยา"
    )
    client = client_for(supervisor)
    seed_plan = MeasurePlan.objects.filter(organisation__name="องค์การบริหารส่วนตำบลภูซาง")
    year = seed_plan.earliest("fiscal_year").fiscal_year  # the seed's, before this year's
    response = client.post(
        reverse("reports:batch_new"), {"fiscal_year": str(year), "kinds": ["plan", "progress"]}
    )
    batch = PrintBatch.objects.get()
    assert response["Location"] == reverse("reports:batch_detail", args=[batch.pk])
    wait_until_done(batch)
    assert worker.poll() is None
    jobs = list(batch.jobs.all())
    assert {job.status for job in jobs} == {PrintJob.Status.DONE} and len(jobs) == 2
    page = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()
    assert "พร้อมดาวน์โหลด" in page
    download = client.get(reverse("reports:batch_zip", args=[batch.pk]))
    archive = zipfile.ZipFile(io.BytesIO(download.getvalue()))
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 2
    assert all("องค์การบริหารส่วนตำบลภูซาง" in pdftotext(archive.read(n)) for n in pdfs)


def test_duplicate_deliveries_leave_one_file_per_document(
    frameworks_back: None, demo: None, worker: subprocess.Popen[bytes]
) -> None:
    staff = User.objects.get(username="bangkao-staff")
    client_for(staff).post(reverse("reports:batch_new"), {"fiscal_year": "2566", "kinds": ["plan"]})
    batch = wait_until_done(PrintBatch.objects.get())
    job = batch.jobs.get()
    for _ in range(3):  # the same task delivered again, as after a lost acknowledgement
        print_document.delay(job.pk)
    client_for(staff).post(reverse("reports:batch_new"), {"fiscal_year": "2566", "kinds": ["plan"]})
    wait_until_done(PrintBatch.objects.exclude(pk=batch.pk).get())
    time.sleep(2)  # let the repeats finish
    folder = Path(django_settings.MEDIA_ROOT, "batches", "documents")
    assert sorted(p.name for p in folder.iterdir()) == [job.key + ".pdf"]
    assert set(PrintJob.objects.values_list("key", flat=True)) == {job.key}
    assert PrintJob.objects.get(pk=job.pk).attempts == 1  # the repeats saw it done


def test_a_batch_finishes_after_its_worker_is_killed_mid_document(
    frameworks_back: None, demo: None, redis_url: str, settings: Any, tmp_path: Path
) -> None:
    """kill -9 of the whole worker while it prints: another worker gets the unacknowledged task
    once the visibility timeout (here 5 × 2 s) has passed, and the batch finishes."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.BATCH_RUNNER = "celery"
    env = worker_env(redis_url, settings.MEDIA_ROOT, ITAPORTAL_BATCH_DOCUMENT_LONGEST_SECONDS="2")
    previous = celery_app.conf.broker_url
    point_celery_at(redis_url)
    log = (tmp_path / "worker.log").open("wb")
    first = start_worker(env, log, concurrency=1)
    second = None
    try:
        staff = User.objects.get(username="bangkao-staff")
        client_for(staff).post(
            reverse("reports:batch_new"), {"fiscal_year": "2566", "kinds": ["plan", "progress"]}
        )
        batch = PrintBatch.objects.get()
        deadline = time.monotonic() + 60
        while not batch.jobs.filter(attempts__gte=1, status=PrintJob.Status.PENDING).exists():
            assert time.monotonic() < deadline, "the worker never began a document"
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)  # mid-document: the PDF takes far longer than this
        first.wait(10)
        killed = batch.jobs.get(attempts__gte=1, status=PrintJob.Status.PENDING)
        second = start_worker(env, log, concurrency=1)
        wait_until_done(batch, timeout=60)
        killed.refresh_from_db()
        assert killed.status == PrintJob.Status.DONE and killed.attempts == 2
        assert {job.status for job in batch.jobs.all()} == {PrintJob.Status.DONE}
    finally:
        point_celery_at(previous)
        for process in (first, second):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(30)
        log.close()
        print((tmp_path / "worker.log").read_text(errors="replace")[-3000:])
