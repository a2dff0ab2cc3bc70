"""Batch printing: all documents of a fiscal year for many organisations, printed by the task
workers (reports.tasks) one document per task, then packed into one ZIP file.

A batch for the measures year N holds, for each organisation, the analysis of the results of N-1
(the year the plan answers) and the plan, progress report and committee order of N, where the
organisation's data has them.

Every document's PDF is stored under a key made of its organisation, year, kind and a hash of its
content. A task that runs twice (a retry, a duplicate delivery, a worker lost after the work was
done) finds the file already there; a file is written under a temporary name and renamed into
place, so a half-written file never carries the key.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Organisation
from itaportal.accounts.models import User
from measures.models import MeasurePlan

from .models import KIND_NAMES, Committee, PrintBatch, PrintJob

KIND_ORDER = ("analysis", "plan", "progress", "order")


class BatchRefused(Exception):
    """Nothing to print, or a request the portal will not take; the message says why in Thai."""


def storage_dir(*parts: str) -> Path:
    folder = Path(settings.MEDIA_ROOT, "batches", *parts)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def document_key(organisation_id: int, fiscal_year: int, kind: str, html: str) -> str:
    digest = hashlib.sha256(html.encode()).hexdigest()[:40]
    return f"{organisation_id}-{fiscal_year}-{kind}-{digest}"


def document_path(key: str) -> Path:
    return storage_dir("documents") / f"{key}.pdf"


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let `write` fill a temporary file beside `path`, flush it to disk, then rename it into
    place: the file under the final name is always whole."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".partial-", suffix=path.suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def documents_for(
    organisation_ids: Sequence[int] | QuerySet[Any], fiscal_year: int, kinds: Sequence[str]
) -> list[tuple[int, str, int]]:
    """(organisation, kind, year) of every document the data can print, in four queries."""
    wanted: list[tuple[int, str, int]] = []
    if "analysis" in kinds:
        assessed = Assessment.objects.filter(
            organisation_id__in=organisation_ids, fiscal_year=fiscal_year - 1
        ).filter(Q(indicator_scores__isnull=False) | Q(published_score__isnull=False))
        for org_id in assessed.values_list("organisation_id", flat=True).distinct():
            wanted.append((org_id, "analysis", fiscal_year - 1))
    planned = MeasurePlan.objects.filter(
        organisation_id__in=organisation_ids, fiscal_year=fiscal_year
    ).values_list("organisation_id", flat=True)
    for org_id in planned:
        for kind in ("plan", "progress"):
            if kind in kinds:
                wanted.append((org_id, kind, fiscal_year))
    if "order" in kinds:
        ordered = Committee.objects.filter(
            organisation_id__in=organisation_ids, fiscal_year=fiscal_year
        ).values_list("organisation_id", flat=True)
        for org_id in set(ordered):
            wanted.append((org_id, "order", fiscal_year))
    return sorted(set(wanted), key=lambda d: (d[0], KIND_ORDER.index(d[1])))


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
        transaction.on_commit(lambda: _dispatch(batch.pk))
    return batch


def _dispatch(batch_id: int) -> None:
    from .tasks import dispatch_batch

    run_task(dispatch_batch, batch_id)


def finish_if_complete(batch_id: int) -> None:
    """When no document is left waiting, one caller (a conditional update decides) packs the ZIP."""
    if PrintJob.objects.filter(batch_id=batch_id, status=PrintJob.Status.PENDING).exists():
        return
    claimed = PrintBatch.objects.filter(pk=batch_id, status=PrintBatch.Status.RUNNING).update(
        status=PrintBatch.Status.ASSEMBLING
    )
    if claimed:
        from .tasks import assemble_batch

        run_task(assemble_batch, batch_id)


def _archive_name(job: PrintJob) -> str:
    org = job.organisation
    folder = f"{org.province}/{org.name}".replace("\\", "-")
    return f"{folder}/{KIND_NAMES[job.kind]} {job.fiscal_year}.pdf"


def assemble(batch: PrintBatch) -> None:
    """Pack the printed documents and a list of them (with why any could not print) into a ZIP."""
    jobs = list(batch.jobs.select_related("organisation").order_by("organisation__name", "pk"))
    listing = io.StringIO()
    writer = csv.writer(listing)
    writer.writerow([_("Organisation"), _("Province"), _("Document"), _("Year"), _("Result")])
    path = storage_dir("zips") / f"batch-{batch.pk}.zip"

    def pack(out: BinaryIO) -> None:
        # Straight to disk: a national batch is far larger than memory should hold.
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
            for job in jobs:
                if job.status == PrintJob.Status.DONE:
                    archive.write(document_path(job.key), _archive_name(job))
                    result = _archive_name(job)
                else:
                    result = job.error or _("Could not print")
                org = job.organisation
                writer.writerow(
                    [org.name, org.province, KIND_NAMES[job.kind], job.fiscal_year, result]
                )
            archive.writestr(_("documents.csv"), "\ufeff" + listing.getvalue())

    write_atomically(path, pack)
    PrintBatch.objects.filter(pk=batch.pk).update(
        status=PrintBatch.Status.DONE,
        zip_file=str(path.relative_to(settings.MEDIA_ROOT)),
        finished_at=timezone.now(),
    )


def batches_of(user: User) -> QuerySet[PrintBatch]:
    return PrintBatch.objects.filter(requested_by=user).annotate(
        total=Count("jobs"),
        done=Count("jobs", filter=Q(jobs__status=PrintJob.Status.DONE)),
        failed=Count("jobs", filter=Q(jobs__status=PrintJob.Status.FAILED)),
    )


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int

    @property
    def waiting(self) -> int:
        return self.total - self.done - self.failed

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100


def progress_of(batch: PrintBatch) -> BatchProgress:
    """The counts batches_of annotated on the batch."""
    counts: dict[str, int] = {name: getattr(batch, name) for name in ("total", "done", "failed")}
    return BatchProgress(**counts)


# --- running tasks -----------------------------------------------------------------------------

_executor: ThreadPoolExecutor | None = None


def _in_thread(task: Any, args: tuple[Any, ...]) -> None:
    try:
        task.apply(args=args)
    finally:
        connections.close_all()  # the thread's own connections


def run_task(task: Any, *args: Any) -> None:
    """Send a task to the Celery workers, or, without a broker, run it in this process.

    BATCH_RUNNER "celery" queues it on Redis; "thread" runs it in a background thread of the web
    process (the embedded default, one document at a time); "now" runs it at once (tests).
    """
    global _executor
    runner = settings.BATCH_RUNNER
    if runner == "celery":
        task.delay(*args)
    elif runner == "thread":
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-printing")
        _executor.submit(_in_thread, task, args)
    else:
        task.apply(args=args)
