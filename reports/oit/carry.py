"""Next year without retyping: a new year's OIT checklist started from the organisation's last
one, item by item through the crosswalk (assessments.ItemCrosswalk, framework data): who is
responsible, the page and its navigation path, and the standing evidence (a manual, a channel)
are carried; the status, the ticked elements and every other piece of evidence must be renewed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Item, ItemCrosswalk, Organisation
from itaportal import thai
from itaportal.accounts.audit import audit
from itaportal.accounts.models import AuditEvent, User
from reports.oit.models import OitEntry, OitEvidence, OitStatus
from reports.oit.selectors import oit_items


@dataclass(frozen=True)
class Carried:
    """What a carry-forward did: from which year, the new items it filled with the old items
    they came from, how many pieces of evidence it copied, and the old items that have no
    successor in the new year's framework."""

    from_year: int
    items: list[tuple[Item, list[Item]]] = field(default_factory=list)
    evidence: int = 0
    without_successor: list[Item] = field(default_factory=list)

    @property
    def nothing_copied(self) -> bool:
        return not self.items


class CarryRefused(ValidationError):
    """Nothing to carry, or nowhere to carry it: the message says why, in Thai."""


def _successors(old: list[Item], new: list[Item]) -> dict[int, list[Item]]:
    """Each old item's items in the new framework: itself when the framework is the same,
    else where the crosswalk leads, following it through frameworks in between (2566 → 2567 →
    2569) until it reaches the new year's items."""
    new_by_pk = {item.pk: item for item in new}
    links: dict[int, list[int]] = defaultdict(list)
    for item_id, successor_id in ItemCrosswalk.objects.values_list("item_id", "successor_id"):
        links[item_id].append(successor_id)
    found: dict[int, list[Item]] = {}
    for item in old:
        reached: list[Item] = []
        seen: set[int] = set()
        frontier = [item.pk]
        while frontier:
            step = frontier.pop(0)
            if step in seen:
                continue
            seen.add(step)
            if step in new_by_pk:
                if new_by_pk[step] not in reached:
                    reached.append(new_by_pk[step])
                continue
            frontier.extend(links.get(step, []))
        found[item.pk] = sorted(reached, key=lambda i: new.index(i))
    return found


def _is_blank(entry: OitEntry) -> bool:
    """An entry nobody has filled in yet (the checklist may have made it when first opened)."""
    return not (
        entry.owner
        or entry.url
        or entry.navigation
        or entry.notes
        or entry.elements_done
        or entry.carried_from_id
        or entry.status != OitStatus.NOT_STARTED
        or entry.evidence.all()
    )


def _element(evidence: OitEvidence, old: Item, new: Item) -> int:
    """The element a copy belongs to: the same number when the new item's element of that
    number reads the same, else the item as a whole (0)."""
    if evidence.element == 0:
        return 0
    before, after = old.element_list, new.element_list
    n = evidence.element
    same = n <= len(before) and n <= len(after) and before[n - 1] == after[n - 1]
    return n if same else 0


@transaction.atomic
def oit_checklist_carry(
    *, organisation: Organisation, fiscal_year: int, by: User | None, ip: str | None = None
) -> Carried:
    """Start the year's checklist from the organisation's latest earlier one. Each item of the
    year that the crosswalk reaches from old items gets, from the first of them, the owner, the
    page and the navigation path, and from all of them their standing evidence (a copy of each
    row: the same stored file or link), `carried_from` the first. The status starts again at
    not started, no element is ticked, evidence that is not standing stays behind. An item
    already filled in (by hand or an earlier carry) is left alone: a second run copies nothing.
    Raises CarryRefused (nothing changed) when the year has no OIT items or there is no earlier
    checklist."""
    year_shown = thai.digits(fiscal_year, organisation.uses_thai_digits)
    new_items = oit_items(organisation=organisation, fiscal_year=fiscal_year)
    if not new_items:
        raise CarryRefused(
            _("Fiscal year %(year)s has no ITA framework with OIT items yet: nothing was copied.")
            % {"year": year_shown}
        )
    earlier = OitEntry.objects.filter(organisation=organisation, fiscal_year__lt=fiscal_year)
    from_year = earlier.aggregate(latest=Max("fiscal_year"))["latest"]
    if from_year is None:
        raise CarryRefused(
            _("There is no checklist before fiscal year %(year)s to start from.")
            % {"year": year_shown}
        )
    old_entries = list(
        OitEntry.objects.filter(organisation=organisation, fiscal_year=from_year)
        .select_related("item")
        .prefetch_related("evidence")
    )
    successors = _successors([e.item for e in old_entries], new_items)
    sources: dict[int, list[OitEntry]] = defaultdict(list)
    without: list[Item] = []
    for entry in old_entries:
        if not successors[entry.item.pk]:
            without.append(entry.item)
        for item in successors[entry.item.pk]:
            sources[item.pk].append(entry)
    existing = {
        e.item_id: e
        for e in OitEntry.objects.filter(
            organisation=organisation, fiscal_year=fiscal_year
        ).prefetch_related("evidence")
    }
    carried: list[tuple[Item, list[Item]]] = []
    copies: list[OitEvidence] = []
    for item in new_items:
        old = sources.get(item.pk)
        if not old:
            continue
        found = existing.get(item.pk)
        if found is not None and not _is_blank(found):
            continue
        first = old[0]
        entry = found or OitEntry(organisation=organisation, fiscal_year=fiscal_year, item=item)
        entry.owner = next((e.owner for e in old if e.owner), "")
        entry.url = next((e.url for e in old if e.url), "")
        entry.navigation = next((e.navigation for e in old if e.navigation), "")
        entry.status = OitStatus.NOT_STARTED
        entry.elements_done = []
        entry.carried_from = first
        entry.updated_by = by
        entry.save()
        carried.append((item, [e.item for e in old]))
        for source in old:
            for evidence in source.evidence.all():
                if evidence.standing:
                    copies.append(
                        OitEvidence(
                            entry=entry,
                            element=_element(evidence, source.item, item),
                            title=evidence.title,
                            file=evidence.file.name,
                            link=evidence.link,
                            portal_document=evidence.portal_document,
                            document_year=evidence.document_year,
                            standing=True,
                            public=evidence.public,
                            created_by=by,
                        )
                    )
    OitEvidence.objects.bulk_create(copies)
    result = Carried(
        from_year=from_year, items=carried, evidence=len(copies), without_successor=without
    )
    if carried:
        audit(
            action=AuditEvent.Action.CREATE,
            user=by,
            organisation_id=organisation.pk,
            summary=format_lazy(
                gettext_lazy(
                    "OIT checklist of fiscal year {year} started from {from_year}: {items} items, "
                    "{evidence} pieces of evidence"
                ),
                year=fiscal_year,
                from_year=from_year,
                items=len(carried),
                evidence=len(copies),
            ),
            after={
                "fiscal_year": fiscal_year,
                "from_year": from_year,
                "items": {item.code: [o.code for o in old] for item, old in carried},
                "evidence": len(copies),
                "without_successor": [item.code for item in without],
            },
            ip=ip,
        )
    return result
