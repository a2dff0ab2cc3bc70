"""Telling the next person that a memo waits for them: an e-mail and a LINE message.

Both leave once the memo's transaction has committed, and neither can undo or fail the action
that sent them: a failed e-mail is logged, a LINE message is pushed by a Celery task that retries
(reports.memos.tasks), in a thread of the web process when there are no workers or the broker is
down.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections, transaction
from django.urls import reverse

from itaportal import thai
from itaportal.accounts.models import User
from reports.memos.models import Memo
from reports.memos.tasks import line_push

log = logging.getLogger(__name__)


def step_notify(*, user: User, memo: Memo, subject: str) -> None:
    """E-mail `user` (when they have an address) and push to their LINE ID (when they have one and
    a channel token is set), after the caller's transaction commits."""
    url = settings.SITE_URL + reverse("reports:memo_detail", args=[memo.pk])
    # The subject as typed, its digits in the organisation's style, as the memo prints it.
    uses_thai = memo.organisation.uses_thai_digits
    memo_subject = thai.typed_digits(memo.subject, uses_thai)
    named = f"{thai.typed_digits(memo.reference, uses_thai)} {memo_subject}".strip()
    if user.email:
        email = user.email
        transaction.on_commit(
            lambda: send_mail(
                subject=f"{subject}: {memo_subject}",
                message=f"{named}\n{url}",
                from_email=None,
                recipient_list=[email],
            ),
            robust=True,  # a mail server that refuses is logged; the memo action stands
        )
    if user.line_id and settings.LINE_CHANNEL_ACCESS_TOKEN:
        text = f"{subject}\n{named}\n{url}"
        args = (user.line_id, text, str(uuid.uuid4()))
        transaction.on_commit(lambda: line_send(*args), robust=True)


def line_send(to: str, text: str, retry_key: str) -> None:
    """Hand the push to the workers, or run it here (LINE_RUNNER); never raises."""
    args = (to, text, retry_key)
    runner = settings.LINE_RUNNER
    if runner == "celery":
        try:
            line_push.apply_async(args=args, retry=True, retry_policy={"max_retries": 1})
            return
        except Exception as error:  # the broker is down: kombu's OperationalError or a socket's
            log.warning("Task broker unreachable, sending LINE from the web process: %s", error)
    if runner == "now":
        _apply(args)
    else:
        threading.Thread(
            target=_apply_in_thread, args=(args,), name="line-push", daemon=True
        ).start()


def _apply(args: tuple[Any, ...]) -> None:
    try:
        line_push.apply(args=args)
    except Exception:
        log.exception("LINE message to %s not sent", args[0])


def _apply_in_thread(args: tuple[Any, ...]) -> None:
    try:
        _apply(args)
    finally:
        connections.close_all()  # the thread's own connections, if anything opened one
