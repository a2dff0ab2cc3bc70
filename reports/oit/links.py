"""The OIT link checker: does each address of a checklist answer, where does it end, on whose
website, and which title and fiscal year does the page or PDF show?

One address is checked by `link_check`, with the standard library: the name is resolved here and
every address it resolves to must be public (`addresses.is_public_address`), then the connection
goes to the very address that was checked (no second lookup: no DNS rebinding), and each redirect
is checked the same way before it is followed. Only the host:port pairs of
`settings.OIT_LINK_ALLOWED_HOSTS` (the tests' local server; empty in production) skip the rule.
Bodies are read only for HTML and PDF, at most READ_LIMIT_BYTES: a 500 MB file is judged by its
headers. `entries_check` checks every address of a set of checklist entries in a small thread pool
and keeps one LinkCheck row per address and run (the history), which `selectors.latest_checks`
reads back.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import io
import ipaddress
import logging
import re
import socket
import ssl
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pdfplumber
from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from itaportal import thai
from measures.schedule import fiscal_year_of, oit_answers_due
from reports.oit import years
from reports.oit.addresses import address_problem, is_allowed_host, is_public_address
from reports.oit.models import LinkCheck, OitEntry, OitEvidence

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
# What is read of an HTML page or a PDF to find its title and year; a larger PDF is not read.
READ_LIMIT_BYTES = 2 * 1024 * 1024
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TITLE_LENGTH = 300  # LinkCheck.title
USER_AGENT = "ITA-Portal-link-checker/1.0 (+https://github.com/ita-portal)"
# How old an entry's last check may be before the scheduled run (cron, every 3 hours) checks it
# again: once a day (a little under 24 hours, so that the run at the same hour the next day finds
# it due), and every 6 hours in the last week before NACC's OIT deadline, when a broken page
# costs the item (due after 5 hours, so the second run after a check takes it).
RECHECK_AFTER = dt.timedelta(hours=22)
RECHECK_AFTER_DEADLINE_WEEK = dt.timedelta(hours=5)
DEADLINE_WEEK = dt.timedelta(days=7)


@dataclass
class LinkResult:
    """What one address answered. `problem` is empty when the link is healthy."""

    url: str
    reachable: bool = False
    status_code: int | None = None
    final_url: str = ""
    redirects: list[dict[str, Any]] = field(default_factory=list)
    content_type: str = ""
    size: int | None = None
    title: str = ""
    year_found: int | None = None
    on_own_domain: bool | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


class _Problem(Exception):
    """Why an address is not healthy, in Thai; stops the check."""


def _seconds(value: float, thai_digits: bool) -> str:
    return thai.digits(f"{value:g}", thai_digits)


def _timeout(thai_digits: bool) -> _Problem:
    seconds = _seconds(settings.OIT_LINK_TIMEOUT_SECONDS, thai_digits)
    return _Problem(_("Too slow: no answer within %(seconds)s seconds.") % {"seconds": seconds})


def _remaining(deadline: float, thai_digits: bool) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _timeout(thai_digits)
    return left


def bare_host(host: str | None) -> str:
    """A host name as the domain rule compares it: lower case, no final dot, no "www."."""
    host = (host or "").lower().rstrip(".")
    return host.removeprefix("www.")


def own_domain(url: str, website: str) -> bool | None:
    """Whether `url` is on the organisation's website (its host, with or without www., or any
    subdomain of it); None when the organisation has not given its website."""
    site = bare_host(urlsplit(website).hostname) if website else ""
    if not site:
        return None
    try:
        host = bare_host(urlsplit(url).hostname)
    except ValueError:
        return False
    return host == site or host.endswith("." + site)


@dataclass(frozen=True)
class _Target:
    https: bool
    host: str  # ASCII (IDNA) name or address, without brackets
    port: int
    path: str  # path and query, percent-encoded

    @property
    def allowed(self) -> bool:
        """One of the tests' local servers, which may be on loopback."""
        return is_allowed_host(self.host, self.port)


