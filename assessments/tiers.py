"""How the three tiers read on screen and in print (the rule itself is ita.tier_of)."""

from django.utils.translation import gettext_lazy as _

from assessments.ita import Tier

TIER_LABELS = {
    Tier.MAINTAIN: _("Maintain"),
    Tier.RAISE: _("Raise"),
    Tier.URGENT: _("Urgent"),
}
TIER_MEANINGS = {
    Tier.MAINTAIN: _("Keep doing what works and check it against any new criteria."),
    Tier.RAISE: _("Improve to reach the target."),
    Tier.URGENT: _("Fix the weaknesses urgently to reach at least the raise threshold."),
}
TIER_CSS = {Tier.MAINTAIN: "success", Tier.RAISE: "warning", Tier.URGENT: "danger"}


def tier_label(tier: Tier | None) -> str:
    """The tier as people read it ("แก้ไขเร่งด่วน"), empty when the indicator has no score."""
    return str(TIER_LABELS[tier]) if tier else ""


def tier_css(tier: Tier | None) -> str:
    """The Bootstrap colour of the tier's badge."""
    return TIER_CSS[tier] if tier else "secondary"
