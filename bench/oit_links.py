"""How many addresses a second the OIT link checker gets through, against a local website.

    .venv/bin/python -m bench.oit_links [--urls 400] [--workers 1,4,8] [--timeout 2] [--latency 50]
    scripts/portal bench-links [same arguments]

A local http.server (threads, on 127.0.0.1) serves a mix like an office's checklist: HTML pages
(60 %), PDFs of 30 pages (20 %; half name their year only on their first page), 404s (15 %)
and pages that never answer (5 %), each answer
after --latency ms, as a website across the country would. A throwaway SQLite database
(--db, migrated once) holds one organisation's checklist whose pages and evidence links are
those addresses, all different; `reports.oit.links.entries_check` checks them, writing its
LinkCheck rows, once per --workers value (settings.OIT_LINK_WORKERS). Prints the URLs per second
overall and without the timeouts, the load average before and after each run. Figures only: it
always exits 0. bench/README.md says what the figures do not say.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = Path("/tmp/itaportal-bench-links.sqlite3")
MIX = {"page": 60, "pdf": 20, "missing": 15, "timeout": 5}  # per cent of the addresses


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def note(text: str) -> None:
    print(f"    {text}", flush=True)


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def pdf_of(pages: int, title: str) -> bytes:
    """A PDF of `pages` pages of text written by hand, with `title` in its metadata."""
    hex_title = title.encode("utf-16-be").hex().upper()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (5 + 2 * n) for n in range(pages)), pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title <FEFF{hex_title}> >>".encode("ascii"),
    ]
    for n in range(pages):
        lines = " ".join(f"(Procurement report 2568, line {i}) Tj T*" for i in range(45))
        stream = f"BT /F1 11 Tf 14 TL 60 800 Td {lines} ET".encode("ascii")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (6 + 2 * n)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


PAGE = (
    "<!doctype html><html lang='th'><head><meta charset='utf-8'>"
    "<title>แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๙</title></head><body>"
    + "<h1>แผนปฏิบัติการป้องกันการทุจริต</h1>"
    + "<p>เทศบาลตำบลตัวอย่าง ข้อมูลข่าวสาร</p>" * 400
    + "</body></html>"
).encode()


class Site(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64
    latency = 0.0
    release = threading.Event()
    pdfs: tuple[bytes, ...] = ()


class Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        kind = self.path.split("/")[1]
        time.sleep(self.server.latency)
        if kind == "timeout":
            self.server.release.wait(60)
            return
        status, content_type, body = {
            "page": (200, "text/html; charset=utf-8", PAGE),
            # half the PDFs name their year in their title, half only on their first page
            "pdf": (200, "application/pdf", self.server.pdfs[int(self.path.split("/")[2]) % 2]),
        }.get(kind, (404, "text/html", b"<title>404</title>"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "itaportal.settings"
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "true")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def checklist(urls: list[str]) -> list[Any]:
    """One organisation's checklist of FY 2569 holding `urls`: each item's page, then evidence
    links spread over the items."""
    from assessments.models import Item, Organisation
    from reports.oit.models import LinkCheck, OitEntry, OitEvidence

    LinkCheck.objects.all().delete()
    OitEvidence.objects.all().delete()
    OitEntry.objects.all().delete()
    org, _ = Organisation.objects.get_or_create(
        name="เทศบาลตำบลทดสอบลิงก์", province="เพชรบุรี", defaults={"kind": "subdistrict"}
    )
    org.website = "http://127.0.0.1/"
    org.save()
    items = Item.objects.filter(
        indicator__instrument__all_or_nothing=True,
        indicator__instrument__framework__first_year__lte=2569,
        indicator__instrument__framework__last_year__gte=2569,
    ).order_by("pk")
    entries = [
        OitEntry.objects.create(organisation=org, fiscal_year=2569, item=item, url=url)
        for item, url in zip(items, urls, strict=False)
    ]
    for n, url in enumerate(urls[len(entries) :]):
        OitEvidence.objects.create(entry=entries[n % len(entries)], title=f"หลักฐาน {n}", link=url)
    return entries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=400)
    parser.add_argument("--workers", default="1,4,8", help="comma-separated thread counts")
    parser.add_argument("--timeout", type=float, default=2.0, help="seconds per address")
    parser.add_argument("--latency", type=float, default=50.0, help="ms before each answer")
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    args = parser.parse_args()

    step(f"machine: {os.cpu_count()} CPUs, load average {load()}")
    setup_django(args.db)
    from django.conf import settings
    from django.core.management import call_command

    from reports.oit import links

    call_command("migrate", interactive=False, verbosity=0)
    site = Site(("127.0.0.1", 0), Handler)
    site.latency = args.latency / 1000
    site.pdfs = (
        pdf_of(30, "รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๘"),
        pdf_of(30, "Microsoft Word - o12.docx"),
    )
    threading.Thread(target=site.serve_forever, daemon=True).start()
    port = site.server_address[1]
    settings.OIT_LINK_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
    settings.OIT_LINK_TIMEOUT_SECONDS = args.timeout
    settings.OIT_LINK_CONNECT_TIMEOUT_SECONDS = args.timeout
    kinds = [kind for kind, share in MIX.items() for _ in range(share)]
    random.Random(0).shuffle(kinds)  # mixed in every hundred, as a checklist has them
    urls = [f"http://127.0.0.1:{port}/{kinds[n % len(kinds)]}/{n}" for n in range(args.urls)]
    counts = Counter(url.split("/")[3] for url in urls)
    note(
        f"{len(urls)} addresses: "
        + ", ".join(f"{counts[k]} {k}" for k in MIX)
        + f"; PDFs of {len(site.pdfs[0]) // 1024} kB and 30 pages (half with no year in the"
        f" title), pages of {len(PAGE) // 1024} kB; "
        f"answers after {args.latency:g} ms; timeout {args.timeout:g} s"
    )
    for workers in (int(w) for w in args.workers.split(",")):
        entries = checklist(urls)
        settings.OIT_LINK_WORKERS = workers
        before = load()
        start = time.perf_counter()
        summary = links.entries_check(entries=entries)
        seconds = time.perf_counter() - start
        answered = summary.addresses - counts["timeout"]
        step(f"{workers} threads: load average {before} before, {load()} after")
        note(
            f"{summary.addresses} addresses in {seconds:.1f} s: "
            f"{summary.addresses / seconds:.1f} URLs/s; {summary.healthy} healthy, "
            f"{summary.broken} broken ({counts['timeout']} of them timed out)"
        )
        timeouts_alone = counts["timeout"] * args.timeout / workers
        if seconds > timeouts_alone:
            note(
                f"without the timeouts (their {timeouts_alone:.1f} s of the threads' time "
                f"taken out): {answered / (seconds - timeouts_alone):.1f} URLs/s"
            )
    site.release.set()
    site.shutdown()


if __name__ == "__main__":
    main()
