"""Rendered page content, cached until the data behind it changes.

A page's main content (a dashboard, a plan, the supervisor overview) is rendered once and kept in
the cache under a key made of everything it shows: the page, the organisation, the province's
change counter (assessments.changes raises it on every change, the frameworks included), the
reader's rights, the query string, the date where it matters, and the language. The next reader
with the same key gets the HTML without the queries and the template work: from the process' own
memory (the "local" cache) or else from the shared cache. A key never outlives what it shows (the
counter is read from the database for each request), so neither copy needs to be told of changes.

Two rules keep a cached fragment from showing one person's page to another:
- the fragment is rendered from its own context only, without the request: no `user`, `request`
  or `messages` in it, so what differs between readers must be in the key;
- forms in it carry a placeholder instead of the CSRF token, swapped for the reader's own token
  each time the fragment is served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.cache import cache, caches
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

CSRF_PLACEHOLDER = "csrftokenplaceholder0b8e5a"
TIMEOUT = 24 * 60 * 60  # keys change with the data; this only bounds how long unused ones stay
PREFIX = "fragment:v1"


def fragment_key(template_name: str, key: Sequence[object]) -> str:
    text = repr((template_name, get_language(), *key))
    return f"{PREFIX}:{hashlib.sha256(text.encode()).hexdigest()}"


def cached_fragment(
    request: HttpRequest,
    template_name: str,
    key: Sequence[object],
    context: Callable[[], Mapping[str, Any]],
) -> SafeString:
    """`template_name` rendered with `context()`, or the cached rendering for this key.

    `context` is called only when the cache has no rendering, so the queries behind it run only
    then. Exceptions it raises (a 404 for a year that does not exist) reach the view; nothing is
    cached for them.
    """
    cache_key = fragment_key(template_name, key)
    local = caches["local"]
    html: str | None = local.get(cache_key)
    if html is None:
        html = cache.get(cache_key)
        if html is None:
            html = render_to_string(template_name, {**context(), "csrf_token": CSRF_PLACEHOLDER})
            cache.set(cache_key, html, TIMEOUT)
        local.set(cache_key, html, TIMEOUT)
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(html)  # rendered by our own (autoescaping) template
