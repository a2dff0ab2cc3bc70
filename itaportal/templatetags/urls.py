"""`{% url %}`, with each address worked out once per process.

Django's `reverse` walks the URL patterns again for every link of every page: 20-40 µs each,
3 % of the CPU of the benchmark's pages (bench/README.md, session 35), for addresses that only
the URL patterns, the script prefix and the arguments decide. The tag below replaces Django's
own in every template (settings.TEMPLATES' "builtins"): same syntax, same result, remembered
when its arguments are plain numbers and strings.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.template import defaulttags
from django.template.base import Parser, Token
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()


def _plain(value: object) -> bool:
    """A number or a text (a template's literal is a SafeString, a kind of str)."""
    return type(value) is int or isinstance(value, str)


@lru_cache(maxsize=16384)
def _reversed(
    prefix: str,
    urlconf: str | None,
    view_name: str,
    args: tuple[object, ...],
    kwargs: tuple[tuple[str, object], ...],
    current_app: str | None,
) -> str:
    """`reverse`, remembered: `prefix` and `urlconf` only key it (reverse reads them itself)."""
    return reverse(view_name, urlconf, list(args), dict(kwargs), current_app)


def remembered_reverse(
    view_name: str,
    args: list[Any] | tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
    current_app: str | None = None,
) -> str:
    """`reverse(view_name, args=..., kwargs=...)`, worked out once for plain arguments (an
    object's text may change; its address is then worked out each time)."""
    kwargs = kwargs or {}
    values = [*args, *kwargs.values()]
    if not isinstance(view_name, str) or not all(_plain(value) for value in values):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    return _reversed(
        get_script_prefix(),
        get_urlconf(),
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
    )


class URLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        url = ""
        try:
            url = remembered_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    """Django's `{% url %}`: parsed by Django, rendered by the URLNode above."""
    node = defaulttags.url(parser, token)
    return URLNode(node.view_name, node.args, node.kwargs, node.asvar)
