"""Recording the audit trail: security events and changes to official data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from ipaddress import ip_address
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

from itaportal.accounts.models import AuditEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the person behind the request: what the connecting peer says when that peer
    is one of settings.TRUSTED_PROXIES, else the peer itself.

    The proxy appends the address it saw to X-Forwarded-For, so the right-most entry is the one
    it vouches for; anything to its left came from the client and could be forged. Login
    throttling (AXES_CLIENT_IP_CALLABLE), the audit trail and memo events all read this.
    """
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    if peer is None or not _is_trusted_proxy(peer):
        return peer
    forwarded, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=0,  # with no hop counted as a proxy, ipware takes the right-most entry
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return forwarded or peer


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.TRUSTED_PROXIES)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def audit(
    action: AuditEvent.Action,
    *,
    user: User | None = None,
    username: str = "",
    organisation_id: int | None = None,
    obj: Any = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    if user is not None and organisation_id is None:
        organisation_id = user.organisation_id
    return AuditEvent.objects.create(
        organisation_id=organisation_id,
        user=user if user is not None and user.pk else None,
        username=username or (user.get_username() if user is not None else ""),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or ""),
        summary=summary[:300],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        ip=ip,
    )
