"""The "start from last year" page of the OIT checklist (reports.oit.carry): what it will do,
confirmed with a button, then what it copied."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from assessments.access import organisation_for
from itaportal.accounts.audit import client_ip
from itaportal.accounts.types import AuthenticatedHttpRequest
from reports.oit.carry import CarryRefused, oit_checklist_carry
from reports.oit.models import OitEntry
from reports.oit.selectors import oit_items


@login_required
@require_http_methods(["GET", "POST"])
def oit_carry(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    """GET: what starting from last year does, and the button; POST: do it (staff only)."""
    organisation = organisation_for(request, org_id, edit=True)
    context: dict[str, object] = {"org": organisation, "year": year}
    if request.method == "POST":
        try:
            context["carried"] = oit_checklist_carry(
                organisation=organisation, fiscal_year=year, by=request.user, ip=client_ip(request)
            )
        except CarryRefused as refused:
            context["refusal"] = " ".join(refused.messages)
    else:
        context["has_items"] = bool(oit_items(organisation=organisation, fiscal_year=year))
        context["from_year"] = OitEntry.objects.filter(
            organisation=organisation, fiscal_year__lt=year
        ).aggregate(latest=Max("fiscal_year"))["latest"]
    return render(request, "reports/oit/carry.html", context)
