"""itaportal.cache against a real Redis server: it behaves as Django's Redis cache and keeps one
client per process instead of building one for each operation."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from itaportal.cache import RedisCache


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


def test_it_stores_and_expires_like_djangos_redis_cache(redis_url: str) -> None:
    cache = RedisCache(redis_url, {})
    cache.set("page", "<p>หน้า</p>", 60)
    cache.set_many({"a": 1, "b": [2, 3]}, 60)
    assert cache.get("page") == "<p>หน้า</p>"
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [2, 3]}
    assert cache.incr("a") == 2
    cache.delete("page")
    assert cache.get("page") is None
    cache.set("short", "x", 1)
    time.sleep(1.2)
    assert cache.get("short") is None
    cache.clear()
    assert cache.get("a") is None


def test_it_builds_one_client_for_many_operations(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page reads the cache several times: building a redis.Redis each time costs CPU."""
    built: list[redis.Redis] = []
    build = redis.Redis.__init__

    def counting(self: redis.Redis, *args: Any, **kwargs: Any) -> None:
        built.append(self)
        build(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    cache = RedisCache(redis_url, {})
    for n in range(20):
        cache.set(f"page-{n}", n, 60)
        assert cache.get(f"page-{n}") == n
    assert cache.get_many(["page-0", "page-1"]) == {"page-0": 0, "page-1": 1}
    assert len(built) <= 2  # one for writing, one for reading
