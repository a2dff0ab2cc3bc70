"""Time the portal's official PDFs: WeasyPrint cold and warm, against LibreOffice converting DOCX.

    .venv/bin/python -m bench.render_documents [--rounds 5] [--lo-rounds 3] [--keep] ...
    scripts/portal bench [same arguments]

It uses its own SQLite database (default /tmp/itaportal-bench.sqlite3, migrated and loaded with
the demo data), never the developer's. Figures only: it always exits 0 once it has run.
bench/README.md says what is measured and what the figures do not say.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assessments.models import Organisation
    from reports.documents.builders import Document

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("/tmp/itaportal-bench.sqlite3")
TARGET_PAGES = 10
TARGET_SECONDS = 0.5
LO_PACKAGE = "libreoffice-writer-nogui"
SOFFICE_TIMEOUT = 600
STARTUP_HTML = '<html lang="th"><p style="font-family: Laksaman">เริ่มต้น</p></html>'


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def note(text: str) -> None:
    print(f"    {text}", flush=True)


# --- Django and the bench database ---------------------------------------------------------
def setup_django(db: Path) -> None:
    """Point Django at the bench database (whatever DATABASE_URL says) and start it."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "itaportal.settings"
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "true")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    translation.activate(settings.LANGUAGE_CODE)


