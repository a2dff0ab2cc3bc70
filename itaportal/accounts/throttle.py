"""Login throttling: per username and address, never per username or per address alone.

Five failures for one username from one address within the lockout window lock that pair for the
window. An attacker elsewhere cannot lock the office's users out, and spraying many usernames
from one address stays slow; see README, "Security".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from itaportal.accounts.models import LoginFailure


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)


def is_locked(username: str, ip: str | None) -> bool:
    recent = LoginFailure.objects.filter(
        username__iexact=username, ip=ip, at__gte=_window_start()
    ).count()
    return recent >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, ip: str | None) -> bool:
    """Note a failure; True when this failure locks the pair."""
    LoginFailure.objects.create(username=username[:150], ip=ip)
    LoginFailure.objects.filter(at__lt=_window_start()).delete()
    return is_locked(username, ip)


def clear_failures(username: str, ip: str | None) -> None:
    LoginFailure.objects.filter(username__iexact=username, ip=ip).delete()
