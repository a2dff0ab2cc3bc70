"""Batch printing throughput on Celery workers (1 and 2 processes), and the national projection.

    .venv/bin/python bench/batch_print.py [--organisations 300] [--documents 120] [--keep]

Starts a throwaway PostgreSQL cluster and Redis server, migrates, generates the national data set
(`manage.py generate_national`) for N organisations, then for 1 and 2 worker processes
(`celery -A itaportal worker --pool prefork --concurrency W`) prints the same batch of about D
documents of fiscal year 2569 (analysis, plan, progress report, committee order) through
`reports.batch.services.batch_start`,
timed from the call until the batch is "done" (its ZIP packed).
Prints documents and pages per minute, the ratio 2 workers / 1 worker, and what that means for
all 7,850 organisations. Figures only: it asserts nothing. bench/README.md says what is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import (
    PG_DURABLE,
    PG_LOADING,
    ROOT,
    VENV_BIN,
    Postgres,
    _children,
    bytecode_cache,
    make_workdir,
    manage,
    note,
    redis_server,
    step,
    stop_on_signals,
    stop_process,
)

if TYPE_CHECKING:
    from itaportal.accounts.models import User

NATIONAL_ORGANISATIONS = 7850
YEAR = 2569  # the measures year: analysis of 2568's results, plan/progress/order of 2569
KINDS = ("analysis", "plan", "progress", "order")
WORKER_COUNTS = (1, 2)
SAMPLE_SEED = 2569


# --- servers -----------------------------------------------------------------------------------
@contextlib.contextmanager
def celery_worker(env: Mapping[str, str], concurrency: int, log: Path) -> Iterator[Worker]:
    command = [
        str(VENV_BIN / "celery"),
        *("-A", "itaportal", "worker", "--pool", "prefork", "--concurrency", str(concurrency)),
        *("--loglevel", "INFO", "--hostname", f"bench-{concurrency}@%h"),
        # Alone on the broker: nothing to synchronise with, and a quicker start.
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        yield Worker(process, concurrency, log)
    finally:
        stop_process(process, 60)  # a warm shutdown lets a running document finish


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    concurrency: int
    log: Path

    def pin(self) -> str:
        """Each pool process on a core of its own (taskset's sched_setaffinity), the main process
        (which only hands tasks out) beside the first: with 2 workers the ratio then measures how
        the code scales over two cores, not when other processes leave a second core free."""
        pool = sorted(_children(self.process.pid))
        cores = sorted(os.sched_getaffinity(0))
        pinned = {pid: cores[i % len(cores)] for i, pid in enumerate(pool)}
        for pid, core in [*pinned.items(), (self.process.pid, cores[0])]:
            os.sched_setaffinity(pid, {core})
        return ", ".join(f"{pid}: {core}" for pid, core in pinned.items())

    def check(self) -> None:
        if self.process.poll() is not None:
            tail = self.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"the worker exited with {self.process.returncode}:\n{tail}")

    def problems(self) -> list[str]:
        """Log lines about errors, retries and lost processes (Celery logs them at WARNING+)."""
        marks = ("ERROR", "CRITICAL", "WARNING", "Warning", "Traceback", "Retry", "WorkerLostError")
        lines = self.log.read_text(errors="replace").splitlines()
        return [line for line in lines if any(mark in line for mark in marks)]


# --- CPU accounting ----------------------------------------------------------------------------
# On a shared machine the wall clock alone cannot tell "2 workers do not scale" from "the other
# users' processes took the second core": the CPU time the workers got, and the machine's, can.
TICK = os.sysconf("SC_CLK_TCK")


def session_cpu(session: int) -> float:
    """CPU seconds (user + system) of the live processes of SESSION: a worker and its children."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it exited meanwhile
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) ", from the state on
        if int(fields[3]) == session:
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def machine_busy() -> float:
    """CPU seconds all cores have spent on anything but idling and waiting, since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle, iowait = values[3], values[4]
    return (sum(values[:8]) - idle - iowait) / TICK


# --- the data set ------------------------------------------------------------------------------
def base_environ(workdir: Path) -> dict[str, str]:
    """Production settings (no DEBUG: Django would keep every query in memory)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.pop("REDIS_URL", None)
    env.pop("ITAPORTAL_BATCH_RUNNER", None)
    return bytecode_cache(env) | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-batch-print-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
    }


