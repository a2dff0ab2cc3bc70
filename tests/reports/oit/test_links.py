"""One address checked as NACC's adviser would open it, against a local website: what a healthy
page, a broken link, a loop, a slow page, a huge file and a PDF of the wrong year give, and that
no request ever leaves for a private or loopback address outside the tests' own server."""

from __future__ import annotations

import socket
import ssl
import time
from typing import Any

import pytest

from reports.oit import links
from reports.oit.links import link_check
from tests.reports.oit.conftest import BIG_FILE_BYTES, OLD_PDF, PAGE_TITLE, LinkServer, TlsServer

PRIVATE = "ที่อยู่เว็บนี้นำไปสู่เครือข่ายภายใน ระบบจึงไม่เปิด"  # a name that resolves there
PRIVATE_TYPED = "ที่อยู่นี้ชี้ไปที่เครือข่ายภายใน กรุณาใส่ที่อยู่บนเว็บไซต์สาธารณะ"  # an address


def test_it_reads_the_thai_title_and_fiscal_year_of_a_page(links_allowed: LinkServer) -> None:
    result = link_check(links_allowed.url("/ita/o1"))
    assert result.ok and result.problem == ""
    assert result.reachable and result.status_code == 200
    assert result.content_type == "text/html"
    assert result.title == PAGE_TITLE
    assert result.year_found == 2569
    assert result.redirects == [] and result.final_url == links_allowed.url("/ita/o1")


def test_it_follows_a_redirect_and_keeps_the_chain(links_allowed: LinkServer) -> None:
    result = link_check(links_allowed.url("/moved"))
    assert result.ok and result.status_code == 200 and result.year_found == 2569
    assert result.redirects == [{"url": links_allowed.url("/moved"), "status": 301}]
    assert result.final_url == links_allowed.url("/ita/o1")


@pytest.mark.parametrize(("thai_digits", "problem"), [(True, "๔๐๔"), (False, "404")])
def test_it_calls_a_404_a_broken_link_in_the_organisations_digits(
    links_allowed: LinkServer, thai_digits: bool, problem: str
) -> None:
    result = link_check(links_allowed.url("/ita/o99"), thai_digits=thai_digits)
    assert not result.ok and result.reachable and result.status_code == 404
    assert result.problem == f"ลิงก์เสีย: เว็บไซต์ตอบ {problem}"


def test_it_stops_a_redirect_loop(links_allowed: LinkServer) -> None:
    result = link_check(links_allowed.url("/loop/a"))
    assert result.problem == "เปลี่ยนเส้นทางวนซ้ำ"
    assert [hop["url"] for hop in result.redirects] == [
        links_allowed.url("/loop/a"),
        links_allowed.url("/loop/b"),
    ]
    assert links_allowed.requests == ["/loop/a", "/loop/b"]  # not a third time


def test_it_gives_up_on_a_page_slower_than_the_timeout(links_allowed: LinkServer) -> None:
    result = link_check(links_allowed.url("/slow"))
    assert not result.ok and result.status_code is None
    assert result.problem == "ตอบช้าเกิน ๑ วินาที"


def test_it_judges_a_500_mb_file_by_its_headers_without_downloading_it(
    links_allowed: LinkServer,
) -> None:
    links_allowed.big_file_done.clear()
    links_allowed.big_file_sent.clear()
    result = link_check(links_allowed.url("/big.pdf"))
    # healthy, not "too slow": the checker did not sit reading until its timeout
    assert result.ok and result.status_code == 200 and result.problem == ""
    assert result.size == BIG_FILE_BYTES and result.content_type == "application/pdf"
    assert result.title == "" and result.year_found is None
    assert links_allowed.big_file_done.wait(10)  # the server saw the checker hang up
    assert links_allowed.big_file_sent[0] < links.READ_LIMIT_BYTES


def test_it_reads_the_year_of_a_pdf_from_its_title(links_allowed: LinkServer) -> None:
    result = link_check(links_allowed.url("/old.pdf"))
    assert result.ok and result.content_type == "application/pdf"
    assert result.size == len(OLD_PDF)
    assert result.title == "รายงานผลการดำเนินงาน ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
    assert result.year_found == 2567


def test_it_reads_the_year_of_a_pdf_from_its_first_page(links_allowed: LinkServer) -> None:
    result = link_check(links_allowed.url("/report.pdf"))  # served as application/octet-stream
    assert result.title == "Procurement report, fiscal year 2568"
    assert result.year_found == 2568


@pytest.mark.parametrize("path", ["/to-loopback", "/to-private"])
def test_it_refuses_a_redirect_to_a_private_address(links_allowed: LinkServer, path: str) -> None:
    result = link_check(links_allowed.url(path))
    assert not result.ok
    assert result.problem == PRIVATE_TYPED
    assert len(result.redirects) == 1
    # the loopback redirect points at this very server (on 127.0.0.2): nothing reached it
    assert links_allowed.requests == [path]


def test_with_the_production_rule_loopback_is_refused_before_any_request(
    link_server: LinkServer, settings: Any
) -> None:
    settings.OIT_LINK_ALLOWED_HOSTS = []
    link_server.requests.clear()
    result = link_check(link_server.url("/ita/o1"))
    assert not result.ok and not result.reachable and result.status_code is None
    assert result.problem == PRIVATE_TYPED
    assert link_server.requests == []


