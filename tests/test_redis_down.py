"""Redis stopped: the portal is configured as with REDIS_URL (Django's Redis cache, Celery as batch
runner) but nothing listens on Redis' port. Every page still answers, the login works, and a batch
prints in the web process."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from itaportal.accounts.models import User
from itaportal.celery import app as celery_app
from measures.models import MeasurePlan
from reports.batch import runner
from reports.batch.models import PrintBatch
from tests.reports.conftest import demo, frameworks_back  # noqa: F401  (the fixtures)
from tests.reports.test_batch_celery import point_celery_at

DEMO_PASSWORD = "ita-demo-2569"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # free once the socket closes: nobody listens there


@pytest.fixture
def redis_stopped(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        },
    }
    settings.BATCH_RUNNER = "celery"
    monkeypatch.setattr(runner, "_broker_down_until", 0.0, raising=False)
    previous = celery_app.conf.broker_url
    point_celery_at(url)
    try:
        yield url
    finally:
        point_celery_at(previous)


def wait_for_the_printing_thread(batch: PrintBatch) -> PrintBatch:
    """Printing queues the packing behind it; a few rounds let the queue drain (as in
    tests/reports/test_batch.py: in-memory SQLite locks tables between threads, so no polling)."""
    for _ in range(5):
        if runner._executor is not None:
            runner._executor.submit(lambda: None).result(timeout=120)
        batch.refresh_from_db()
        if batch.status == PrintBatch.Status.DONE:
            break
    return batch


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frameworks_back", "demo", "redis_stopped")
def test_with_redis_stopped_people_log_in_work_and_print(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    staff = User.objects.get(username="bangkao-staff")
    org = staff.organisation
    assert org is not None
    plan = MeasurePlan.objects.filter(organisation=org).order_by("-fiscal_year").first()
    assert plan is not None

    client = Client()
    assert client.get(reverse("accounts:login")).status_code == 200
    response = client.post(
        reverse("accounts:login"), {"username": "bangkao-staff", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get(reverse("home"))["Location"] == reverse(
        "assessments:dashboard", args=[org.pk]
    )
    for page in (
        reverse("assessments:dashboard", args=[org.pk]),
        reverse("measures:plan_detail", args=[org.pk, plan.fiscal_year]),
        reverse("reports:memo_inbox"),
        reverse("reports:batch_list"),
    ):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "_auth_user_id" in client.session  # still signed in: the session is in the database

    supervisor = Client()
    supervisor.post(
        reverse("accounts:login"),
        {"username": "supervisor-phetchaburi", "password": DEMO_PASSWORD},
    )
    assert supervisor.get(reverse("reports:overview")).status_code == 200

    response = client.post(
        reverse("reports:batch_new"), {"fiscal_year": "๒๕๖๖", "kinds": ["plan", "progress"]}
    )
    batch = PrintBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:batch_detail", args=[batch.pk])
    assert wait_for_the_printing_thread(batch).status == PrintBatch.Status.DONE
    assert client.get(response["Location"]).status_code == 200

    broker_lines = [r for r in caplog.records if r.name == "reports.batch.runner"]
    assert len(broker_lines) == 1  # said once, not once per call