def generate(env: Mapping[str, str], organisations: int, workdir: Path) -> str:
    """The national data set, or the demo data when the generator is missing or fails."""
    manage("migrate", "--noinput", env=env)
    manifest = workdir / "manifest.json"
    args = ("generate_national", "--organisations", str(organisations))
    result = manage(*args, "--manifest", str(manifest), env=env, check=False)
    if result.returncode == 0:
        return f"generate_national --organisations {organisations}"
    sys.stderr.write(result.stdout[-2000:] + result.stderr[-2000:])
    note("generate_national failed (above): falling back to load_demo")
    manage("load_demo", env=env)
    return "load_demo (generate_national failed)"


def setup_django(env: Mapping[str, str]) -> None:
    """This process becomes a web process of the portal: same settings, same broker."""
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()


@dataclass
class Selection:
    organisations: list[int]  # sampled organisations, each with all its FY documents
    documents: Counter[str]  # per kind
    warmup: list[int]  # other organisations, for warming the workers up

    @property
    def total(self) -> int:
        return sum(self.documents.values())


def select(target: int, warmup_documents: int) -> Selection:
    """A random sample (fixed seed) of organisations whose documents add up to about TARGET.

    A sample, not the first ones: the generator lays organisations out kind by kind, and a
    provincial organisation's documents are not a sub-district's.
    """
    from assessments.models import Organisation
    from reports.batch.services import documents_for

    ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True))
    per_org: dict[int, list[str]] = {}
    for org_id, kind, _year in documents_for(ids, YEAR, KINDS):
        per_org.setdefault(org_id, []).append(kind)
    candidates = sorted(per_org)
    random.Random(SAMPLE_SEED).shuffle(candidates)
    chosen: list[int] = []
    kinds: Counter[str] = Counter()
    rest = iter(candidates)
    for org_id in rest:
        if sum(kinds.values()) >= target:
            break
        chosen.append(org_id)
        kinds.update(per_org[org_id])
    warmup: list[int] = []
    warm_count = 0
    for org_id in rest:
        if warm_count >= warmup_documents:
            break
        warmup.append(org_id)
        warm_count += len(per_org[org_id])
    return Selection(chosen, kinds, warmup)


def requester() -> User:
    from itaportal.accounts.models import Role, User

    user, _created = User.objects.get_or_create(
        username="bench-batch-print",
        defaults={"role": Role.SUPERVISOR, "supervised_province": "พะเยา"},
    )
    return user


# --- a run -------------------------------------------------------------------------------------
@dataclass
class Run:
    workers: int
    documents: int
    pages: int
    seconds: float
    failed: list[str] = field(default_factory=list)
    retried: int = 0
    warmup_seconds: float = 0.0
    zip_mb: float = 0.0
    problems: list[str] = field(default_factory=list)
    worker_cpu: float = 0.0  # CPU seconds the worker processes used during the batch
    machine_cpu: float = 0.0  # CPU seconds of every process on the machine meanwhile

    @property
    def worker_cores(self) -> float:
        return self.worker_cpu / self.seconds

    @property
    def other_cores(self) -> float:
        """Cores busy with anything else: PostgreSQL, this process, other people's work."""
        return max(0.0, self.machine_cpu - self.worker_cpu) / self.seconds

    @property
    def documents_per_minute(self) -> float:
        return self.documents / self.seconds * 60

    @property
    def pages_per_minute(self) -> float:
        return self.pages / self.seconds * 60


def print_batch(organisations: Sequence[int], worker: Worker, timeout: float) -> tuple[int, float]:
    """Start a batch of every FY document of ORGANISATIONS; (batch id, seconds until done)."""
    from assessments.models import Organisation
    from reports.batch.services import batch_start
    from reports.models import PrintBatch

    queryset = Organisation.objects.filter(pk__in=organisations)
    user = requester()
    start = time.perf_counter()
    batch = batch_start(
        user=user,
        organisations=queryset,
        fiscal_year=YEAR,
        kinds=KINDS,
        scope=f"bench: {len(organisations)} organisations",
    )
    deadline = start + timeout
    while True:
        status = PrintBatch.objects.filter(pk=batch.pk).values_list("status", flat=True).get()
        if status == PrintBatch.Status.DONE:
            return batch.pk, time.perf_counter() - start
        worker.check()
        if time.perf_counter() > deadline:
            raise RuntimeError(f"batch {batch.pk} still {status} after {timeout:.0f} s")
        time.sleep(0.2)  # a cheap indexed read; the polling costs the workers nothing noticeable


