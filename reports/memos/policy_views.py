"""The organisation admin's page for the approval policy: who decides memos, who reviews them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments.access import organisation_for_admin
from assessments.models import Organisation
from itaportal.accounts.audit import client_ip
from itaportal.accounts.models import Role, User
from itaportal.accounts.types import AuthenticatedHttpRequest
from reports.memos.forms import ApprovalPolicyForm, acting_formset
from reports.memos.models import ApprovalPolicy
from reports.memos.services import MemoRefused, approval_policy_save


def _admin_organisation(request: AuthenticatedHttpRequest, org_id: int) -> Organisation:
    return organisation_for_admin(
        request, org_id, refusal=_("Only the organisation's admin changes its approval policy.")
    )


@login_required
def approval_policy_edit(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = _admin_organisation(request, org_id)
    policy = ApprovalPolicy.of(organisation)
    people = list(
        User.objects.filter(organisation=organisation, is_active=True)
        .exclude(role=Role.EXECUTIVE)
        .order_by("first_name")
    )
    data = request.POST if request.method == "POST" else None
    form = ApprovalPolicyForm(data, instance=policy)
    formset = acting_formset(data, policy=policy, people=people)
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            approval_policy_save(
                policy=policy,
                user=request.user,
                review_roles=form.cleaned_data["review_roles"],
                max_steps=form.cleaned_data["max_steps"],
                acting=formset.acting,
                ip=client_ip(request),
            )
        except MemoRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The approval policy was saved."))
            return redirect("reports:approval_policy", org_id=organisation.pk)
    return render(
        request,
        "reports/memos/policy.html",
        {
            "organisation": organisation,
            "form": form,
            "formset": formset,
            "executives": User.objects.filter(
                organisation=organisation, role=Role.EXECUTIVE, is_active=True
            ),
        },
    )
