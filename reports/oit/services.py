"""Writes of the OIT checklist: the year's entries made once, an entry's edits, evidence added
(its fiscal year read at upload) and deleted, the portal's approved documents filled in, and the
office's estimate of the other instruments. Each audited once, inside its transaction."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Item, Organisation
from itaportal import thai
from itaportal.accounts.audit import audit, values_of
from itaportal.accounts.models import AuditEvent, User
from measures.schedule import oit_answers_due
from reports.documents.models import DocumentKind
from reports.memos.models import FrozenAttachment
from reports.oit import years
from reports.oit.models import OitEntry, OitEstimate, OitEvidence
from reports.oit.readiness import elements_total
from reports.oit.selectors import OitYear, approved_documents

logger = logging.getLogger(__name__)

ENTRY_FIELDS = (
    "owner",
    "due_on",
    "url",
    "navigation",
    "notes",
    "status",
    "public",
    "elements_done",
    "itas_text",
)
EVIDENCE_FIELDS = ("element", "title", "file", "link", "portal_document", "document_year")
PDF_PAGES_READ = 1  # the title page says the year; reading more costs time for nothing


def _words(entry: OitEntry) -> Any:
    return format_lazy(
        _("OIT item {code} of fiscal year {year}"), code=entry.item.code, year=entry.fiscal_year
    )


@transaction.atomic
def checklist_open(
    *,
    organisation: Organisation,
    fiscal_year: int,
    year: OitYear,
    user: User | None,
    ip: str | None = None,
) -> int:
    """Make the entries the year's checklist lacks (one insert, audited once; a second request
    at the same moment waits on the organisation's row and makes none), then fill the items the
    portal's approved documents answer. Returns how many entries were made."""
    missing = _items_without_entry(organisation, fiscal_year, year)
    if missing:
        # Only a year that lacks entries takes the organisation's row lock (a page view of an
        # opened year takes none); under it, look again: a request at the same moment may
        # have made them.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        missing = _items_without_entry(organisation, fiscal_year, year)
    due = oit_answers_due(fiscal_year)
    if missing:
        OitEntry.objects.bulk_create(
            [
                OitEntry(
                    organisation=organisation,
                    fiscal_year=fiscal_year,
                    item=item,
                    due_on=due,
                    updated_by=user,
                )
                for item in missing
            ],
            ignore_conflicts=True,
        )
        audit(
            action=AuditEvent.Action.CREATE,
            user=user,
            organisation_id=organisation.pk,
            summary=format_lazy(
                _("OIT checklist of fiscal year {year}: {count} items"),
                year=fiscal_year,
                count=len(missing),
            ),
            after={"fiscal_year": fiscal_year, "items": [item.code for item in missing]},
            ip=ip,
        )
    _portal_documents_fill(
        organisation=organisation, fiscal_year=fiscal_year, year=year, user=user, ip=ip
    )
    return len(missing)


def _evidence_audit(
    *, evidence: OitEvidence, entry: OitEntry, user: User | None, ip: str | None
) -> None:
    """The audit entry of evidence kept, by a person or from an approved document."""
    audit(
        action=AuditEvent.Action.CREATE,
        user=user,
        organisation_id=entry.organisation_id,
        obj=evidence,
        summary=format_lazy(_("evidence of the {entry}"), entry=_words(entry)),
        after=values_of(evidence, EVIDENCE_FIELDS),
        ip=ip,
    )


def _items_without_entry(organisation: Organisation, fiscal_year: int, year: OitYear) -> list[Item]:
    have = set(
        OitEntry.objects.filter(organisation=organisation, fiscal_year=fiscal_year).values_list(
            "item_id", flat=True
        )
    )
    return [item for item in year.items if item.pk not in have]


