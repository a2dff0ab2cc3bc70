from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SESSION_STARTED = "itaportal_session_started"
SESSION_SEEN = "itaportal_session_seen"


class SessionLimitMiddleware:
    """End a session at its absolute limit after login, even while it is in use; keep an active
    session alive by saving it (which moves its idle expiry) at most once per
    SESSION_REFRESH_SECONDS, rather than writing it on every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.setdefault(SESSION_STARTED, time.time())
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended; please log in again."))
                return redirect(settings.LOGIN_URL)
            now = time.time()
            if now - request.session.get(SESSION_SEEN, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_SEEN] = now  # marks the session modified: it is saved
        return self.get_response(request)
