"""Thai whatever the browser says.

Office PCs often run an English Windows and browser; Django's LocaleMiddleware would then serve
the portal, the admin and the error pages in English. Here the browser's Accept-Language is never
read: the portal speaks settings.LANGUAGE_CODE (Thai), unless the person chose another of
settings.LANGUAGES with the menu's switch: kept on their account once they are logged in (so it
follows them to any computer), and in Django's language cookie for the pages before login.

Its digits are those of the organisation a page is about, or of the reader's own: an organisation
that writes Arabic digits reads no Thai one the portal wrote, one that writes Thai digits no Arabic
one in its messages (OrganisationDigitsMiddleware).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from itaportal import thai


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


class WritesDigits(Protocol):
    @property
    def uses_thai_digits(self) -> bool: ...


def page_about(request: HttpRequest, organisation: WritesDigits) -> None:
    """The page answering `request` is about `organisation`: it is written in its digits."""
    request.digits_of = organisation  # type: ignore[attr-defined]


def _thai_digits(request: HttpRequest) -> bool:
    """The digits of the organisation the page is about (`page_about`: access.organisation_for
    says it of every page of an organisation), else of the reader's own; Thai for those of none
    (supervisors, visitors)."""
    about = getattr(request, "digits_of", None)
    if about is not None:
        return bool(about.uses_thai_digits)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.organisation_id is None:
        return True
    try:
        return bool(user.uses_thai_digits)  # one query when the page has not read it
    except DatabaseError:  # the page (an error page, likely) goes out as it was written
        return True


class OrganisationDigitsMiddleware:
    """A page is written in the digits of the organisation it is about. The templates write its
    numbers so; what they do not write is rewritten on the way out:

    - for an organisation that writes Arabic digits, the page's Thai ones: the fixed texts of the
      portal and its catalogues ("ทุก ๖ เดือน", "ไม่เกิน ๑๐ MB") and texts typed in Thai digits,
      as its documents print them (itaportal.thai.arabic_html);
    - for one that writes Thai digits (and for supervisors and visitors), the Arabic digits of
      its messages and form errors: Django's ("ไม่เกิน 20000 ตัวอักษร") and the typed values they
      quote (itaportal.thai.thai_digit_messages).

    What is being typed is left as typed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        is_page = response.get("Content-Type", "").startswith("text/html")
        if getattr(response, "streaming", False) or not is_page:
            return response
        if _thai_digits(request):
            if not thai.may_hold_messages(response.content):
                return response
            rewrite = thai.thai_digit_messages
        else:
            rewrite = thai.arabic_html
        charset = response.charset
        try:
            page = response.content.decode(charset)
        except UnicodeDecodeError:  # not a page the portal wrote
            return response
        written = rewrite(page)
        if written == page:
            return response
        response.content = written.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
