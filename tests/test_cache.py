"""The one thing the processes share through Redis (Django's own Redis cache): the verification
page's count of lookups per address, against a real Redis server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from reports.memos.verification import lookup_allowed


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: scripts/portal test installs it"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder: Path = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def test_lookups_are_counted_once_for_every_process(redis_url: str, settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url}}  # fmt: skip
    settings.VERIFY_LOOKUPS_PER_WINDOW = 30
    request = RequestFactory().get("/verify/", REMOTE_ADDR="203.0.113.50")
    answers = [lookup_allowed(request) for _ in range(31)]
    assert answers == [True] * 30 + [False]
    another_process = RedisCache(redis_url, {})
    assert another_process.get("verify-lookups:203.0.113.50") == 31
    another_process.clear()
