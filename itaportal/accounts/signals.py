from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from itaportal.accounts.audit import audit, client_ip
from itaportal.accounts.middleware import SESSION_STARTED
from itaportal.accounts.models import AuditEvent, User


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    request.session[SESSION_STARTED] = time.time()
    audit(action=AuditEvent.Action.LOGIN, user=user, ip=client_ip(request))


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit(action=AuditEvent.Action.LOGOUT, user=user, ip=client_ip(request))


def _organisation_of(username: str) -> int | None:
    known = User.objects.filter(username__iexact=username).first()
    return known.organisation_id if known else None


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit(
        action=AuditEvent.Action.LOGIN_FAILED,
        username=username,
        organisation_id=_organisation_of(username),
        ip=client_ip(request),
    )


@receiver(user_locked_out)
def on_locked_out(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """django-axes has just locked this username from this address."""
    username = (username or "")[:150]
    audit(
        action=AuditEvent.Action.LOCKED_OUT,
        username=username,
        organisation_id=_organisation_of(username),
        ip=ip_address,
    )
