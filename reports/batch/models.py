"""Batch printing: a batch of documents and each document's print job."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation
from reports.documents.models import DocumentKind


class PrintBatch(models.Model):
    """Many documents of one fiscal year printed at once by the task workers, then zipped."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Printing")
        ASSEMBLING = "assembling", _("Packing the ZIP file")
        DONE = "done", _("Ready to download")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="print_batches"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (B.E.)"))
    kinds = models.JSONField(_("documents"), default=list)
    scope = models.CharField(_("organisations"), max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    zip_file = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")

    def __str__(self) -> str:
        return f"{self.scope} {self.fiscal_year}"


class PrintJob(models.Model):
    """One document of a batch; its PDF is stored under a key naming its organisation, year, kind
    and a hash of its content, so printing it twice gives the same single file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DONE = "done", _("Printed")
        FAILED = "failed", _("Could not print")
        # Asked for, but the organisation's data has no such document; `error` says why.
        SKIPPED = "skipped", _("Skipped")

    batch = models.ForeignKey(PrintBatch, on_delete=models.CASCADE, related_name="jobs")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    fiscal_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    key = models.CharField(max_length=200, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # When the last attempt began: a job waiting long after it began lost its worker.
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "organisation", "kind", "fiscal_year"], name="one_job_per_document"
            )
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.organisation_id} {self.fiscal_year}"

    @property
    def kind_name(self) -> str:
        return str(DocumentKind(self.kind).label) if self.kind in DocumentKind.values else self.kind