def _target(url: str) -> _Target:
    """Parse an address the checker may fetch, or say in Thai why not."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname or "", parts.port
    except ValueError as error:
        raise _Problem(_("This is not a web address.")) from error
    https = parts.scheme.lower() == "https"
    try:
        ascii_host = host.encode("idna").decode("ascii") if host else ""
    except UnicodeError as error:
        raise _Problem(_("This is not a web address.")) from error
    target = _Target(
        https=https,
        host=ascii_host,
        port=port or (443 if https else 80),
        path=quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        + ("?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?") if parts.query else ""),
    )
    if target.allowed and parts.scheme.lower() in ("http", "https"):
        return target
    problem = address_problem(url)
    if problem:
        raise _Problem(problem)
    return target


def _private() -> _Problem:
    return _Problem(
        _("The address leads to a private or local network; the portal does not open it.")
    )


def _connect(target: _Target, deadline: float, thai_digits: bool) -> socket.socket:
    """Resolve the name once, refuse it when any of its addresses is not public, and connect to
    one of the addresses just checked."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _Problem(
            _("Broken link: the website name %(host)s is not found.") % {"host": target.host}
        ) from error
    if not target.allowed:
        for *_rest, sockaddr in found:
            address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
            if not is_public_address(address):
                raise _private()
    last: OSError | None = None
    for family, kind, proto, _name, sockaddr in found:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(
                min(settings.OIT_LINK_CONNECT_TIMEOUT_SECONDS, _remaining(deadline, thai_digits))
            )
            sock.connect(sockaddr)
        except TimeoutError:
            sock.close()
            raise _timeout(thai_digits) from None
        except OSError as error:
            sock.close()
            last = error
            continue
        return sock
    raise _Problem(_("Broken link: the website does not answer.")) from last


def _request(
    target: _Target, deadline: float, thai_digits: bool
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, socket.socket]:
    sock = _connect(target, deadline, thai_digits)
    connection: http.client.HTTPConnection
    try:
        if target.https:
            sock.settimeout(_remaining(deadline, thai_digits))
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=target.host)
            connection = http.client.HTTPSConnection(target.host, target.port)
        else:
            connection = http.client.HTTPConnection(target.host, target.port)
        connection.sock = sock  # already connected to the address that was checked
        sock.settimeout(_remaining(deadline, thai_digits))
        connection.putrequest("GET", target.path, skip_accept_encoding=True)
        connection.putheader("User-Agent", USER_AGENT)
        connection.putheader("Accept", "*/*")
        connection.putheader("Accept-Encoding", "identity")
        connection.endheaders()
        return connection, connection.getresponse(), sock
    except ssl.SSLCertVerificationError as error:
        sock.close()
        raise _Problem(_("The website's HTTPS certificate cannot be verified.")) from error
    except ssl.SSLError as error:  # no common protocol or cipher, a broken handshake
        sock.close()
        raise _Problem(_("Broken link: the website's HTTPS connection fails.")) from error
    except TimeoutError:
        sock.close()
        raise _timeout(thai_digits) from None
    except (OSError, http.client.HTTPException) as error:
        sock.close()
        raise _Problem(_("Broken link: the website's answer cannot be read.")) from error


