"""Where a page's time goes: the benchmark's pages through Django's test client, in one process.

    .venv/bin/python bench/profile_pages.py [--organisations N] [--requests 30] [--top 12]

Uses the data set that `bench/http_load.py` (same --organisations) left in
/tmp/itaportal-bench-http-N: starts that PostgreSQL cluster, sets the production settings up in
this process, logs each persona in (force_login: no password hashing) and requests each page
--requests times after one warm-up request. Per page it splits the time between SQL (count and
time of the queries), template rendering (less the SQL run from inside templates), the session
save and the rest of Python, lists the costliest statements and the project's functions with the
most cumulative time (cProfile). It measures one request at a time: what a page costs, not how it
behaves under concurrency (http_load.py says that).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_load import REUSE_ROOT, Page, default_pages, parse_page
from bench.servers import PG_DURABLE, ROOT, Postgres, note, redis_server, step, stop_on_signals

PROFILED_REQUESTS = 10
NUMBERS = re.compile(r"\b\d+\b|'[^']*'")


@dataclass
class Clock:
    """Time spent in SQL, in template rendering and in session saves during one request."""

    sql: float = 0.0
    queries: int = 0
    sql_in_templates: float = 0.0
    templates: float = 0.0
    session: float = 0.0
    rendering: int = 0  # depth of nested template renders
    statements: Counter[str] = field(default_factory=Counter)
    statement_time: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))

    def reset(self) -> None:
        self.__dict__.update(Clock().__dict__)


CLOCK = Clock()


def sql_wrapper(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    start = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent = time.perf_counter() - start
        CLOCK.sql += spent
        CLOCK.queries += 1
        if CLOCK.rendering:
            CLOCK.sql_in_templates += spent
        shape = NUMBERS.sub("?", sql)[:160]
        CLOCK.statements[shape] += 1
        CLOCK.statement_time[shape] += spent


def instrument() -> None:
    """Time template rendering (outermost render only) and session saves."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.template.backends.django import Template

    render = Template.render

    def timed_render(self: Template, *args: Any, **kwargs: Any) -> Any:
        CLOCK.rendering += 1
        start = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            CLOCK.rendering -= 1
            if not CLOCK.rendering:
                CLOCK.templates += time.perf_counter() - start

    save = SessionStore.save

    def timed_save(self: SessionStore, must_create: bool = False) -> None:
        start = time.perf_counter()
        try:
            save(self, must_create)
        finally:
            CLOCK.session += time.perf_counter() - start

    Template.render = timed_render  # type: ignore[method-assign,assignment]
    SessionStore.save = timed_save  # type: ignore[method-assign,assignment]


@dataclass
class Profile:
    page: Page
    total: list[float] = field(default_factory=list)
    sql: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    templates: list[float] = field(default_factory=list)
    session: list[float] = field(default_factory=list)
    statements: Counter[str] = field(default_factory=Counter)
    statement_time: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    functions: str = ""
    cold: float = 0.0


def profile_page(page: Page, requests: int, top: int) -> Profile:
    from django.db import connection
    from django.test import Client

    from itaportal.accounts.models import User

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(User.objects.get(username=page.persona))
    start = time.perf_counter()
    response = client.get(page.url)  # cold: this process' caches, compiled templates, connection
    cold = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"{page.url} as {page.persona}: HTTP {response.status_code}")
    result = Profile(page, cold=cold)
    with connection.execute_wrapper(sql_wrapper):
        for _ in range(requests):
            CLOCK.reset()
            start = time.perf_counter()
            client.get(page.url)
            result.total.append(time.perf_counter() - start)
            result.sql.append(CLOCK.sql)
            result.queries.append(CLOCK.queries)
            result.templates.append(CLOCK.templates - CLOCK.sql_in_templates)
            result.session.append(CLOCK.session)
            result.statements.update(CLOCK.statements)
            for shape, spent in CLOCK.statement_time.items():
                result.statement_time[shape] += spent
    profiler = cProfile.Profile()  # apart: its overhead would distort the times above
    for _ in range(PROFILED_REQUESTS):
        profiler.enable()
        client.get(page.url)
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(re.escape(str(ROOT)) + r"/(?!\.venv|bench)", top)
    result.functions = out.getvalue()
    return result


def report(profile: Profile, requests: int, top: int) -> None:
    def ms(values: Sequence[float]) -> float:
        return statistics.mean(values) * 1000

    total, sql, templates, session = (
        ms(profile.total),
        ms(profile.sql),
        ms(profile.templates),
        ms(profile.session),
    )
    page = profile.page
    step(f"{page.name}: {page.url} as {page.persona}, {requests} requests one after another")
    note(f"first request in this process (cold caches): {profile.cold * 1000:.0f} ms")
    note(
        f"per request: {total:.1f} ms in all (median {statistics.median(profile.total) * 1000:.1f})"
        f" = SQL {sql:.1f} ms ({statistics.mean(profile.queries):.0f} queries)"
        f" + templates {templates:.1f} ms (their SQL counted under SQL)"
        f" + rest of Python {total - sql - templates:.1f} ms (session save {session:.1f} ms)"
    )
    note("costliest statements (ms per request, count per request):")
    for shape, spent in sorted(profile.statement_time.items(), key=lambda kv: -kv[1])[:6]:
        note(
            f"  {spent / requests * 1000:7.2f} ms  {profile.statements[shape] / requests:5.1f}x  "
            f"{shape}"
        )
    note(
        f"the project's functions by cumulative time ({PROFILED_REQUESTS} more requests, "
        "under cProfile, which slows Python code more than SQL):"
    )
    for line in profile.functions.splitlines():
        if re.match(r"\s*\d", line):
            note("  " + line.strip())


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    instrument()


@contextmanager
def reused_cluster(organisations: int | None) -> Iterator[tuple[Postgres, Path]]:
    workdir = REUSE_ROOT.with_name(f"{REUSE_ROOT.name}-{organisations or 'full'}")
    if not (workdir / "manifest.json").exists():
        raise SystemExit(
            f"no data set in {workdir}: run scripts/portal bench-http"
            + (f" --organisations {organisations}" if organisations else "")
            + " first"
        )
    with Postgres.start(workdir / "pg", settings=PG_DURABLE, keep=True) as pg:
        yield pg, workdir


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--organisations", type=int)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--top", type=int, default=12, help="functions listed per page")
    parser.add_argument("--page", action="append", type=parse_page, metavar="NAME=USERNAME:/path/")
    args = parser.parse_args(argv)
    stop_on_signals()
    import json
    import secrets

    from bench.http_load import app_environ

    with (
        reused_cluster(args.organisations) as (pg, workdir),
        redis_server(workdir) as redis_url,
    ):
        env = app_environ(workdir, pg, secrets.token_urlsafe(50))
        setup_django({**env, "REDIS_URL": redis_url})
        manifest = json.loads((workdir / "manifest.json").read_text(encoding="utf-8"))
        pages = args.page or default_pages(manifest, pg)
        for page in pages:
            if page.skipped:
                note(f"skipped {page.name}: {page.skipped}")
                continue
            report(profile_page(page, args.requests, args.top), args.requests, args.top)
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
