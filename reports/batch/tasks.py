"""Batch printing tasks for the Celery workers (the package docstring, reports.batch, explains the
batch)."""

from __future__ import annotations

from celery import shared_task
from celery.app.task import Task
from django.db import DatabaseError
from django.db.models import F
from django.db.models.functions import Now

from reports.batch.archive import assemble, document_key, document_path, write_atomically
from reports.batch.models import PrintBatch, PrintJob
from reports.batch.runner import run_task
from reports.documents.builders import DocumentMissing, build
from reports.pdf import renderer

MAX_RETRIES = 3


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    autoretry_for=(DatabaseError,),
)
def dispatch_batch(batch_id: int) -> int:
    """Queue a print task for each document still waiting; a repeat queues only repeats, which
    print_document recognises and skips."""
    waiting = PrintJob.objects.filter(batch_id=batch_id, status=PrintJob.Status.PENDING)
    job_ids = list(waiting.values_list("pk", flat=True))
    for job_id in job_ids:
        run_task(print_document, job_id)
    return len(job_ids)


# Database and disk errors outside the rendering (recording the result, packing) retry too, so a
# passing outage never leaves a batch waiting for a document that nobody will print.
@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
)
def print_document(self: Task, job_id: int) -> str:
    """Print one document of a batch. Safe to run any number of times for the same job."""
    job = PrintJob.objects.select_related("organisation").filter(pk=job_id).first()
    if job is None:
        return "gone"  # the batch was deleted while the task waited
    if job.status != PrintJob.Status.PENDING:
        finish_if_complete(job.batch_id)  # a repeat: the first run may have died before this
        return "repeat"
    PrintJob.objects.filter(pk=job_id).update(attempts=F("attempts") + 1, started_at=Now())
    try:
        document = build(job.kind, job.organisation, job.fiscal_year)
        html = document.html()
        key = document_key(job.organisation_id, job.fiscal_year, job.kind, html)
        path = document_path(key)
        if path.exists():
            pages = (
                PrintJob.objects.filter(key=key, pages__isnull=False)
                .values_list("pages", flat=True)
                .first()
            )
        else:
            rendered = renderer().render(html)
            write_atomically(path, lambda out: out.write(rendered.pdf))
            pages = rendered.pages
    except DocumentMissing as missing:
        _finish(job, status=PrintJob.Status.FAILED, error=str(missing))
        return "missing"
    except Exception as error:
        if self.request.retries < MAX_RETRIES:
            raise self.retry(exc=error, countdown=2**self.request.retries) from error
        _finish(job, status=PrintJob.Status.FAILED, error=f"{type(error).__name__}: {error}")
        return "failed"
    _finish(job, status=PrintJob.Status.DONE, key=key, pages=pages)
    return key


def _finish(job: PrintJob, *, status: str, **fields: object) -> None:
    PrintJob.objects.filter(pk=job.pk, status=PrintJob.Status.PENDING).update(
        status=status, **fields
    )
    finish_if_complete(job.batch_id)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
)
def assemble_batch(batch_id: int) -> str:
    """Pack a finished batch; a repeat after success does nothing."""
    batch = PrintBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status == PrintBatch.Status.DONE:
        return "done"
    assemble(batch)
    return "packed"


def finish_if_complete(batch_id: int) -> None:
    """When no document is left waiting, one caller (a conditional update decides) packs the ZIP."""
    if PrintJob.objects.filter(batch_id=batch_id, status=PrintJob.Status.PENDING).exists():
        return
    claimed = PrintBatch.objects.filter(pk=batch_id, status=PrintBatch.Status.RUNNING).update(
        status=PrintBatch.Status.ASSEMBLING
    )
    if claimed:
        run_task(assemble_batch, batch_id)
