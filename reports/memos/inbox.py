"""What waits for a person: the count on the menu's badge, and the inbox's rows with when each
memo reached them, from whom, and how long it has waited.

A memo reaches a step's person when the step before it was acted on, or, for the first step,
when the drafter submitted that version: both are read from the steps and versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from itaportal import thai
from itaportal.accounts.models import User
from reports.memos.models import Memo, MemoStep, MemoVersion


@dataclass(frozen=True)
class Waiting:
    """The number on the menu's badge, written in the organisation's digits."""

    count: int
    thai_digits: bool

    def __bool__(self) -> bool:
        return self.count > 0

    def __str__(self) -> str:
        return thai.digits(self.count, self.thai_digits)


# The steps waiting for one person (MemoStep's table and columns; the query-count and menu tests
# run it on SQLite and PostgreSQL).
PENDING_STEPS_SQL = "SELECT COUNT(*) FROM reports_memostep WHERE user_id = %s AND status = %s"


def awaiting_count(user: User) -> Waiting:
    """The memos whose pending step is this person's: one plain count over the steps' user
    index, on every page with the menu; the organisation's digits are read only when some wait
    (a second query, which the page's digits then reuse: itaportal.language), since an empty
    badge shows no digit.

    The count is written in SQL: the ORM's `.filter(...).count()` spent 0.47 ms of CPU building
    it, this 0.1 ms, on nearly every page anyone opens (bench/README.md, session 35)."""
    if user.organisation_id is None:
        return Waiting(0, True)
    with connection.cursor() as cursor:
        cursor.execute(PENDING_STEPS_SQL, [user.pk, MemoStep.Status.PENDING])
        (count,) = cursor.fetchone()
    if not count:
        return Waiting(0, True)
    return Waiting(count, user.uses_thai_digits)


@dataclass(frozen=True)
class Awaiting:
    memo: Memo
    arrived: dt.datetime
    sender: User
    days: int  # whole days waited, by the calendar: 0 when it arrived today


def awaiting_for(user: User, *, today: dt.date | None = None) -> list[Awaiting]:
    """The memos waiting for `user`, the longest-waiting first (two queries)."""
    today = today or timezone.localdate()
    # Each subquery matches one row: unordered, since the default orderings (by memo, whose own
    # is by date) would join the memos into every one of them.
    before = MemoStep.objects.filter(
        memo=OuterRef("memo"), version=OuterRef("version"), order=OuterRef("order") - 1
    ).order_by()
    submitted = MemoVersion.objects.filter(
        memo=OuterRef("memo"), version=OuterRef("version")
    ).order_by()
    steps = list(
        MemoStep.objects.filter(user_id=user.pk, status=MemoStep.Status.PENDING)
        .annotate(
            previous_at=Subquery(before.values("acted_at")[:1]),
            previous_user=Subquery(before.values("user_id")[:1]),
            submitted_at=Subquery(submitted.values("submitted_at")[:1]),
        )
        .select_related("memo__organisation", "memo__drafter")
        .only(
            "order",
            "memo__reference",
            "memo__subject",
            "memo__created_at",
            "memo__organisation__digit_style",
            "memo__drafter__first_name",
            "memo__drafter__last_name",
            "memo__drafter__username",
        )
    )
    sender_ids = {s.previous_user for s in steps if s.previous_user is not None}  # type: ignore[attr-defined]
    senders = {u.pk: u for u in User.objects.filter(pk__in=sender_ids)}
    rows = []
    for step in steps:
        arrived = step.previous_at or step.submitted_at or step.memo.created_at  # type: ignore[attr-defined]
        sender = senders.get(step.previous_user, step.memo.drafter)  # type: ignore[attr-defined]
        days = (today - timezone.localtime(arrived).date()).days
        rows.append(Awaiting(step.memo, arrived, sender, max(days, 0)))
    rows.sort(key=lambda row: row.arrived)
    return rows