class _PageText(HTMLParser):
    """The <title> of an HTML page and the text of its first headings."""

    HEADINGS = frozenset({"h1", "h2", "h3"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: list[str] = []
        self.headings: list[str] = []
        self._in: str | None = None
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if (tag == "title" and not self._title_done) or (
            tag in self.HEADINGS and len(self.headings) < 10
        ):
            self._in = tag
            if tag in self.HEADINGS:
                self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._title_done = self._title_done or tag == "title"
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title.append(data)
        elif self._in in self.HEADINGS:
            self.headings[-1] += data


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _html_charset(body: bytes, declared: str) -> str:
    charset = declared
    if not charset:
        meta = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", body[:4096])
        charset = meta.group(1).decode("ascii") if meta else "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        return "utf-8"
    return charset


def _html_inspect(result: LinkResult, body: bytes, declared: str) -> None:
    parser = _PageText()
    with contextlib.suppress(AssertionError):  # html.parser gives up on some broken markup
        parser.feed(body.decode(_html_charset(body, declared), errors="replace"))
        parser.close()
    title = _one_line("".join(parser.title))
    headings = [_one_line(h) for h in parser.headings if h.strip()]
    result.title = (title or (headings[0] if headings else ""))[:_TITLE_LENGTH]
    result.year_found = years.fiscal_year_in(title) or years.fiscal_year_in(" ".join(headings))


def _pdf_inspect(result: LinkResult, body: bytes) -> None:
    """The title and year from the PDF's metadata; from its first page when the title names no
    year (laying out a page's text costs a tenth of a second or more, the metadata nothing)."""
    try:
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            title = pdf.metadata.get("Title") or ""
            if isinstance(title, bytes):
                title = title.decode("utf-8", errors="replace")
            title = _one_line(str(title))
            result.title = title[:_TITLE_LENGTH]
            result.year_found = years.fiscal_year_in(title)
            if result.year_found or not pdf.pages:
                return
            first = pdf.pages[0].extract_text() or ""
    except Exception as error:  # pdfminer raises many kinds on a damaged file: it is unread
        log.info("PDF at %s not read: %s", result.url, error)
        return
    lines = [_one_line(line) for line in first.splitlines() if line.strip()]
    result.title = (title or (lines[0] if lines else ""))[:_TITLE_LENGTH]
    result.year_found = years.fiscal_year_in(first)


def _read(
    response: http.client.HTTPResponse, sock: socket.socket, deadline: float, thai_digits: bool
) -> tuple[bytes, bool]:
    """At most READ_LIMIT_BYTES of the body, and whether that was all of it."""
    chunks: list[bytes] = []
    total = 0
    try:
        while total <= READ_LIMIT_BYTES:
            # Python 3.13 closes the response (and the socket it holds) as soon as the last
            # byte of a body of known length is read; 3.12 waits for a read that returns nothing.
            if response.isclosed():
                return b"".join(chunks), True
            sock.settimeout(_remaining(deadline, thai_digits))
            chunk = response.read1(_CHUNK)
            if not chunk:
                return b"".join(chunks), True
            chunks.append(chunk)
            total += len(chunk)
    except TimeoutError:
        raise _timeout(thai_digits) from None
    except (OSError, http.client.HTTPException) as error:
        raise _Problem(_("Broken link: the website's answer cannot be read.")) from error
    return b"".join(chunks)[:READ_LIMIT_BYTES], False


def _inspect(
    result: LinkResult,
    path: str,
    response: http.client.HTTPResponse,
    sock: socket.socket,
    deadline: float,
    thai_digits: bool,
) -> None:
    """Content type and size from the headers; title and year from an HTML page or a PDF."""
    content_type = response.getheader("Content-Type") or ""
    main, _sep, params = content_type.partition(";")
    main = main.strip().lower()
    result.content_type = main[:100]
    charset = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_.:-]+)", params)
    length = response.getheader("Content-Length") or ""
    result.size = int(length) if length.strip().isdigit() else None
    is_html = main in _HTML_TYPES
    is_pdf = main == "application/pdf" or (
        main in ("", "application/octet-stream") and path.lower().split("?")[0].endswith(".pdf")
    )
    # A PDF is read only whole; an HTML page's title is at its top, so its first part will do.
    if not (is_html or is_pdf) or (is_pdf and (result.size or 0) > READ_LIMIT_BYTES):
        return
    body, whole = _read(response, sock, deadline, thai_digits)
    if whole and result.size is None:
        result.size = len(body)
    if is_html:
        _html_inspect(result, body, charset.group(1) if charset else "")
    elif whole:
        _pdf_inspect(result, body)


