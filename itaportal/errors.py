"""Error pages that explain themselves in the user's language."""

from collections.abc import Callable

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.template import loader
from django.utils.translation import gettext_lazy as _

from itaportal.storage import is_disk_full

DISK_FULL_MESSAGE = _(
    "Storage is full: nothing was saved. Tell the system administrator, then try again."
)


class NotFound(Http404):
    """A 404 whose message is written for the user (Django's own 404 messages are not)."""


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if isinstance(exception, NotFound) else ""
    body = loader.render_to_string("404.html", {"message": message}, request)
    return HttpResponseNotFound(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form (an expired page, a missing or stale token) explained in Thai, with the
    way out, instead of Django's English technical page; the reason is for the log only."""
    body = loader.render_to_string("403_csrf.html", {}, request)
    return HttpResponseForbidden(body)


class DiskFullMiddleware:
    """A full disk met anywhere (an emblem, a batch) is a Thai page with status 507, not a
    generic 500; the storage has already removed what it began to write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_disk_full(exception):
            return None
        body = loader.render_to_string("507.html", {"message": DISK_FULL_MESSAGE}, request)
        return HttpResponse(body, status=507)
