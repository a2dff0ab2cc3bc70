"""Writes on people: an organisation's admin adds them and sets their role."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.audit import audit, values_of
from itaportal.accounts.models import AuditEvent, User

# What an organisation admin sets of a person, and the audit trail keeps.
MEMBER_FIELDS = (
    "username",
    "name_prefix",
    "first_name",
    "last_name",
    "email",
    "line_id",
    "position",
    "role",
    "is_active",
)


@transaction.atomic
def member_save(*, member: User, organisation_id: int, by: User, ip: str | None) -> User:
    """Save a person as the admin set them; a new one has no password until they choose one.

    What they were comes from the database: a bound form has already changed `member`.
    """
    stored = User.objects.filter(pk=member.pk).first() if member.pk else None
    member.organisation_id = organisation_id
    if stored is None:
        member.set_unusable_password()
    member.save()
    audit(
        action=AuditEvent.Action.UPDATE if stored else AuditEvent.Action.CREATE,
        user=by,
        organisation_id=organisation_id,
        obj=member,
        summary=format_lazy(
            _("account of {name} ({username})"),
            name=member.get_full_name() or member.get_username(),
            username=member.get_username(),
        ),
        before=values_of(stored, MEMBER_FIELDS) if stored else None,
        after=values_of(member, MEMBER_FIELDS),
        ip=ip,
    )
    return member


@transaction.atomic
def member_password_link(*, member: User, by: User, ip: str | None, emailed_to: str = "") -> str:
    """The path of a link that lets `member` set a new password once (Django's reset token: it
    stops working once the password changes, or after PASSWORD_RESET_TIMEOUT), and one audit
    entry saying how it was given: e-mailed to `emailed_to`, or shown to the admin to pass on.
    Neither the link nor any password is kept or logged."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(member.pk)),
            "token": default_token_generator.make_token(member),
        },
    )
    audit(
        action=AuditEvent.Action.PASSWORD_LINK,
        user=by,
        organisation_id=member.organisation_id,
        obj=member,
        summary=format_lazy(
            _("account of {name} ({username})"),
            name=member.get_full_name() or member.get_username(),
            username=member.get_username(),
        ),
        after={"email": emailed_to} if emailed_to else {"email": _("none: shown to copy")},
        ip=ip,
    )
    return path


@transaction.atomic
def user_language_set(*, user: User, language: str, ip: str | None) -> None:
    """Remember the language a person chose for the portal (one of settings.LANGUAGES)."""
    before = user.language
    if before == language:
        return
    user.language = language
    user.save(update_fields=["language"])
    audit(
        action=AuditEvent.Action.UPDATE,
        user=user,
        obj=user,
        summary=format_lazy(
            _("account of {name} ({username})"),
            name=user.get_full_name() or user.get_username(),
            username=user.get_username(),
        ),
        before={"language": before},
        after={"language": language},
        ip=ip,
    )
