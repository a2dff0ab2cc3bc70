"""HTTP load on the busiest pages: gunicorn on PostgreSQL, the national data set, wrk on loopback.

    .venv/bin/python bench/http_load.py [--organisations N] [--duration 30] [--connections 16]
                                        [--workers 2,3,4] [--reuse-db] [--page NAME=PERSONA:URL]

Starts a throwaway PostgreSQL cluster, migrates, runs `generate_national` (about 7,850
organisations; fewer with --organisations) and collectstatic, then gunicorn with production
settings on 127.0.0.1. It logs each persona in over HTTP, checks that every page answers 200, and
loads each page with `wrk -t1 -c16` for --duration seconds after a warm-up, once per candidate
worker count for a short calibration and then in full with the best one. It prints p50/p95/p99,
requests per second and errors per page against the target (p95 < 100 ms), always exits 0 once it
has run, and stops every server it started. bench/README.md says what the figures mean.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import (
    PG_DURABLE,
    PG_LOADING,
    ROOT,
    Gunicorn,
    Postgres,
    bytecode_cache,
    make_workdir,
    manage,
    note,
    redis_server,
    step,
    stop_on_signals,
)

TARGET_P95_MS = 100.0
REUSE_ROOT = Path("/tmp/itaportal-bench-http")
OVERVIEW_URLS = ("/overview/", "/orgs/")  # the supervisor overview; the older organisation list
LATEST_YEAR_SQL = "SELECT max(fiscal_year) FROM assessments_assessment WHERE organisation_id = {}"

# wrk's script: rotate the personas' session cookies over the requests, count answers that are
# not 200 (a redirect to the login page is not an error for wrk), print the figures at the end.
WRK_LUA = r"""
local cookies, i, threads = {}, 0, {}
not_ok = 0  -- a global: done() reads it from each thread with thread:get()
function setup(thread) table.insert(threads, thread) end
function init(args)
  for line in io.lines(args[1]) do table.insert(cookies, line) end
  wrk.headers["X-Forwarded-Proto"] = "https"
end
function request()
  i = i % #cookies + 1
  return wrk.format(nil, nil, {["Cookie"] = cookies[i]})
end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local other = 0
  for _, thread in ipairs(threads) do other = other + thread:get("not_ok") end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50=%d p95=%d p99=%d max=%d connect=%d read=%d " ..
    "write=%d status=%d timeout=%d not_200=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout, other))
end
"""


# --- the data set ------------------------------------------------------------------------------
def app_environ(workdir: Path, pg: Postgres, secret: str) -> dict[str, str]:
    """Production settings on loopback: no DEBUG, HTTPS said by the proxy header, no redirect."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return pg.environ(bytecode_cache(env)) | {
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_PROXY_SSL_HEADER": "true",
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_LOG_LEVEL": "ERROR",
    }


def prepare_data(
    pg: Postgres, env: Mapping[str, str], workdir: Path, organisations: int | None
) -> dict:
    """Migrate, generate the national data set and collect the static files; the manifest."""
    manifest = workdir / "manifest.json"
    if manifest.exists():
        note(f"reusing the data set in {workdir} (manifest.json is there)")
        return json.loads(manifest.read_text(encoding="utf-8"))
    start = time.perf_counter()
    manage("migrate", "--noinput", env=env)
    note(f"migrated in {time.perf_counter() - start:.0f} s")
    start = time.perf_counter()
    size = ["--organisations", str(organisations)] if organisations else []
    partial = workdir / "manifest.partial.json"
    result = manage("generate_national", *size, "--manifest", str(partial), env=env)
    note(f"generate_national in {time.perf_counter() - start:.0f} s:")
    for line in result.stdout.strip().splitlines():
        note(f"  {line}")
    start = time.perf_counter()
    manage("collectstatic", "--noinput", env=env)
    pg.psql("VACUUM ANALYZE")
    note(f"collectstatic, VACUUM ANALYZE in {time.perf_counter() - start:.0f} s")
    partial.rename(manifest)  # last: its presence says the data set is complete
    return json.loads(manifest.read_text(encoding="utf-8"))


