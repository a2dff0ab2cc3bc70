"""Thai whatever the browser says.

Office PCs often run an English Windows and browser; Django's LocaleMiddleware would then serve
the portal, the admin and the error pages in English. Here the browser's Accept-Language is never
read: the portal speaks settings.LANGUAGE_CODE (Thai), unless the person chose another of
settings.LANGUAGES with the menu's switch: kept on their account once they are logged in (so it
follows them to any computer), and in Django's language cookie for the pages before login.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def language_of(request: HttpRequest) -> str:
    """The language the logged-in person chose, else the one the cookie keeps, else Thai."""
    user = getattr(request, "user", None)
    chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if chosen not in dict(settings.LANGUAGES):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ThaiFirstLocaleMiddleware:
    """In place of django.middleware.locale.LocaleMiddleware (no i18n_patterns here); after
    AuthenticationMiddleware, which tells it who the person is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        translation.activate(language_of(request))
        request.LANGUAGE_CODE = translation.get_language()  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)  # type: ignore[attr-defined]
        return response
