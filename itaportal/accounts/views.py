from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from assessments.access import organisation_for
from assessments.models import Organisation
from itaportal.accounts.audit import audit, client_ip
from itaportal.accounts.forms import MemberForm
from itaportal.accounts.models import AuditEvent, Role, User
from itaportal.accounts.types import AuthenticatedHttpRequest


def _admin_organisation(request: AuthenticatedHttpRequest, org_id: int) -> Organisation:
    organisation = organisation_for(request, org_id)
    user = request.user
    if not (
        user.is_superuser
        or (user.organisation_id == organisation.pk and user.role == Role.ORG_ADMIN)
    ):
        raise PermissionDenied(_("Only the organisation's admin manages its people."))
    return organisation


@login_required
def people(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = _admin_organisation(request, org_id)
    members = User.objects.filter(organisation=organisation).order_by("role", "first_name")
    return render(
        request, "accounts/people.html", {"organisation": organisation, "members": members}
    )


def _send_invitation(request: HttpRequest, user: User) -> None:
    """The password-reset e-mail, for an account that has no password yet.

    Django's reset form skips accounts without a usable password, so the link is made here.
    """
    context = {
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
    }
    send_mail(
        subject=loader.render_to_string("registration/password_reset_subject.txt", context).strip(),
        message=loader.render_to_string("registration/password_reset_email.html", context),
        from_email=None,
        recipient_list=[user.email],
    )


@login_required
def person_edit(
    request: AuthenticatedHttpRequest, org_id: int, user_id: int | None = None
) -> HttpResponse:
    organisation = _admin_organisation(request, org_id)
    member = get_object_or_404(User, pk=user_id, organisation=organisation) if user_id else None
    before = _snapshot(member) if member else None
    form = MemberForm(request.POST or None, instance=member, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.organisation = organisation
        if member is None:
            saved.set_unusable_password()
        saved.save()
        audit(
            AuditEvent.Action.UPDATE if member else AuditEvent.Action.CREATE,
            user=request.user, organisation_id=organisation.pk, obj=saved,
            summary=saved.get_username(), before=before, after=_snapshot(saved),
            ip=client_ip(request),
        )  # fmt: skip
        if member is None:
            _send_invitation(request, saved)
            messages.success(request, _("Account created; an e-mail asks them to set a password."))
        else:
            messages.success(request, _("Account saved."))
        return redirect("accounts:people", org_id=organisation.pk)
    return render(
        request,
        "accounts/person_form.html",
        {"organisation": organisation, "form": form, "member": member},
    )


def _snapshot(user: User) -> dict[str, object]:
    return {
        f: getattr(user, f)
        for f in ("username", "first_name", "last_name", "email", "position", "role", "is_active")
    }


@login_required
def audit_log(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = _admin_organisation(request, org_id)
    events = AuditEvent.objects.filter(organisation=organisation).select_related("user")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/audit.html", {"organisation": organisation, "page": page})


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page, with the refusal written to the audit trail."""
    user = request.user if request.user.is_authenticated else None
    audit(
        AuditEvent.Action.PERMISSION_DENIED,
        user=user,  # type: ignore[arg-type]
        summary=f"{request.method} {request.path}",
        ip=client_ip(request),
    )
    body = loader.render_to_string("403.html", {"exception": str(exception) or ""}, request)
    return HttpResponseForbidden(body)
