from __future__ import annotations

import hashlib
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments import emblem, ita
from assessments.access import organisation_for, organisation_for_admin
from assessments.dashboard import year_dashboard
from assessments.exporting import records_csv, records_xlsx, result_record
from assessments.forms import (
    OrganisationSettingsForm,
    ScoresForm,
    ScoresUploadForm,
    unit_formset,
)
from assessments.importing import (
    ImportRejected,
    RowError,
    ScoreRow,
    parse_scores_file,
    pending_upload_drop,
    pending_upload_keep,
    pending_upload_read,
    template_columns,
)
from assessments.models import Assessment, Framework, Organisation
from assessments.selectors import (
    FrameworkCatalogue,
    ImportPreview,
    import_preview,
    organisation_assessment,
    organisation_years,
)
from assessments.services import (
    PreviewOutdated,
    StaleScores,
    assessment_import,
    assessment_import_previewed,
    assessment_save,
    framework_copy,
    organisation_settings_save,
)
from itaportal import thai
from itaportal.accounts.audit import client_ip
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from itaportal.tables import csv_text, download, download_records, xlsx_book


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.organisation_id and not user.is_supervisor and not user.is_superuser:
        return redirect("assessments:dashboard", org_id=user.organisation_id)
    return redirect("reports:overview")


