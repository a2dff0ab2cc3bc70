"""Which approved documents hold a plan: what was approved never changes.

Memos approve documents of a plan (the plan, its progress report) and freeze them; a plan they
hold is not deleted, and the follow-up a progress report holds is not edited or deleted. The
memos live in `reports`, a floor above: at start-up it registers the lookup
(`holders_register`), so that the services here ask without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from measures.models import MeasurePlan


class Part(StrEnum):
    PLAN = "plan"  # the plan itself, its measures and their follow-up
    FOLLOW_UP = "follow_up"  # the follow-up of its measures


# (plan, part) -> the approved records that hold it, named as people know them ("พย ๑/๒๕๖๗").
HoldersLookup = Callable[[MeasurePlan, Part], list[str]]
_lookups: list[HoldersLookup] = []


def holders_register(lookup: HoldersLookup) -> None:
    if lookup not in _lookups:
        _lookups.append(lookup)


def plan_holders(plan: MeasurePlan, part: Part) -> list[str]:
    return [name for lookup in _lookups for name in lookup(plan, part)]


class HeldByApproval(Exception):
    """An approved document holds what was to change; nothing changed."""

    def __init__(self, holders: list[str]) -> None:
        super().__init__(", ".join(holders))
        self.holders = holders


def refuse_if_held(plan: MeasurePlan, part: Part) -> None:
    holders = plan_holders(plan, part)
    if holders:
        raise HeldByApproval(holders)
