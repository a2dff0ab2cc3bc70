"""Time `manage.py import_scores` on a national results file (7,850 rows), PostgreSQL and SQLite.

    .venv/bin/python bench/import_national.py [--rows 7850] [--rounds 1] [--keep] ...

Writes two CSV files in the INTERFACES.md format (Thai digits in some cells): one with every
organisation new, one re-importing the same organisations with other scores. For each backend, in
a database of its own (a throwaway PostgreSQL cluster, a SQLite file in a temporary folder), it
migrates, then times the whole command, process start to exit: `--dry-run` (parse and validate),
the import into the empty database, the re-import over it, with the command's CPU seconds and,
on PostgreSQL, its server backend's. The target is 10 s per import.
Figures only: it always exits 0 once it has run. bench/README.md says what is measured.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.servers import (
    PG_DURABLE,
    ROOT,
    Postgres,
    bytecode_cache,
    make_workdir,
    manage,
    note,
    step,
    stop_on_signals,
)

TARGET_SECONDS = 10.0
NATIONAL_ROWS = 7850
YEAR = 2568
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
WEIGHTS = (
    {n: Decimal("0.30") / 5 for n in range(1, 6)}
    | {n: Decimal("0.30") / 3 for n in (6, 7, 8)}
    | {n: Decimal("0.40") / 2 for n in (9, 10)}
)
CENT = Decimal("0.01")


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


PROVINCES = words(
    "กระบี่ กาญจนบุรี กาฬสินธุ์ กำแพงเพชร ขอนแก่น จันทบุรี ฉะเชิงเทรา ชลบุรี ชัยนาท ชัยภูมิ ชุมพร "
    "เชียงราย เชียงใหม่ ตรัง ตราด ตาก นครนายก นครปฐม นครพนม นครราชสีมา นครศรีธรรมราช นครสวรรค์ "
    "นนทบุรี นราธิวาส น่าน บึงกาฬ บุรีรัมย์ ปทุมธานี ประจวบคีรีขันธ์ ปราจีนบุรี ปัตตานี "
    "พระนครศรีอยุธยา พะเยา พังงา พัทลุง พิจิตร พิษณุโลก เพชรบุรี เพชรบูรณ์ แพร่ ภูเก็ต มหาสารคาม "
    "มุกดาหาร แม่ฮ่องสอน ยโสธร ยะลา ร้อยเอ็ด ระนอง ระยอง ราชบุรี ลพบุรี ลำปาง ลำพูน เลย ศรีสะเกษ "
    "สกลนคร สงขลา สตูล สมุทรปราการ สมุทรสงคราม สมุทรสาคร สระแก้ว สระบุรี สิงห์บุรี สุโขทัย "
    "สุพรรณบุรี สุราษฎร์ธานี สุรินทร์ หนองคาย หนองบัวลำภู อ่างทอง อำนาจเจริญ อุดรธานี อุตรดิตถ์ "
    "อุทัยธานี อุบลราชธานี"
)
# Place names are made of two of these, as many Thai ones are (บาง + เก่า, โคก + สำโรง).
FIRST = words("บาง หนอง ดอน โคก ห้วย นา บ้าน ท่า วัง ทุ่ง เขา คลอง สระ โพธิ์ ป่า ไร่ ลำ แม่ บึง ศรี")
SECOND = words(
    "เก่า ใหม่ ทอง แก้ว งาม หลวง น้อย ใหญ่ สำโรง ยาง ขาม ม่วง ไผ่ จันทร์ พระ ทราย เตย กลาง "
    "สะแก ตะเคียน ชุม ดี เจริญ สวรรค์ ไทร ขี้เหล็ก แดง เหนือ ใต้ ตะวันออก"
)
KINDS = (
    ("องค์การบริหารส่วนตำบล", 68),
    ("เทศบาลตำบล", 27),
    ("เทศบาลเมือง", 3),
    ("เทศบาลนคร", 1),
    ("องค์การบริหารส่วนจังหวัด", 1),
)
HEADER = [
    "org_name",
    "province",
    "district",
    "org_code",
    "fiscal_year",
    *(f"ind_{n}" for n in range(1, 11)),
    "published_score",
    "published_level",
]


# --- the results files -------------------------------------------------------------------------
@dataclass(frozen=True)
class Organisation:
    name: str
    province: str
    district: str
    code: str


def organisations(count: int, rng: random.Random) -> list[Organisation]:
    """COUNT distinct (name, province) pairs, spread over the provinces like the real ones."""
    places = [a + b for a in FIRST for b in SECOND]
    kinds = [kind for kind, share in KINDS for _ in range(share)]
    made: list[Organisation] = []
    seen: set[tuple[str, str]] = set()
    while len(made) < count:
        province = rng.choice(PROVINCES)
        name = rng.choice(kinds) + rng.choice(places)
        if (name, province) in seen:
            continue
        seen.add((name, province))
        district = rng.choice(places) if rng.random() < 0.8 else f"เมือง{province}"
        made.append(Organisation(name, province, district, f"B{len(made) + 1:05d}"))
    return made


def level_of(score: Decimal) -> str:
    """The FY 2566-2568 band of SCORE, sometimes by its other name, as NACC lists publish it."""
    if score >= 95:
        return "ผ่านดีเยี่ยม"
    if score >= 85:
        return "ผ่าน"
    return "ไม่ผ่าน"


def result_row(org: Organisation, year: int, rng: random.Random, index: int) -> list[str]:
    base = rng.uniform(45, 99)
    scores = {
        n: Decimal(str(min(100.0, max(0.0, rng.gauss(base, 9))))).quantize(CENT) for n in WEIGHTS
    }
    overall = sum((scores[n] * w for n, w in WEIGHTS.items()), Decimal(0))
    published = overall.quantize(CENT, ROUND_HALF_UP)
    cells = [f"{scores[n]}" for n in range(1, 11)]
    year_text = str(year)
    published_text = f"{published}"
    level = level_of(published)
    style = index % 4
    if style == 1:  # the whole row in Thai digits, as some offices type it
        cells = [c.translate(THAI_DIGITS) for c in cells]
        year_text = year_text.translate(THAI_DIGITS)
        published_text = published_text.translate(THAI_DIGITS)
    elif style == 2:  # Thai digits in some cells only, spaces around
        cells = [f" {c.translate(THAI_DIGITS)} " if n % 3 == 0 else c for n, c in enumerate(cells)]
    elif style == 3 and index % 8 == 3:  # published figures only
        cells = [""] * 10
    if index % 10 == 5:
        level = ""  # not published
    district = org.district if index % 7 else ""
    return [
        org.name,
        f"จังหวัด{org.province}" if index % 9 == 0 else org.province,
        f"อำเภอ{district}" if district and index % 5 == 0 else district,
        org.code,
        year_text,
        *cells,
        published_text,
        level,
    ]


def write_results(path: Path, orgs: Sequence[Organisation], year: int, seed: int) -> int:
    """Write the file; returns how many indicator scores it carries."""
    rng = random.Random(seed)
    scores = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for index, org in enumerate(orgs):
            row = result_row(org, year, rng, index)
            scores += sum(1 for cell in row[5:15] if cell.strip())
            writer.writerow(row)
    return scores


# --- the databases -----------------------------------------------------------------------------
def base_environ() -> dict[str, str]:
    """Production settings (no DEBUG: Django would keep every query in memory)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return bytecode_cache(env) | {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-import-national-" + "x" * 40,
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
    }


