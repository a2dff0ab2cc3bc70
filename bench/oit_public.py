"""The public OIT page under wrk: many organisations' pages at once, right after a cold start.

    .venv/bin/python -m bench.oit_public [--organisations 300] [--duration 20] [--postgres]
    scripts/portal bench-oit-public [same arguments]

A throwaway database (a SQLite file by default; a PostgreSQL cluster of bench/servers.py with
--postgres), migrated, holds --organisations organisations, each with a FY 2569 OIT checklist:
every OIT item of its kind's framework with a page on its website, about 85 % of them public,
one or two evidence links each (one in ten not public), the plan named as evidence of one item,
and one approved memo with the plan attached (rows made in bulk, as the tests make them one by
one). gunicorn as deployed (deploy/gunicorn.conf.py, 3 workers, DJANGO_DEBUG=false, the
production settings of http_load.py). Cold: the first requests to a few public pages and the
approved plan, right after gunicorn answers. Then wrk (--connections 16, --threads 2,
--duration 20 s, --latency) with a Lua script that draws every request from all the
organisations' public pages: p50/p90/p99, requests/s, socket errors and answers other than 200,
gunicorn's CPU per request (and PostgreSQL's), the load average before and after. Figures
only: it always exits 0. bench/README.md says what the figures do not say.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_load import WORKERS, cpu_ms, load, used
from bench.servers import (
    ROOT,
    Gunicorn,
    Postgres,
    _children,
    bytecode_cache,
    make_workdir,
    note,
    step,
    stop_on_signals,
)

YEAR = 2569
PUBLIC_SHARE = 0.85  # of a checklist's items
PRIVATE_EVIDENCE_SHARE = 0.10
KINDS = ("subdistrict", "sao", "town")  # drawn 45 / 45 / 10 %
PLAN_PDF = b"%PDF-1.4\n% the approved plan of the benchmark\n%%EOF\n"
COLD_PAGES = 4  # first requests to this many organisations' public pages

LUA = """\
-- Every request a public page drawn at random from all the organisations' (bench/oit_public.py).
local paths = {%(paths)s}
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(1000 + id)
  bad = 0
  wrk.headers["X-Forwarded-Proto"] = "https"
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("answers other than 200: %%d\\n", total))
end
"""


def app_environ(workdir: Path, database_url: str, secret: str) -> dict[str, str]:
    """The production settings http_load.py runs gunicorn with, on DATABASE_URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return bytecode_cache(env) | {
        "DATABASE_URL": database_url,
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


@contextlib.contextmanager
def database(workdir: Path, postgres: bool) -> Iterator[tuple[str, Postgres | None]]:
    if not postgres:
        yield f"sqlite:///{workdir / 'bench.sqlite3'}", None
        return
    with Postgres.start(workdir / "pg") as pg:
        step(f"PostgreSQL {pg.version()} in {workdir / 'pg'}")
        yield pg.url, pg


def make_data(env: Mapping[str, str], organisations: int, seed: int) -> list[str]:
    """Migrate, collect the static files, make the checklists; the public pages' paths."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from assessments.models import Organisation
    from itaportal.accounts.models import Role, User
    from reports.memos.models import FrozenAttachment, Memo
    from reports.memos.verification import new_verification_code
    from reports.oit.models import OitEntry, OitEvidence
    from reports.oit.selectors import oit_items

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    note(f"migrated, static files collected in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    rng = random.Random(seed)
    orgs = Organisation.objects.bulk_create(
        Organisation(
            kind=rng.choices(KINDS, weights=(45, 45, 10))[0],
            name=f"หน่วยงานทดสอบ {n + 1}",
            district="เมือง",
            province="เพชรบุรี",
            website=f"https://org{n + 1}.example.go.th",
        )
        for n in range(organisations)
    )
    one_of_each = {org.kind: org for org in orgs}
    items = {
        kind: oit_items(organisation=org, fiscal_year=YEAR) for kind, org in one_of_each.items()
    }
    drafter = User.objects.create(username="bench-oit-drafter", role=Role.STAFF)
    entries = OitEntry.objects.bulk_create(
        OitEntry(
            organisation=org,
            fiscal_year=YEAR,
            item=item,
            url=f"{org.website}/ita/{item.code}",
            navigation=f"หน้าหลัก > ITA > {item.code}",
            public=n == 0 or rng.random() < PUBLIC_SHARE,
        )
        for org in orgs
        for n, item in enumerate(items[org.kind])
    )
    evidence = []
    for entry in entries:
        if entry.item_id == items[entry.organisation.kind][0].pk:
            evidence.append(
                OitEvidence(
                    entry=entry,
                    title="แผนปฏิบัติการป้องกันการทุจริต",
                    portal_document="plan",
                    document_year=YEAR,
                )
            )
        for k in range(rng.choice((1, 2))):
            evidence.append(
                OitEvidence(
                    entry=entry,
                    title=f"หลักฐาน {entry.item.code} ชิ้นที่ {k + 1}",
                    link=f"{entry.organisation.website}/files/{entry.item.code}-{k + 1}.pdf",
                    public=rng.random() >= PRIVATE_EVIDENCE_SHARE,
                )
            )
    OitEvidence.objects.bulk_create(evidence)
    decided = timezone.now()
    memos = Memo.objects.bulk_create(
        Memo(
            organisation=org,
            drafter=drafter,
            unit="สำนักปลัด",
            subject="ขออนุมัติแผนปฏิบัติการป้องกันการทุจริต",
            addressee="นายกเทศมนตรี",
            drafter_name="ทับทิม",
            drafter_position="นักวิเคราะห์",
            status=Memo.Status.APPROVED,
            reference=f"พบ 0001/{n + 1}",
            decided_at=decided,
            verification_code=new_verification_code(),
            content_hash="x" * 64,
        )
        for n, org in enumerate(orgs)
    )
    stored = FrozenAttachment.pdf.field.storage.save("memos/plan-2569.pdf", ContentFile(PLAN_PDF))
    FrozenAttachment.objects.bulk_create(
        FrozenAttachment(memo=memo, kind="plan", year=YEAR, pdf=stored, sha256="0" * 64)
        for memo in memos
    )
    public = sum(entry.public for entry in entries)
    note(
        f"{len(orgs)} organisations ({', '.join(f'{k} {len(v)} items' for k, v in items.items())}"
        f"): {len(entries):,} entries, {public:,} public; {len(evidence):,} evidence rows; "
        f"{len(memos)} approved memos with the plan; made in {time.perf_counter() - started:.1f} s"
    )
    connections.close_all()  # gunicorn's workers open their own
    return [f"/oit/{org.pk}/{YEAR}/" for org in orgs]


def get(url: str) -> tuple[int, float, int]:
    """Status, milliseconds and bytes of one GET, as nginx forwards it."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            status, size = answer.status, len(answer.read())
    except urllib.error.HTTPError as error:
        status, size = error.code, len(error.read())
    return status, (time.perf_counter() - started) * 1000, size


def plan_url(base: str, page: str) -> str:
    """The approved plan's link on a public page."""
    html = urllib.request.urlopen(
        urllib.request.Request(base + page, headers={"X-Forwarded-Proto": "https"}), timeout=60
    ).read()
    found = re.search(rb'href="(/oit/\d+/\d+/documents/\d+\.pdf)"', html)
    return found.group(1).decode() if found else ""


def run_wrk(
    base: str, script: Path, connections: int, threads: int, seconds: int
) -> tuple[str, float]:
    command = ["wrk", "--latency", "-t", str(threads), "-c", str(connections)]
    command += ["-d", f"{seconds}s", "--timeout", "30s", "-s", str(script), base + "/"]
    note("$ " + " ".join(command))
    started = time.perf_counter()
    out = subprocess.run(command, text=True, capture_output=True, check=False)
    return out.stdout + out.stderr, time.perf_counter() - started


def summary(output: str) -> dict[str, str]:
    """p50/p90/p99, requests/s, requests and errors out of wrk's text."""
    found: dict[str, str] = {}
    for share in ("50", "90", "99"):
        match = re.search(rf"^\s+{share}%\s+(\S+)", output, re.M)
        found[f"p{share}"] = match.group(1) if match else "?"
    for key, pattern in (
        ("requests", r"(\d+) requests in"),
        ("req/s", r"Requests/sec:\s+(\S+)"),
        ("socket errors", r"Socket errors: (.*)"),
        ("non-2xx/3xx", r"Non-2xx or 3xx responses: (\d+)"),
        ("not 200", r"answers other than 200: (\d+)"),
    ):
        match = re.search(pattern, output)
        found[key] = match.group(1) if match else "0" if key != "req/s" else "?"
    return found


def server_pids(web: Gunicorn, pg: Postgres | None) -> tuple[list[int], list[int]]:
    web_pids = [web.process.pid, *_children(web.process.pid)]
    if pg is None:
        return web_pids, []
    postmaster = int((pg.data / "postmaster.pid").read_text().split()[0])
    return web_pids, [postmaster, *_children(postmaster)]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--duration", type=int, default=20, help="seconds of wrk")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL cluster")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    step(f"machine: {os.cpu_count()} CPUs, load average {load()}")
    if shutil.which("wrk") is None:
        note("wrk is missing (apt-get install -y wrk, or scripts/portal bench-oit-public)")
        return 0
    workdir = make_workdir("itaportal-bench-oit-public-")
    try:
        with database(workdir, args.postgres) as (url, pg):
            env = app_environ(workdir, url, secrets.token_urlsafe(50))
            step(f"data: {'PostgreSQL' if pg else 'SQLite ' + url.removeprefix('sqlite:///')}")
            paths = make_data(env, args.organisations, args.seed)
            run(args, env, workdir, paths, pg)
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        note(f"stopped: {error}")
    finally:
        if args.keep:
            note(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run(
    args: argparse.Namespace,
    env: Mapping[str, str],
    workdir: Path,
    paths: list[str],
    pg: Postgres | None,
) -> None:
    script = workdir / "public-pages.lua"
    script.write_text(LUA % {"paths": ", ".join(f'"{p}"' for p in paths)}, encoding="utf-8")
    log = workdir / "gunicorn.log"
    step(f"cold start: gunicorn ({WORKERS} workers) started now; load average {load()}")
    started = time.perf_counter()
    with Gunicorn.start(env, workers=WORKERS, log=log) as web:
        note(f"gunicorn answers {time.perf_counter() - started:.1f} s after its start")
        for n, page in enumerate(random.Random(args.seed).sample(paths, COLD_PAGES)):
            status, ms, size = get(web.base + page)
            note(f"first request {n + 1}, {page}: {status}, {ms:.0f} ms, {size / 1024:.0f} kB")
        plan = plan_url(web.base, paths[0])
        if plan:
            status, ms, size = get(web.base + plan)
            note(f"the approved plan, {plan}: {status}, {ms:.0f} ms, {size} bytes")
        else:
            note(f"no approved plan linked from {paths[0]}")
        step(
            f"wrk: {len(paths)} public pages at random, {args.connections} connections, "
            f"{args.threads} threads, {args.duration} s; load average {load()} before"
        )
        web_pids, db_pids = server_pids(web, pg)
        web_before, db_before = cpu_ms(web_pids), cpu_ms(db_pids)
        output, _wall = run_wrk(web.base, script, args.connections, args.threads, args.duration)
        web_pids, db_pids = server_pids(web, pg)
        web_cpu, db_cpu = used(web_before, cpu_ms(web_pids)), used(db_before, cpu_ms(db_pids))
        after = load()
        for line in output.rstrip().splitlines():
            note(f"| {line}")
        figures = summary(output)
        count = int(figures["requests"]) or 1
        step(f"load average after: {after}")
        note(
            f"p50 {figures['p50']}, p90 {figures['p90']}, p99 {figures['p99']}; "
            f"{figures['req/s']} requests/s ({count:,} requests); socket errors: "
            f"{figures['socket errors']}; non-2xx/3xx: {figures['non-2xx/3xx']}; "
            f"answers other than 200: {figures['not 200']}"
        )
        per_db = f", PostgreSQL {db_cpu / count:.1f} ms" if pg is not None else ""
        note(f"server CPU per request: gunicorn {web_cpu / count:.1f} ms{per_db}")
    tracebacks = log.read_text(errors="replace").count("Traceback")
    if tracebacks:
        note(f"gunicorn logged {tracebacks} tracebacks (--keep to read {log})")


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
