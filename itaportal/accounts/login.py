"""Signing in through django-axes: the lock per username and address, and its Thai answer.

Axes counts a failure only after the password was checked, so on its own twenty simultaneous
guesses would all be checked before the fifth failure is counted. The login view therefore takes a
lock for the username and address before the check, in the same transaction that records the
failure: attempts of one pair run one after another, and each sees the failures before it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.audit import client_ip

LOCKED_MESSAGE = _(
    "Too many failed attempts for this username from your computer. "
    "Wait 15 minutes, or ask your organisation's admin to reset the password."
)


def is_locked(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, get_credentials(username)))


def lock_attempts_of(username: str, ip: str | None) -> None:
    """Hold, until the transaction ends, the lock of this username and address.

    PostgreSQL: an advisory transaction lock on a hash of the pair. SQLite: the portal opens its
    transactions IMMEDIATE (settings), so the transaction already holds the database's one write
    lock and attempts run one after another anyway.
    """
    if connection.vendor != "postgresql":
        return
    digest = hashlib.sha256(f"login\0{username.casefold()}\0{ip}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username and address pair while django-axes holds it
    locked, and saying so when the failure just made locks it."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if username and self.request is not None and is_locked(self.request, username):
            raise ValidationError(LOCKED_MESSAGE, code="locked")
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(LOCKED_MESSAGE, code="locked") from None
            raise


class ThrottledLoginView(auth_views.LoginView):
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        with transaction.atomic():
            lock_attempts_of(username, client_ip(request))
            return super().post(request, *args, **kwargs)


def login_locked_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page the view already made (the login form shows the Thai
    lock message), instead of axes' own English page."""
    if original_response is not None:
        return original_response
    return HttpResponse(str(LOCKED_MESSAGE), status=429, content_type="text/plain; charset=utf-8")