@dataclass
class Backend:
    name: str
    env: dict[str, str]
    reset: Callable[[], None]  # an empty database, migrated
    count: Callable[[str], int]  # rows of a table
    server_cpu: Callable[[], float] | None = None  # CPU seconds of the server's ended connections


@contextmanager
def postgres_backend(workdir: Path) -> Iterator[Backend]:
    with Postgres.start(workdir / "pg", settings=PG_DURABLE) as pg:
        env = pg.environ(base_environ())

        def reset() -> None:
            pg.psql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            manage("migrate", "--noinput", env=env)

        def count(table: str) -> int:
            return int(pg.psql(f"SELECT count(*) FROM {table}"))

        def server_cpu() -> float:
            return reaped_cpu(pg.data / "postmaster.pid")

        yield Backend(f"PostgreSQL {pg.version()}", env, reset, count, server_cpu)


def reaped_cpu(pid_file: Path) -> float:
    """User + system seconds of the postmaster's ended children (Linux): a connection's backend
    exits when its client does, and the postmaster reaps it. Autovacuum workers that end
    meanwhile are counted too (after a bulk write they analyse the tables: work on the same
    cores all the same)."""
    pid = pid_file.read_text().split()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def sqlite_backend(workdir: Path) -> Iterator[Backend]:
    import sqlite3

    path = workdir / "bench.sqlite3"
    env = base_environ() | {"DATABASE_URL": f"sqlite:///{path}"}

    def reset() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        manage("migrate", "--noinput", env=env)

    def count(table: str) -> int:
        with sqlite3.connect(path) as db:
            return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    yield Backend(f"SQLite {sqlite3.sqlite_version}", env, reset, count)


# --- timing ------------------------------------------------------------------------------------
@dataclass
class Timing:
    backend: str
    case: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # the command's own user + system time
    server: list[float] = field(default_factory=list)  # its PostgreSQL backend's, when known
    output: str = ""

    def add(self, wall: float, cpu: float, server: float | None) -> None:
        self.wall.append(wall)
        self.cpu.append(cpu)
        if server is not None:
            self.server.append(server)


