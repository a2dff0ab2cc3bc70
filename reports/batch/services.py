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
from itaportal import thai
from itaportal.accounts.models import User
from measures.models import MeasurePlan
from reports.batch.models import PrintBatch, PrintJob
from reports.batch.runner import run_task
from reports.batch.tasks import dispatch_batch, finish_if_complete
from reports.documents.builders import missing_message
from reports.documents.models import Committee, DocumentKind

DOCUMENT_ORDER = DocumentKind.values


class BatchRefused(Exception):
    """Nothing to print, or a request the portal will not take; the message says why in Thai."""


def document_year(kind: str, fiscal_year: int) -> int:
    """The year of a batch's document: the analysis is of the results the measures answer."""
    return fiscal_year - 1 if kind == DocumentKind.ANALYSIS else fiscal_year


def documents_for(
    organisation_ids: Sequence[int] | QuerySet[Any], fiscal_year: int, kinds: Sequence[str]
) -> list[tuple[int, str, int]]:
    """(organisation, kind, year) of every document the data can print, in four queries."""
    wanted: list[tuple[int, str, int]] = []
    if DocumentKind.ANALYSIS in kinds:
        analysed = document_year(DocumentKind.ANALYSIS, fiscal_year)
        assessed = Assessment.objects.filter(
            organisation_id__in=organisation_ids, fiscal_year=analysed
        ).filter(Q(indicator_scores__isnull=False) | Q(published_score__isnull=False))
        for org_id in assessed.values_list("organisation_id", flat=True).distinct():
            wanted.append((org_id, DocumentKind.ANALYSIS, analysed))
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


def documents_skipped(
    organisations: QuerySet[Organisation],
    fiscal_year: int,
    kinds: Sequence[str],
    printable: Sequence[tuple[int, str, int]],
) -> list[tuple[int, str, int, str]]:
    """(organisation, kind, year, why in Thai) of every document asked for that the data cannot
    print, the year written in the organisation's digits."""
    found = set(printable)
    skipped = []
    for org_id, digit_style in organisations.order_by("pk").values_list("pk", "digit_style"):
        thai_digits = digit_style == Organisation.DigitStyle.THAI
        for kind in DOCUMENT_ORDER:
            year = document_year(kind, fiscal_year)
            if kind in kinds and (org_id, kind, year) not in found:
                why = missing_message(kind, thai.digits(year, thai_digits))
                skipped.append((org_id, kind, year, why))
    return skipped


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
    skipped = documents_skipped(organisations, fiscal_year, kinds, documents)
    if not documents:
        reasons = dict.fromkeys(why for _org, _kind, _year, why in skipped)
        raise BatchRefused(
            " ".join(
                [
                    _("These organisations have no documents to print for fiscal year %(year)s.")
                    % {"year": fiscal_year},
                    *reasons,
                ]
            )
        )
    with transaction.atomic():
        batch = PrintBatch.objects.create(
            requested_by=user, fiscal_year=fiscal_year, kinds=list(kinds), scope=scope[:300]
        )
        PrintJob.objects.bulk_create(
            PrintJob(batch=batch, organisation_id=org_id, kind=kind, fiscal_year=year)
            for org_id, kind, year in documents
        )
        # What was asked for and cannot print stays on the batch's page and in its list, saying why.
        PrintJob.objects.bulk_create(
            (
                PrintJob(
                    batch=batch,
                    organisation_id=org_id,
                    kind=kind,
                    fiscal_year=year,
                    status=PrintJob.Status.SKIPPED,
                    error=why,
                )
                for org_id, kind, year, why in skipped
            ),
            batch_size=1000,
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
