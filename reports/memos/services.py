"""Memos (บันทึกข้อความ) and their approval chain: every write is one transaction.

The rules: a memo gets its reference (the organisation's letter code / the next number of its
register for the calendar year) when first submitted; the route follows the organisation's
approval policy (the last person may decide, the others may review, no one twice, no one from
outside); only the person whose step is pending may act, once; the drafter may recall the memo
until the first opinion; a returned or recalled memo is edited and resubmitted as a new version;
at the decision the memo and its attached documents are printed once, stored and hashed, and
those bytes are what is served from then on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
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
from itaportal.accounts.models import AuditEvent, Role, User
from reports.memos.document import render_attachment, render_memo
from reports.memos.models import (
    DEFAULT_CLOSING,
    STEP_STATUS_AFTER,
    ActingDecider,
    ActingTitle,
    ApprovalPolicy,
    FrozenAttachment,
    Memo,
    MemoAction,
    MemoEvent,
    MemoStep,
    MemoVersion,
)
from reports.memos.notify import step_notify
from reports.memos.verification import new_verification_code
from reports.numbering import NumberRegister, number_take

logger = logging.getLogger(__name__)


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
# Renders the memo with its chain as it will stand as the PDF bytes to keep.
MemoRenderer = Callable[[Memo, Sequence[MemoStep]], bytes]


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
    MemoEvent.Action.RECALL: AuditEvent.Action.UPDATE,
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


def _name(user: User) -> str:
    return user.get_full_name() or user.get_username()


def route_check(
    *, memo: Memo, policy: ApprovalPolicy, route: Sequence[RouteStep]
) -> list[RouteStep]:
    """The route as the policy allows it, the decider's acting words filled in; refused with the
    first problem, named, otherwise."""
    if not route:
        raise MemoRefused(_("Choose at least the person who decides."))
    if len(route) > policy.max_steps:
        raise MemoRefused(
            _("The route has %(count)s people; this organisation allows at most %(most)s.")
            % {
                "count": thai.digits(str(len(route)), memo.organisation.uses_thai_digits),
                "most": thai.digits(str(policy.max_steps), memo.organisation.uses_thai_digits),
            }
        )
    seen: set[int] = set()
    for step in route:
        person = step.user
        if person.organisation_id != memo.organisation_id:
            raise MemoRefused(
                _("%(name)s is not a member of this organisation.") % {"name": _name(person)}
            )
        if not person.is_active:
            raise MemoRefused(_("%(name)s can no longer sign in.") % {"name": _name(person)})
        if person.pk == memo.drafter_id:
            raise MemoRefused(_("The drafter cannot review or decide their own memo."))
        if person.pk in seen:
            raise MemoRefused(
                _("%(name)s appears more than once in the route.") % {"name": _name(person)}
            )
        seen.add(person.pk)
    *reviewers, decider = route
    for step in reviewers:
        if not policy.may_review(step.user):
            raise MemoRefused(
                _(
                    "%(name)s (%(role)s) may not review memos: this organisation's approval "
                    "policy lets only these roles review: %(roles)s."
                )
                % {
                    "name": _name(step.user),
                    "role": step.user.get_role_display(),
                    "roles": ", ".join(str(Role(r).label) for r in policy.review_roles) or "–",
                }
            )
    title = policy.decider_title(decider.user)
    if title is None:
        raise MemoRefused(
            _(
                "%(name)s (%(role)s) cannot decide: the last person in the route must be the "
                "executive or a person the approval policy names to act in the executive's place."
            )
            % {"name": _name(decider.user), "role": decider.user.get_role_display()}
        )
    return [*reviewers, RouteStep(decider.user, title)]


def addressee_for(organisation: Organisation, decider: User) -> str:
    """The memo is addressed to the executive's office, whoever signs in its place."""
    return organisation.executive_title or decider.position or str(decider.get_role_display())