def timed(timing: Timing, backend: Backend, *args: str) -> None:
    """Run `manage.py ARGS`, adding its wall-clock and CPU seconds (and its server's) to TIMING."""
    server_before = backend.server_cpu() if backend.server_cpu else 0.0
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = manage(*args, env=backend.env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    server = None
    if backend.server_cpu:
        time.sleep(0.5)  # the postmaster reaps the ended backend
        server = backend.server_cpu() - server_before
    timing.add(wall, cpu, server)
    timing.output = result.stdout.strip()


def run_backend(
    backend: Backend, files: dict[str, Path], rounds: int, expect: Expected
) -> list[Timing]:
    step(f"{backend.name}")
    start = time.perf_counter()
    backend.reset()
    note(f"migrated in {time.perf_counter() - start:.1f} s")
    rows = expect.rows
    startup = Timing(backend.name, "Django start-up only (shell -c pass)")
    dry = Timing(backend.name, "--dry-run (parse + validate)")
    new = Timing(backend.name, f"import {rows:,} new organisations")
    again = Timing(backend.name, f"re-import {rows:,} existing")
    for round_ in range(rounds):
        if round_:
            backend.reset()
        timed(startup, backend, "shell", "--no-imports", "-c", "pass")
        timed(dry, backend, "import_scores", str(files["new"]), "--dry-run")
        timed(new, backend, "import_scores", str(files["new"]))
        check_counts(backend, expect)
        timed(again, backend, "import_scores", str(files["again"]))
        check_counts(backend, expect)
        note(
            f"round {round_ + 1}: start-up {startup.wall[-1]:.2f} s, dry run "
            f"{dry.wall[-1]:.2f} s, new {new.wall[-1]:.2f} s, re-import {again.wall[-1]:.2f} s"
        )
    for timing in (new, again):
        note(f"{timing.case}: {timing.output}")
    return [startup, dry, new, again]


@dataclass(frozen=True)
class Expected:
    rows: int
    scores: int  # indicator scores the file carries


def check_counts(backend: Backend, expect: Expected) -> None:
    """The import wrote what the file holds: one organisation and one year per row, every score."""
    wanted = {
        "assessments_organisation": expect.rows,
        "assessments_assessment": expect.rows,
        "assessments_indicatorscore": expect.scores,
    }
    found = {table: backend.count(table) for table in wanted}
    if found != wanted:
        raise RuntimeError(f"expected rows {wanted}, found {found}")


def report(timings: Sequence[Timing], rows: int) -> None:
    step(
        f"results: the whole `manage.py import_scores FILE` process, {rows:,} rows, "
        f"target < {TARGET_SECONDS:.0f} s wall clock (median of rounds)"
    )
    width = max(len(t.backend) for t in timings)
    case_width = max(len(t.case) for t in timings)
    print(
        f"    {'backend':<{width}}  {'case':<{case_width}}  {'wall s':>7}  {'CPU s':>6}  "
        f"{'server CPU s':>12}  {'rows/s':>7}  target"
    )
    for t in timings:
        wall, cpu = statistics.median(t.wall), statistics.median(t.cpu)
        server = f"{statistics.median(t.server):12.2f}" if t.server else " " * 12
        is_import = t.case.startswith(("import", "re-import"))
        verdict = ("PASS" if wall < TARGET_SECONDS else "FAIL") if is_import else ""
        rate = f"{rows / wall:7,.0f}" if "start-up" not in t.case else " " * 7
        print(
            f"    {t.backend:<{width}}  {t.case:<{case_width}}  {wall:7.2f}  {cpu:6.2f}  "
            f"{server}  {rate}  {verdict}"
        )
    print(flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=NATIONAL_ROWS, help="rows (organisations)")
    parser.add_argument("--year", type=int, default=YEAR, help="fiscal year of the file (B.E.)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds per backend; median shown")
    parser.add_argument("--seed", type=int, default=2569)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the CSV files (folder printed)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_signals()
    workdir = make_workdir("itaportal-bench-import-")
    try:
        step(f"results files in {workdir}")
        rng = random.Random(args.seed)
        orgs = organisations(args.rows, rng)
        files = {"new": workdir / "results-new.csv", "again": workdir / "results-again.csv"}
        scores = write_results(files["new"], orgs, args.year, args.seed)
        if write_results(files["again"], orgs, args.year, args.seed + 1) != scores:
            raise RuntimeError("the two files should give scores to the same organisations")
        expect = Expected(args.rows, scores)
        for path in files.values():
            note(f"{path.name}: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB")
        note(f"machine: {os.cpu_count()} CPUs, load average {load()}")
        timings: list[Timing] = []
        if not args.no_postgres:
            with postgres_backend(workdir) as backend:
                timings += run_backend(backend, files, args.rounds, expect)
        if not args.no_sqlite:
            with sqlite_backend(workdir) as backend:
                timings += run_backend(backend, files, args.rounds, expect)
        note(f"load average {load()}")
        if timings:
            report(timings, args.rows)
    finally:
        if args.keep:
            for path in workdir.iterdir():
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
            note(f"kept the results files in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