def _follow(result: LinkResult, deadline: float, thai_digits: bool) -> None:
    seen: set[str] = set()
    current = result.url
    for _hop in range(MAX_REDIRECTS + 1):
        if current in seen:
            raise _Problem(_("The address redirects in a loop."))
        seen.add(current)
        result.final_url = current
        target = _target(current)
        connection, response, sock = _request(target, deadline, thai_digits)
        try:
            result.reachable = True
            result.status_code = response.status
            if response.status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise _Problem(_("The website redirects without saying where to."))
                result.redirects.append({"url": current, "status": response.status})
                # headers arrive as Latin-1; a Thai path sent raw is UTF-8
                with contextlib.suppress(UnicodeError):
                    location = location.encode("latin-1").decode("utf-8")
                current = urljoin(current, location.strip())
                continue
            if response.status >= 400:
                status = thai.digits(response.status, thai_digits)
                raise _Problem(
                    _("Broken link: the website answered %(status)s.") % {"status": status}
                )
            _inspect(result, target.path, response, sock, deadline, thai_digits)
            return
        finally:
            connection.close()
    raise _Problem(
        _("The address redirects more than %(count)s times.")
        % {"count": thai.digits(MAX_REDIRECTS, thai_digits)}
    )


def link_check(
    url: str, *, website: str = "", thai_digits: bool = True, item_page: bool = True
) -> LinkResult:
    """Check one address as NACC's adviser would open it; `website` is the organisation's main
    website (its domain decides `on_own_domain`), `thai_digits` its digit style for the numbers
    in `problem`. An item's page (the URL given to ITAS) must be on the main website; an evidence
    link (`item_page` False) may lead elsewhere (a Facebook page, e-GP), which is only noted.
    Never raises for what the address does; never waits longer than
    settings.OIT_LINK_TIMEOUT_SECONDS (plus the name lookup)."""
    result = LinkResult(url=url, final_url=url)
    deadline = time.monotonic() + settings.OIT_LINK_TIMEOUT_SECONDS
    with translation.override(settings.LANGUAGE_CODE):  # kept in Thai whoever asked
        try:
            _follow(result, deadline, thai_digits)
        except _Problem as problem:
            result.problem = str(problem)
        except Exception:  # whatever a website sends must not stop the rest of a checklist
            log.exception("Link check of %s failed", url)
            result.problem = _("Broken link: the website's answer cannot be read.")
        result.on_own_domain = own_domain(result.final_url, website)
        if item_page and not result.problem and result.on_own_domain is False:
            host = urlsplit(result.final_url).hostname or ""
            result.problem = _("Not on the organisation's website (%(host)s).") % {"host": host}
    return result


# --- checking a checklist and keeping the history ------------------------------------------------
@dataclass(frozen=True)
class ChecksSummary:
    """What one run of `entries_check` found."""

    entries: int
    addresses: int
    healthy: int

    @property
    def broken(self) -> int:
        return self.addresses - self.healthy

    def __add__(self, other: ChecksSummary) -> ChecksSummary:
        return ChecksSummary(
            entries=self.entries + other.entries,
            addresses=self.addresses + other.addresses,
            healthy=self.healthy + other.healthy,
        )


