"""Memos (บันทึกข้อความ) and their approval chain: every write is one transaction.

The rules: a memo gets its reference (the organisation's letter code / the next number of its
register for the calendar year) when first submitted; only the person whose step is pending may
act, once; a returned memo is edited and resubmitted as a new version; after the decision the memo
and its attached documents are frozen, hashed and verifiable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import Organisation
from itaportal import thai
from itaportal.accounts.audit import audit, values_of
from itaportal.accounts.models import AuditEvent, User
from reports.memos.models import (
    DEFAULT_CLOSING,
    STEP_STATUS_AFTER,
    FrozenAttachment,
    Memo,
    MemoAction,
    MemoEvent,
    MemoStep,
    MemoVersion,
)
from reports.memos.notify import step_notify
from reports.numbering import NumberRegister, number_take


@dataclass(frozen=True)
class MemoContent:
    """What a memo says, as its drafter writes it: kept for each version and hashed when decided.
    The form requires what a memo cannot do without; the defaults are a new memo's."""

    unit: str = ""
    subject: str = ""
    addressee: str = ""
    background: str = ""
    facts: str = ""
    considerations: str = ""
    proposal: str = ""
    closing: str = DEFAULT_CLOSING
    drafter_name: str = ""
    drafter_position: str = ""
    # the organisation's documents that go with it: [{"kind": "plan", "year": 2568}, …]
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, memo: Memo) -> MemoContent:
        return cls(**{name: getattr(memo, name) for name in CONTENT_FIELDS})

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


CONTENT_FIELDS = tuple(item.name for item in fields(MemoContent))


# Renders an attached document (organisation, kind, year) as the PDF bytes to freeze.
AttachmentRenderer = Callable[[Organisation, str, int], bytes]


class MemoRefused(Exception):
    """The action is not this person's to take now; the message says why, in Thai."""


@dataclass(frozen=True)
class RouteStep:
    user: User
    acting_title: str = ""


# How each step of a memo's own history reads in the organisation's audit trail.
AUDIT_ACTION_OF = {
    MemoEvent.Action.CREATE: AuditEvent.Action.CREATE,
    MemoEvent.Action.EDIT: AuditEvent.Action.UPDATE,
    MemoEvent.Action.SUBMIT: AuditEvent.Action.SUBMIT,
    MemoEvent.Action.FORWARD: AuditEvent.Action.FORWARD,
    MemoEvent.Action.RETURN: AuditEvent.Action.RETURN,
    MemoEvent.Action.APPROVE: AuditEvent.Action.APPROVE,
    MemoEvent.Action.REJECT: AuditEvent.Action.REJECT,
}


def _event(
    memo: Memo,
    user: User | None,
    action: MemoEvent.Action,
    ip: str | None,
    detail: str = "",
    before: dict[str, Any] | None = None,
) -> None:
    """The memo's own history (its page), and the one entry of the organisation's audit trail.

    A draft or an edit keeps its content before and after; a step of the chain, the status.
    """
    MemoEvent.objects.create(memo=memo, user=user, action=action, ip=ip, detail=detail)
    writes = action in (MemoEvent.Action.CREATE, MemoEvent.Action.EDIT)
    audit(
        action=AUDIT_ACTION_OF[action],
        user=user,
        organisation_id=memo.organisation_id,
        obj=memo,
        summary=format_lazy(
            gettext_lazy("memo {reference} “{subject}”"),
            reference=memo.reference,
            subject=memo.subject,
        ),
        before=before,
        after=values_of(memo, CONTENT_FIELDS) if writes else values_of(memo, ["status"]),
        ip=ip,
    )


@transaction.atomic
def memo_create(
    *, organisation: Organisation, drafter: User, data: MemoContent, ip: str | None
) -> Memo:
    memo = Memo.objects.create(organisation=organisation, drafter=drafter, **data.values())
    _event(memo, drafter, MemoEvent.Action.CREATE, ip)
    return memo


@transaction.atomic
def memo_edit(*, memo: Memo, user: User, data: MemoContent, ip: str | None) -> Memo:
    locked = Memo.objects.select_for_update().get(pk=memo.pk)
    if not locked.is_editable or user.pk != locked.drafter_id:
        raise MemoRefused(_("Only the drafter edits a memo, and only before it is decided."))
    before = values_of(locked, CONTENT_FIELDS)
    for name, value in data.values().items():
        setattr(locked, name, value)
    locked.save()
    _event(locked, user, MemoEvent.Action.EDIT, ip, before=before)
    return locked


def reference_of(organisation: Organisation, number: int) -> str:
    code = organisation.letter_code.strip()
    text = f"{code}/{number}" if code else str(number)
    return thai.digits(text, organisation.uses_thai_digits)


def memo_assign_number(*, memo: Memo, today: dt.date, number: int | None = None) -> None:
    """Give the memo its reference (inside the caller's transaction)."""
    year = thai.be_year(today.year)
    number = number_take(
        organisation=memo.organisation, series=NumberRegister.Series.MEMO, year=year, number=number
    )
    memo.number, memo.number_year, memo.dated = number, year, today
    memo.reference = reference_of(memo.organisation, number)


