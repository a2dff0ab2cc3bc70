"""A local website for the OIT link checker: http.server in a thread on 127.0.0.1, serving what
organisations' websites really answer (a page with a Thai title, a 404, a redirect loop, a page
that never answers, a 500 MB file, PDFs of the wrong year, redirects to private addresses).

`link_server` is one server for the whole run; `links_allowed` lets the checker reach it (only
it: the production rule stays for every other loopback or private address) with short timeouts.
"""

from __future__ import annotations

import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

# What the checker is given in tests: a page that takes longer is "too slow".
TIMEOUT_SECONDS = 1.0
BIG_FILE_BYTES = 500 * 1024 * 1024
PAGE_TITLE = "แผนปฏิบัติการป้องกันการทุจริต ประจำปีงบประมาณ พ.ศ. ๒๕๖๙"
OLD_PDF_TITLE = "รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"


def tiny_pdf(*, title: str = "", text: str) -> bytes:
    """A one-page PDF written by hand: `text` (ASCII) in Helvetica on the page, `title` (any
    language, UTF-16) in its metadata when given."""
    stream = f"BT /F1 14 Tf 72 770 Td ({text}) Tj ET".encode("ascii")
    info = f"<< /Title <FEFF{title.encode('utf-16-be').hex().upper()}> >>" if title else "<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        info.encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


OLD_PDF = tiny_pdf(title=OLD_PDF_TITLE, text="Annual report")
REPORT_PDF = tiny_pdf(text="Procurement report, fiscal year 2568")
PAGE = (
    "<!doctype html><html lang='th'><head><meta charset='utf-8'>"
    f"<title>{PAGE_TITLE}</title></head>"
    "<body><h1>แผนปฏิบัติการป้องกันการทุจริต</h1><p>เทศบาลตำบลบางเก่า</p></body></html>"
).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: LinkServer


@dataclass
class LinkServer:
    """The running server: its address, and the requests it has seen."""

    server: _Server
    requests: list[str] = field(default_factory=list)
    big_file_sent: list[int] = field(default_factory=list)  # bytes written, once it stopped
    big_file_done: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def host_port(self) -> str:
        return f"127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"http://{self.host_port}{path}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append(self.path)
        route = ROUTES.get(self.path.split("?")[0])
        if route is None:
            self.send(404, "text/html; charset=utf-8", b"<title>Not found</title>")
            return
        route(self, site)

    def send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def _slow(handler: _Handler, site: LinkServer) -> None:
    site.release.wait(TIMEOUT_SECONDS * 5)  # far longer than the checker waits
    handler.send(200, "text/html; charset=utf-8", PAGE)


def _big_file(handler: _Handler, site: LinkServer) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "application/pdf")
    handler.send_header("Content-Length", str(BIG_FILE_BYTES))
    handler.end_headers()
    sent, chunk = 0, bytes(64 * 1024)
    try:
        while sent < BIG_FILE_BYTES and not site.release.is_set():
            handler.wfile.write(chunk)
            handler.wfile.flush()
            sent += len(chunk)
            time.sleep(0.01)  # slowly: reading it all would take over a minute
    except OSError:  # the checker hung up
        pass
    finally:
        site.big_file_sent.append(sent)
        site.big_file_done.set()


ROUTES: dict[str, Callable[[_Handler, LinkServer], None]] = {
    "/ita/o1": lambda h, s: h.send(200, "text/html; charset=utf-8", PAGE),
    "/moved": lambda h, s: h.redirect("/ita/o1", 301),
    "/loop/a": lambda h, s: h.redirect("/loop/b"),
    "/loop/b": lambda h, s: h.redirect("/loop/a"),
    "/slow": _slow,
    "/big.pdf": _big_file,
    "/old.pdf": lambda h, s: h.send(200, "application/pdf", OLD_PDF),
    "/report.pdf": lambda h, s: h.send(200, "application/octet-stream", REPORT_PDF),
    # the same server, on another loopback address: a private address all the same
    "/to-loopback": lambda h, s: h.redirect(f"http://127.0.0.2:{s.port}/ita/o1"),
    "/to-private": lambda h, s: h.redirect("http://10.0.0.1/ita/o1"),
    "/to-nowhere": lambda h, s: h.redirect("http://[bangkao/ita/o1"),
}


@pytest.fixture(scope="session")
def link_server() -> Iterator[LinkServer]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.site = LinkServer(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.site.release.set()
        server.shutdown()
        server.server_close()


@dataclass
class TlsServer:
    """The same website over HTTPS, with a certificate for 127.0.0.1 that no system trusts."""

    site: LinkServer
    certificate: Path


@pytest.fixture(scope="session")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.site = LinkServer(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield TlsServer(server.site, cert)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def links_allowed(link_server: LinkServer, settings: Any) -> LinkServer:
    """The checker may reach the local server (and nothing else on loopback), and waits
    TIMEOUT_SECONDS at most; the server's request log starts empty."""
    settings.OIT_LINK_ALLOWED_HOSTS = [link_server.host_port]
    settings.OIT_LINK_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    settings.OIT_LINK_CONNECT_TIMEOUT_SECONDS = TIMEOUT_SECONDS
    link_server.requests.clear()
    return link_server