def _portal_documents_fill(
    *,
    organisation: Organisation,
    fiscal_year: int,
    year: OitYear,
    user: User | None,
    ip: str | None,
) -> None:
    """The items the portal's own documents answer (Item.portal_documents) get each approved
    document as evidence of the whole item, and, once all are approved, every element ticked."""
    wanted = {item.pk: item.portal_document_list for item in year.items}
    wanted = {pk: kinds for pk, kinds in wanted.items() if kinds}
    if not wanted:
        return
    found = approved_documents(
        organisation, {kind for kinds in wanted.values() for kind in kinds}, fiscal_year
    )
    if not found:
        return
    entries = OitEntry.objects.filter(
        organisation=organisation, fiscal_year=fiscal_year, item_id__in=wanted
    ).prefetch_related("evidence")
    items = {item.pk: item for item in year.items}
    for entry in entries:
        entry.item = items[entry.item_id]
        kinds = wanted[entry.item_id]
        have = {e.portal_document: e for e in entry.evidence.all() if e.portal_document}
        for kind in kinds:
            attachment = found.get(kind)
            if attachment is None or (kind in have and have[kind].attachment_id == attachment.pk):
                continue
            if kind in have:  # a later approval of the same document replaces it
                audit(
                    action=AuditEvent.Action.DELETE,
                    user=user,
                    organisation_id=organisation.pk,
                    obj=have[kind],
                    summary=format_lazy(_("evidence of the {entry}"), entry=_words(entry)),
                    before=values_of(have[kind], EVIDENCE_FIELDS),
                    ip=ip,
                )
                have[kind].delete()
            evidence = OitEvidence.objects.create(
                entry=entry,
                element=0,
                title=_portal_title(organisation, attachment),
                portal_document=kind,
                attachment=attachment,
                document_year=None if kind == DocumentKind.ANALYSIS else attachment.year,
                created_by=user,
            )
            _evidence_audit(evidence=evidence, entry=entry, user=user, ip=ip)
        total = elements_total(entry.item)
        if all(kind in found for kind in kinds) and len(set(entry.elements_done)) < total:
            before = values_of(entry, ["elements_done"])
            entry.elements_done = list(range(1, total + 1))
            entry.updated_by = user
            entry.save(update_fields=["elements_done", "updated_by", "updated_at"])
            audit(
                action=AuditEvent.Action.UPDATE,
                user=user,
                organisation_id=organisation.pk,
                obj=entry,
                summary=_words(entry),
                before=before,
                after=values_of(entry, ["elements_done"]),
                ip=ip,
            )


def _portal_title(organisation: Organisation, attachment: FrozenAttachment) -> str:
    """'มาตรการส่งเสริมคุณธรรมและความโปร่งใส ปีงบประมาณ พ.ศ. ๒๕๖๙ (บันทึก พย ๗๒๔๐๑/๑๑๙)'"""
    digits = organisation.uses_thai_digits
    with translation.override(settings.LANGUAGE_CODE):
        return str(
            _("%(document)s, fiscal year %(year)s (memo %(reference)s)")
            % {
                "document": DocumentKind(attachment.kind).label,
                "year": thai.year_be(attachment.year, digits),
                "reference": thai.typed_digits(attachment.memo.reference, digits),
            }
        )[:300]


@dataclass(frozen=True)
class EntryData:
    owner: str
    due_on: dt.date | None
    url: str
    navigation: str
    notes: str
    status: str
    public: bool
    elements_done: list[int]
    itas_text: str


@transaction.atomic
def entry_update(
    *, entry: OitEntry, data: EntryData, user: User | None, ip: str | None = None
) -> bool:
    """Save an entry's edits; one audit entry with the fields that changed. Returns whether
    anything did."""
    total = elements_total(entry.item)
    if any(not 1 <= n <= total for n in data.elements_done):
        raise ValueError(f"element out of range 1..{total}: {data.elements_done}")
    before = values_of(entry, ENTRY_FIELDS)
    for name in ENTRY_FIELDS:
        setattr(entry, name, getattr(data, name))
    entry.elements_done = sorted(set(data.elements_done))
    after = values_of(entry, ENTRY_FIELDS)
    changed = [name for name in ENTRY_FIELDS if before[name] != after[name]]
    if not changed:
        return False
    entry.updated_by = user
    entry.save(update_fields=[*changed, "updated_by", "updated_at"])
    audit(
        action=AuditEvent.Action.UPDATE,
        user=user,
        organisation_id=entry.organisation_id,
        obj=entry,
        summary=_words(entry),
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
        ip=ip,
    )
    return True


