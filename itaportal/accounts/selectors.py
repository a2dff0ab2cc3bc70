"""Reads of the audit trail: an organisation's entries, filtered as its admin asks."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from itaportal.accounts.models import AuditEvent


def audit_events(
    *,
    organisation_id: int,
    user_id: int | None = None,
    object_type: str = "",
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """The organisation's entries, newest first, with the people who made them."""
    events = AuditEvent.objects.filter(organisation_id=organisation_id)
    if user_id is not None:
        events = events.filter(user_id=user_id)
    if object_type:
        events = events.filter(object_type=object_type)
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    return events.select_related("user")


def audit_object_types(*, organisation_id: int) -> list[str]:
    """The kinds of object the organisation's trail names, for its filter."""
    return sorted(
        AuditEvent.objects.filter(organisation_id=organisation_id)
        .exclude(object_type="")
        .values_list("object_type", flat=True)
        .distinct()
    )