def clear_documents(media: Path) -> None:
    """No stored PDF may be reused: a document already on disk is not rendered again."""
    shutil.rmtree(media / "batches", ignore_errors=True)


def measure(
    env: Mapping[str, str], workers: int, selection: Selection, workdir: Path, media: Path
) -> Run:
    from django.db.models import Sum

    from reports.models import PrintBatch, PrintJob

    log = workdir / f"worker-{workers}.log"
    with celery_worker(env, workers, log) as worker:
        # Warm-up: proves the worker is consuming, and lets its pool children import the templates
        # and load the fonts, as a worker that has been running for a while has.
        _batch, warm = print_batch(selection.warmup, worker, timeout=300)
        note(f"{workers} worker(s): started and warmed up in {warm:.1f} s")
        note(f"pinned (pool process: core): {worker.pin()}")
        clear_documents(media)
        cpu_before, busy_before = session_cpu(worker.process.pid), machine_busy()
        batch_id, seconds = print_batch(
            selection.organisations, worker, timeout=max(600, 10.0 * selection.total)
        )
        worker_cpu = session_cpu(worker.process.pid) - cpu_before
        machine_cpu = machine_busy() - busy_before
        # The documents printed or failed; those the data lacks were never asked of a worker.
        jobs = PrintJob.objects.filter(batch_id=batch_id).exclude(status=PrintJob.Status.SKIPPED)
        pages = jobs.aggregate(total=Sum("pages"))["total"] or 0
        failed = [
            f"{job.kind} of organisation {job.organisation_id}: {job.error}"
            for job in jobs.exclude(status=PrintJob.Status.DONE)
        ]
        retried = jobs.filter(attempts__gt=1).count()
        zip_file = PrintBatch.objects.get(pk=batch_id).zip_file
        zip_mb = (media / zip_file).stat().st_size / 1e6 if zip_file else 0.0
        run = Run(
            workers=workers,
            documents=jobs.count(),
            pages=pages,
            seconds=seconds,
            failed=failed,
            retried=retried,
            warmup_seconds=warm,
            zip_mb=zip_mb,
            worker_cpu=worker_cpu,
            machine_cpu=machine_cpu,
        )
        note(
            f"{workers} worker(s): {run.documents} documents, {run.pages} pages in "
            f"{seconds:.1f} s ({run.documents_per_minute:.1f} documents/min), ZIP {zip_mb:.1f} MB; "
            f"worker CPU {worker_cpu:.1f} s"
        )
    run.problems = worker.problems()
    return run