# --- the pages ---------------------------------------------------------------------------------
@dataclass
class Page:
    name: str
    persona: str  # the username that loads it
    url: str
    cookies: list[str] = field(default_factory=list)
    skipped: str = ""


def default_pages(manifest: Mapping, pg: Postgres) -> list[Page]:
    """The issue's five pages, for the accounts the manifest names."""
    sample = manifest["sample_organisations"][0]
    year = pg.psql(LATEST_YEAR_SQL.format(int(sample["id"])))
    scores = (
        f"/orgs/{sample['id']}/years/{year}/edit/" if year else f"/orgs/{sample['id']}/years/new/"
    )
    pages = [
        Page("organisation dashboard", sample["staff"], sample["dashboard"]),
        Page("score entry form", sample["staff"], scores),
        Page("measures plan", sample["staff"], sample["plan"]),
    ]
    reviewer = manifest.get("inbox_reviewer")
    if reviewer:
        pages.append(Page("memo inbox", reviewer["username"], reviewer["inbox"]))
    else:
        pages.append(Page("memo inbox", sample["reviewer"], "/memos/", skipped="no memos wait"))
    largest = manifest["largest_province"]
    pages.append(Page(f"overview {largest['province']}", largest["supervisor"], OVERVIEW_URLS[0]))
    return pages


def parse_page(text: str) -> Page:
    name, _, rest = text.partition("=")
    persona, _, url = rest.partition(":")
    if not (name and persona and url.startswith("/")):
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=USERNAME:/path/")
    return Page(name, persona, url)