def prepare_database(db: Path) -> None:
    from django.core.management import call_command

    db.parent.mkdir(parents=True, exist_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo", stdout=io.StringIO())


@dataclass(frozen=True)
class Job:
    kind: str
    organisation: Organisation
    year: int

    @property
    def label(self) -> str:
        return f"{self.kind} {self.organisation.name} {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.organisation.pk}-{self.year}"


def seed_jobs() -> list[Job]:
    """Every plan of the seed organisations, then the analysis of every assessed year."""
    from assessments.models import Assessment
    from measures.models import MeasurePlan

    order = ("organisation_id", "fiscal_year")
    plans = MeasurePlan.objects.select_related("organisation").order_by(*order)
    years = Assessment.objects.select_related("organisation").order_by(*order)
    return [Job("plan", p.organisation, p.fiscal_year) for p in plans] + [
        Job("analysis", a.organisation, a.fiscal_year) for a in years
    ]


@dataclass
class Prepared:
    job: Job
    document: Document
    html: str
    build_s: float  # build() + html(): the database and the template, not the PDF


def prepare(jobs: Sequence[Job]) -> tuple[list[Prepared], list[tuple[Job, str]]]:
    from reports.documents.builders import DocumentMissing, build

    ready, skipped = [], []
    for job in jobs:
        start = time.perf_counter()
        try:
            document = build(job.kind, job.organisation, job.year)
        except DocumentMissing as missing:
            skipped.append((job, str(missing)))
            continue
        html = document.html()
        ready.append(Prepared(job, document, html, time.perf_counter() - start))
    return ready, skipped


# --- what WeasyPrint and friends log while rendering ---------------------------------------
class WarningLog(logging.Handler):
    """Collects warnings (WeasyPrint's, fontTools', Python's) with the document being rendered."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.where = "setup"
        self.seen: Counter[tuple[str, str, str]] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        self.seen[(self.where, record.name, record.getMessage().strip())] += 1

    @contextmanager
    def at(self, where: str) -> Iterator[None]:
        before, self.where = self.where, where
        try:
            yield
        finally:
            self.where = before

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Route every warning to this log instead of the console, for the duration."""
        root = logging.getLogger()
        handlers = root.handlers[:]
        root.handlers = [self]
        logging.captureWarnings(True)
        try:
            yield
        finally:
            logging.captureWarnings(False)
            root.handlers = handlers


# --- WeasyPrint ----------------------------------------------------------------------------
@dataclass
class WeasyTiming:
    item: Prepared
    pages: int
    cold_s: float
    pdf: bytes
    warm_s: list[float] = field(default_factory=list)

    @property
    def warm(self) -> float:
        return statistics.median(self.warm_s)


def time_weasyprint(
    items: Sequence[Prepared], rounds: int, log: WarningLog
) -> tuple[float, list[WeasyTiming]]:
    """(process start-up, per-document timings).

    Cold: a fresh Renderer (new FontConfiguration and cache) per document, after the process has
    rendered one line once. Warm: the process' shared renderer(), one untimed pass over all
    documents, then `rounds` timed passes (round-robin, so drift hits every document alike).
    """
    from reports.pdf import Renderer, renderer

    with log.at("process start-up"):
        start = time.perf_counter()
        Renderer().render(STARTUP_HTML)
        startup = time.perf_counter() - start

    timings = []
    for item in items:
        with log.at(item.job.label):
            start = time.perf_counter()
            rendered = Renderer().render(item.html)
            cold = time.perf_counter() - start
        timings.append(WeasyTiming(item, rendered.pages, cold, rendered.pdf))

    shared = renderer()
    for timing in timings:
        with log.at(timing.item.job.label):
            shared.render(timing.item.html)
    for _ in range(rounds):
        for timing in timings:
            with log.at(timing.item.job.label):
                start = time.perf_counter()
                rendered = shared.render(timing.item.html)
                timing.warm_s.append(time.perf_counter() - start)
            if rendered.pages != timing.pages:
                log.seen[(timing.item.job.label, "bench", "warm page count differs")] += 1
    return startup, timings


# --- Chromium ------------------------------------------------------------------------------
def time_chromium(timings: Sequence[WeasyTiming], rounds: int, workdir: Path) -> str:
    """Chromium printing the largest plan's HTML, warm: one browser (Playwright, the system's
    Chromium, pinned like this process), the page loaded and printed `rounds` times after one
    untimed print; the median against WeasyPrint's warm median of the same HTML."""
    plans = [t for t in timings if t.item.job.kind == "plan"] or list(timings)
    big = max(plans, key=lambda t: (t.pages, len(t.item.html)))
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return "Chromium: not installed (scripts/portal test installs it); ratio not measured"
    from playwright.sync_api import sync_playwright

    page_file = workdir / "chromium-plan.html"
    page_file.write_text(big.item.html, encoding="utf-8")
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        try:
            page = browser.new_page()
            for _ in range(rounds + 1):
                start = time.perf_counter()
                page.goto(page_file.as_uri())
                pdf = page.pdf(format="A4", prefer_css_page_size=True)
                times.append(time.perf_counter() - start)
        finally:
            browser.close()
    (workdir / "chromium-plan.pdf").write_bytes(pdf)
    chrome = statistics.median(times[1:])
    return (
        f"Chromium printing the same HTML ({big.item.job.label}, load + print, warm, median of "
        f"{plural(rounds, 'round')}): {chrome:.3f} s; WeasyPrint warm {big.warm:.3f} s: "
        f"WeasyPrint / Chromium = {big.warm / chrome:.2f}x"
    )


# --- LibreOffice ---------------------------------------------------------------------------
def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _run_shown(command: list[str]) -> str | None:
    """Run an install step, saying what it runs; None when it worked, else why not."""
    step(" ".join(command))
    start = time.perf_counter()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    proc = subprocess.run(
        command, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, check=False
    )
    if proc.returncode:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return f"`{' '.join(command)}` failed (exit {proc.returncode}): " + " / ".join(tail)
    note(f"done in {time.perf_counter() - start:.0f} s")
    return None


def install_libreoffice() -> str | None:
    """apt-get install LibreOffice Writer (no GUI); None when it worked, else why not."""
    if shutil.which("apt-get") is None:
        return f"soffice is not installed and there is no apt-get here to install {LO_PACKAGE}"
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            return f"soffice is not installed, and installing {LO_PACKAGE} needs root or sudo"
        prefix = ["sudo", "-n"]
    step(f"soffice not found: installing LibreOffice ({LO_PACKAGE}) with apt-get")
    policy = subprocess.run(
        ["apt-cache", "policy", LO_PACKAGE], capture_output=True, text=True, check=False
    ).stdout
    if not re.search(r"Candidate: [^(\s]", policy):
        failed = _run_shown([*prefix, "apt-get", "update", "-qq"])
        if failed:
            return failed
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", LO_PACKAGE]
    return _run_shown([*prefix, *install])


@dataclass
class LibreOffice:
    soffice: str
    profile: Path

    def command(self, files: Sequence[Path], outdir: Path) -> list[str]:
        return [
            self.soffice,
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, files),
        ]

    def version(self) -> str:
        proc = subprocess.run(
            [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--version"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=SOFFICE_TIMEOUT,
        )
        return proc.stdout.strip() or "(unknown version)"

    def convert(self, files: Sequence[Path], outdir: Path) -> tuple[float, str | None]:
        """Wall time of one soffice run converting `files`, and an error if a PDF is missing."""
        outdir.mkdir(parents=True, exist_ok=True)
        for file in files:
            (outdir / f"{file.stem}.pdf").unlink(missing_ok=True)
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                self.command(files, outdir),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                check=False,
                timeout=SOFFICE_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return time.perf_counter() - start, f"soffice took over {SOFFICE_TIMEOUT} s"
        elapsed = time.perf_counter() - start
        missing = [f.name for f in files if not (outdir / f"{f.stem}.pdf").is_file()]
        if proc.returncode or missing:
            tail = " / ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
            return elapsed, f"exit {proc.returncode}, no PDF for {missing or 'none'}: {tail}"
        return elapsed, None


@dataclass
class LoTiming:
    item: Prepared
    docx: Path
    pdf: Path
    pages: int = 0
    single_s: list[float] = field(default_factory=list)

    @property
    def single(self) -> float:
        return statistics.median(self.single_s)


@dataclass
class LoResult:
    version: str
    first_s: float  # the first conversion: creates the throwaway profile
    timings: list[LoTiming]
    batch_s: float | None
    batch_error: str | None
    fonts: list[str]
    errors: list[str]


def count_pages(pdf: Path) -> int:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return len(document.pages)


def pdf_fonts(pdfs: Sequence[Path]) -> list[str]:
    """Base fonts named in the PDFs (LibreOffice writes font dictionaries uncompressed)."""
    names: set[str] = set()
    for pdf in pdfs:
        for raw in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", pdf.read_bytes()):
            names.add(raw.decode("latin-1").split("+", 1)[-1])
    return sorted(names)


def time_libreoffice(
    lo: LibreOffice, items: Sequence[Prepared], rounds: int, workdir: Path
) -> LoResult | str:
    """Build the DOCX files the portal offers for download (reports.documents.docx, not
    timed), then time soffice on them; a string says why not."""
    from reports.documents.docx import document_docx

    docx_dir, single_dir, batch_dir = workdir / "docx", workdir / "lo-single", workdir / "lo-batch"
    docx_dir.mkdir(parents=True, exist_ok=True)
    timings = []
    for item in items:
        path = docx_dir / f"{item.job.slug}.docx"
        path.write_bytes(document_docx(item.document))
        timings.append(LoTiming(item, path, single_dir / f"{path.stem}.pdf"))
    if not timings:
        return "no documents to convert"

    version = lo.version()
    first_s, error = lo.convert([timings[0].docx], single_dir)
    if error:
        return f"the first conversion failed: {error}"
    errors: list[str] = []
    for _ in range(rounds):
        for timing in timings:
            elapsed, error = lo.convert([timing.docx], single_dir)
            if error:
                errors.append(f"{timing.item.job.label}: {error}")
            else:
                timing.single_s.append(elapsed)
    done = [t for t in timings if t.single_s]
    for timing in done:
        timing.pages = count_pages(timing.pdf)
    batch_s, batch_error = lo.convert([t.docx for t in timings], batch_dir)
    return LoResult(
        version=version,
        first_s=first_s,
        timings=done,
        batch_s=None if batch_error else batch_s,
        batch_error=batch_error,
        fonts=pdf_fonts([t.pdf for t in done]),
        errors=errors,
    )


def libreoffice(install: bool, workdir: Path) -> LibreOffice | str:
    soffice = find_soffice()
    if soffice is None:
        if not install:
            return "soffice is not installed (and --no-install was given)"
        failed = install_libreoffice()
        if failed:
            return failed
        soffice = find_soffice()
        if soffice is None:
            return f"{LO_PACKAGE} was installed but no soffice is on PATH"
    return LibreOffice(soffice, workdir / "lo-profile")


# --- the machine ---------------------------------------------------------------------------
def pin(cpu: int) -> str:
    """Pin this process (and so the soffice it starts) to one CPU."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned: this system has no sched_setaffinity"
    allowed = os.sched_getaffinity(0)
    chosen = cpu if cpu in allowed else min(allowed)
    os.sched_setaffinity(0, {chosen})
    moved = "" if chosen == cpu else f" (CPU {cpu} is not available to this process)"
    return f"pinned to CPU {chosen}{moved} with os.sched_setaffinity(0, {{{chosen}}})"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def load() -> str:
    if not hasattr(os, "getloadavg"):
        return "n/a"
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- printing ------------------------------------------------------------------------------
def width(text: str) -> int:
    """Terminal columns: Thai vowel and tone marks sit on their consonant and take none."""
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in text)


def table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> None:
    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        out = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            pad = " " * (w - width(cell))
            out.append(pad + cell if align[i] == "r" else cell + pad)
        return "    " + "  ".join(out).rstrip()

    print(line(header))
    print("    " + "  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def s(seconds: float) -> str:
    return f"{seconds:.3f}"


def org_cell(item: Prepared) -> str:
    return item.job.organisation.name


def report_weasyprint(startup: float, timings: Sequence[WeasyTiming]) -> None:
    """The WeasyPrint table, the throughput and the 10-page-plan target."""
    rows = [
        [
            t.item.job.kind,
            org_cell(t.item),
            str(t.item.job.year),
            str(t.pages),
            s(t.item.build_s),
            s(t.cold_s),
            s(t.warm),
            s(min(t.warm_s)),
            s(t.warm / t.pages),
        ]
        for t in timings
    ]
    pages = sum(t.pages for t in timings)
    warm = sum(t.warm for t in timings)
    cold = sum(t.cold_s for t in timings)
    rows.append(["total", "", "", str(pages), "", s(cold), s(warm), "", s(warm / pages)])
    header = ["kind", "organisation", "year", "pages", "build s", "cold s", "warm s", "min s"]
    table([*header, "warm s/page"], rows, "lllrrrrrr")
    print()
    note(
        f"process start-up (the first WeasyPrint render in this process, one line): {s(startup)} s"
    )
    note(f"warm: {pages} pages in {warm:.3f} s (sum of the medians) = {pages / warm:.2f} pages/s")
    note(f"cold: {pages} pages in {cold:.3f} s = {pages / cold:.2f} pages/s")

    plans = [t for t in timings if t.item.job.kind == "plan"]
    if plans:
        big = max(plans, key=lambda t: (t.pages, len(t.item.html)))
        scaled = big.warm / big.pages * TARGET_PAGES
        verdict = "PASS" if scaled <= TARGET_SECONDS else "FAIL"
        print()
        note(
            f'target: "a {TARGET_PAGES}-page plan in {TARGET_SECONDS:g} s or less warm on one core"'
        )
        note(
            f"largest plan: {big.item.job.label}, {big.pages} pages, warm median "
            f"{big.warm:.3f} s -> {big.warm:.3f} / {big.pages} x {TARGET_PAGES} = "
            f"{scaled:.3f} s per {TARGET_PAGES} pages: {verdict}"
        )
    else:
        note("target: no plan was rendered, so the 10-page-plan target is not measured")


def report_libreoffice(result: LoResult) -> tuple[float, float | None]:
    """The LibreOffice table; returns seconds per document: one soffice each, and batch."""
    rows = [
        [
            t.item.job.kind,
            org_cell(t.item),
            str(t.item.job.year),
            str(t.pages),
            s(t.single),
            s(min(t.single_s)),
            s(t.single / t.pages),
        ]
        for t in result.timings
    ]
    pages = sum(t.pages for t in result.timings)
    single = sum(t.single for t in result.timings)
    rows.append(["total", "", "", str(pages), s(single), "", s(single / pages)])
    header = ["kind", "organisation", "year", "pages", "soffice s", "min s", "s/page"]
    table(header, rows, "lllrrrr")
    print()
    n = len(result.timings)
    note(f"first conversion (creates the throwaway profile, not counted): {s(result.first_s)} s")
    note(
        f"one soffice per document: {pages} pages in {single:.3f} s = {pages / single:.2f} pages/s"
    )
    batch_per_doc = None
    if result.batch_s is not None:
        batch_per_doc = result.batch_s / n
        note(
            f"one soffice for all {n} documents: {result.batch_s:.3f} s = "
            f"{batch_per_doc:.3f} s per document, {pages / result.batch_s:.2f} pages/s"
        )
    else:
        note(f"batch conversion failed: {result.batch_error}")
    note(f"fonts in LibreOffice's PDFs: {', '.join(result.fonts) or '(none found)'}")
    for error in result.errors:
        note(f"conversion failed: {error}")
    return single / n, batch_per_doc


def report_comparison(
    wp: Sequence[WeasyTiming], lo: LoResult, lo_single: float, lo_batch: float | None
) -> None:
    labels = {t.item.job.label for t in lo.timings}
    same = [t for t in wp if t.item.job.label in labels]
    n = len(same)
    wp_doc = sum(t.warm for t in same) / n
    wp_page = sum(t.warm for t in same) / sum(t.pages for t in same)
    wp_cold = sum(t.cold_s for t in same) / n
    lo_pages = sum(t.pages for t in lo.timings)
    rows = [
        ["WeasyPrint, warm (shared renderer)", s(wp_doc), s(wp_page), "1.00x", "1.00x"],
        ["WeasyPrint, cold (fresh renderer)", s(wp_cold), "", f"{wp_cold / wp_doc:.2f}x", ""],
        [
            "LibreOffice, one soffice per document",
            s(lo_single),
            s(lo_single * n / lo_pages),
            f"{lo_single / wp_doc:.2f}x",
            f"{lo_single * n / lo_pages / wp_page:.2f}x",
        ],
    ]
    if lo_batch is not None:
        rows.append(
            [
                f"LibreOffice, one soffice for all {n}",
                s(lo_batch),
                s(lo_batch * n / lo_pages),
                f"{lo_batch / wp_doc:.2f}x",
                f"{lo_batch * n / lo_pages / wp_page:.2f}x",
            ]
        )
    header = ["path", "s/document", "s/page", "÷ WeasyPrint warm", "per page"]
    table(header, rows, "lrrrr")
    print()
    ways = [("one soffice per document", lo_single)]
    if lo_batch is not None:
        ways.append(("one soffice for all", lo_batch))
    note(
        "LibreOffice per document / WeasyPrint warm per document: "
        + ", ".join(f"{lo / wp_doc:.2f} ({way})" for way, lo in ways)
    )
    note(
        "the same per page: "
        + ", ".join(f"{lo * n / lo_pages / wp_page:.2f} ({way})" for way, lo in ways)
    )
    # The verdict holds only when WeasyPrint beats every way of running LibreOffice.
    best_way, best = min(ways, key=lambda w: w[1])
    detail = "; ".join(f"{'yes' if wp_doc < lo else 'no'} against {way}" for way, lo in ways)
    note(
        f"faster than the LibreOffice path: {'yes' if wp_doc < best else 'no'} "
        f"({detail}: WeasyPrint warm {wp_doc:.3f} s per document, LibreOffice's best "
        f"{best:.3f} s, {best_way})"
    )


def report_warnings(log: WarningLog) -> None:
    if not log.seen:
        note("warnings while rendering: none")
        return
    note(f"warnings while rendering ({sum(log.seen.values())}):")
    for (where, logger, message), count in sorted(log.seen.items()):
        note(f"  [{logger}] {where}: {message}" + (f" (x{count})" if count > 1 else ""))


# --- main ----------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.render_documents",
        description="Time the portal's plan and analysis PDFs: WeasyPrint cold and warm on one "
        "core, against LibreOffice converting the same content as DOCX.",
    )
    parser.add_argument("--rounds", type=int, default=5, help="warm WeasyPrint rounds (5)")
    parser.add_argument(
        "--lo-rounds", type=int, default=3, help="soffice runs per document, median taken (3)"
    )
    parser.add_argument("--cpu", type=int, default=0, help="the CPU to pin to (0)")
    parser.add_argument(
        "--db", type=Path, default=DEFAULT_DB, help=f"bench SQLite file ({DEFAULT_DB})"
    )
    parser.add_argument("--keep", action="store_true", help="keep the DOCX and PDFs, print where")
    parser.add_argument("--no-libreoffice", action="store_true", help="time WeasyPrint only")
    parser.add_argument(
        "--no-install", action="store_true", help="do not apt-get install LibreOffice if missing"
    )
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.lo_rounds < 1:
        parser.error("--rounds and --lo-rounds must be at least 1")
    args.db = args.db.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    step(f"bench database {args.db} (migrate + load_demo; DATABASE_URL is set to it)")
    start = time.perf_counter()
    setup_django(args.db)
    prepare_database(args.db)
    note(f"ready in {time.perf_counter() - start:.1f} s")

    items, skipped = prepare(seed_jobs())
    step(f"{len(items)} documents to render, {len(skipped)} skipped")
    for job, why in skipped:
        note(f"skipped {job.label}: {why}")
    if not items:
        note("nothing to render")
        return 0

    workdir = Path(tempfile.mkdtemp(prefix="itaportal-bench-"))
    try:
        lo: LibreOffice | str = "--no-libreoffice was given"
        if not args.no_libreoffice:
            lo = libreoffice(not args.no_install, workdir)

        import weasyprint

        step(
            f"machine: {cpu_model()}, {os.cpu_count()} CPUs, load average {load()}; "
            f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}"
        )
        note(pin(args.cpu) + "; everything below runs on that one core")

        log = WarningLog()
        step(
            f"WeasyPrint: cold = a fresh Renderer per document; warm = the shared renderer(), "
            f"median of {plural(args.rounds, 'round')} after one untimed pass"
        )
        with log.collecting():
            startup, wp = time_weasyprint(items, args.rounds, log)
        out = workdir / "weasyprint"
        out.mkdir()
        for timing in wp:
            (out / f"{timing.item.job.slug}.pdf").write_bytes(timing.pdf)
        report_weasyprint(startup, wp)
        report_warnings(log)
        step("Chromium against WeasyPrint")
        note(time_chromium(wp, args.rounds, workdir))

        if isinstance(lo, str):
            step("LibreOffice path skipped")
            note(lo)
            note("faster than the LibreOffice path: not measured")
        else:
            step(
                "LibreOffice: the portal's own DOCX (reports.documents.docx, not timed), "
                f"then `soffice --headless --convert-to pdf` per document, median of "
                f"{plural(args.lo_rounds, 'run')} after one warm-up run, and once as a batch"
            )
            result = time_libreoffice(lo, items, args.lo_rounds, workdir)
            if isinstance(result, str) or not result.timings:
                why = result if isinstance(result, str) else "; ".join(result.errors)
                note(f"LibreOffice path skipped: {why}")
                note("faster than the LibreOffice path: not measured")
            else:
                note(result.version)
                lo_single, lo_batch = report_libreoffice(result)
                step(f"WeasyPrint against LibreOffice on the same {len(result.timings)} documents")
                report_comparison(wp, result, lo_single, lo_batch)
        step(f"done; load average now {load()}")
    finally:
        if args.keep:
            note(f"DOCX and PDFs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