# --- the report --------------------------------------------------------------------------------
def report(runs: Sequence[Run], selection: Selection) -> None:
    step(f"results: one batch of FY {YEAR}, {len(selection.organisations)} organisations")
    kinds = ", ".join(f"{selection.documents[k]} {k}" for k in KINDS)
    note(f"documents in the batch: {kinds}")
    print(
        f"    {'workers':>7}  {'documents':>9}  {'pages':>6}  {'seconds':>8}  "
        f"{'documents/min':>13}  {'pages/min':>9}  {'failed':>6}  "
        f"{'CPU s/doc':>9}  {'worker cores':>12}  {'other cores':>11}"
    )
    for r in runs:
        print(
            f"    {r.workers:>7}  {r.documents:>9}  {r.pages:>6}  {r.seconds:>8.1f}  "
            f"{r.documents_per_minute:>13.1f}  {r.pages_per_minute:>9.1f}  {len(r.failed):>6}  "
            f"{r.worker_cpu / r.documents:>9.2f}  {r.worker_cores:>12.2f}  {r.other_cores:>11.2f}"
        )
    note(
        "worker cores: CPU time the worker processes got / wall time; other cores: the rest of "
        f"the machine's busy time meanwhile ({os.cpu_count()} CPUs in all)"
    )
    by_workers = {r.workers: r for r in runs}
    one, two = by_workers.get(1), by_workers.get(2)
    if one and two:
        ratio = two.documents_per_minute / one.documents_per_minute
        print(
            f"    ratio 2 workers / 1 worker: {ratio:.2f}x (documents/min; 2.00x would be linear)"
        )
        if two.worker_cores < 1.8:
            note(
                f"the 2 workers got {two.worker_cores:.2f} cores, not 2 (the 1 worker "
                f"{one.worker_cores:.2f}): the ratio measures the CPU other processes left free, "
                "not how the workers scale"
            )
    for r in runs:
        for failure in r.failed[:5]:
            note(f"not printed ({r.workers} worker(s)): {failure}")
        if r.retried:
            note(f"{r.retried} job(s) needed more than one attempt ({r.workers} worker(s))")
    best = two or one
    if best is None:
        return
    per_org = best.documents / len(selection.organisations)
    total = NATIONAL_ORGANISATIONS * per_org
    step(f"projection: {NATIONAL_ORGANISATIONS:,} organisations")
    note(
        f"{per_org:.2f} documents per organisation (this batch) -> {total:,.0f} documents, "
        f"about {total * best.pages / best.documents:,.0f} pages"
    )
    for r in runs:
        hours = total / r.documents_per_minute / 60
        note(f"{r.workers} worker(s), measured rate: {hours:.1f} h")
    per_worker = best.documents_per_minute / best.workers
    note(
        f"extrapolation, not measured: if throughput grew linearly, each further worker process "
        f"(with a core of its own) would add {per_worker:.1f} documents/min:"
    )
    for workers in (4, 8, 16):
        hours = total / (per_worker * workers) / 60
        note(f"  {workers:>2} workers: {hours:.1f} h")
    # The CPU a document costs does not depend on how busy the machine was: what a worker with a
    # core to itself would do, leaving out waits on PostgreSQL and the queue (an upper bound).
    cpu_per_doc = min(r.worker_cpu / r.documents for r in runs)
    if cpu_per_doc > 0:
        rate = 60 / cpu_per_doc
        note(
            f"extrapolation from CPU time: {cpu_per_doc:.2f} CPU s per document -> a worker with a "
            f"free core would print up to {rate:.1f} documents/min: "
            + ", ".join(f"{w} cores {total / (rate * w) / 60:.1f} h" for w in (1, 2, 4, 8))
        )
    print(flush=True)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--organisations", type=int, default=300, help="organisations to generate (default 300)"
    )
    parser.add_argument(
        "--documents",
        type=int,
        default=120,
        help="documents in the batch, about: whole organisations are added (default 120)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the folder (logs, PDFs, ZIPs)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    workdir = make_workdir("itaportal-bench-batch-")
    media = workdir / "media"
    media.mkdir()
    try:
        step(f"throwaway servers and data in {workdir}")
        note(f"machine: {os.cpu_count()} CPUs, load average {load()}")
        with (
            Postgres.start(workdir / "pg", settings=PG_LOADING) as pg,
            redis_server(workdir) as redis_url,
        ):
            started = time.perf_counter()
            data = generate(pg.environ(base_environ(workdir)), args.organisations, workdir)
            seconds = time.perf_counter() - started
            note(f"PostgreSQL {pg.version()}: migrated, {data} in {seconds:.0f} s")
            # Generated with crash safety off, for speed; measured with a production server's.
            pg.restart(PG_DURABLE)
            env = pg.environ(base_environ(workdir)) | {"REDIS_URL": redis_url}
            setup_django(env)
            try:
                selection = select(args.documents, warmup_documents=8)
                note(
                    f"batch: {selection.total} documents of {len(selection.organisations)} "
                    f"organisations; warm-up: {len(selection.warmup)} other organisations"
                )
                runs = [measure(env, w, selection, workdir, media) for w in WORKER_COUNTS]
            finally:
                from django.db import connections

                connections.close_all()
        note(f"load average {load()}")
        report(runs, selection)
        for r in runs:
            if r.problems:
                note(f"worker log ({r.workers} worker(s)): {len(r.problems)} warning/error lines:")
                for line in r.problems[:10]:
                    note(f"  {line[:200]}")
            else:
                note(f"worker log ({r.workers} worker(s)): no warnings or errors")
    finally:
        if args.keep:
            note(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: every server and worker was stopped", file=sys.stderr)
        sys.exit(130)
