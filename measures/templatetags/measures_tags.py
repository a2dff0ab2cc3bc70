from __future__ import annotations

from typing import Any

from django import template

from assessments.tiers import tier_css, tier_label

register = template.Library()


@register.filter
def item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


register.filter("tier_label", tier_label)
register.filter("tier_css", tier_css)
