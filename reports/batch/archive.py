"""Where a batch's documents and ZIP files are stored, written whole or not at all."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal.tables import csv_safe
from reports.batch.models import PrintBatch, PrintJob
from reports.documents.models import DocumentKind


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


def _archive_name(job: PrintJob) -> str:
    org = job.organisation
    folder = f"{org.province}/{org.name}".replace("\\", "-")
    return f"{folder}/{DocumentKind(job.kind).label} {job.fiscal_year}.pdf"


def assemble(batch: PrintBatch) -> None:
    """Pack the printed documents and a list of them (with why any could not print) into a ZIP."""
    jobs = list(batch.jobs.select_related("organisation").order_by("organisation__name", "pk"))
    listing = io.StringIO()
    writer = csv.writer(listing)
    writer.writerow([_("Organisation"), _("Province"), _("Document"), _("Year"), _("Result")])
    # Names and errors come from every organisation of the batch: none may run as a formula.
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
                row = [org.name, org.province, DocumentKind(job.kind).label, job.fiscal_year]
                writer.writerow(csv_safe([*row, result]))
            archive.writestr(_("documents.csv"), "\ufeff" + listing.getvalue())

    write_atomically(path, pack)
    PrintBatch.objects.filter(pk=batch.pk).update(
        status=PrintBatch.Status.DONE,
        zip_file=str(path.relative_to(settings.MEDIA_ROOT)),
        finished_at=timezone.now(),
    )
