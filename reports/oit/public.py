"""The public page of an organisation's OIT checklist: every item of the year it marked public,
with its page and public evidence, and the portal's documents its executive approved, for anyone
(no login) at a stable address (`/oit/<organisation id>/<year>/`) that the office links from its
website's ITA menu. The same list as an HTML fragment and a ZIP for the organisation's own CMS
(its staff only). Drafts never appear: only decided, approved memos' frozen documents."""

from __future__ import annotations

import mimetypes
import posixpath
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.db.models import Prefetch, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from assessments.access import organisation_for
from assessments.models import Item, Organisation
from itaportal import thai
from itaportal.accounts.types import AuthenticatedHttpRequest
from itaportal.errors import NotFound
from itaportal.language import page_about
from reports.documents.models import DocumentKind
from reports.memos.models import FrozenAttachment, Memo
from reports.oit.models import OitEntry, OitEvidence
from reports.oit.selectors import oit_items

# How long browsers and proxies may keep the public page and its files: an item unmarked public
# disappears within this time.
PUBLIC_MAX_AGE = 300
STYLESHEET = "css/oit-public.css"
# Served in the browser; any other file is downloaded (an uploaded HTML or SVG never runs here).
INLINE_TYPES = {"application/pdf", "image/png", "image/jpeg"}

Mode = Literal["page", "fragment", "zip"]


@dataclass(frozen=True)
class PublicEvidence:
    title: str
    href: str  # empty: named without a link (a portal document not approved yet)
    kind: str  # "link", "file" or "document": what the link text says it opens
    host: str = ""  # a link's website, named in its text


@dataclass(frozen=True)
class PublicItem:
    item: Item
    entry: OitEntry
    evidence: list[PublicEvidence]


@dataclass(frozen=True)
class PublicDocument:
    attachment: FrozenAttachment
    title: str
    href: str
    memo: Memo
    verify_href: str


@dataclass(frozen=True)
class PublicPage:
    organisation: Organisation
    fiscal_year: int
    items: list[PublicItem]
    documents: list[PublicDocument]
    files: dict[str, str]  # in a ZIP: its path -> the stored file's name


def _document_years(fiscal_year: int) -> Q:
    """The portal's documents an assessed year publishes: the analysis of the year before's
    results, and the year's plan, progress report and committee order (as batches print them)."""
    return Q(kind=DocumentKind.ANALYSIS, year=fiscal_year - 1) | (
        Q(year=fiscal_year) & ~Q(kind=DocumentKind.ANALYSIS)
    )


def public_page(
    org_id: int, fiscal_year: int, *, mode: Mode, organisation: Organisation | None = None
) -> PublicPage | None:
    """What the public page of the organisation's year lists, in five queries whatever its size
    (the frameworks' check included); None when the organisation, the year's framework or any
    public item is missing. `mode` says how files are addressed: the portal's URLs, absolute
    URLs (a fragment pasted into another site), or paths inside the ZIP."""
    if organisation is None:
        organisation = Organisation.objects.filter(pk=org_id).first()
    if organisation is None:
        return None
    items = oit_items(organisation=organisation, fiscal_year=fiscal_year)
    order = {item.pk: n for n, item in enumerate(items)}
    entries = sorted(
        OitEntry.objects.filter(
            organisation=organisation, fiscal_year=fiscal_year, public=True, item__in=items
        ).prefetch_related(
            Prefetch("evidence", queryset=OitEvidence.objects.filter(public=True).order_by("pk"))
        ),
        key=lambda e: order[e.item_id],
    )
    if not entries:
        return None
    by_pk = {item.pk: item for item in items}
    latest: dict[tuple[str, int], FrozenAttachment] = {}
    for attachment in (
        FrozenAttachment.objects.filter(
            _document_years(fiscal_year),
            memo__organisation=organisation,
            memo__status=Memo.Status.APPROVED,
        )
        .select_related("memo")
        .order_by("memo__decided_at", "pk")
    ):
        latest[(attachment.kind, attachment.year)] = attachment  # the last approved wins
    files: dict[str, str] = {}
    kinds = list(DocumentKind.values)
    documents = []
    for (kind, year), attachment in sorted(latest.items(), key=lambda k: kinds.index(k[0][0])):
        path = f"documents/{kind}-{year}.pdf"
        files[path] = attachment.pdf.name or ""
        documents.append(
            PublicDocument(
                attachment=attachment,
                title=str(DocumentKind(kind).label),
                href=_href(
                    mode, path, "reports:oit_public_document", org_id, fiscal_year, attachment.pk
                ),
                memo=attachment.memo,
                verify_href=_absolute(
                    mode, reverse("reports:verify", args=[attachment.memo.verification_code])
                ),
            )
        )
    by_document = {(d.attachment.kind, d.attachment.year): d.href for d in documents}
    public_items = []
    for entry in entries:
        evidence = []
        for piece in entry.evidence.all():
            if piece.link:
                host = urlsplit(piece.link).hostname or ""
                evidence.append(PublicEvidence(piece.title, piece.link, "link", host))
            elif piece.file:
                name = posixpath.basename(piece.file.name or "")
                path = f"files/{piece.pk}-{name}"
                files[path] = piece.file.name or ""
                href = _href(mode, path, "reports:oit_public_file", org_id, fiscal_year, piece.pk)
                evidence.append(PublicEvidence(piece.title, href, "file"))
            else:
                href = by_document.get((piece.portal_document, piece.document_year or 0), "")
                evidence.append(PublicEvidence(piece.title, href, "document"))
        public_items.append(PublicItem(by_pk[entry.item_id], entry, evidence))
    return PublicPage(organisation, fiscal_year, public_items, documents, files)


