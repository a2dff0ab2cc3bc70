"""Reads of the OIT checklist: the year's OIT items, an organisation's entries with their evidence
and latest link checks, the approved documents the portal made, and the same for many
organisations at once (the overview, the export), each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from assessments import ita
from assessments.models import Framework, Indicator, Item, Organisation
from assessments.selectors import FrameworkCatalogue, organisation_year
from reports.memos.models import FrozenAttachment, Memo
from reports.oit.models import LinkCheck, OitEntry, OitEstimate, OitEvidence


@dataclass(frozen=True)
class OitYear:
    """The framework of an assessed year with its OIT items (those of all-or-nothing
    instruments), grouped by indicator."""

    framework: Framework
    groups: list[tuple[Indicator, list[Item]]]

    @property
    def items(self) -> list[Item]:
        return [item for _indicator, items in self.groups for item in items]


def oit_year(
    organisation: Organisation, fiscal_year: int, catalogue: FrameworkCatalogue | None = None
) -> OitYear | None:
    """The year's OIT items for this organisation's kind; None when no framework covers the year
    or its framework lists no all-or-nothing items."""
    catalogue = catalogue or FrameworkCatalogue()
    framework = catalogue.for_year(fiscal_year, organisation.kind)
    if framework is None:
        return None
    groups = [
        (indicator, list(indicator.items.all()))
        for instrument in framework.instruments.all()
        if instrument.all_or_nothing
        for indicator in instrument.indicators.all()
        if indicator.items.all()
    ]
    return OitYear(framework, groups) if groups else None


def oit_items(*, organisation: Organisation, fiscal_year: int) -> list[Item]:
    """The year's OIT items for the organisation's kind, in the framework's order; [] when the
    year has none."""
    year = oit_year(organisation, fiscal_year)
    return year.items if year is not None else []


def latest_address_checks(
    entries: Iterable[OitEntry],
) -> dict[tuple[int, int | None], LinkCheck]:
    """The latest check of each address the entries have now, keyed (entry id, evidence id or
    None for the entry's page); an address changed since its last check has none. One query."""
    current = {entry.pk: entry.url for entry in entries}
    ranked = (
        LinkCheck.objects.filter(entry_id__in=current)
        .select_related("evidence")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("entry_id"), F("evidence_id"), F("url")],
                order_by=[F("checked_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank=1)
        .order_by("entry_id", "evidence_id", "pk")
    )
    found: dict[tuple[int, int | None], LinkCheck] = {}
    for check in ranked:
        address = check.evidence.link if check.evidence else current[check.entry_id]
        if check.url == address:
            found[(check.entry_id, check.evidence_id)] = check
    return found


def latest_checks(entries: Iterable[OitEntry]) -> dict[int, LinkCheck]:
    """Per entry id, the check that speaks for the item's links: the latest check of its page,
    unless the latest check of one of its current addresses failed, then that one (its page's
    first). Entries never checked are absent. One query."""
    speaking: dict[int, LinkCheck] = {}
    by_address = sorted(
        latest_address_checks(entries).items(),
        key=lambda pair: (pair[0][0], pair[0][1] is not None, pair[0][1] or 0),
    )
    for (entry_id, _evidence_id), check in by_address:
        held = speaking.get(entry_id)
        if held is None or (held.ok and not check.ok):
            speaking[entry_id] = check
    return speaking


LINK_HISTORY_SHOWN = 20


def link_history(entry: OitEntry) -> list[LinkCheck]:
    """The item's latest link checks, every address of it, newest first (its page shows them)."""
    return list(entry.link_checks.order_by("-checked_at", "-pk")[:LINK_HISTORY_SHOWN])


def entries_of(organisation: Organisation, fiscal_year: int, year: OitYear) -> list[OitEntry]:
    """The organisation's entries of the year in the framework's order, their items the
    catalogue's, their evidence, notes and latest page check attached: four queries."""
    items = {item.pk: item for item in year.items}
    queryset = OitEntry.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, item_id__in=items
    )
    entries = list(queryset.prefetch_related("evidence", "remarks__author"))
    checks = latest_checks(entries)
    order = {pk: n for n, pk in enumerate(items)}
    for entry in entries:
        entry.item = items[entry.item_id]
        entry.latest_check = checks.get(entry.pk)  # type: ignore[attr-defined]
    return sorted(entries, key=lambda e: order[e.item_id])


def entry_of(organisation: Organisation, fiscal_year: int, code: str) -> OitEntry | None:
    """One entry by its item's code, with its evidence, notes and latest page check."""
    entry = (
        OitEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year, item__code=code)
        .select_related("item")
        .prefetch_related("evidence", "remarks__author")
        .first()
    )
    if entry is not None:
        entry.latest_check = latest_checks([entry]).get(entry.pk)  # type: ignore[attr-defined]
    return entry