@login_required
def dashboard(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = organisation_for(request, org_id)
    can_edit = request.user.can_edit(organisation)
    year_text = request.GET.get("year", "")
    years = organisation_years(organisation, items=False)
    by_year = {r.fiscal_year: r for r in years}
    selected = None
    if year_text:
        try:
            selected = by_year.get(thai.parse_year(year_text))
        except ValueError:
            selected = None
        if selected is None:
            raise NotFound(
                _("This organisation has no results for fiscal year “%(year)s”.")
                % {"year": year_text}
            )
    elif years:
        selected = years[-1]
    return render(
        request,
        "assessments/dashboard.html",
        {
            "organisation": organisation,
            "years": list(reversed(years)),
            "can_edit": can_edit,
            "year": year_dashboard(organisation, selected, by_year.get(selected.fiscal_year - 1))
            if selected
            else None,
        },
    )


def _scores_page(
    request: AuthenticatedHttpRequest, organisation: Organisation, year: int | None
) -> HttpResponse:
    """The score form of `year` (a new year when None)."""
    asked = None
    if year is None and request.GET.get("year"):
        try:
            asked = thai.parse_year(request.GET["year"])
        except ValueError:
            raise NotFound(_("“%(v)s” is not a year.") % {"v": request.GET["year"]}) from None

    def context(data: Any = None) -> dict[str, object]:
        assessment = None
        if year is not None:
            assessment = organisation_assessment(organisation, year)
            if assessment is None:
                raise Http404
        catalogue = FrameworkCatalogue()
        form = ScoresForm(
            data,
            organisation=organisation,
            catalogue=catalogue,
            instance=assessment,
            fiscal_year=asked,
        )
        return {
            "organisation": organisation,
            "form": form,
            "assessment": assessment,
        }

    if request.method != "POST":
        return render(request, "assessments/scores_form.html", context())
    page = context(request.POST)
    form = cast(ScoresForm, page["form"])
    if form.is_valid():
        try:
            saved = assessment_save(
                organisation=organisation,
                fiscal_year=form.cleaned_data["fiscal_year"],
                scores=form.scores,
                published_score=form.cleaned_data["published_score"],
                published_level=form.cleaned_data["published_level"].strip(),
                thresholds=form.thresholds,
                user=request.user,
                ip=client_ip(request),
                expected_version=form.expected_version,
                items=form.items,
            )
        except StaleScores as stale:
            return _stale_scores_page(request, organisation, form, page, stale.current)
        year_shown = thai.year_be(saved.fiscal_year, organisation.uses_thai_digits)
        messages.success(
            request, _("Scores for fiscal year %(year)s saved.") % {"year": year_shown}
        )
        if saved.from_items is not None:
            _say_from_items(request, saved.from_items, organisation.uses_thai_digits)
        return redirect(
            reverse("assessments:dashboard", args=[organisation.pk]) + f"?year={saved.fiscal_year}"
        )
    return render(request, "assessments/scores_form.html", page)


def _say_from_items(
    request: HttpRequest, facts: ita.FromItems, digits: bool, where: str = ""
) -> None:
    """Tell which indicators were computed from their items, and warn of published indicator
    scores their items contradict (kept as published). `where` names the organisation's year
    for an import."""
    if facts.computed:
        messages.info(
            request,
            where
            + _("Computed from the items, as the framework says: %(scores)s.")
            % {
                "scores": ", ".join(
                    _("indicator %(n)s %(score)s")
                    % {"n": thai.digits(n, digits), "score": thai.number(score, digits)}
                    for n, score in sorted(facts.computed.items())
                )
            },
        )
    for n, (published, mean) in sorted(facts.mismatches.items()):
        messages.warning(
            request,
            where
            + _(
                "Indicator %(n)s is %(published)s as published, but its items' mean is "
                "%(mean)s; the published score is kept. Check the item scores."
            )
            % {
                "n": thai.digits(n, digits),
                "published": thai.number(published, digits),
                "mean": thai.number(mean, digits),
            },
        )


def _stale_scores_page(
    request: AuthenticatedHttpRequest,
    organisation: Organisation,
    form: ScoresForm,
    page: dict[str, object],
    current: Assessment,
) -> HttpResponse:
    """The form again with the person's entries, a message naming what someone else changed
    meanwhile and their values now, and the current version: saving again is a choice."""
    digits = organisation.uses_thai_digits
    now, loaded = current.score_map(), form.loaded_scores
    changes = [
        _("indicator %(n)s is now %(value)s")
        % {"n": thai.digits(n, digits), "value": thai.number(now.get(n), digits)}
        for n in sorted({*now, *loaded})
        if now.get(n) != loaded.get(n)
    ]
    messages.error(
        request,
        _(
            "Someone else saved these scores while you were editing them; yours were not "
            "saved and are still in the form. Changed meanwhile: %(changes)s. Check them and "
            "save again."
        )
        % {"changes": ", ".join(changes) or _("the published result or the thresholds")},
    )
    data = request.POST.copy()
    data["version"] = current.updated_at.isoformat()
    data["loaded"] = ";".join(f"{n}={v}" for n, v in sorted(now.items()))
    page["form"] = ScoresForm(
        data, organisation=organisation, catalogue=form.catalogue, instance=current
    )
    return render(request, "assessments/scores_form.html", page)


@login_required
def scores_new(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    return _scores_page(request, organisation, None)


@login_required
def scores_edit(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    organisation = organisation_for(request, org_id, edit=True)
    return _scores_page(request, organisation, year)


@login_required
def scores_export(request: AuthenticatedHttpRequest, org_id: int, fmt: str) -> HttpResponse:
    organisation = organisation_for(request, org_id)
    records = [result_record(r) for r in organisation_years(organisation)]
    return download_records(
        records,
        fmt,
        f"ita-scores-{organisation.pk}",
        to_csv=records_csv,
        to_xlsx=records_xlsx,
    )


PENDING_IMPORT = "assessments_pending_import"


def _import_allowed(request: AuthenticatedHttpRequest) -> None:
    user = request.user
    own = user.organisation
    if not user.is_superuser and not (own and user.can_edit(own)):
        raise PermissionDenied(_("Your role cannot import scores."))


def _import_rows(request: AuthenticatedHttpRequest, name: str, data: bytes) -> list[ScoreRow]:
    """The file's rows, parsed and limited to the person's own organisation."""
    rows = parse_scores_file(name, data, FrameworkCatalogue().rules_for_organisation)
    own = request.user.organisation
    if own is not None and not request.user.is_superuser:
        _only_own_organisation(rows, own)
    return rows


def _imported(request: AuthenticatedHttpRequest, rows: list[ScoreRow], summary: Any) -> None:
    messages.success(
        request,
        _("Imported %(rows)d rows: %(new)d new years, %(updated)d updated.")
        % {
            "rows": len(rows),
            "new": summary.assessments_created,
            "updated": summary.assessments_updated,
        },
    )
    for (name, year), facts in summary.from_items.items():
        _say_from_items(request, facts, True, f"{name} {thai.year_be(year)}: ")


def _previewed(
    request: AuthenticatedHttpRequest, name: str, data: bytes, preview: ImportPreview
) -> dict[str, Any]:
    """Keep the upload under a token for the confirmation; what the preview page shows."""
    previous = request.session.get(PENDING_IMPORT)
    if previous:
        pending_upload_drop(previous["token"])
    token = pending_upload_keep(data)
    request.session[PENDING_IMPORT] = {
        "token": token,
        "name": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "digest": preview.digest,
    }
    own = request.user.organisation
    return {
        "preview": preview,
        "token": token,
        "thai_digits": own.uses_thai_digits if own else True,
    }


@login_required
def scores_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a results file: rejected whole with every bad row named, checked only, imported
    at once when it adds years only, or previewed cell by cell and imported on confirmation
    when it changes a stored year."""
    _import_allowed(request)
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)
    form = ScoresUploadForm(
        request.POST or None, request.FILES or None, max_bytes=settings.SCORES_UPLOAD_MAX_BYTES
    )
    own = request.user.organisation
    context: dict[str, Any] = {
        "form": form,
        "errors": [],
        "rows": [],
        "thai_digits": own.uses_thai_digits if own else True,
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            rows = _import_rows(request, upload.name, data)
        except ImportRejected as rejected:
            context["errors"] = rejected.errors
        else:
            preview = import_preview(rows=rows)
            if form.cleaned_data["dry_run"]:
                context.update(rows=rows, preview=preview)
            elif preview.changes_stored_years:
                context.update(_previewed(request, upload.name, data, preview))
            else:
                _imported(
                    request,
                    rows,
                    assessment_import(rows=rows, user=request.user, ip=client_ip(request)),
                )
                return redirect("home")
    return render(request, "assessments/import.html", context)


def _import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply the previewed file, only if it is the one previewed and nothing it touches changed
    since; otherwise say so and show the preview again as things are now."""
    pending = request.session.get(PENDING_IMPORT) or {}
    token = str(request.POST.get("confirm", ""))
    data = pending_upload_read(token) if pending.get("token") == token else None
    if data is None or hashlib.sha256(data).hexdigest() != pending.get("sha256"):
        messages.error(request, _("This preview is no longer open. Upload the file again."))
        return redirect("assessments:scores_import")
    form = ScoresUploadForm(max_bytes=settings.SCORES_UPLOAD_MAX_BYTES)
    context: dict[str, Any] = {"form": form, "errors": [], "rows": []}
    try:
        rows = _import_rows(request, pending["name"], data)
        summary = assessment_import_previewed(
            rows=rows, digest=pending["digest"], user=request.user, ip=client_ip(request)
        )
    except ImportRejected as rejected:
        context["errors"] = rejected.errors
    except PreviewOutdated:
        context["outdated"] = True
        context.update(_previewed(request, pending["name"], data, import_preview(rows=rows)))
    else:
        pending_upload_drop(token)
        del request.session[PENDING_IMPORT]
        _imported(request, rows, summary)
        return redirect("home")
    return render(request, "assessments/import.html", context)


@login_required
def scores_import_template(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponse:
    """An empty results file with the columns of a year's framework (`?year=`, else the latest),
    the person's own organisation filled in; the XLSX explains each column on a second sheet."""
    _import_allowed(request)
    catalogue = FrameworkCatalogue()
    own = request.user.organisation
    kind = own.kind if own else None
    try:
        year = thai.parse_year(request.GET["year"]) if request.GET.get("year") else None
    except ValueError as exc:
        raise NotFound(_("Write the year in B.E., e.g. 2569 or ๒๕๖๙.")) from exc
    if fmt not in ("csv", "xlsx"):
        raise NotFound(_("Download the template as csv or xlsx."))
    framework = catalogue.for_year(year, kind) if year else catalogue.latest
    if framework is None:
        raise NotFound(_("No ITA framework covers fiscal year %(y)d (B.E.).") % {"y": year or 0})
    year = year or framework.last_year
    columns = template_columns(
        fiscal_year=year,
        indicators=framework.indicator_names(),
        items=[(item.code, item.title) for item in framework.items()],
        levels=[band.code for band in framework.bands.all()],
        thai_digits=own.uses_thai_digits if own else True,
    )
    header = [column for column, _words in columns]
    first: dict[str, object] = {"fiscal_year": year}
    if own is not None:
        first.update(
            org_name=own.name, province=own.province, district=own.district, org_code=own.code
        )
    rows = [[first.get(column, "") for column in header]]
    stem = f"ita-results-template-{year}"
    if fmt == "csv":
        return download(csv_text(header, rows), f"{stem}.csv")
    notes = (_("Columns"), [_("Column"), _("What it holds")], [list(c) for c in columns])
    return download(xlsx_book([(_("ITA results"), header, rows), notes]), f"{stem}.xlsx")


def _only_own_organisation(rows: list[ScoreRow], organisation: Organisation) -> None:
    errors = [
        RowError(
            row.line,
            "org_name",
            _("You can import only %(own)s's results.") % {"own": organisation.name},
        )
        for row in rows
        if row.key != (organisation.name, organisation.province)
    ]
    if errors:
        raise ImportRejected(errors)


@login_required
def organisation_settings(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    """The organisation admin's page: what its documents print (letter code, executive, digits,
    units and their telephones, the emblem)."""
    organisation = organisation_for_admin(
        request, org_id, refusal=_("Only the organisation's admin changes its settings.")
    )
    data = request.POST if request.method == "POST" else None
    form = OrganisationSettingsForm(data, request.FILES or None, instance=organisation)
    units = unit_formset(data, organisation=organisation)
    if data is not None:
        if form.is_valid() and units.is_valid():
            organisation_settings_save(
                organisation=organisation,
                values=form.cleaned_data,
                units=units.units,
                user=request.user,
                ip=client_ip(request),
            )
            messages.success(request, _("The settings were saved."))
            return redirect("assessments:organisation_settings", org_id=organisation.pk)
        organisation.refresh_from_db()  # the bound form set its values on it
    digits = organisation.uses_thai_digits
    return render(
        request,
        "assessments/organisation_settings.html",
        {
            "organisation": organisation,
            "form": form,
            "units": units,
            "emblem_printable": bool(emblem.emblem_print_uri(organisation.emblem)),
            "emblem_rules": _(
                "PNG or JPEG of at most %(mp)s megapixels. It is kept at most %(ppi)s ppi at the"
                " size documents print it (%(cm)s cm high) and %(mb)s MB."
            )
            % {
                "mp": thai.digits(emblem.MAX_PIXELS // 1_000_000, digits),
                "ppi": thai.digits(emblem.MAX_PPI, digits),
                "cm": thai.digits(emblem.PRINTED_HEIGHT_CM, digits),
                "mb": thai.digits(emblem.MAX_STORED_BYTES // 2**20, digits),
            },
        },
    )


def _require_framework_keeper(request: AuthenticatedHttpRequest) -> None:
    """Supervisors and superusers start a year's framework from another; nobody else."""
    if not (request.user.is_superuser or request.user.is_supervisor):
        raise PermissionDenied(_("Only supervisors and superusers manage the ITA frameworks."))


@login_required
def framework_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_framework_keeper(request)
    return render(
        request,
        "assessments/frameworks.html",
        {"frameworks": FrameworkCatalogue().frameworks, "can_edit": request.user.is_superuser},
    )


@login_required
def framework_copy_view(request: AuthenticatedHttpRequest, framework_id: int) -> HttpResponse:
    _require_framework_keeper(request)
    framework = get_object_or_404(Framework, pk=framework_id)
    year = framework.last_year + 1
    if request.method == "POST":
        try:
            copy = framework_copy(
                framework=framework, first_year=year, user=request.user, ip=client_ip(request)
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Copied as “%(name)s”; a superuser edits its items and bands in the admin.")
                % {"name": copy.name},
            )
        return redirect("frameworks")
    return render(
        request,
        "assessments/framework_copy.html",
        {"framework": framework, "year": year},
    )