def _absolute(mode: Mode, url: str) -> str:
    return settings.SITE_URL + url if mode != "page" else url


def _href(mode: Mode, path: str, name: str, org_id: int, year: int, pk: int) -> str:
    if mode == "zip":
        return path
    return _absolute(mode, reverse(name, args=[org_id, year, pk]))


def _page_or_404(
    org_id: int, year: int, *, mode: Mode, organisation: Organisation | None = None
) -> PublicPage:
    page = public_page(org_id, year, mode=mode, organisation=organisation)
    if page is None:
        raise NotFound(
            _("There is no public OIT page for this organisation and fiscal year %(year)s.")
            % {"year": thai.digits(year)}
        )
    return page


def _context(page: PublicPage, mode: Mode) -> dict[str, object]:
    return {
        "page": page,
        "org": page.organisation,
        "mode": mode,
        "public_url": settings.SITE_URL
        + reverse("reports:oit_public", args=[page.organisation.pk, page.fiscal_year]),
    }


@require_safe
@cache_control(public=True, max_age=PUBLIC_MAX_AGE)
def oit_public(request: HttpRequest, org_id: int, year: int) -> HttpResponse:
    """The public page: no login, the same for everyone."""
    page = _page_or_404(org_id, year, mode="page")
    page_about(request, page.organisation)
    return render(request, "reports/oit/public.html", _context(page, "page"))


def _file_response(stored: str, opener: Callable[[], object]) -> FileResponse:
    name = posixpath.basename(stored)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(
        opener(),
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=name,
    )
    response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
    return response


@require_safe
def oit_public_file(request: HttpRequest, org_id: int, year: int, evidence_id: int) -> FileResponse:
    """A file of public evidence of a public item of the year; 404 for anything else."""
    evidence = (
        OitEvidence.objects.filter(
            pk=evidence_id,
            public=True,
            entry__public=True,
            entry__organisation_id=org_id,
            entry__fiscal_year=year,
        )
        .exclude(file="")
        .first()
    )
    if evidence is None:
        raise NotFound(_("There is no such public file."))
    return _file_response(evidence.file.name or "", lambda: evidence.file.open("rb"))


@require_safe
def oit_public_document(
    request: HttpRequest, org_id: int, year: int, attachment_id: int
) -> FileResponse:
    """A document of the year as the executive approved it (the memo's frozen attachment)."""
    attachment = FrozenAttachment.objects.filter(
        _document_years(year),
        pk=attachment_id,
        memo__organisation_id=org_id,
        memo__status=Memo.Status.APPROVED,
    ).first()
    if attachment is None or public_page(org_id, year, mode="page") is None:
        raise NotFound(_("There is no such public file."))
    return _file_response(
        f"{attachment.kind}-{attachment.year}.pdf", lambda: attachment.pdf.open("rb")
    )


@login_required
def oit_public_fragment(request: AuthenticatedHttpRequest, org_id: int, year: int) -> HttpResponse:
    """The list as one <section> with absolute links, to paste into the organisation's CMS."""
    organisation = organisation_for(request, org_id, edit=True)
    page = _page_or_404(org_id, year, mode="fragment", organisation=organisation)
    html = render_to_string("reports/oit/public_section.html", _context(page, "fragment"))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="oit-{org_id}-{year}.html"'
    return response


@login_required
def oit_public_zip(request: AuthenticatedHttpRequest, org_id: int, year: int) -> FileResponse:
    """index.html with the public files beside it (relative links), to upload to the
    organisation's own website when the evidence must live there."""
    organisation = organisation_for(request, org_id, edit=True)
    page = _page_or_404(org_id, year, mode="zip", organisation=organisation)
    html: str = render_to_string("reports/oit/public.html", _context(page, "zip"))
    if not organisation.uses_thai_digits:
        html = thai.arabic_html(html)  # as the middleware writes the public page
    stylesheet = finders.find(STYLESHEET)
    assert isinstance(stylesheet, str)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    now = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", html)
        archive.write(stylesheet, "style.css")
        for path, stored in page.files.items():
            info = zipfile.ZipInfo(path, date_time=now)
            info.compress_type = zipfile.ZIP_STORED  # PDFs and images are compressed already
            storage = OitEvidence.file.field.storage
            with storage.open(stored, "rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"oit-{org_id}-{year}.zip",
        content_type="application/zip",
    )