def _dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, str]) -> list[str]:
    """Answer name lookups from `answers` (DNS is outside the machine); returns the names asked."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def lookup(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        asked.append(host)
        return real(answers.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    return asked


def test_it_refuses_a_name_that_resolves_to_a_private_address(
    links_allowed: LinkServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dns(monkeypatch, {"intranet.bangkao.go.th": "127.0.0.1"})
    result = link_check(f"http://intranet.bangkao.go.th:{links_allowed.port}/ita/o1")
    assert result.problem == PRIVATE
    assert links_allowed.requests == []


def test_it_connects_to_the_address_it_checked_and_judges_the_domain(
    links_allowed: LinkServer, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One lookup per address (no second one for the connection, which a rebinding DNS server
    could answer differently), and the page is on the organisation's own website."""
    settings.OIT_LINK_ALLOWED_HOSTS = [f"www.bangkao.go.th:{links_allowed.port}"]
    asked = _dns(monkeypatch, {"www.bangkao.go.th": "127.0.0.1"})
    result = link_check(
        f"http://www.bangkao.go.th:{links_allowed.port}/moved", website="https://bangkao.go.th"
    )
    assert result.ok and result.on_own_domain is True and result.year_found == 2569
    assert asked == ["www.bangkao.go.th", "www.bangkao.go.th"]  # the page and its redirect


def test_a_page_off_the_organisations_website_is_flagged(links_allowed: LinkServer) -> None:
    result = link_check(links_allowed.url("/ita/o1"), website="https://www.bangkao.go.th")
    assert result.on_own_domain is False and not result.ok
    assert result.problem == "ไม่อยู่บนเว็บไซต์ของหน่วยงาน (127.0.0.1)"


@pytest.mark.parametrize(
    ("url", "website", "own"),
    [
        ("https://www.bangkao.go.th/ita/o1", "https://www.bangkao.go.th", True),
        ("https://bangkao.go.th/o1.pdf", "https://www.bangkao.go.th/", True),
        ("https://ita.bangkao.go.th/o1.pdf", "http://bangkao.go.th", True),
        ("https://drive.google.com/file/d/1", "https://www.bangkao.go.th", False),
        ("https://notbangkao.go.th/o1", "https://bangkao.go.th", False),
        ("https://www.bangkao.go.th/ita/o1", "", None),
    ],
)
def test_it_counts_www_and_subdomains_as_the_organisations_website(
    url: str, website: str, own: bool | None
) -> None:
    assert links.own_domain(url, website) is own


def test_an_address_that_is_not_a_web_page_is_never_fetched(links_allowed: LinkServer) -> None:
    result = link_check("ftp://www.bangkao.go.th/o1.pdf")
    assert result.problem == "ที่อยู่เว็บต้องขึ้นต้นด้วย http:// หรือ https://"
    assert not result.reachable


def test_a_redirect_to_an_unreadable_address_is_a_problem_not_a_crash(
    links_allowed: LinkServer,
) -> None:
    result = link_check(links_allowed.url("/to-nowhere"))
    assert result.problem == "ลิงก์เสีย: อ่านคำตอบของเว็บไซต์ไม่ได้"


def test_it_refuses_a_certificate_nobody_vouches_for(tls_server: TlsServer, settings: Any) -> None:
    settings.OIT_LINK_ALLOWED_HOSTS = [tls_server.site.host_port]
    result = link_check(f"https://{tls_server.site.host_port}/ita/o1")
    assert not result.ok and result.status_code is None
    assert result.problem == "ตรวจสอบใบรับรอง HTTPS ของเว็บไซต์ไม่ได้"


def test_it_reads_a_page_over_https(
    tls_server: TlsServer, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Certificate checked against the name asked for, on the connection made to the address
    that was checked."""
    settings.OIT_LINK_ALLOWED_HOSTS = [tls_server.site.host_port]
    trusting = ssl.create_default_context(cafile=str(tls_server.certificate))
    monkeypatch.setattr(links.ssl, "create_default_context", lambda: trusting)
    result = link_check(f"https://{tls_server.site.host_port}/moved")
    assert result.ok and result.status_code == 200 and result.year_found == 2569
    assert result.final_url == f"https://{tls_server.site.host_port}/ita/o1"


def test_a_website_that_does_not_speak_https_on_its_https_address(
    links_allowed: LinkServer,
) -> None:
    result = link_check(f"https://{links_allowed.host_port}/ita/o1")  # plain HTTP answers
    assert result.problem == "ลิงก์เสีย: เชื่อมต่อ HTTPS กับเว็บไซต์ไม่สำเร็จ"


class _ClosingAtItsEnd:
    """A response as Python 3.13's http.client hands it over: reading the last byte of a body of
    known length closes it, and the socket with it (3.12 waited for an empty read)."""

    def __init__(self, body: bytes, sock: socket.socket) -> None:
        self.body, self.sock = body, sock

    def isclosed(self) -> bool:
        return self.sock.fileno() == -1

    def read1(self, size: int) -> bytes:
        chunk, self.body = self.body[:size], self.body[size:]
        if not self.body:
            self.sock.close()
        return chunk


def test_it_reads_a_body_whose_end_closes_the_connection() -> None:
    mine, theirs = socket.socketpair()
    with mine, theirs:
        response: Any = _ClosingAtItsEnd(b"<title>2568</title>", mine)
        deadline = time.monotonic() + 10
        assert links._read(response, mine, deadline=deadline, thai_digits=True) == (
            b"<title>2568</title>",
            True,
        )
