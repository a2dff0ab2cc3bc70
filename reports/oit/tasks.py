"""The OIT link check as a Celery task: the checklist page's "ตรวจลิงก์" button queues one
organisation's checklist of a year; without workers (no REDIS_URL) it runs in a thread of the web
process, as batch printing does (reports.batch.runner, settings.BATCH_RUNNER)."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from django.db import DatabaseError

from reports.batch.runner import run_task
from reports.oit import links
from reports.oit.models import OitEntry


@shared_task(
    acks_late=True, reject_on_worker_lost=True, max_retries=2, autoretry_for=(DatabaseError,)
)
def oit_links_check(organisation_id: int, fiscal_year: int) -> dict[str, int]:
    """Check every address of the organisation's checklist of `fiscal_year` and keep the results.
    Run twice, it checks twice: each run is one more row per address in the history."""
    entries = OitEntry.objects.filter(organisation_id=organisation_id, fiscal_year=fiscal_year)
    return asdict(links.entries_check(entries=entries))


def oit_links_check_start(*, organisation_id: int, fiscal_year: int) -> None:
    """Queue the check of one organisation's checklist (the checklist page's button); it returns
    at once, the results appear on the checklist as they are written."""
    run_task(oit_links_check, organisation_id, fiscal_year)
