"""Writes on people: an organisation's admin adds them and sets their role."""

from __future__ import annotations

from django.db import transaction
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
