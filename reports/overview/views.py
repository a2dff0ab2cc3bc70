"""The supervisor overview page and its XLSX export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Organisation
from itaportal import tables, thai
from itaportal.accounts.types import AuthenticatedHttpRequest
from reports.oit.models import OitEntry
from reports.oit.readiness import OrganisationReadiness, readiness_of_organisations
from reports.overview import selectors as overview
from reports.overview.forms import OverviewFilterForm
from reports.overview.table import organisation_rows

PAGE_SIZE = 50


def _area(request: AuthenticatedHttpRequest) -> tuple[QuerySet[Organisation], str, list[str]]:
    """The organisations the user may see, a name for their area, and the provinces they may
    choose from."""
    user = request.user
    if user.is_superuser:
        organisations = Organisation.objects.all()
        name, provinces = _("All provinces"), sorted(overview.all_provinces())
    else:
        province = user.supervised_province
        organisations = Organisation.objects.filter(province=province)
        provinces = []
        if user.supervised_district:
            organisations = organisations.filter(district=user.supervised_district)
            name = _("District %(district)s, %(province)s") % {
                "district": user.supervised_district,
                "province": province,
            }
        else:
            name = _("Province %(province)s") % {"province": province}
    return organisations, name, provinces


@dataclass
class Selection:
    """What the overview shows of an area: the filters, the organisations they leave (with
    their figures, ordered) and both counted per kind and level (`selectors.groups`)."""

    form: OverviewFilterForm
    area: QuerySet[Organisation]
    area_counted: list[dict[str, Any]]
    chosen: overview.WithFigures
    chosen_counted: list[dict[str, Any]]

    @property
    def page_count(self) -> int:
        return sum(group["count"] for group in self.chosen_counted)


def select(
    area: QuerySet[Organisation], data: Any, provinces: list[str], today: dt.date
) -> Selection:
    """The area's organisations as the filters in `data` (a query string, or None) leave them:
    three queries (the area's counts, its districts, and the shown counts when filtered)."""
    figures = overview.with_figures(area, today)
    counted = overview.groups(figures)
    form = OverviewFilterForm(data, area=area, counted=counted, provinces=provinces)
    chosen = form.apply(figures)
    chosen_counted = overview.groups(chosen) if form.narrowed else counted
    return Selection(form, area, counted, chosen, chosen_counted)


class CountedPaginator(Paginator):
    """Pages of a query whose length is known already (the groups counted it)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


@login_required
def overview_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_supervisor or user.is_superuser):
        if user.organisation_id:
            return redirect("assessments:dashboard", org_id=user.organisation_id)
        return redirect("accounts:login")
    today = timezone.localdate()
    area, area_name, provinces = _area(request)
    shown = select(area, request.GET or None, provinces, today)
    page = CountedPaginator(
        shown.chosen.values_list(*overview.ROW_FIELDS), PAGE_SIZE, count=shown.page_count
    ).get_page(request.GET.get("page"))
    rows = overview.rows_of(page)
    query = request.GET.copy()
    query.pop("page", None)
    oit_year = _oit_year(request, shown.area)
    readiness = (
        readiness_of_organisations(
            Organisation.objects.filter(pk__in=[row.id for row in rows]), oit_year
        )
        if oit_year
        else {}
    )
    return render(
        request,
        "reports/overview/page.html",
        {
            "area_name": area_name,
            "area": overview.area(shown.chosen_counted),
            "area_total": sum(group["count"] for group in shown.area_counted),
            "form": shown.form,
            "page": page,
            "page_rows": organisation_rows(rows, readiness, oit_year),
            "oit_year": oit_year,
            "query": query.urlencode(),
            "today": today,
        },
    )


def _oit_year(request: AuthenticatedHttpRequest, organisations: QuerySet[Any]) -> int | None:
    """The assessed year whose OIT readiness the overview shows: ?oit_year=, else the latest
    year any organisation of the area has a checklist for."""
    try:
        return thai.parse_year(request.GET.get("oit_year", ""))
    except ValueError:
        return (
            OitEntry.objects.filter(organisation__in=organisations.values("pk"))
            .order_by("-fiscal_year")
            .values_list("fiscal_year", flat=True)
            .first()
        )


def _readiness_cells(ready: OrganisationReadiness | None) -> list[float | int | None]:
    if ready is None:
        return [None, None, None, None]
    return [ready.ready, ready.total, _cell(ready.predicted_oit), ready.broken_links]


def _cell(value: Decimal | int | None) -> float | int | None:
    return float(value) if isinstance(value, Decimal) else value


@login_required
def overview_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not (user.is_supervisor or user.is_superuser):
        return redirect("reports:overview")
    today = timezone.localdate()
    area, _name, provinces = _area(request)
    chosen = select(area, request.GET or None, provinces, today).chosen
    rows = overview.rows_of(chosen.values_list(*overview.ROW_FIELDS))
    kinds = dict(Organisation.Kind.choices)
    header = [
        _("Organisation"),
        _("Kind"),
        _("District"),
        _("Province"),
        _("Latest year"),
        _("Overall score"),
        _("Level"),
        _("Change"),
        _("Urgent indicators"),
        _("Indicators without a measure"),
        _("Overdue measures"),
        _("demo data"),  # as the mark beside such a year says it
    ]
    oit_year = _oit_year(request, chosen)
    readiness = (
        readiness_of_organisations(
            Organisation.objects.filter(pk__in=chosen.values("pk")), oit_year
        )
        if oit_year
        else {}
    )
    if oit_year:
        header += [
            _("OIT items ready (%(year)s)") % {"year": oit_year},
            _("OIT items"),
            _("Predicted OIT"),
            _("Broken links"),
        ]
    body = [
        [
            row.name,
            str(kinds.get(row.kind, row.kind)),
            row.district,
            row.province,
            row.latest_year,
            _cell(row.score),
            row.level,
            _cell(row.change),
            row.urgent if row.latest_year else None,
            row.uncovered if row.latest_year else None,
            row.overdue,
            _("demo data") if row.is_demo else None,
            *(_readiness_cells(readiness.get(row.id)) if oit_year else []),
        ]
        for row in rows
    ]
    data = tables.xlsx_bytes(_("Overview"), header, body)
    response = HttpResponse(data, content_type=tables.XLSX_TYPE)
    name = f"overview-{today.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