def entries_check(*, entries: Iterable[OitEntry]) -> ChecksSummary:
    """Check every address of `entries` (each one's page and each evidence link) and keep one
    LinkCheck per address. The addresses are fetched by at most settings.OIT_LINK_WORKERS
    threads, which do not touch the database; an address listed twice is fetched once."""
    ids = [entry.pk for entry in entries]
    rows = list(
        OitEntry.objects.filter(pk__in=ids)
        .select_related("organisation")
        .prefetch_related(
            Prefetch("evidence", queryset=OitEvidence.objects.exclude(link=""), to_attr="links")
        )
    )
    addresses: list[tuple[OitEntry, OitEvidence | None, tuple[str, str, bool, bool]]] = []
    for entry in rows:
        organisation = entry.organisation
        style = (organisation.website, organisation.uses_thai_digits)
        if entry.url:
            addresses.append((entry, None, (entry.url, *style, True)))
        addresses.extend(
            (entry, evidence, (evidence.link, *style, False)) for evidence in entry.links
        )
    keys = list(dict.fromkeys(key for *_rest, key in addresses))
    results: dict[tuple[str, str, bool, bool], LinkResult] = {}
    if keys:
        workers = max(1, min(settings.OIT_LINK_WORKERS, len(keys)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="oit-links") as pool:
            checked = pool.map(
                lambda k: link_check(k[0], website=k[1], thai_digits=k[2], item_page=k[3]), keys
            )
            results = dict(zip(keys, checked, strict=True))
    now = timezone.now()
    LinkCheck.objects.bulk_create(
        [_row(entry, evidence, results[key], now) for entry, evidence, key in addresses]
    )
    healthy = sum(results[key].ok for *_rest, key in addresses)
    return ChecksSummary(entries=len(rows), addresses=len(addresses), healthy=healthy)


def _row(
    entry: OitEntry, evidence: OitEvidence | None, result: LinkResult, now: dt.datetime
) -> LinkCheck:
    return LinkCheck(
        entry=entry,
        evidence=evidence,
        url=result.url,
        checked_at=now,
        ok=result.ok,
        status_code=result.status_code,
        final_url=result.final_url[: LinkCheck._meta.get_field("final_url").max_length],
        redirects=result.redirects,
        content_type=result.content_type,
        size=result.size,
        title=result.title,
        year_found=result.year_found,
        on_own_domain=result.on_own_domain,
        problem=result.problem[: LinkCheck._meta.get_field("problem").max_length],
    )


# --- which checklists a scheduled run checks -----------------------------------------------------
def entries_current(today: dt.date) -> QuerySet[OitEntry]:
    """Each organisation's checklist of the year being assessed: its latest year not after the
    fiscal year `today` is in (a checklist started early for next year waits its turn)."""
    latest = (
        OitEntry.objects.filter(
            organisation=OuterRef("organisation"), fiscal_year__lte=fiscal_year_of(today)
        )
        .order_by("-fiscal_year")
        .values("fiscal_year")[:1]
    )
    return OitEntry.objects.filter(fiscal_year=Subquery(latest))


def recheck_after(fiscal_year: int, today: dt.date) -> dt.timedelta:
    """How old a check may get: RECHECK_AFTER, less in the week before the OIT deadline."""
    deadline = oit_answers_due(fiscal_year)
    in_last_week = deadline - DEADLINE_WEEK <= today <= deadline
    return RECHECK_AFTER_DEADLINE_WEEK if in_last_week else RECHECK_AFTER


def entries_stale(entries: QuerySet[OitEntry], *, now: dt.datetime) -> QuerySet[OitEntry]:
    """The entries with an address to check whose last check is older than `recheck_after`
    allows, or older than their last change, or that were never checked."""
    today = timezone.localdate(now)
    has_link = Exists(OitEvidence.objects.filter(entry=OuterRef("pk")).exclude(link=""))
    with_address = entries.filter(~Q(url="") | has_link)
    stale = Q()
    for year in with_address.order_by().values_list("fiscal_year", flat=True).distinct():
        cutoff = now - recheck_after(year, today)
        stale |= Q(fiscal_year=year) & (
            Q(last_check__isnull=True)
            | Q(last_check__lt=cutoff)
            | Q(last_check__lt=F("updated_at"))
        )
    if not stale:
        return with_address.none()
    return with_address.annotate(last_check=Max("link_checks__checked_at")).filter(stale)
