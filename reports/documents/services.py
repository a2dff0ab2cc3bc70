"""Writes on documents: analysis paragraphs, committee orders and their numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Organisation
from itaportal import thai
from itaportal.accounts.audit import audit, values_of
from itaportal.accounts.models import AuditEvent, User
from reports.documents.models import (
    AnalysisText,
    Committee,
    CommitteeMember,
    DocumentText,
    paragraph_words,
    section_words,
)
from reports.numbering import NumberRegister, number_take


@dataclass(frozen=True)
class CommitteeData:
    """The text of an order appointing the ITA committee (its number is the register's)."""

    fiscal_year: int
    subject: str
    reasons: str
    duties_steering: str
    issued_on: dt.date
    signer_name: str
    signer_position: str
    duties_working: str = ""
    signer_rank: str = ""  # "ว่าที่ร้อยโท", on its own line above the name

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COMMITTEE_FIELDS}


COMMITTEE_FIELDS = tuple(item.name for item in fields(CommitteeData))


@dataclass(frozen=True)
class MemberData:
    """One member of the steering committee or the working group, in the order's order."""

    group: str
    name: str
    position: str
    role: str


MEMBER_FIELDS = tuple(item.name for item in fields(MemberData))


@transaction.atomic
def analysis_texts_save(
    *,
    assessment: Assessment,
    texts: Mapping[int, str],
    user: User | None,
    ip: str | None = None,
) -> None:
    """Keep what people wrote; an emptied paragraph goes back to the portal's draft.

    Each paragraph that changes is one entry of the audit trail (an emptied one, a deletion).
    """
    stored = {t.number: t for t in assessment.texts.all()}
    for number, text in texts.items():
        change = _text_keep(
            AnalysisText,
            {"assessment": assessment, "number": number},
            stored.get(number),
            text,
            user,
        )
        if change is not None:
            audit(
                **change,
                user=user,
                organisation_id=assessment.organisation_id,
                summary=paragraph_words(assessment, number),
                ip=ip,
            )


@transaction.atomic
def document_texts_save(
    *,
    organisation: Organisation,
    kind: str,
    year: int,
    texts: Mapping[str, str],
    user: User | None,
    ip: str | None = None,
) -> None:
    """Keep the sections people wrote, as typed; an emptied one goes back to its draft (or to
    nothing). Each section that changes is one entry of the audit trail."""
    stored = {
        t.section: t
        for t in DocumentText.objects.filter(organisation=organisation, kind=kind, fiscal_year=year)
    }
    for section, text in texts.items():
        change = _text_keep(
            DocumentText,
            {"organisation": organisation, "kind": kind, "fiscal_year": year, "section": section},
            stored.get(section),
            text,
            user,
        )
        if change is not None:
            audit(
                **change,
                user=user,
                organisation_id=organisation.pk,
                summary=section_words(section, kind, year),
                ip=ip,
            )


def _text_keep(
    model: type[AnalysisText] | type[DocumentText],
    lookup: Mapping[str, Any],
    old: AnalysisText | DocumentText | None,
    text: str,
    user: User | None,
) -> dict[str, Any] | None:
    """Keep one text people wrote (an emptied one is deleted: the portal's draft comes back);
    what the audit entry says of it (action, obj, before, after), or None when nothing
    changed. The analysis paragraphs and the documents' sections share it."""
    before = values_of(old, ["text"]) if old else None
    saved: AnalysisText | DocumentText
    if text.strip():
        saved, _created = model.objects.update_or_create(
            **lookup, defaults={"text": text.strip(), "updated_by": user}
        )
        after: dict[str, Any] | None = values_of(saved, ["text"])
    elif old is not None:
        saved, after = old, None
        old.delete()
    else:
        return None
    if before == after:
        return None
    if after is None:
        action = AuditEvent.Action.DELETE
    else:
        action = AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE
    return {"action": action, "obj": saved, "before": before, "after": after}


