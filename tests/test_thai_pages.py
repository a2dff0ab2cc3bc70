"""Every page a person can open, read in Thai: no English word left, and on a Thai-digit
organisation's pages no Arabic digit the portal wrote.

Each role of องค์การบริหารส่วนตำบลภูซาง (staff, reviewer, executive, org admin), the supervisor of
เพชรบุรี, an anonymous visitor and the superuser in the Django admin (its index, each model's list,
add page and a change page) open pages with Django's test client on the demo data, loaded once for
the module. The pages are not listed by hand: each person starts from the menu, the URLs without
an id (the URL resolver) and, for ภูซาง's people, tests/test_url_sweep.py's concrete URLs, and
follows every link of every page they get (a few URLs per pattern); a URL pattern that nobody
met (as a page, a file or a POST-only URL) fails the test unless LEFT_OUT names it with why.

What counts as read: text outside script and style, the title, placeholder, title, aria-label and
alt attributes and the words on buttons. Not counted: what is marked as another language (the
switch's "English", lang="en"), what people typed into a field (input and textarea values), and
data inside text: URLs, e-mail addresses, file names, usernames, item codes (o12).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import Resolver404, get_resolver, resolve, reverse

from assessments.importing import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from assessments.models import Organisation
from itaportal import thai
from itaportal.accounts.models import User
from measures.models import Measure
from reports.oit.models import OitEntry
from tests.conftest import client_for
from tests.reports.conftest import demo_with_memos  # noqa: F401  (the fixture)
from tests.test_url_sweep import World, _walk, concrete, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

# Words that are codes in Thai text too: the instruments, file formats, units, products, the
# levels' letters (AA), and the official names Thai ITA texts keep in English.
ALLOWED = {
    "ITA", "IIT", "EIT", "OIT", "ITAS", "PDF", "XLSX", "CSV", "DOCX", "ZIP", "URL", "PNG", "JPEG",
    "JPG", "SHA", "UTF", "LINE", "Line", "ID", "IP", "MB", "KB", "GB", "QR", "HTML", "JSON", "AA",
    "Word", "Excel", "Facebook", "Infographic", "line", "Mac", "Control", "Command",
    *REQUIRED_COLUMNS, *OPTIONAL_COLUMNS,  # the import format's columns (INTERFACES.md)
}  # fmt: skip
# Codes an administrator types into a framework's fields, which their help texts list.
ADMIN_LEFTOVERS = {"analysis plan progress order", "city town subdistrict sao pao other"}
PHRASES = re.compile(
    r"Integrity and Transparency Assessment|No Gift Policy|No Gift|NO Gift Policy|E-Service"
    r"|Social Media|Smart Transparency|Open Data|Official Account|e-service",
    re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z]{2,}")
DATA = re.compile(
    r"(?:https?://|www\.)\S*"  # URLs
    r"|\S+@\S+\.\S+"  # e-mail addresses
    r"|[\w.-]+\.(?:go\.th|or\.th|ac\.th|co\.th|in\.th|com|org|net)\b\S*"  # host names
    r"|[\w./\-ก-๙]+\.(?:pdf|xlsx|csv|docx|zip|png|jpe?g|svg|md)\b"  # file names
    r"|\b(?:GET|POST) /\S*"  # a refused request in the audit trail
    r"|\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{12,}"  # hashes, verification codes
    r"|\b[a-z]+(?:_[a-z0-9]+)+\b"  # column names of the import format (INTERFACES.md)
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b"  # IP addresses
    r"|\S*\*{4,}"  # what the admin shows of a password hash or a LINE ID
    r"|\b(?:SHA-256|UTF-8|MD5)"  # names with digits
    r"|เลขอารบิก \([\d.]+\)"  # the example of Arabic digits, where one chooses or may type them
    r"|^[\[{].*[\]}]$",  # JSON shown as stored
    re.IGNORECASE | re.DOTALL,
)
ARABIC_DIGIT = re.compile(r"[0-9]")
THAI_DIGIT = re.compile(r"[๐-๙]")
ITEM_CODE = re.compile(r"\b[ieoIEO]\d+\b")

# Pages not walked, each with why.
LEFT_OUT = {
    "accounts:logout": "a POST that ends the session",
    "accounts:language": "a POST (tests/accounts/test_language_switch.py)",
    "accounts:password_reset_confirm": "needs a token from an e-mail (the reset page's form)",
    "assessments:scores_import_template": "a file downloaded from the import page's form "
    "(tests/assessments/test_import_preview.py reads both kinds)",
    "reports:oit_public_document": "no public demo item links a document the portal prints "
    "(tests/reports/oit/test_public.py opens one)",
}

PEOPLE = ["phusang-staff", "phusang-reviewer", "phusang-executive", "phusang-orgadmin"]
SUPERVISOR = "supervisor-phetchaburi"
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/accounts/logout/")
DOWNLOADS = re.compile(r"\.(pdf|xlsx|csv|docx|zip)$|/(pdf|docx|xlsx|csv|zip)/$|/export", re.I)
PER_PATTERN = 2  # URLs of one pattern each person opens


class VisibleText(HTMLParser):
    """The text a person reads on a page, one string per text node or attribute."""

    SKIP = {"script", "style", "textarea", "template"}
    VOID = {"input", "img", "br", "hr", "meta", "link", "source", "wbr", "col", "area"}
    ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        # of those, the ones whose digits are kept: lang="th-u-nu-thai" or translate="no"
        self.thai_numbered: set[str] = set()
        self.links: list[str] = []
        # per open element: is its text skipped? are its digits kept?
        self.stack: list[tuple[bool, bool]] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][0]

    @property
    def marked(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def add(self, text: str, marked: bool) -> None:
        self.texts.append(text)
        if marked:
            self.thai_numbered.add(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        other_language = values.get("lang", "th")[:2] not in ("th", "")
        skip = self.skipping or tag in self.SKIP or other_language
        marked = (
            self.marked
            or values.get("lang") == thai.THAI_NUMBERING
            or values.get("translate") == "no"
        )
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if not skip:
            for attribute in self.ATTRIBUTES:
                if values.get(attribute):
                    self.add(values[attribute], marked)
            kind = values.get("type", "text")
            if tag == "input" and kind in ("submit", "button", "reset") and values.get("value"):
                self.add(values["value"], marked)
        if tag not in self.VOID:
            self.stack.append((skip, marked))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.add(data.strip(), self.marked)


@dataclass
class Walk:
    usernames: list[str]
    found: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    digits: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    asked: set[str] = field(default_factory=set)  # URL names met: pages, files, POST-only URLs
    pages: Counter[str] = field(default_factory=Counter)

    def strip_data(self, text: str) -> str:
        text = PHRASES.sub(" ", DATA.sub(" ", text))
        for username in self.usernames:
            text = text.replace(username, " ")
        return ITEM_CODE.sub(" ", text)

    def read(self, who: str, url: str, html: str, thai_digits: bool | None) -> list[str]:
        """The page's English and its digits of the wrong kind: Arabic ones when `thai_digits`,
        Thai ones when it is False (but where kept: lang="th-u-nu-thai", translate="no"); when
        None, digits are not read."""
        parser = VisibleText()
        parser.feed(html)
        for text in parser.texts:
            plain = self.strip_data(text)
            english = [w for w in WORD.findall(plain) if w not in ALLOWED]
            if english and not (who == "admin" and " ".join(english) in ADMIN_LEFTOVERS):
                self.found[" ".join(english) + f"  ({text[:80]!r})"].add(f"{who} {url}")
            if thai_digits and ARABIC_DIGIT.search(WORD.sub(" ", plain)):
                self.digits[text[:80]].add(f"{who} {url}")
            if (
                thai_digits is False
                and text not in parser.thai_numbered
                and THAI_DIGIT.search(plain)
            ):
                self.digits[text[:80]].add(f"{who} {url}")
        return parser.links

    def walk(self, who: str, client: Client, seeds: list[str], thai_digits: bool | None) -> None:
        queue = list(dict.fromkeys(seeds))
        seen: set[str] = set()
        per_pattern: Counter[str] = Counter()
        while queue:
            url = queue.pop(0)
            path = urlsplit(url).path
            if url in seen or path.startswith(SKIPPED_PREFIXES):
                continue
            seen.add(url)
            try:
                match = resolve(path)
            except Resolver404:
                continue
            self.asked.add(match.view_name)
            if DOWNLOADS.search(path):  # a file, not a page (its own tests read it)
                continue
            if per_pattern[match.route] >= PER_PATTERN:
                continue
            per_pattern[match.route] += 1
            response = client.get(url)
            if response.status_code in (301, 302):
                queue.insert(0, response["Location"])
                continue
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            self.pages[who] += 1
            links = self.read(who, url, response.content.decode(), thai_digits)
            queue += [link.split("#")[0] for link in links if link.startswith("/")]


def urls_without_ids() -> list[str]:
    urls = []
    for name, converters in _walk(get_resolver().url_patterns, [], {}):
        if not converters and not name.startswith("admin:") and name not in LEFT_OUT:
            urls.append(reverse(name))
    return urls


def every_url_name() -> set[str]:
    return {n for n, _c in _walk(get_resolver().url_patterns, [], {}) if not n.startswith("admin:")}


def admin_urls() -> Iterator[str]:
    yield reverse("admin:index")
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{base}_changelist")
        yield reverse(f"{base}_add")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse(f"{base}_change", args=[first.pk])


def test_every_page_reads_in_thai(world: World) -> None:  # noqa: F811
    walk = Walk(usernames=sorted(User.objects.values_list("username", flat=True), key=len)[::-1])
    plain = urls_without_ids()
    sweep = [url for _name, _target, url in concrete(world)]
    for username in PEOPLE:
        client = client_for(world.people[username])
        walk.walk(username, client, ["/", *plain, *sweep], world.org.uses_thai_digits)
    walk.walk(SUPERVISOR, client_for(world.people[SUPERVISOR]), ["/", *plain], thai_digits=True)
    public = [reverse("reports:oit_public", args=[o.pk, y]) for o, y in public_oit_pages()]
    walk.walk("anonymous", Client(), [*plain, *public], thai_digits=None)

    root = User.objects.get(username="admin")
    admin_client = client_for(root)
    for url in admin_urls():
        response = admin_client.get(url)
        if response.status_code == 403:  # the admin grants no adding (the audit trail)
            continue
        assert response.status_code == 200, url
        walk.read("admin", url, response.content.decode(), thai_digits=None)
        walk.pages["admin"] += 1

    print(f"\n\npages read: {dict(walk.pages)}")
    missed = every_url_name() - walk.asked - LEFT_OUT.keys()
    english = [f"{text}\n  on {sorted(where)[:3]}" for text, where in sorted(walk.found.items())]
    digits = [f"{text!r}\n  on {sorted(where)[:3]}" for text, where in sorted(walk.digits.items())]
    assert not english + digits, (
        "English on Thai pages:\n" + "\n".join(english) + "\n\nArabic digits on a Thai-digit "
        "organisation's pages:\n" + "\n".join(digits)
    )
    assert not missed, f"pages nobody reached (add a link, a seed or LEFT_OUT): {sorted(missed)}"


def test_an_arabic_digit_organisations_pages_have_no_thai_digit(world: World) -> None:  # noqa: F811
    """ภูซาง switched to Arabic digits: its people read no Thai digit, not in the fixed texts
    ("ทุก ๖ เดือน"), the catalogues (o8 "รอบ ๖ เดือน"), nor texts stored in Thai digits (its memos'
    numbers "พย ๗๒๔๐๑/๑๑๙", drafted analyses), but where Thai digits are the example
    ("เลขไทย (๘๓.๗๑)"), and what they are typing keeps its digits."""
    world.org.digit_style = Organisation.DigitStyle.ARABIC
    world.org.save()
    walk = Walk(usernames=sorted(User.objects.values_list("username", flat=True), key=len)[::-1])
    plain = urls_without_ids()
    sweep = [url for _name, _target, url in concrete(world)]
    for username in PEOPLE:
        walk.walk(username, client_for(world.people[username]), ["/", *plain, *sweep], False)
    years = [year for org, year in public_oit_pages() if org == world.org]
    public = [reverse("reports:oit_public", args=[world.org.pk, year]) for year in years]
    walk.walk("anonymous", Client(), public, thai_digits=False)

    print(f"\n\npages read: {dict(walk.pages)}")
    assert walk.pages["anonymous"] == len(public) > 0
    digits = [f"{text!r}\n  on {sorted(where)[:3]}" for text, where in sorted(walk.digits.items())]
    assert not digits, "Thai digits on an Arabic-digit organisation's pages:\n" + "\n".join(digits)
    assert not walk.found, sorted(walk.found)

    # The public page as a ZIP for the organisation's own website is written alike, the
    # catalogue's titles too ("รอบ ๖ เดือน").
    public_entries = OitEntry.objects.filter(
        organisation=world.org, fiscal_year=years[0], public=True
    )
    item = public_entries.select_related("item").first().item  # type: ignore[union-attr]
    item.title = f"{item.title} รอบ ๖ เดือน"
    item.save()
    archive = client_for(world.people["phusang-orgadmin"]).get(
        reverse("reports:oit_public_zip", args=[world.org.pk, years[0]])
    )
    with zipfile.ZipFile(io.BytesIO(archive.getvalue())) as opened:
        index = opened.read("index.html").decode()
    assert thai.arabic(item.title) in index and not THAI_DIGIT.search(index)

    # Stored in Thai digits: shown in Arabic ones, and left as typed where it is being edited.
    Measure.objects.filter(pk=world.measure.pk).update(method="๑. ประชุม ๒ ครั้ง")
    staff = client_for(world.people["phusang-staff"])
    shown = staff.get(reverse("measures:measure_detail", args=[world.measure.pk]))
    assert "1. ประชุม 2 ครั้ง" in shown.content.decode()
    edited = staff.get(reverse("measures:measure_edit", args=[world.measure.pk]))
    assert "๑. ประชุม ๒ ครั้ง</textarea>" in edited.content.decode()


def public_oit_pages() -> list[tuple[Any, int]]:
    from reports.oit.models import OitEntry

    public = OitEntry.objects.filter(public=True).select_related("organisation")
    return sorted({(e.organisation, e.fiscal_year) for e in public}, key=lambda p: p[0].pk)
