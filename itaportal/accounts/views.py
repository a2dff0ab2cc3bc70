from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.access import organisation_for_admin
from assessments.models import Organisation
from itaportal.accounts.audit import audit, client_ip
from itaportal.accounts.forms import AuditFilterForm, MemberForm
from itaportal.accounts.models import AuditEvent, User
from itaportal.accounts.selectors import audit_events, audit_object_types
from itaportal.accounts.services import member_password_link, member_save, user_language_set
from itaportal.accounts.trail import change_text, entries, kind_label
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from itaportal.tables import download, xlsx_bytes


def _admin_organisation(request: AuthenticatedHttpRequest, org_id: int) -> Organisation:
    return organisation_for_admin(
        request, org_id, refusal=_("Only the organisation's admin manages its people.")
    )


@login_required
def people(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = _admin_organisation(request, org_id)
    members = User.objects.filter(organisation=organisation).order_by("role", "first_name")
    return render(
        request, "accounts/people.html", {"organisation": organisation, "members": members}
    )


def _email_password_link(request: AuthenticatedHttpRequest, member: User) -> None:
    """E-mail `member` a link to set their password (the invitation, or a reset), audited.

    Django's reset form skips accounts without a usable password, so the link is made here.
    """
    path = member_password_link(
        member=member, by=request.user, ip=client_ip(request), emailed_to=member.email
    )
    context = {"user": member, "link": request.build_absolute_uri(path)}
    send_mail(
        subject=loader.render_to_string("registration/password_reset_subject.txt", context).strip(),
        message=loader.render_to_string("registration/password_reset_email.html", context),
        from_email=None,
        recipient_list=[member.email],
    )


@login_required
def person_edit(
    request: AuthenticatedHttpRequest, org_id: int, user_id: int | None = None
) -> HttpResponse:
    organisation = _admin_organisation(request, org_id)
    member = get_object_or_404(User, pk=user_id, organisation=organisation) if user_id else None
    form = MemberForm(request.POST or None, instance=member, acting_user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = member_save(
            member=form.save(commit=False),
            organisation_id=organisation.pk,
            by=request.user,
            ip=client_ip(request),
        )
        if member is None and saved.email:
            _email_password_link(request, saved)
            messages.success(request, _("Account created; an e-mail asks them to set a password."))
        elif member is None:
            messages.success(
                request,
                _(
                    "Account created. It has no e-mail: give them a one-time link to set a "
                    "password."
                ),
            )
            return redirect("accounts:person_password", org_id=organisation.pk, user_id=saved.pk)
        else:
            messages.success(request, _("Account saved."))
        return redirect("accounts:people", org_id=organisation.pk)
    return render(
        request,
        "accounts/person_form.html",
        {"organisation": organisation, "form": form, "member": member},
    )


@login_required
def person_password(request: AuthenticatedHttpRequest, org_id: int, user_id: int) -> HttpResponse:
    """The admin lets a person set a new password: a link e-mailed to them, or shown once here
    to pass on in the office. Asked first (GET), done on POST."""
    organisation = _admin_organisation(request, org_id)
    member = get_object_or_404(User, pk=user_id, organisation=organisation)
    context: dict[str, object] = {"organisation": organisation, "member": member}
    how = request.POST.get("how") if request.method == "POST" else None
    if how is not None and not member.is_active:
        context["refusal"] = _("The account is inactive: make it active first.")
    elif how == "email" and member.email:
        _email_password_link(request, member)
        messages.success(
            request,
            _("An e-mail to %(email)s asks %(name)s to set a password.")
            % {"email": member.email, "name": member.get_full_name() or member.username},
        )
        return redirect("accounts:people", org_id=organisation.pk)
    elif how == "link":
        path = member_password_link(member=member, by=request.user, ip=client_ip(request))
        context["link"] = request.build_absolute_uri(path)
    elif how is not None:
        context["refusal"] = _("Choose how the person gets the link.")
    response = render(request, "accounts/person_password.html", context)
    response["Cache-Control"] = "no-store"  # the link is shown once; no cache keeps it
    return response


def _audit_filtered(
    request: AuthenticatedHttpRequest, organisation: Organisation
) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    """The filter as asked and the entries it keeps; a bad filter keeps none, and says why."""
    form = AuditFilterForm(
        request.GET or None,
        thai_digits=organisation.uses_thai_digits,
        people=User.objects.filter(organisation=organisation).order_by("first_name", "username"),
        kinds=[
            (kind, kind_label(kind)) for kind in audit_object_types(organisation_id=organisation.pk)
        ],
    )
    if not form.is_bound:
        return form, audit_events(organisation_id=organisation.pk)
    if not form.is_valid():
        return form, AuditEvent.objects.none()
    data = form.cleaned_data
    return form, audit_events(
        organisation_id=organisation.pk,
        user_id=data["person"],
        object_type=data["kind"],
        action=data["action"],
        since=data["since"],
        until=data["until"],
    )


@login_required
def audit_log(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    organisation = _admin_organisation(request, org_id)
    form, events = _audit_filtered(request, organisation)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "entries": entries(page, thai_digits=organisation.uses_thai_digits),
            "query": query.urlencode(),
        },
    )


@login_required
def audit_export(request: AuthenticatedHttpRequest, org_id: int) -> HttpResponse:
    """The filtered trail as an XLSX sheet, one row per entry, the changes one per line."""
    organisation = _admin_organisation(request, org_id)
    form, events = _audit_filtered(request, organisation)
    if form.is_bound and not form.is_valid():
        raise NotFound(" ".join(str(e) for errors in form.errors.values() for e in errors))
    header = [
        _("When"),
        _("Who"),
        _("position"),
        _("What"),
        _("object kind"),
        _("Object"),
        _("Address"),
        _("Before → after"),
    ]
    rows = [
        [e.at, e.who, e.position, e.action, e.kind, e.what, e.address, change_text(e.changes)]
        for e in entries(events, thai_digits=organisation.uses_thai_digits)
    ]
    return download(
        xlsx_bytes(_("Audit trail")[:31], header, rows), f"audit-{organisation.pk}.xlsx"
    )


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page, with the refusal written to the audit trail."""
    user = request.user if request.user.is_authenticated else None
    audit(
        action=AuditEvent.Action.PERMISSION_DENIED,
        user=user,  # type: ignore[arg-type]
        summary=f"{request.method} {request.path}",
        ip=client_ip(request),
    )
    body = loader.render_to_string("403.html", {"exception": str(exception) or ""}, request)
    return HttpResponseForbidden(body)


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The menu's ไทย / English switch: kept on the person's account when logged in (audited),
    and in the language cookie for the pages before login; then back to the page they were on."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose Thai or English."))
        return redirect(back)
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language, ip=client_ip(request))  # type: ignore[arg-type]
    response = redirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite="Lax",
    )
    return response