@transaction.atomic
def emblem_save(
    *, organisation: Organisation, emblem: File | None, user: User | None, ip: str | None = None
) -> None:
    """Store a new Garuda emblem for the organisation's documents (None takes it away).

    What it was comes from the database: a bound form has already set the new file on the
    object it was given."""
    before = values_of(Organisation.objects.only("emblem").get(pk=organisation.pk), ["emblem"])
    organisation.emblem = emblem or None  # type: ignore[assignment]
    organisation.save(update_fields=["emblem"])
    audit(
        action=AuditEvent.Action.UPDATE,
        user=user,
        organisation_id=organisation.pk,
        obj=organisation,
        summary=organisation.name,
        before=before,
        after=values_of(organisation, ["emblem"]),
        ip=ip,
    )


def _members(committee: Committee, members: Iterable[MemberData]) -> None:
    committee.members.all().delete()
    CommitteeMember.objects.bulk_create(
        CommitteeMember(committee=committee, order=i, **asdict(member))
        for i, member in enumerate(members)
    )


@transaction.atomic
def committee_create(
    *,
    organisation: Organisation,
    data: CommitteeData,
    members: Iterable[MemberData],
    number: int | None = None,
    user: User | None = None,
    ip: str | None = None,
) -> Committee:
    """A new order, numbered ที่ N/B.E. year: the next number of the calendar year it is issued
    (reports.numbering), or `number` when it was issued on paper."""
    number_year = thai.be_year(data.issued_on.year)
    number = number_take(
        organisation=organisation,
        series=NumberRegister.Series.ORDER,
        year=number_year,
        number=number,
    )
    committee = Committee.objects.create(
        organisation=organisation,
        number=number,
        number_year=number_year,
        **data.values(),
    )
    members = list(members)
    _members(committee, members)
    _audit_committee(AuditEvent.Action.CREATE, committee, None, members, user, ip)
    return committee


@transaction.atomic
def committee_update(
    *,
    committee: Committee,
    data: CommitteeData,
    members: Iterable[MemberData],
    user: User | None = None,
    ip: str | None = None,
) -> Committee:
    """Change an order's text and members; its number stays the one it was given.

    What it was comes from the database: a bound form has already set the new text on the
    object it was given."""
    before = committee_values(Committee.objects.get(pk=committee.pk), _member_rows(committee))
    for name, value in data.values().items():
        setattr(committee, name, value)
    committee.save()
    members = list(members)
    _members(committee, members)
    _audit_committee(AuditEvent.Action.UPDATE, committee, before, members, user, ip)
    return committee


def committee_values(committee: Committee, members: Iterable[MemberData]) -> dict[str, Any]:
    """What the audit trail keeps of an order: its text and its members, one line each."""
    return {
        **values_of(committee, COMMITTEE_FIELDS),
        "members": [" | ".join(getattr(m, f) for f in MEMBER_FIELDS) for m in members],
    }


def _member_rows(committee: Committee) -> list[MemberData]:
    return [
        MemberData(**{name: getattr(member, name) for name in MEMBER_FIELDS})
        for member in committee.members.order_by("order")
    ]


def _audit_committee(
    action: AuditEvent.Action,
    committee: Committee,
    before: dict[str, Any] | None,
    members: Iterable[MemberData],
    user: User | None,
    ip: str | None,
) -> None:
    after = committee_values(committee, members)
    if before is not None:
        changed = {name for name in after if before.get(name) != after[name]}
        if not changed:
            return
        before = {name: before[name] for name in changed}
        after = {name: after[name] for name in changed}
    audit(
        action=action,
        user=user,
        organisation_id=committee.organisation_id,
        obj=committee,
        summary=format_lazy(
            _("committee order {number}/{year}"),
            number=committee.number,
            year=committee.number_year,
        ),
        before=before,
        after=after,
        ip=ip,
    )
