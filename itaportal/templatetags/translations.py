"""Django's `i18n` tags, with `{% translate "a literal" %}` worked out once per language.

Django's `translate` looks the message up, escapes it and restores its percent signs on every
render: 5-6 µs each, about 50 times a page (bench/README.md, session 36), for a text that only
the message, its context, the active language and autoescaping decide. This library stands in
for Django's under the same name (settings.TEMPLATES' "libraries": {"i18n": …}), so that
`{% load i18n %}` in the portal's templates and the admin's loads it: every other tag and
filter is Django's own; `translate` of a variable or with filters works as Django's.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Parser, Token, Variable
from django.templatetags import i18n
from django.utils.translation import get_language

register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)


def _literal(expression: FilterExpression | None) -> bool:
    """A quoted text with no filter: what it resolves to does not depend on the context."""
    if expression is None:
        return True
    var = expression.var
    return not expression.filters and isinstance(var, Variable) and var.literal is not None


class TranslateNode(i18n.TranslateNode):
    def __init__(self, node: i18n.TranslateNode) -> None:
        super().__init__(node.filter_expression, node.noop, node.asvar, node.message_context)
        self.constant = _literal(node.filter_expression) and _literal(node.message_context)
        self.rendered: dict[tuple[str | None, bool], str] = {}

    def render(self, context: template.Context) -> str:
        if not self.constant:
            return super().render(context)
        key = (get_language(), context.autoescape)
        value = self.rendered.get(key)
        if value is None:
            alone = template.Context(autoescape=context.autoescape)
            value = super().render(alone)
            value = self.rendered[key] = alone[self.asvar] if self.asvar else value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> TranslateNode:
    return TranslateNode(i18n.do_translate(parser, token))