@transaction.atomic
def memo_submit(
    *, memo: Memo, user: User, route: Sequence[RouteStep], ip: str | None, today: dt.date
) -> Memo:
    """Send the memo (or its new version) along the route; the last person decides."""
    locked = Memo.objects.select_for_update().get(pk=memo.pk)
    if user.pk != locked.drafter_id or not locked.is_editable:
        raise MemoRefused(_("Only the drafter submits a draft or a returned memo."))
    if not route:
        raise MemoRefused(_("Choose at least the person who decides."))
    if any(step.user.organisation_id != locked.organisation_id for step in route):
        raise MemoRefused(_("Everyone in the chain must belong to the organisation."))
    before = values_of(locked, ["status"])
    if locked.status == Memo.Status.RETURNED:
        locked.version += 1
    if locked.number is None:
        memo_assign_number(memo=locked, today=today)
    MemoVersion.objects.create(
        memo=locked, version=locked.version, content=MemoContent.of(locked).values()
    )
    MemoStep.objects.bulk_create(
        MemoStep(
            memo=locked,
            version=locked.version,
            order=i,
            user=step.user,
            position=step.user.position,
            acting_title=step.acting_title,
            kind=MemoStep.Kind.DECIDE if i == len(route) - 1 else MemoStep.Kind.REVIEW,
            status=MemoStep.Status.PENDING if i == 0 else MemoStep.Status.WAITING,
        )
        for i, step in enumerate(route)
    )
    locked.status = Memo.Status.IN_REVIEW
    locked.save()
    _event(
        locked,
        user,
        MemoEvent.Action.SUBMIT,
        ip,
        f"v{locked.version} {locked.reference}",
        before=before,
    )
    _notify(route[0].user, locked, _("A memo awaits your opinion"))
    return locked


def current_step(memo: Memo) -> MemoStep | None:
    return memo.steps.filter(version=memo.version, status=MemoStep.Status.PENDING).first()


@transaction.atomic
def memo_act(
    *,
    memo: Memo,
    user: User,
    action: MemoAction,
    opinion: str,
    ip: str | None,
    attachment_renderer: AttachmentRenderer | None = None,
) -> Memo:
    """Forward, return, approve or reject: only the pending step's person, and only once.

    The step is claimed with one conditional UPDATE, so a double click or a second tab finds it
    already taken and is refused.
    """
    locked = Memo.objects.select_for_update().get(pk=memo.pk)
    step = current_step(locked)
    if step is None or step.user_id != user.pk:
        raise MemoRefused(_("It is not your turn to act on this memo."))
    if action not in step.actions:
        raise MemoRefused(_("This action is not open at this step."))
    if action.needs_reason and not opinion.strip():
        raise MemoRefused(_("Give the reason."))
    before = values_of(locked, ["status"])
    claimed = MemoStep.objects.filter(pk=step.pk, status=MemoStep.Status.PENDING).update(
        status=STEP_STATUS_AFTER[action], opinion=opinion.strip(), acted_at=timezone.now()
    )
    if not claimed:
        raise MemoRefused(_("This step was already acted on."))
    later = locked.steps.filter(version=locked.version, order__gt=step.order)
    if action == MemoAction.FORWARD:
        following = later.order_by("order").first()
        assert following is not None, "a review step is never the last"
        following.status = MemoStep.Status.PENDING
        following.save(update_fields=["status"])
        _notify(following.user, locked, _("A memo awaits your opinion"))
    elif action == MemoAction.RETURN:
        later.update(status=MemoStep.Status.CANCELLED)
        locked.status = Memo.Status.RETURNED
        locked.save(update_fields=["status", "updated_at"])
        _notify(locked.drafter, locked, _("Your memo was returned for changes"))
    else:
        locked.status = (
            Memo.Status.APPROVED if action == MemoAction.APPROVE else Memo.Status.REJECTED
        )
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        memo_freeze(memo=locked, attachment_renderer=attachment_renderer)
        _notify(locked.drafter, locked, _("Your memo was decided"))
    _event(locked, user, MemoEvent.Action(action.value), ip, opinion.strip(), before=before)
    return locked


def memo_freeze(*, memo: Memo, attachment_renderer: AttachmentRenderer | None) -> None:
    """Keep the attached documents as they stand now, and hash what was decided."""
    digests = []
    for item in memo.attachments:
        if attachment_renderer is None:
            break
        pdf = attachment_renderer(memo.organisation, item["kind"], int(item["year"]))
        digest = hashlib.sha256(pdf).hexdigest()
        attachment = FrozenAttachment(
            memo=memo, kind=item["kind"], year=item["year"], sha256=digest
        )
        attachment.pdf.save(f"memo-{memo.pk}-{item['kind']}-{item['year']}.pdf", ContentFile(pdf))
        digests.append(digest)
    memo.content_hash = content_hash(memo, digests)
    memo.verification_code = secrets.token_hex(4).upper()
    memo.save(update_fields=["content_hash", "verification_code"])


def content_hash(memo: Memo, attachment_digests: Sequence[str]) -> str:
    steps = [
        [s.order, s.user_id, s.acting_title, s.status, s.opinion]
        for s in memo.steps.filter(version=memo.version).order_by("order")
    ]
    payload = {
        "reference": memo.reference,
        "dated": memo.dated.isoformat() if memo.dated else None,
        "content": MemoContent.of(memo).values(),
        "steps": steps,
        "status": memo.status,
        "attachments": list(attachment_digests),
    }
    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def _notify(user: User, memo: Memo, subject: str) -> None:
    step_notify(user=user, memo=memo, subject=subject)