# --- HTTP --------------------------------------------------------------------------------------
def get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, str], str, list[str]]:
    """One request as the proxy would send it: status, headers, body, Set-Cookie values."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {})}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        return (
            response.status,
            dict(response.getheaders()),
            body,
            response.msg.get_all("Set-Cookie") or [],
        )
    finally:
        connection.close()


def log_in(port: int, username: str, password: str) -> str:
    """Log in through the login form; the session cookie header value ("sessionid=…")."""
    status, _, body, set_cookies = get(port, "/accounts/login/")
    jar = SimpleCookie()
    for value in set_cookies:
        jar.load(value)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in jar:
        raise RuntimeError(f"the login page answered {status} without a CSRF token")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    origin = f"https://127.0.0.1:{port}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            "/accounts/login/",
            body=form.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={jar['csrftoken'].value}",
                "Origin": origin,
                "Referer": f"{origin}/accounts/login/",
                "X-Forwarded-Proto": "https",
            },
        )
        response = connection.getresponse()
        response.read()
        for value in response.msg.get_all("Set-Cookie") or []:
            jar.load(value)
    finally:
        connection.close()
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"{username} could not log in (HTTP {response.status})")
    return f"sessionid={jar['sessionid'].value}"


def log_in_all(port: int, pages: Sequence[Page], password: str, sessions: int) -> None:
    """SESSIONS logins per persona (people do not share a session), four at a time."""
    personas = sorted({page.persona for page in pages if not page.skipped})
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        cookies = {
            persona: list(
                pool.map(lambda _n, p=persona: log_in(port, p, password), range(sessions))
            )
            for persona in personas
        }
    for page in pages:
        page.cookies = cookies.get(page.persona, [])


def check_pages(port: int, pages: Sequence[Page]) -> None:
    """Each page must answer 200 to its persona (not a redirect to the login page)."""
    for page in pages:
        if page.skipped:
            continue
        status, headers, body, _ = get(port, page.url, page.cookies[0])
        if status != 200 and page.url == OVERVIEW_URLS[0] and status == 404:
            page.url = OVERVIEW_URLS[1]  # no supervisor overview yet: the organisation list
            status, headers, body, _ = get(port, page.url, page.cookies[0])
        if status == 200:
            note(f"{page.name}: {page.url} as {page.persona}: 200, {len(body.encode()):,} bytes")
        else:
            page.skipped = f"HTTP {status} {headers.get('Location', '')}".strip()
            note(f"{page.name}: {page.url} as {page.persona}: {page.skipped}; not loaded")


# --- wrk ---------------------------------------------------------------------------------------
@dataclass
class Result:
    page: Page
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float
    errors: int  # socket errors and answers other than 200
    detail: str

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(port: int, page: Page, seconds: int, connections: int, workdir: Path) -> Result:
    script = workdir / "load.lua"
    script.write_text(WRK_LUA, encoding="utf-8")
    cookies = workdir / "cookies.txt"
    cookies.write_text("\n".join(page.cookies) + "\n", encoding="utf-8")
    command = [
        "wrk",
        *("-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency"),
        *("-s", str(script), f"http://127.0.0.1:{port}{page.url}", "--", str(cookies)),
    ]
    out = subprocess.run(command, text=True, capture_output=True, check=False, timeout=seconds + 60)
    found = re.search(r"^RESULT (.*)$", out.stdout, re.M)
    if out.returncode != 0 or found is None:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip() or out.stdout}")
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", found.group(1))}
    socket_errors = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    detail = ", ".join(
        f"{k} {figures[k]}"
        for k in ("connect", "read", "write", "timeout", "not_200")
        if figures[k]
    )
    return Result(
        page=page,
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50=figures["p50"] / 1000,
        p95=figures["p95"] / 1000,
        p99=figures["p99"] / 1000,
        max=figures["max"] / 1000,
        errors=socket_errors + figures["not_200"],
        detail=detail,
    )


def load_pages(
    web: Gunicorn, pages: Sequence[Page], seconds: int, warmup: int, connections: int, workdir: Path
) -> list[Result]:
    """Each page: warm-up load, then wait for the workers to finish what wrk left, then measure."""
    results = []
    for page in pages:
        if page.skipped:
            continue
        if warmup:
            run_wrk(web.port, page, warmup, connections, workdir)
        web.wait_idle()
        results.append(run_wrk(web.port, page, seconds, connections, workdir))
        web.wait_idle()
    return results


def print_table(results: Sequence[Result], title: str) -> None:
    step(title)
    name_width = max([len(r.page.name) for r in results] + [4])
    url_width = max([len(r.page.url) for r in results] + [3])
    print(
        f"    {'page':<{name_width}}  {'URL':<{url_width}}  {'p50 ms':>7}  {'p95 ms':>7}  "
        f"{'p99 ms':>7}  {'req/s':>6}  {'errors':>6}  p95 < {TARGET_P95_MS:.0f} ms"
    )
    for r in results:
        verdict = "PASS" if r.p95 < TARGET_P95_MS and r.errors == 0 else "FAIL"
        print(
            f"    {r.page.name:<{name_width}}  {r.page.url:<{url_width}}  {r.p50:7.1f}  "
            f"{r.p95:7.1f}  {r.p99:7.1f}  {r.rate:6.1f}  {r.errors:6d}  {verdict}"
            + (f"  ({r.detail})" if r.detail else "")
        )
    print(flush=True)


# --- the run -----------------------------------------------------------------------------------
@contextmanager
def workspace(reuse: bool, organisations: int | None) -> Iterator[Path]:
    if not reuse:
        workdir = make_workdir("itaportal-bench-http-")
        try:
            yield workdir
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    workdir = REUSE_ROOT.with_name(f"{REUSE_ROOT.name}-{organisations or 'full'}")
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)
    yield workdir


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--organisations", type=int, help="fewer than the national ~7,850")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before measuring")
    parser.add_argument(
        "--workers",
        default="2,3,4",
        help="gunicorn worker counts; with more than one, each gets a short calibration run "
        "and the best (lowest median p95 over the pages) is measured in full",
    )
    parser.add_argument("--calibration", type=int, default=8, help="seconds per page")
    parser.add_argument(
        "--sessions", type=int, help="logins per persona (default: one per connection)"
    )
    parser.add_argument("--password", default="ita-demo-2569")
    parser.add_argument(
        "--page",
        action="append",
        type=parse_page,
        metavar="NAME=USERNAME:/path/",
        help="load these pages instead of the five default ones (repeatable)",
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help=f"keep the cluster and data set in {REUSE_ROOT}-N and use them again next time",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    if shutil.which("wrk") is None:
        print("error: wrk is missing: apt-get install -y wrk", file=sys.stderr)
        return 1
    workers = [int(w) for w in args.workers.split(",")]
    sessions = args.sessions or args.connections
    step(f"machine: {os.cpu_count()} CPUs, load average {load()}")
    with workspace(args.reuse_db, args.organisations) as workdir:
        fresh = not (workdir / "manifest.json").exists()
        with Postgres.start(
            workdir / "pg", settings=PG_LOADING if fresh else PG_DURABLE, keep=args.reuse_db
        ) as pg:
            step(f"PostgreSQL {pg.version()} in {workdir / 'pg'}")
            secret = secrets.token_urlsafe(50)
            env = app_environ(workdir, pg, secret)
            manifest = prepare_data(pg, env, workdir, args.organisations)
            if fresh:
                pg.restart(PG_DURABLE)  # measure with the durability a server runs with
                env = app_environ(workdir, pg, secret)
            note(f"settings: {', '.join(f'{k}={v}' for k, v in PG_DURABLE.items())}, fsync on")
            pages = args.page or default_pages(manifest, pg)
            # As deployed: Redis holds the sessions and the cache the gunicorn workers share.
            # A new server each run, so every run starts with an empty cache.
            with redis_server(workdir) as redis_url:
                step(f"Redis on {redis_url} (sessions, cache)")
                env = {**env, "REDIS_URL": redis_url}
                return measure(args, env, workdir, pages, workers, sessions)


def measure(
    args: argparse.Namespace,
    env: Mapping[str, str],
    workdir: Path,
    pages: list[Page],
    workers: list[int],
    sessions: int,
) -> int:
    log = workdir / "gunicorn.log"
    step(f"gunicorn ({workers[0]} workers): {sessions} logins per persona, then the pages")
    with Gunicorn.start(env, workers=workers[0], log=log) as web:
        start = time.perf_counter()
        log_in_all(web.port, pages, args.password, sessions)
        note(f"logged in in {time.perf_counter() - start:.1f} s")
        check_pages(web.port, pages)
    if all(page.skipped for page in pages):
        note("no page to load")
        return 0
    chosen = workers[0]
    if len(workers) > 1:
        step(
            f"calibration: each page {args.calibration} s at {args.connections} connections, "
            f"for {', '.join(map(str, workers))} workers"
        )
        median_p95 = {}
        for count in workers:
            with Gunicorn.start(env, workers=count, log=log) as web:
                results = load_pages(
                    web, pages, args.calibration, args.warmup, args.connections, workdir
                )
            median_p95[count] = statistics.median(r.p95 for r in results)
            note(
                f"{count} workers: p95 per page "
                + ", ".join(f"{r.p95:.0f}" for r in results)
                + f" ms (median {median_p95[count]:.0f}); req/s per page "
                + ", ".join(f"{r.rate:.0f}" for r in results)
            )
        chosen = min(median_p95, key=lambda count: (median_p95[count], count))
    step(
        f"measuring with {chosen} gunicorn workers (sync), wrk -t1 -c{args.connections} "
        f"-d{args.duration}s per page after a {args.warmup} s warm-up; load average {load()}"
    )
    with Gunicorn.start(env, workers=chosen, log=log) as web:
        results = load_pages(web, pages, args.duration, args.warmup, args.connections, workdir)
    print_table(
        results,
        f"results: {chosen} workers, {args.connections} connections, {args.duration} s per page, "
        f"load average {load()}",
    )
    for page in pages:
        if page.skipped:
            note(f"not loaded: {page.name} {page.url} ({page.skipped})")
    errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
    if errors:
        note(f"gunicorn logged {len(errors)} tracebacks: see {log}")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
