"""Recording the audit trail: security events and changes to official data, in one table.

Every service that changes scores, plans, measures, follow-up, analyses, memos, people or an
organisation's settings calls audit() once, inside its transaction, with the object it changed and
the changed fields as {field name: value} before and after (values_of() reads them). The page
(itaportal.accounts.trail) turns the names into the models' Thai labels when it shows them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from ipaddress import ip_address
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import Promise

from itaportal.accounts.models import AuditEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person behind the request: when the connecting peer is one of
    settings.TRUSTED_PROXIES, the right-most X-Forwarded-For entry that is not itself a trusted
    proxy, else the peer itself.

    Each proxy appends the address it saw, so the entries are read from the right: nginx's, then
    (behind a load balancer that is trusted too) the balancer's, and the first address no trusted
    proxy owns is the client. Anything left of it came from the client and could be forged; an
    entry that is not an address ends the walk, as nginx's real_ip_recursive does. Login
    throttling (AXES_CLIENT_IP_CALLABLE), the audit trail and memo events all read this.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    if address is None or not _is_trusted_proxy(address):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not _is_address(hop):
            break
        address = hop
        if not _is_trusted_proxy(hop):
            break
    return address


def _is_address(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: numbers as text (exact), dates in ISO form, files by name."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def values_of(obj: Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of `obj` as the trail keeps them: the one snapshot of every service."""
    return {name: _plain(getattr(obj, name)) for name in names}


ADMIN_UNAUDITED = frozenset({"password", "last_login"})


def admin_values(obj: Model) -> dict[str, Any]:
    """Every stored field of `obj` (a relation by its id; never a password hash) as the trail
    keeps them: what an admin change is compared on."""
    return {
        field.name: _plain(field.value_from_object(obj))
        for field in obj._meta.concrete_fields
        if field.name not in ADMIN_UNAUDITED and not field.primary_key
    }


def audit(
    *,
    action: AuditEvent.Action,
    user: User | None = None,
    username: str = "",
    organisation_id: int | None = None,
    obj: Model | None = None,
    summary: str | Promise = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Write one entry: who (`user`, or only a `username` for a failed login), what `action` on
    which object (`obj`, named in words by `summary`), for which organisation, from which
    address, and the changed fields before and after.

    A lazy `summary` is written in the portal's language, whoever's request or command runs it.
    """
    if user is not None and organisation_id is None:
        organisation_id = user.organisation_id
    with translation.override(settings.LANGUAGE_CODE):
        words = str(summary)
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        user=user if user is not None and user.pk else None,
        username=username or (user.get_username() if user is not None else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        summary=words[:300],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        ip=ip,
    )
