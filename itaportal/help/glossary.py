"""What the glossary says of the words that are data elsewhere: the roles and the instruments."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Role

# What each role does in the portal, under the role's own label (Role's choices).
ROLE_MEANINGS: dict[str, Promise] = {
    Role.STAFF: _(
        "The officer who prepares the ITA: enters the results, makes the measures plan, records "
        "follow-up, fills the OIT checklist and drafts memos."
    ),
    Role.REVIEWER: _(
        "Checks a memo on its way to the executive (for example the head of a division or the "
        "deputy clerk) and forwards it or returns it with a reason; reads the organisation's data."
    ),
    Role.EXECUTIVE: _(
        "The mayor or the chief executive: approves or does not approve memos, and signs the "
        "orders and documents."
    ),
    Role.ORG_ADMIN: _(
        "Looks after the organisation's account: its people and their roles, the settings "
        "(emblem, letter code, executive), the approval policy and the audit trail."
    ),
    Role.SUPERVISOR: _(
        "The provincial or district office that follows every organisation of its area: reads "
        "their figures in the overview, prints their documents and pre-audits their OIT "
        "checklists; it does not change their data."
    ),
}

# What each instrument measures, by its code; a framework may add instruments these do not name.
INSTRUMENT_MEANINGS: dict[str, Promise] = {
    "IIT": _(
        "A survey of the organisation's own staff who have worked there at least a year: how "
        "they see its integrity."
    ),
    "EIT": _(
        "A survey of the people and firms who dealt with the organisation: how they see its "
        "services and communication."
    ),
    "OIT": _(
        "A checklist of what the organisation publishes on its main website, checked by NACC's "
        "advisers."
    ),
}


def roles() -> list[tuple[str, str]]:
    """(label, meaning) of every role, in the order Role lists them."""
    return [(str(Role(role).label), str(ROLE_MEANINGS[role])) for role in Role.values]
