"""A person's batches and how far each has printed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from itaportal.accounts.models import User
from reports.batch.models import PrintBatch, PrintJob


def batches_of(user: User) -> QuerySet[PrintBatch]:
    return PrintBatch.objects.filter(requested_by=user).annotate(
        total=Count("jobs", filter=~Q(jobs__status=PrintJob.Status.SKIPPED)),
        skipped=Count("jobs", filter=Q(jobs__status=PrintJob.Status.SKIPPED)),
        done=Count("jobs", filter=Q(jobs__status=PrintJob.Status.DONE)),
        failed=Count("jobs", filter=Q(jobs__status=PrintJob.Status.FAILED)),
    )


@dataclass(frozen=True)
class BatchProgress:
    total: int  # the documents to print, without those skipped
    done: int
    failed: int
    skipped: int

    @property
    def waiting(self) -> int:
        return self.total - self.done - self.failed

    @property
    def percent(self) -> int:
        return round(100 * (self.done + self.failed) / self.total) if self.total else 100


def progress_of(batch: PrintBatch) -> BatchProgress:
    """The counts batches_of annotated on the batch."""
    names = ("total", "done", "failed", "skipped")
    counts: dict[str, int] = {name: getattr(batch, name) for name in names}
    return BatchProgress(**counts)
