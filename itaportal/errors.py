"""Error pages that explain themselves in the user's language."""

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotFound,
)
from django.template import loader


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