@transaction.atomic
def memo_submit(
    *, memo: Memo, user: User, route: Sequence[RouteStep], ip: str | None, today: dt.date
) -> Memo:
    """Send the memo (or its new version) along the route; the last person decides."""
    locked = Memo.objects.select_for_update().select_related("organisation").get(pk=memo.pk)
    if user.pk != locked.drafter_id or not locked.is_editable:
        raise MemoRefused(_("Only the drafter submits a draft or a returned memo."))
    route = route_check(memo=locked, policy=ApprovalPolicy.of(locked.organisation), route=route)
    before = values_of(locked, ["status"])
    if locked.status in (Memo.Status.RETURNED, Memo.Status.RECALLED):
        locked.version += 1
    if locked.number is None:
        memo_assign_number(memo=locked, today=today)
    locked.addressee = addressee_for(locked.organisation, route[-1].user)
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


@transaction.atomic
def memo_recall(*, memo: Memo, user: User, ip: str | None) -> Memo:
    """The drafter takes a submitted memo back to edit it, until someone has given an opinion."""
    locked = Memo.objects.select_for_update().get(pk=memo.pk)
    if user.pk != locked.drafter_id:
        raise MemoRefused(_("Only the drafter recalls a memo."))
    if locked.status != Memo.Status.IN_REVIEW:
        raise MemoRefused(_("Only a memo under review can be recalled."))
    steps = locked.steps.filter(version=locked.version)
    if steps.exclude(status__in=[MemoStep.Status.PENDING, MemoStep.Status.WAITING]).exists():
        raise MemoRefused(
            _(
                "An opinion has already been given on this memo, so it can no longer be "
                "recalled: ask the person whose turn it is to return it to you."
            )
        )
    before = values_of(locked, ["status"])
    steps.update(status=MemoStep.Status.CANCELLED)
    locked.status = Memo.Status.RECALLED
    locked.save(update_fields=["status", "updated_at"])
    _event(locked, user, MemoEvent.Action.RECALL, ip, f"v{locked.version}", before=before)
    return locked


def current_step(memo: Memo) -> MemoStep | None:
    return memo.steps.filter(version=memo.version, status=MemoStep.Status.PENDING).first()


DECISIONS = (MemoAction.APPROVE, MemoAction.REJECT)


def _turn(memo: Memo, user: User, action: MemoAction, opinion: str) -> MemoStep:
    """The pending step, if it is `user`'s and `action` is open at it."""
    step = current_step(memo) if memo.status == Memo.Status.IN_REVIEW else None
    if step is None or step.user_id != user.pk:
        raise MemoRefused(_("It is not your turn to act on this memo."))
    if action not in step.actions:
        raise MemoRefused(_("This action is not open at this step."))
    if action.needs_reason and not opinion:
        raise MemoRefused(_("Give the reason."))
    return step


def _decider_title(memo: Memo, user: User) -> str:
    """How `user` signs the decision under today's policy; refused if they may not decide."""
    title = ApprovalPolicy.of(memo.organisation).decider_title(user)
    if title is None:
        raise MemoRefused(
            _(
                "You may not decide this organisation's memos: only the executive or a person "
                "the approval policy names to act in the executive's place decides. Return the "
                "memo to the drafter to change its route."
            )
        )
    return title


def memo_act(
    *,
    memo: Memo,
    user: User,
    action: MemoAction,
    opinion: str,
    ip: str | None,
    attachment_renderer: AttachmentRenderer = render_attachment,
    memo_renderer: MemoRenderer = render_memo,
) -> Memo:
    """Forward, return, approve or reject: only the pending step's person, and only once.

    The step is claimed with one conditional UPDATE, so a double click or a second tab finds it
    already taken and is refused. A decision is printed before the memo is locked (see
    _memo_decide).
    """
    opinion = opinion.strip()
    if action in DECISIONS:
        return _memo_decide(
            memo=memo,
            user=user,
            action=action,
            opinion=opinion,
            ip=ip,
            attachment_renderer=attachment_renderer,
            memo_renderer=memo_renderer,
        )
    return _memo_pass(memo=memo, user=user, action=action, opinion=opinion, ip=ip)


