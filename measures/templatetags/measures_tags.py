from __future__ import annotations

from typing import Any

from django import template

from assessments.ita import Tier
from assessments.tiers import TIER_CSS, TIER_LABELS

register = template.Library()


@register.filter
def item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def tier_label(tier: Tier | None) -> str:
    return str(TIER_LABELS[tier]) if tier else ""


@register.filter
def tier_css(tier: Tier | None) -> str:
    return TIER_CSS[tier] if tier else "secondary"
