"""Which fiscal year a document says it is of, and which year an OIT item's evidence must be of:
the rule that costs offices whole items when a plan of last year is posted as this year's."""

from __future__ import annotations

import re
from collections import Counter

from assessments.models import Item
from itaportal import thai

# What a document's title or first page says, strongest first: "ปีงบประมาณ พ.ศ. ๒๕๖๘", "ประจำปี
# ๒๕๖๘", "พ.ศ. ๒๕๖๘"; a B.E. year alone ("o11_2568.pdf") counts when it is the only one.
_YEAR = r"(25[0-9]{2})"
_SAID = (
    re.compile(r"ปีงบประมาณ\s*(?:พ\.\s*ศ\.\s*)?" + _YEAR),
    re.compile(r"ประจำปี\s*(?:งบประมาณ\s*)?(?:พ\.\s*ศ\.\s*)?" + _YEAR),
    re.compile(r"พ\.\s*ศ\.\s*" + _YEAR),
)
_BARE = re.compile(r"(?<![0-9])" + _YEAR + r"(?![0-9])")


def fiscal_year_in(text: str) -> int | None:
    """The B.E. fiscal year a title or a page of text names, Thai or Arabic digits; None when it
    names none, or several without saying which is the fiscal year."""
    plain = thai.arabic(text or "")
    for pattern in _SAID:
        found = Counter(int(year) for year in pattern.findall(plain))
        if found:
            return found.most_common(1)[0][0]
    bare = set(int(year) for year in _BARE.findall(plain))
    return bare.pop() if len(bare) == 1 else None


def required_year(evidence_year: str, assessed_year: int) -> int | None:
    """The fiscal year an item's evidence must be of: the assessed year (plans, announcements),
    the year before (reports), or None when the item does not say (Item.evidence_year)."""
    if evidence_year == Item.EvidenceYear.ASSESSED:
        return assessed_year
    if evidence_year == Item.EvidenceYear.PREVIOUS:
        return assessed_year - 1
    return None


def year_ok(found: int | None, required: int | None) -> bool | None:
    """Whether a document's year is the one required; None when either is not known."""
    if found is None or required is None:
        return None
    return found == required