def document_year_read(*, title: str, file: File | None) -> int | None:
    """The fiscal year the evidence names: its title first, then the file's name, then a PDF's
    metadata title and first page (years.fiscal_year_in reads each)."""
    for text in (title, file.name if file is not None else ""):
        found = years.fiscal_year_in(text or "")
        if found is not None:
            return found
    if file is not None and (file.name or "").lower().endswith(".pdf"):
        for text in _pdf_texts(file):
            found = years.fiscal_year_in(text)
            if found is not None:
                return found
    return None


def _pdf_texts(file: File) -> list[str]:
    """A PDF's metadata title and the text of its first page; [] for a PDF pdfplumber cannot
    read (the year is then unknown, which costs the item nothing)."""
    import pdfplumber

    file.seek(0)
    try:
        with pdfplumber.open(cast(Any, file)) as pdf:
            texts = [str(pdf.metadata.get("Title") or "")]
            texts += [page.extract_text() or "" for page in pdf.pages[:PDF_PAGES_READ]]
    except Exception:  # a damaged PDF is still evidence; only its year stays unknown
        logger.info("could not read the PDF %s", file.name, exc_info=True)
        texts = []
    file.seek(0)
    return texts


def evidence_add(
    *,
    entry: OitEntry,
    element: int,
    title: str,
    file: File | None,
    link: str,
    user: User | None,
    ip: str | None = None,
) -> OitEvidence:
    """Keep a file or a link as evidence of an element (0: the item as a whole), with the fiscal
    year it names. The file is written whole before the row and removed if the row is not
    committed (as follow-up evidence is)."""
    if not 0 <= element <= elements_total(entry.item):
        raise ValueError(f"element out of range: {element}")
    evidence = OitEvidence(
        entry=entry,
        element=element,
        title=title,
        file=file or "",
        link=link,
        document_year=document_year_read(title=title, file=file),
        created_by=user,
    )
    try:
        with transaction.atomic():
            evidence.save()
            _evidence_audit(evidence=evidence, entry=entry, user=user, ip=ip)
    except BaseException:
        stored = evidence.file
        if stored.name and getattr(stored, "_committed", False):
            stored.storage.delete(stored.name)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: OitEvidence, user: User | None, ip: str | None = None) -> None:
    """Delete evidence; its file goes once the deletion is committed."""
    entry = evidence.entry
    before = values_of(evidence, EVIDENCE_FIELDS)
    stored = evidence.file
    name, storage = stored.name, stored.storage
    audit(
        action=AuditEvent.Action.DELETE,
        user=user,
        organisation_id=entry.organisation_id,
        obj=evidence,
        summary=format_lazy(_("evidence of the {entry}"), entry=_words(entry)),
        before=before,
        ip=ip,
    )
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def estimate_save(
    *,
    organisation: Organisation,
    fiscal_year: int,
    scores: dict[str, Decimal | None],
    user: User | None,
    ip: str | None = None,
) -> OitEstimate:
    """Keep the office's estimate of the other instruments' scores (an empty box: no estimate
    for that instrument, the last assessed year's is used)."""
    estimate, _new = OitEstimate.objects.select_for_update().get_or_create(
        organisation=organisation, fiscal_year=fiscal_year
    )
    before = dict(estimate.scores)
    estimate.scores = {code: str(value) for code, value in scores.items() if value is not None}
    estimate.updated_by = user
    estimate.save()
    audit(
        action=AuditEvent.Action.UPDATE,
        user=user,
        organisation_id=organisation.pk,
        obj=estimate,
        summary=format_lazy(
            _("estimate for the predicted score of fiscal year {year}"), year=fiscal_year
        ),
        before=before,
        after=estimate.scores,
        ip=ip,
    )
    return estimate
