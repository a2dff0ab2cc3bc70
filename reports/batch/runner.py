"""How a batch task runs: on the Celery workers, in a thread of the web process, or at once."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import connections
from kombu.exceptions import OperationalError

log = logging.getLogger(__name__)
# Once the broker has failed, tasks go straight to the web process for this long: a national
# batch queues thousands of tasks, and each would otherwise wait for the broker's refusal.
BROKER_RETRY_AFTER_SECONDS = 30
_executor: ThreadPoolExecutor | None = None
_broker_down_until = 0.0
_lock = threading.Lock()


def _in_thread(task: Any, args: tuple[Any, ...]) -> None:
    try:
        task.apply(args=args)
    finally:
        connections.close_all()  # the thread's own connections


def _in_background(task: Any, args: tuple[Any, ...]) -> None:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-printing")
    _executor.submit(_in_thread, task, args)


def _send_to_workers(task: Any, args: tuple[Any, ...]) -> bool:
    """Queue the task on the broker; False when the broker cannot be reached."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        task.apply_async(args=args, retry=True, retry_policy={"max_retries": 1})
    except OperationalError as error:
        with _lock:
            first = time.monotonic() >= _broker_down_until
            _broker_down_until = time.monotonic() + BROKER_RETRY_AFTER_SECONDS
        if first:
            log.warning("Task broker unreachable, printing in the web process: %s", error)
        return False
    return True


def run_task(task: Any, *args: Any) -> None:
    """Send a task to the Celery workers, or, without a broker, run it in this process.

    BATCH_RUNNER "celery" queues it on Redis; "thread" runs it in a background thread of the web
    process (the embedded default, one document at a time); "now" runs it at once (tests).
    When Redis is down, "celery" falls back to "thread": the batch prints in the web process,
    as without Redis, instead of the request failing (README, "Batch printing").
    """
    runner = settings.BATCH_RUNNER
    if runner == "celery":
        if not _send_to_workers(task, args):
            _in_background(task, args)
    elif runner == "thread":
        _in_background(task, args)
    else:
        task.apply(args=args)