@transaction.atomic
def _memo_pass(*, memo: Memo, user: User, action: MemoAction, opinion: str, ip: str | None) -> Memo:
    """Forward to the next person, or return to the drafter (from any step, the last too)."""
    locked = Memo.objects.select_for_update().get(pk=memo.pk)
    step = _turn(locked, user, action, opinion)
    before = values_of(locked, ["status"])
    claimed = MemoStep.objects.filter(pk=step.pk, status=MemoStep.Status.PENDING).update(
        status=STEP_STATUS_AFTER[action], opinion=opinion, acted_at=timezone.now()
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
    else:
        later.update(status=MemoStep.Status.CANCELLED)
        locked.status = Memo.Status.RETURNED
        locked.save(update_fields=["status", "updated_at"])
        _notify(locked.drafter, locked, _("Your memo was returned for changes"))
    _event(locked, user, MemoEvent.Action(action.value), ip, opinion, before=before)
    return locked


@dataclass(frozen=True)
class DecidedRecord:
    """The decided memo as printed, and its attachments, rendered before anything is written."""

    pdf: bytes
    content_hash: str
    verification_code: str
    attachments: list[tuple[str, int, bytes]]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decided_record(
    *,
    memo: Memo,
    steps: Sequence[MemoStep],
    attachment_renderer: AttachmentRenderer,
    memo_renderer: MemoRenderer,
) -> DecidedRecord:
    """Print `memo` (already carrying its decision) with its chain `steps` and its attachments:
    the bytes that will be kept. Writes nothing."""
    attachments = [
        (
            str(item["kind"]),
            int(item["year"]),
            attachment_renderer(memo.organisation, item["kind"], int(item["year"])),
        )
        for item in memo.attachments
    ]
    memo.content_hash = content_hash(memo, steps, [_sha256(pdf) for _k, _y, pdf in attachments])
    memo.verification_code = new_verification_code()
    return DecidedRecord(
        pdf=memo_renderer(memo, steps),
        content_hash=memo.content_hash,
        verification_code=memo.verification_code,
        attachments=attachments,
    )


def decided_record_store(*, memo: Memo, record: DecidedRecord) -> None:
    """Keep the printed bytes and their hashes (inside the caller's transaction)."""
    for kind, year, pdf in record.attachments:
        frozen = FrozenAttachment(memo=memo, kind=kind, year=year, sha256=_sha256(pdf))
        frozen.pdf.save(f"memo-{memo.pk}-{kind}-{year}.pdf", ContentFile(pdf))
    memo.approved_pdf.save(f"memo-{memo.pk}.pdf", ContentFile(record.pdf), save=False)
    memo.approved_pdf_sha256 = _sha256(record.pdf)
    memo.content_hash = record.content_hash
    memo.verification_code = record.verification_code
    memo.save(
        update_fields=[
            "approved_pdf",
            "approved_pdf_sha256",
            "content_hash",
            "verification_code",
        ]
    )


def _memo_decide(
    *,
    memo: Memo,
    user: User,
    action: MemoAction,
    opinion: str,
    ip: str | None,
    attachment_renderer: AttachmentRenderer,
    memo_renderer: MemoRenderer,
) -> Memo:
    """Approve or reject: print the decided memo first, from the memo as it stands and the
    decision being made, with no lock held; then, locked, check that nothing moved meanwhile and
    record the decision with the printed bytes. A failure to print changes nothing."""
    ahead = Memo.objects.select_related("organisation").get(pk=memo.pk)
    step = _turn(ahead, user, action, opinion)
    title = _decider_title(ahead, user)
    now = timezone.now()
    steps = list(
        ahead.steps.filter(version=ahead.version)
        .exclude(status=MemoStep.Status.CANCELLED)
        .select_related("user")
        .order_by("order")
    )
    for s in steps:
        if s.pk == step.pk:
            s.status, s.opinion, s.acted_at, s.acting_title = (
                STEP_STATUS_AFTER[action], opinion, now, title
            )  # fmt: skip
    ahead.status = Memo.Status.APPROVED if action == MemoAction.APPROVE else Memo.Status.REJECTED
    ahead.decided_at = now
    try:
        record = decided_record(
            memo=ahead,
            steps=steps,
            attachment_renderer=attachment_renderer,
            memo_renderer=memo_renderer,
        )
    except Exception as error:  # WeasyPrint, a missing document, a full disk: all the same here
        logger.exception("memo %s: the decided memo could not be printed", memo.pk)
        raise MemoRefused(
            _(
                "The decided memo could not be printed, so your decision was not recorded and "
                "the memo waits as before. Please try again in a moment."
            )
        ) from error
    with transaction.atomic():
        locked = Memo.objects.select_for_update().select_related("organisation").get(pk=memo.pk)
        if locked.version != ahead.version or _turn(locked, user, action, opinion).pk != step.pk:
            raise MemoRefused(_("This step was already acted on."))
        if _decider_title(locked, user) != title:
            raise MemoRefused(_("The approval policy changed meanwhile: please decide again."))
        before = values_of(locked, ["status"])
        claimed = MemoStep.objects.filter(pk=step.pk, status=MemoStep.Status.PENDING).update(
            status=STEP_STATUS_AFTER[action], opinion=opinion, acted_at=now, acting_title=title
        )
        if not claimed:
            raise MemoRefused(_("This step was already acted on."))
        locked.status, locked.decided_at = ahead.status, now
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        decided_record_store(memo=locked, record=record)
        _notify(locked.drafter, locked, _("Your memo was decided"))
        _event(locked, user, MemoEvent.Action(action.value), ip, opinion, before=before)
    return locked


def memo_freeze(
    *,
    memo: Memo,
    attachment_renderer: AttachmentRenderer = render_attachment,
    memo_renderer: MemoRenderer = render_memo,
) -> None:
    """Print and keep a memo already recorded as decided (the demo's seed memos)."""
    steps = list(
        memo.steps.filter(version=memo.version)
        .exclude(status=MemoStep.Status.CANCELLED)
        .select_related("user")
        .order_by("order")
    )
    record = decided_record(
        memo=memo, steps=steps, attachment_renderer=attachment_renderer, memo_renderer=memo_renderer
    )
    decided_record_store(memo=memo, record=record)


def content_hash(memo: Memo, steps: Sequence[MemoStep], attachment_digests: Sequence[str]) -> str:
    payload = {
        "reference": memo.reference,
        "dated": memo.dated.isoformat() if memo.dated else None,
        "content": MemoContent.of(memo).values(),
        "steps": [[s.order, s.user_id, s.acting_title, s.status, s.opinion] for s in steps],
        "status": memo.status,
        "attachments": list(attachment_digests),
    }
    return hashlib.sha256(
        json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()


def _policy_values(policy: ApprovalPolicy) -> dict[str, Any]:
    return {
        **values_of(policy, ["review_roles", "max_steps"]),
        "acting_deciders": [
            f"{a.user.get_full_name() or a.user.get_username()} {a.title}" for a in policy.acting()
        ],
    }


@transaction.atomic
def approval_policy_save(
    *,
    policy: ApprovalPolicy,
    user: User,
    review_roles: Sequence[str],
    max_steps: int,
    acting: Sequence[tuple[User, ActingTitle]],
    ip: str | None,
) -> ApprovalPolicy:
    """Replace the organisation's approval policy; memos already under way are held to the new
    one when their decision is made."""
    locked, _created = ApprovalPolicy.objects.select_for_update().get_or_create(
        organisation_id=policy.organisation_id
    )
    if any(person.organisation_id != locked.organisation_id for person, _title in acting):
        raise MemoRefused(
            _("Only members of the organisation may decide in its executive's place.")
        )
    before = _policy_values(locked)
    locked.review_roles = [str(Role(role)) for role in review_roles]
    locked.max_steps = max_steps
    locked.full_clean()
    locked.save()
    locked.acting_deciders.all().delete()
    ActingDecider.objects.bulk_create(
        ActingDecider(policy=locked, user=person, title=title) for person, title in acting
    )
    audit(
        action=AuditEvent.Action.UPDATE,
        user=user,
        organisation_id=locked.organisation_id,
        obj=locked,
        summary=format_lazy(
            gettext_lazy("approval policy of {organisation}"), organisation=locked.organisation
        ),
        before=before,
        after=_policy_values(locked),
        ip=ip,
    )
    return locked


def _notify(user: User, memo: Memo, subject: str) -> None:
    step_notify(user=user, memo=memo, subject=subject)
