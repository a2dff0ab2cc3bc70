"""LINE messages for the Celery workers: one push to the Messaging API, retried when LINE or the
network fails, so that a message a memo step sends arrives once LINE answers again."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request

from celery import shared_task
from celery.app.task import Task
from django.conf import settings

log = logging.getLogger(__name__)

# Tries after the first: with LINE_RETRY_SECONDS at 2, the last is about a minute later.
LINE_MAX_RETRIES = 5
LINE_TIMEOUT_SECONDS = 10


class LinePushFailed(Exception):
    """LINE did not take the message now (a network error, 429 or 5xx): worth trying again."""


def line_post(*, to: str, text: str, retry_key: str) -> None:
    """Push one text message. A refusal that a retry cannot mend (400 for an unknown ID, 401 for
    a wrong token) is logged and dropped; the retry key makes LINE take a repeat only once."""
    body = {"to": to, "messages": [{"type": "text", "text": text}]}
    request = urllib.request.Request(
        f"{settings.LINE_API_URL}/v2/bot/message/push",
        data=json.dumps(body, ensure_ascii=False).encode(),
        method="POST",
        headers={
            "Authorization": f"Bearer {settings.LINE_CHANNEL_ACCESS_TOKEN}",
            "Content-Type": "application/json; charset=utf-8",
            "X-Line-Retry-Key": retry_key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=LINE_TIMEOUT_SECONDS):
            return
    except urllib.error.HTTPError as error:
        if error.code == 409:  # a repeat of a push LINE already took (same retry key)
            return
        if error.code == 429 or error.code >= 500:
            raise LinePushFailed(f"HTTP {error.code}") from error
        detail = error.read()[:500].decode(errors="replace")
        log.error("LINE refused the message to %s: HTTP %s %s", to, error.code, detail)
    except (OSError, TimeoutError) as error:  # URLError is an OSError: refused, unreachable
        raise LinePushFailed(str(error)) from error


def retry_delay(retries: int) -> float:
    return float(settings.LINE_RETRY_SECONDS * 2**retries)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=LINE_MAX_RETRIES)
def line_push(self: Task, to: str, text: str, retry_key: str) -> str:
    """Push the message; on failure try again later, 1, 2, 4, 8, 16 delays on, then give up."""
    retries = self.request.retries
    if retries and self.request.is_eager:
        # Outside a worker Celery runs a retry at once: wait here as the worker would.
        time.sleep(retry_delay(retries - 1))
    try:
        line_post(to=to, text=text, retry_key=retry_key)
    except LinePushFailed as failure:
        if retries >= LINE_MAX_RETRIES:
            log.warning("LINE message to %s dropped after %d tries: %s", to, retries + 1, failure)
            return "dropped"
        log.info("LINE message to %s failed (%s), trying again", to, failure)
        raise self.retry(exc=failure, countdown=retry_delay(retries)) from failure
    return "sent"
