from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from itaportal.accounts.audit import audit, client_ip
from itaportal.accounts.middleware import SESSION_STARTED
from itaportal.accounts.models import AuditEvent, User
from itaportal.accounts.throttle import clear_failures, record_failure


@receiver(user_logged_in)
def on_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    request.session[SESSION_STARTED] = time.time()
    clear_failures(user.get_username(), client_ip(request))
    audit(action=AuditEvent.Action.LOGIN, user=user, ip=client_ip(request))


@receiver(user_logged_out)
def on_logout(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        audit(action=AuditEvent.Action.LOGOUT, user=user, ip=client_ip(request))


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    ip = client_ip(request)
    known = User.objects.filter(username__iexact=username).first()
    organisation_id = known.organisation_id if known else None
    audit(
        action=AuditEvent.Action.LOGIN_FAILED,
        username=username,
        organisation_id=organisation_id,
        ip=ip,
    )
    if record_failure(username, ip):
        audit(
            action=AuditEvent.Action.LOCKED_OUT,
            username=username,
            organisation_id=organisation_id,
            ip=ip,
        )
