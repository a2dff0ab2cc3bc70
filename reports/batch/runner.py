"""How a batch task runs: on the Celery workers, in a thread of the web process, or at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import connections

_executor: ThreadPoolExecutor | None = None


def _in_thread(task: Any, args: tuple[Any, ...]) -> None:
    try:
        task.apply(args=args)
    finally:
        connections.close_all()  # the thread's own connections


def run_task(task: Any, *args: Any) -> None:
    """Send a task to the Celery workers, or, without a broker, run it in this process.

    BATCH_RUNNER "celery" queues it on Redis; "thread" runs it in a background thread of the web
    process (the embedded default, one document at a time); "now" runs it at once (tests).
    """
    global _executor
    runner = settings.BATCH_RUNNER
    if runner == "celery":
        task.delay(*args)
    elif runner == "thread":
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-printing")
        _executor.submit(_in_thread, task, args)
    else:
        task.apply(args=args)
