"""Asking for a batch: which documents it holds, recorded and handed to the workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Organisation
from itaportal.accounts.models import User
from measures.models import MeasurePlan
from reports.batch.models import PrintBatch, PrintJob
from reports.batch.runner import run_task
from reports.batch.tasks import dispatch_batch, finish_if_complete
from reports.documents.models import Committee, DocumentKind

DOCUMENT_ORDER = DocumentKind.values


class BatchRefused(Exception):
    """Nothing to print, or a request the portal will not take; the message says why in Thai."""


def documents_for(
    organisation_ids: Sequence[int] | QuerySet[Any], fiscal_year: int, kinds: Sequence[str]
) -> list[tuple[int, str, int]]:
    """(organisation, kind, year) of every document the data can print, in four queries."""
    wanted: list[tuple[int, str, int]] = []
    if DocumentKind.ANALYSIS in kinds:
        assessed = Assessment.objects.filter(
            organisation_id__in=organisation_ids, fiscal_year=fiscal_year - 1
        ).filter(Q(indicator_scores__isnull=False) | Q(published_score__isnull=False))
        for org_id in assessed.values_list("organisation_id", flat=True).distinct():
            wanted.append((org_id, DocumentKind.ANALYSIS, fiscal_year - 1))
    planned = MeasurePlan.objects.filter(
        organisation_id__in=organisation_ids, fiscal_year=fiscal_year
    ).values_list("organisation_id", flat=True)
    for org_id in planned:
        for kind in (DocumentKind.PLAN, DocumentKind.PROGRESS):
            if kind in kinds:
                wanted.append((org_id, kind, fiscal_year))
    if DocumentKind.ORDER in kinds:
        ordered = Committee.objects.filter(
            organisation_id__in=organisation_ids, fiscal_year=fiscal_year
        ).values_list("organisation_id", flat=True)
        for org_id in set(ordered):
            wanted.append((org_id, DocumentKind.ORDER, fiscal_year))
    return sorted(set(wanted), key=lambda d: (d[0], DOCUMENT_ORDER.index(d[1])))


def batch_start(
    *,
    user: User,
    organisations: QuerySet[Organisation],
    fiscal_year: int,
    kinds: Sequence[str],
    scope: str,
) -> PrintBatch:
    """Record the batch and its documents, and hand them to the workers once committed.

    Queuing one task per document is itself left to a task: a national batch holds some 25,000
    documents, too many messages to send before the request answers.
    """
    documents = documents_for(organisations.values("pk"), fiscal_year, kinds)
    if not documents:
        raise BatchRefused(
            _("These organisations have no documents to print for fiscal year %(year)s.")
            % {"year": fiscal_year}
        )
    with transaction.atomic():
        batch = PrintBatch.objects.create(
            requested_by=user, fiscal_year=fiscal_year, kinds=list(kinds), scope=scope[:300]
        )
        PrintJob.objects.bulk_create(
            PrintJob(batch=batch, organisation_id=org_id, kind=kind, fiscal_year=year)
            for org_id, kind, year in documents
        )
        transaction.on_commit(lambda: run_task(dispatch_batch, batch.pk))
    return batch


def batch_stalled_fail(*, batch: PrintBatch) -> int:
    """Show as failed, with why, each document of the batch that began printing longer ago than
    BATCH_STALLED_SECONDS and never finished (its worker died and the task was not delivered
    again in time), and, once nothing of an older batch has begun printing for as long, each
    document that never began. Called whenever the batch's page is shown. The count of documents
    it failed."""
    limit = timezone.now() - dt.timedelta(seconds=settings.BATCH_STALLED_SECONDS)
    pending = PrintJob.objects.filter(batch=batch, status=PrintJob.Status.PENDING)
    with transaction.atomic():
        failed = pending.filter(started_at__lt=limit).update(
            status=PrintJob.Status.FAILED,
            error=_("Printing stopped part-way (the printing worker stopped) and did not resume."),
        )
        # Nothing of the batch began printing for as long: the queue no longer holds the rest
        # (Redis emptied or replaced); waiting longer would show "printing" for ever.
        idle = not PrintJob.objects.filter(batch=batch, started_at__gte=limit).exists()
        if idle and batch.created_at < limit:
            failed += pending.filter(started_at__isnull=True).update(
                status=PrintJob.Status.FAILED,
                error=_("Printing never began (the queue lost the task); start the batch again."),
            )
    if failed:
        finish_if_complete(batch.pk)
    return failed
