"""Batch printing pages: ask for a batch, watch it print, download the ZIP."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.access import organisations_visible_to
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from reports.batch.forms import BatchForm
from reports.batch.models import PrintBatch, PrintJob
from reports.batch.selectors import batches_of, progress_of
from reports.batch.services import BatchRefused, batch_stalled_fail, batch_start
from reports.documents.models import DocumentKind

LIST_LENGTH = 50
# The skipped documents a batch's page names; a national batch may skip thousands, which its
# ZIP's list names all.
SKIPPED_SHOWN = 200


def _batch_for(request: AuthenticatedHttpRequest, batch_id: int) -> PrintBatch:
    """The user's own batch, or 404: batches are private to whoever asked for them."""
    return get_object_or_404(batches_of(request.user), pk=batch_id)


@login_required
def batch_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    batches = batches_of(request.user)[:LIST_LENGTH]
    return render(request, "reports/batch/list.html", {"batches": batches})


@login_required
def batch_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    organisations = organisations_visible_to(user)
    form = BatchForm(
        request.POST if request.method == "POST" else None,
        initial={**request.GET.dict(), "kinds": DocumentKind.values},
        organisations=organisations,
        choose_province=user.is_superuser,
        choose_area=user.is_superuser or user.is_supervisor,
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.organisations(organisations)
        scope = form.scope() or (
            user.organisation.name
            if user.organisation and not user.is_supervisor
            else user.supervised_province or _("All provinces")
        )
        try:
            batch = batch_start(
                user=user,
                organisations=chosen,
                fiscal_year=form.cleaned_data["fiscal_year"],
                kinds=form.cleaned_data["kinds"],
                scope=scope,
            )
        except BatchRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("reports:batch_detail", batch_id=batch.pk)
    return render(request, "reports/batch/new.html", {"form": form, "count": organisations.count()})


@login_required
def batch_detail(request: AuthenticatedHttpRequest, batch_id: int) -> HttpResponse:
    batch_stalled_fail(batch=_batch_for(request, batch_id))  # before the counts are read
    batch = _batch_for(request, batch_id)
    failed = (
        batch.jobs.filter(status=PrintJob.Status.FAILED)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    skipped = (
        batch.jobs.filter(status=PrintJob.Status.SKIPPED)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    context = {
        "batch": batch,
        "failed": failed,
        "skipped": skipped[:SKIPPED_SHOWN],
        "progress": progress_of(batch),
    }
    return render(request, "reports/batch/detail.html", context)


@login_required
def batch_zip(request: AuthenticatedHttpRequest, batch_id: int) -> FileResponse:
    batch = _batch_for(request, batch_id)
    path = Path(settings.MEDIA_ROOT, batch.zip_file) if batch.zip_file else None
    if batch.status != PrintBatch.Status.DONE or path is None or not path.is_file():
        raise NotFound(_("This batch is still printing; its ZIP file is not ready yet."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"ITA-{batch.fiscal_year}-{batch.pk}.zip",
        content_type="application/zip",
    )
