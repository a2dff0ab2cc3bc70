"""The realistic HTTP benchmark: a province's worth of people at once, with writes.

    scripts/portal bench-http [--organisations N] [--people 600] [--duration 60] [--fresh]

PostgreSQL with the national data set (about 7,850 organisations; generated once and kept in
/tmp/itaportal-bench-http-full, --fresh to generate it again), Redis, gunicorn as deployed
(deploy/gunicorn.conf.py, 3 workers). Sessions of the staff, reviewers and executives of
--people organisations drawn at random and of their provinces' supervisors load the mix: the
dashboard 35 %, the measures plan 25 %, the score form 15 %, the memo inbox 15 %, the overview
10 %, over 16 connections, while a writer saves scores and measures at 2 a second through the
services. Phases: cold start (gunicorn and Redis restarted, the first overview of the largest
province, then the mix), first visits (every session's pages once, no writer), steady state
(the mix with the writer). Each prints p50/p95/p99, req/s and errors per page and overall, the
server's CPU per request (gunicorn and PostgreSQL) and the load average; then the overview's
figures after a save at 100, 1,000 and every organisation. bench/README.md says more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import (
    PG_DURABLE,
    PG_LOADING,
    PYTHON,
    ROOT,
    Gunicorn,
    Postgres,
    _children,
    _cpu_ticks,
    bytecode_cache,
    interpreter,
    make_workdir,
    manage,
    note,
    redis_server,
    step,
    stop_on_signals,
)

TARGET_P95_MS = 100.0  # overall, steady state with writes
TARGET_PAGE_P95_MS = 150.0  # every page, the same
TARGET_COLD_MAX_MS = 1000.0
TARGET_FIRST_OVERVIEW_MS = 500.0
TARGET_CPU_MS = 15.0
WORKERS = 3  # deploy/itaportal.service
REUSE_ROOT = Path("/tmp/itaportal-bench-http")
OVERVIEW_URLS = ("/overview/", "/orgs/")  # the supervisor overview; the older organisation list
LATEST_YEAR_SQL = "SELECT max(fiscal_year) FROM assessments_assessment WHERE organisation_id = {}"
MIX = {"dashboard": 35, "plan": 25, "score form": 15, "inbox": 15, "overview": 10}
TICKS = os.sysconf("SC_CLK_TCK")


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


def up_to_date(pg: Postgres, env: Mapping[str, str]) -> None:
    """A kept data set made by older code: migrate it, and keep its figures if it has none."""
    manage("migrate", "--noinput", env=env)
    if pg.psql("SELECT count(*) FROM assessments_yearsummary") == "0":
        start = time.perf_counter()
        manage("rebuild_summaries", env=env)
        note(f"rebuild_summaries in {time.perf_counter() - start:.0f} s")


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
def reuse_dir(organisations: int | None) -> Path:
    return REUSE_ROOT.with_name(f"{REUSE_ROOT.name}-{organisations or 'full'}")


@contextmanager
def workspace(reuse: bool, organisations: int | None) -> Iterator[Path]:
    if not reuse:
        workdir = make_workdir("itaportal-bench-http-")
        try:
            yield workdir
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        return
    workdir = reuse_dir(organisations)
    workdir.mkdir(parents=True, exist_ok=True)
    workdir.chmod(0o755)
    yield workdir


# --- the people and their pages ---------------------------------------------------------------
@dataclass(frozen=True)
class Visit:
    page: str  # a key of MIX
    url: str
    cookie: str


@dataclass
class People:
    """The sessions bench.portal_side wrote, and the pages each one reads."""

    by_page: dict[str, list[Visit]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, data: Mapping) -> People:
        people = cls()
        for org in data["organisations"]:
            roles = org["people"]
            for cookie in roles.values():
                people.by_page["dashboard"].append(
                    Visit("dashboard", f"/orgs/{org['id']}/", cookie)
                )
                people.by_page["inbox"].append(Visit("inbox", "/memos/", cookie))
                if org["plan_year"]:
                    url = f"/orgs/{org['id']}/plans/{org['plan_year']}/"
                    people.by_page["plan"].append(Visit("plan", url, cookie))
            staff = roles.get("staff")
            if staff and org["score_year"]:
                url = f"/orgs/{org['id']}/years/{org['score_year']}/edit/"
                people.by_page["score form"].append(Visit("score form", url, staff))
        for cookie in data["supervisors"].values():
            people.by_page["overview"].append(Visit("overview", OVERVIEW_URLS[0], cookie))
        return people

    def draw(self, rng: random.Random) -> Visit:
        page = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        return rng.choice(self.by_page[page])

    def every_visit(self, rng: random.Random) -> list[Visit]:
        visits = [visit for visits in self.by_page.values() for visit in visits]
        rng.shuffle(visits)
        return visits

    def sessions(self) -> int:
        return len({v.cookie for visits in self.by_page.values() for v in visits})


# --- the load ----------------------------------------------------------------------------------
@dataclass
class Answer:
    page: str
    ms: float
    ok: bool


async def fetch(port: int, visit: Visit) -> Answer:
    """One GET as nginx would pass it (gunicorn's sync workers close every connection)."""
    began = time.perf_counter()
    ok = False
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            (
                f"GET {visit.url} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {visit.cookie}\r\n"
                "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await reader.readline()
        while await reader.read(65536):
            pass
        writer.close()
        ok = status.split(b" ", 2)[1:2] == [b"200"]
    except (OSError, IndexError):
        ok = False
    return Answer(visit.page, (time.perf_counter() - began) * 1000, ok)


async def run_load(
    port: int, visits: Iterator[Visit], connections: int, seconds: float | None
) -> tuple[list[Answer], float]:
    """CONNECTIONS clients, each sending its next visit when the last one answered, until the
    visits run out or SECONDS have passed; the answers and the wall time."""
    answers: list[Answer] = []
    began = time.perf_counter()
    deadline = began + seconds if seconds else None

    async def client() -> None:
        while deadline is None or time.perf_counter() < deadline:
            visit = next(visits, None)
            if visit is None:
                return
            answers.append(await fetch(port, visit))

    await asyncio.gather(*(client() for _ in range(connections)))
    return answers, time.perf_counter() - began


def cpu_ms(pids: Sequence[int]) -> dict[int, float]:
    return {pid: _cpu_ticks(pid) * 1000 / TICKS for pid in pids}


def used(before: Mapping[int, float], after: Mapping[int, float]) -> float:
    """CPU ms between the two readings of the processes alive at the second (those that ended
    in between are not counted: a lower bound)."""
    return sum(ms - before.get(pid, 0.0) for pid, ms in after.items())


def server_pids(web: Gunicorn, pg: Postgres) -> tuple[list[int], list[int]]:
    postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
    return [web.process.pid, *_children(web.process.pid)], [postmaster, *_children(postmaster)]


@dataclass
class Phase:
    name: str
    answers: list[Answer]
    seconds: float
    web_cpu_ms: float
    db_cpu_ms: float
    client_cpu_ms: float  # this process: the load generator shares the machine's cores
    load: str


def measure_phase(
    name: str,
    web: Gunicorn,
    pg: Postgres,
    visits: Iterator[Visit],
    connections: int,
    seconds: float | None,
) -> Phase:
    """The load, with the servers' CPU over it: gunicorn's workers, PostgreSQL's processes."""
    web_pids, db_pids = server_pids(web, pg)
    web_before, db_before = cpu_ms(web_pids), cpu_ms(db_pids)
    client_before = time.process_time()
    answers, wall = asyncio.run(run_load(web.port, visits, connections, seconds))
    client_cpu = (time.process_time() - client_before) * 1000
    web_pids, db_pids = server_pids(web, pg)
    web_cpu, db_cpu = used(web_before, cpu_ms(web_pids)), used(db_before, cpu_ms(db_pids))
    return Phase(name, answers, wall, web_cpu, db_cpu, client_cpu, load())


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def print_phase(phase: Phase, connections: int, *, targets: bool) -> None:
    step(
        f"{phase.name}: {len(phase.answers):,} requests in {phase.seconds:.1f} s, "
        f"load average {phase.load}"
    )
    groups: dict[str, list[Answer]] = defaultdict(list)
    for answer in phase.answers:
        groups[answer.page].append(answer)
    rows = [(page, groups[page]) for page in MIX if page in groups]
    rows.append(("overall", phase.answers))
    print(
        f"    {'page':<11} {'requests':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'max ms':>7} {'req/s':>6} {'errors':>6}" + ("  target" if targets else "")
    )
    for page, answers in rows:
        times = [a.ms for a in answers]
        p95 = percentile(times, 0.95)
        verdict = ""
        if targets:
            limit = TARGET_P95_MS if page == "overall" else TARGET_PAGE_P95_MS
            verdict = f"  p95 < {limit:.0f}: {'PASS' if p95 < limit else 'FAIL'}"
        print(
            f"    {page:<11} {len(answers):>8,} {percentile(times, 0.5):7.1f} {p95:7.1f} "
            f"{percentile(times, 0.99):7.1f} {max(times, default=0):7.1f} "
            f"{len(answers) / phase.seconds:6.1f} {sum(not a.ok for a in answers):6d}{verdict}"
        )
    count = len(phase.answers) or 1
    web, db = phase.web_cpu_ms / count, phase.db_cpu_ms / count
    verdict = f"  (target <= {TARGET_CPU_MS:.0f} ms: {'PASS' if web <= TARGET_CPU_MS else 'FAIL'})"
    print(
        f"    server CPU per request: gunicorn {web:.1f} ms{verdict if targets else ''}, "
        f"PostgreSQL {db:.1f} ms",
        flush=True,
    )
    if targets:
        print_closed_loop(phase, connections)


def print_closed_loop(phase: Phase, connections: int) -> None:
    """What the machine allows: each connection sends its next request when the last is
    answered, so the mean latency is connections / throughput (Little's law), and throughput is
    at most the cores' CPU time over the CPU a request costs in all (gunicorn, PostgreSQL and
    this load generator share the cores)."""
    count = len(phase.answers) or 1
    cores = len(os.sched_getaffinity(0))
    rate = count / phase.seconds
    mean = statistics.mean(a.ms for a in phase.answers) if phase.answers else 0.0
    parts = {
        "gunicorn": phase.web_cpu_ms / count,
        "PostgreSQL": phase.db_cpu_ms / count,
        "load generator": phase.client_cpu_ms / count,
    }
    total = sum(parts.values())
    ceiling = cores * 1000 / total if total else 0.0
    print(
        f"    closed loop: mean latency {mean:.0f} ms; {connections} connections / "
        f"{rate:.1f} req/s = {connections / rate * 1000 if rate else 0:.0f} ms (Little's law)"
    )
    print(
        f"    CPU per request on {cores} cores: "
        + " + ".join(f"{name} {ms:.1f}" for name, ms in parts.items())
        + f" = {total:.1f} ms: at most {ceiling:.0f} req/s, a mean latency of at least "
        f"{connections / ceiling * 1000 if ceiling else 0:.0f} ms"
    )
    needed = cores * TARGET_P95_MS / connections
    floor = connections * TARGET_CPU_MS / cores
    print(
        f"    a p95 under {TARGET_P95_MS:.0f} ms, with a tail as light as this one's, needs a "
        f"mean under it: at most {needed:.1f} ms of CPU per request in all; at gunicorn's "
        f"target of {TARGET_CPU_MS:.0f} ms, nothing else counted, the mean is at least "
        f"{floor:.0f} ms",
        flush=True,
    )


# --- the run -----------------------------------------------------------------------------------
def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def portal_side(env: Mapping[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(PYTHON), "-m", "bench.portal_side", *args],
        cwd=ROOT,
        env=dict(env),
        text=True,
        stdout=subprocess.PIPE,
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--organisations", type=int, help="fewer than the national ~7,850")
    parser.add_argument("--people", type=int, default=600, help="organisations whose staff load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=60, help="seconds of steady state")
    parser.add_argument("--cold", type=int, default=15, help="seconds of load after the restart")
    parser.add_argument("--first-visits", type=int, default=2000, help="at most this many")
    parser.add_argument("--writes", type=float, default=2.0, help="saves a second")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--fresh", action="store_true", help="generate the data set again instead of reusing it"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    step(f"machine: {os.cpu_count()} CPUs, load average {load()}")
    note(f"Python {interpreter()}: gunicorn's and this benchmark's")
    if args.fresh:
        shutil.rmtree(reuse_dir(args.organisations), ignore_errors=True)
    with workspace(True, args.organisations) as workdir:
        fresh = not (workdir / "manifest.json").exists()
        with Postgres.start(
            workdir / "pg", settings=PG_LOADING if fresh else PG_DURABLE, keep=True
        ) as pg:
            step(f"PostgreSQL {pg.version()} in {workdir / 'pg'}")
            secret = secrets.token_urlsafe(50)
            env = app_environ(workdir, pg, secret)
            manifest = prepare_data(pg, env, workdir, args.organisations)
            if fresh:
                pg.restart(PG_DURABLE)  # measure with the durability a server runs with
                env = app_environ(workdir, pg, secret)
            else:
                up_to_date(pg, env)
            note(f"{manifest['organisations']:,} organisations; settings: "
                 f"{', '.join(f'{k}={v}' for k, v in PG_DURABLE.items())}, fsync on")  # fmt: skip
            with redis_server(workdir) as redis_url:
                env = {**env, "REDIS_URL": redis_url}
                return run(args, env, workdir, pg, manifest)


def run(
    args: argparse.Namespace, env: Mapping[str, str], workdir: Path, pg: Postgres, manifest: Mapping
) -> int:
    rng = random.Random(args.seed)
    made = portal_side(
        env, "sessions", "--organisations", str(args.people), "--seed", str(args.seed)
    )
    out, _ = made.communicate()
    people = People.of(json.loads(out))
    note(
        f"{people.sessions():,} sessions: staff, reviewers and executives of "
        f"{args.people} organisations, and {len(people.by_page['overview'])} supervisors"
    )
    log = workdir / "gunicorn.log"
    largest = manifest["largest_province"]
    overview = Visit("overview", OVERVIEW_URLS[0], "")
    cookie = largest_supervisor_cookie(env, largest["supervisor"])
    step(f"cold start: gunicorn ({WORKERS} workers) started now; load average {load()}")
    started = time.perf_counter()
    with Gunicorn.start(env, workers=WORKERS, log=log) as web:
        note(f"gunicorn answers {time.perf_counter() - started:.1f} s after its start")
        first = asyncio.run(fetch(web.port, Visit("overview", overview.url, cookie)))
        verdict = "PASS" if first.ok and first.ms < TARGET_FIRST_OVERVIEW_MS else "FAIL"
        note(
            f"first overview of {largest['province']} ({largest.get('organisations', '?')} "
            f"organisations): {first.ms:.0f} ms (target < {TARGET_FIRST_OVERVIEW_MS:.0f}: "
            f"{verdict})"
        )
        cold = measure_phase(
            "cold start, the mix", web, pg, iter(people.every_visit(rng)), args.connections,
            args.cold,
        )  # fmt: skip
        print_phase(cold, args.connections, targets=False)
        slowest = max((a.ms for a in cold.answers), default=0.0)
        verdict = "PASS" if slowest < TARGET_COLD_MAX_MS else "FAIL"
        note(f"slowest request of the cold phase: {slowest:.0f} ms (target < 1 s: {verdict})")

        visits = people.every_visit(rng)[: args.first_visits]
        first_visits = measure_phase(
            "first visits (every session's pages once, no writes)", web, pg, iter(visits),
            args.connections, None,
        )  # fmt: skip
        print_phase(first_visits, args.connections, targets=False)

        writer = portal_side(
            env, "writer", "--rate", str(args.writes), "--seconds", str(args.duration + 5),
            "--seed", str(args.seed),
        )  # fmt: skip
        time.sleep(2)  # the writer's Django starts
        steady = measure_phase(
            f"steady state with {args.writes:g} saves a second", web, pg,
            (people.draw(rng) for _ in iter(int, 1)), args.connections, args.duration,
        )  # fmt: skip
        written, _ = writer.communicate()
        print_phase(steady, args.connections, targets=True)
        for line in written.splitlines():
            note(line)
    step(f"the overview's figures after a save, in one process; load average {load()}")
    growth = portal_side(env, "overview-growth")
    for line in growth.communicate()[0].splitlines():
        note(line)
    errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
    if errors:
        note(f"gunicorn logged {len(errors)} tracebacks: see {log}")
    return 0


def largest_supervisor_cookie(env: Mapping[str, str], username: str) -> str:
    made = portal_side(env, "session", "--username", username)
    return made.communicate()[0].strip()


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