def approved_documents(
    organisation: Organisation, kinds: Iterable[str], fiscal_year: int
) -> dict[str, FrozenAttachment]:
    """The approved (memo decided "approved") documents of these kinds that answer an assessed
    year's OIT: the analysis of the latest results up to that year, the plan, progress report
    and order of that fiscal year; the latest approval of each kind."""
    wanted = set(kinds)
    if not wanted:
        return {}
    found: dict[str, FrozenAttachment] = {}
    attachments = (
        FrozenAttachment.objects.filter(
            memo__organisation=organisation,
            memo__status=Memo.Status.APPROVED,
            kind__in=wanted,
            year__lte=fiscal_year,
        )
        .select_related("memo")
        .order_by("-year", "-memo__decided_at", "-pk")
    )
    for attachment in attachments:
        if attachment.kind in found:
            continue
        if attachment.kind == "analysis" or attachment.year == fiscal_year:
            found[attachment.kind] = attachment
    return found


def attachment_index(attachment: FrozenAttachment) -> int | None:
    """Where the attachment stands in its memo's list: the number of its stored PDF's URL."""
    for index, item in enumerate(attachment.memo.attachments):
        if item.get("kind") == attachment.kind and int(item.get("year", 0)) == attachment.year:
            return index
    return None


def estimate_of(organisation: Organisation, fiscal_year: int) -> OitEstimate | None:
    return OitEstimate.objects.filter(organisation=organisation, fiscal_year=fiscal_year).first()


@dataclass(frozen=True)
class EntryFacts:
    """What the readiness of one entry needs, as plain values (many organisations at once)."""

    organisation_id: int
    item_id: int
    status: str
    elements_done: list[int]
    evidence_years: list[int]
    link_ok: bool | None
    link_year: int | None


def entry_facts(organisation_ids: QuerySet[Organisation], fiscal_year: int) -> list[EntryFacts]:
    """The year's entries of many organisations with their evidence years and latest page
    checks: three queries whatever their number."""
    entries = OitEntry.objects.filter(organisation__in=organisation_ids, fiscal_year=fiscal_year)
    checks = latest_checks(entries)
    years: dict[int, list[int]] = defaultdict(list)
    for entry_id, year in OitEvidence.objects.filter(
        entry__in=entries, document_year__isnull=False
    ).values_list("entry_id", "document_year"):
        if year is not None:
            years[entry_id].append(year)
    facts = []
    for pk, org_id, item_id, status, done in entries.values_list(
        "pk", "organisation_id", "item_id", "status", "elements_done"
    ):
        check = checks.get(pk)
        facts.append(
            EntryFacts(
                organisation_id=org_id,
                item_id=item_id,
                status=status,
                elements_done=list(done or []),
                evidence_years=years.get(pk, []),
                link_ok=check.ok if check else None,
                link_year=check.year_found if check else None,
            )
        )
    return facts


def assessed_others(
    organisation: Organisation,
    fiscal_year: int,
    codes: Iterable[str],
    catalogue: FrameworkCatalogue | None = None,
) -> tuple[dict[str, Decimal], int | None]:
    """The instruments' scores (of `codes`) of the organisation's last assessed year before
    `fiscal_year`, rounded as published, and that year; ({}, None) when it has none."""
    latest = (
        organisation.assessments.filter(fiscal_year__lt=fiscal_year)
        .order_by("-fiscal_year")
        .values_list("fiscal_year", flat=True)
        .first()
    )
    if latest is None:
        return {}, None
    result = organisation_year(organisation, latest, catalogue)
    if result is None:
        return {}, None
    scores = result.evaluation.instrument_scores
    return {code: ita.round2(scores[code]) for code in codes if code in scores}, latest
