"""The public OIT page: what a visitor without an account sees of an organisation's year, and
what the webmaster takes from it (the HTML fragment and the ZIP)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Item, Organisation
from itaportal.accounts.models import Role, User
from reports.memos.models import FrozenAttachment, Memo
from reports.memos.verification import new_verification_code
from reports.oit.models import OitEntry, OitEvidence
from reports.oit.selectors import oit_items
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

YEAR = 2569
ENGLISH_BROWSER = "en-US,en;q=0.9"
PLAN_PDF = b"%PDF-1.4\n% approved plan 2569\n%%EOF\n"
DRAFT_PDF = b"%PDF-1.4\n% progress report, not decided\n%%EOF\n"
MANUAL_PDF = b"%PDF-1.4\n% service manual\n%%EOF\n"
PRIVATE_PDF = b"%PDF-1.4\n% internal working file\n%%EOF\n"


@dataclass
class Checklist:
    org: Organisation
    staff: User
    items: dict[str, Item]
    manual: OitEvidence  # a public file of a public item
    private: OitEvidence  # a file not marked public, of a public item
    hidden: OitEvidence  # a public file of an item not marked public
    plan: FrozenAttachment  # of an approved memo
    undecided: FrozenAttachment  # of a memo still in review


def memo(org: Organisation, drafter: User, status: str, reference: str) -> Memo:
    return Memo.objects.create(
        organisation=org,
        drafter=drafter,
        unit="สำนักปลัด",
        subject=f"ขออนุมัติ {reference}",
        addressee="นายกเทศมนตรี",
        drafter_name="ทับทิม",
        drafter_position="นักวิเคราะห์",
        status=status,
        reference=reference,
        decided_at=timezone.now() if status == Memo.Status.APPROVED else None,
        verification_code=new_verification_code(),
        content_hash="x" * 64 if status == Memo.Status.APPROVED else "",
    )


def attach(m: Memo, kind: str, year: int, pdf: bytes) -> FrozenAttachment:
    attachment = FrozenAttachment(memo=m, kind=kind, year=year, sha256="0" * 64)
    attachment.pdf.save(f"{kind}-{year}.pdf", ContentFile(pdf), save=True)
    return attachment


def evidence(entry: OitEntry, title: str, **fields: object) -> OitEvidence:
    pdf = fields.pop("pdf", None)
    piece = OitEvidence(entry=entry, title=title, **fields)
    if isinstance(pdf, bytes):
        piece.file.save(f"{title}.pdf", ContentFile(pdf), save=False)
    piece.save()
    return piece


@pytest.fixture
def checklist(org: Organisation) -> Checklist:
    staff = make_user("staff", organisation=org, role=Role.STAFF)
    items = {i.code: i for i in oit_items(organisation=org, fiscal_year=YEAR)}

    def entry(code: str, public: bool, **fields: object) -> OitEntry:
        return OitEntry.objects.create(
            organisation=org, fiscal_year=YEAR, item=items[code], public=public, **fields
        )

    structure = entry(
        "o1",
        True,
        url="https://bangkao.go.th/structure",
        navigation="หน้าหลัก > ข้อมูลหน่วยงาน > โครงสร้างองค์กร",
    )
    evidence(structure, "แผนผังโครงสร้าง", link="https://bangkao.go.th/files/chart.pdf")
    manual = entry("o9", True, url="https://bangkao.go.th/manual")
    manual_file = evidence(manual, "คู่มือการให้บริการ", pdf=MANUAL_PDF)
    private = evidence(manual, "ร่างคู่มือภายใน", pdf=PRIVATE_PDF, public=False)
    hidden_entry = entry("o2", False, url="https://bangkao.go.th/secret-executives")
    hidden = evidence(hidden_entry, "ข้อมูลผู้บริหารที่ยังไม่เผยแพร่", pdf=PRIVATE_PDF)
    analysis = entry("o25", True)
    evidence(analysis, "มาตรการส่งเสริมคุณธรรม", portal_document="plan", document_year=YEAR)
    approved = memo(org, staff, Memo.Status.APPROVED, "พย 72401/119")
    in_review = memo(org, staff, Memo.Status.IN_REVIEW, "พย 72401/120")
    return Checklist(
        org=org,
        staff=staff,
        items=items,
        manual=manual_file,
        private=private,
        hidden=hidden,
        plan=attach(approved, "plan", YEAR, PLAN_PDF),
        undecided=attach(in_review, "progress", YEAR, DRAFT_PDF),
    )


def public_url(c: Checklist) -> str:
    return reverse("reports:oit_public", args=[c.org.pk, YEAR])


def test_it_lists_the_public_items_with_their_pages_and_evidence(checklist: Checklist) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER).get(public_url(checklist))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "ปีงบประมาณ ๒๕๖๙" in html and "เทศบาลตำบลบางเก่า" in html
    rows = re.findall(r'<tr id="oit-(o\d+)">', html)
    assert rows == ["o1", "o9", "o25"]  # the framework's order, only what is public
    assert "https://bangkao.go.th/structure" in html
    assert "หน้าหลัก &gt; ข้อมูลหน่วยงาน &gt; โครงสร้างองค์กร" in html
    assert "เปิดข้อ o๑ บนเว็บไซต์ของหน่วยงาน" in html  # link text says where, in Thai digits
    assert "https://bangkao.go.th/files/chart.pdf" in html and "ลิงก์ไปยัง bangkao.go.th" in html
    assert "คู่มือการให้บริการ" in html
    assert "<caption>" in html and 'scope="col"' in html


def test_it_never_shows_what_is_not_public(checklist: Checklist) -> None:
    html = Client().get(public_url(checklist)).content.decode()
    assert "ร่างคู่มือภายใน" not in html  # evidence not marked public
    assert "secret-executives" not in html and "ข้อมูลผู้บริหารที่ยังไม่เผยแพร่" not in html
    assert 'id="oit-o2"' not in html


def test_it_shows_the_approved_plan_and_no_undecided_document(checklist: Checklist) -> None:
    html = Client().get(public_url(checklist)).content.decode()
    plan_url = reverse(
        "reports:oit_public_document", args=[checklist.org.pk, YEAR, checklist.plan.pk]
    )
    assert plan_url in html
    assert f'<a href="{plan_url}">มาตรการส่งเสริมคุณธรรมและความโปร่งใส (PDF)</a>' in html
    # The plan evidence of o25 links to the approved document.
    assert html.count(plan_url) == 2
    undecided_url = reverse(
        "reports:oit_public_document", args=[checklist.org.pk, YEAR, checklist.undecided.pk]
    )
    assert undecided_url not in html and "พย ๗๒๔๐๑/๑๒๐" not in html
    answer = Client().get(plan_url)
    assert answer.status_code == 200 and answer.getvalue() == PLAN_PDF
    assert Client().get(undecided_url).status_code == 404


def test_it_serves_only_files_of_public_evidence_of_public_items(checklist: Checklist) -> None:
    def file_url(piece: OitEvidence, year: int = YEAR) -> str:
        return reverse("reports:oit_public_file", args=[checklist.org.pk, year, piece.pk])

    answer = Client().get(file_url(checklist.manual))
    assert answer.status_code == 200
    assert answer.getvalue() == MANUAL_PDF
    assert answer["Cache-Control"].startswith("public")
    for refused in (file_url(checklist.private), file_url(checklist.hidden)):
        response = Client().get(refused)
        assert response.status_code == 404
        assert "ไม่มีไฟล์" in response.content.decode()
    assert Client().get(file_url(checklist.manual, YEAR - 1)).status_code == 404


def test_it_answers_404_in_thai_for_an_unknown_organisation_year_or_nothing_public(
    checklist: Checklist, other_org: Organisation
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    for org_id, year in ((999999, YEAR), (checklist.org.pk, 2400), (other_org.pk, YEAR)):
        response = client.get(reverse("reports:oit_public", args=[org_id, year]))
        assert response.status_code == 404
        assert "ไม่มีหน้าเผยแพร่" in response.content.decode()
    OitEntry.objects.update(public=False)
    assert client.get(public_url(checklist)).status_code == 404


def test_it_is_cacheable_and_printable(checklist: Checklist) -> None:
    response = Client().get(public_url(checklist))
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert "css/oit-public.css" in response.content.decode()
    assert Client().head(public_url(checklist)).status_code == 200  # link checkers ask HEAD


def test_it_gives_staff_a_fragment_with_absolute_links(checklist: Checklist, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://ita.example.go.th"
    url = reverse("reports:oit_public_fragment", args=[checklist.org.pk, YEAR])
    response = client_for(checklist.staff).get(url)
    assert response.status_code == 200
    html = response.content.decode().strip()
    assert html.startswith("<section") and html.endswith("</section>")
    assert "style=" not in html and "<script" not in html
    hrefs = re.findall(r'href="([^"]+)"', html)
    assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
    file_url = reverse(
        "reports:oit_public_file", args=[checklist.org.pk, YEAR, checklist.manual.pk]
    )
    assert f"https://ita.example.go.th{file_url}" in hrefs


def test_it_gives_staff_a_zip_with_relative_links_and_the_files(checklist: Checklist) -> None:
    url = reverse("reports:oit_public_zip", args=[checklist.org.pk, YEAR])
    response = client_for(checklist.staff).get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    names = set(archive.namelist())
    manual = f"files/{checklist.manual.pk}-{str(checklist.manual.file.name).rsplit('/', 1)[-1]}"
    assert names == {"index.html", "style.css", manual, f"documents/plan-{YEAR}.pdf"}
    assert archive.read(manual) == MANUAL_PDF
    assert archive.read(f"documents/plan-{YEAR}.pdf") == PLAN_PDF
    index = archive.read("index.html").decode()
    assert f'href="{manual}"' in index and 'href="style.css"' in index
    assert "ร่างคู่มือภายใน" not in index


def test_only_the_organisations_staff_download_the_fragment_and_zip(
    checklist: Checklist, outsider: User, reviewer: User
) -> None:
    for name in ("reports:oit_public_fragment", "reports:oit_public_zip"):
        url = reverse(name, args=[checklist.org.pk, YEAR])
        assert Client().get(url).status_code == 302  # to the login page
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(reviewer).get(url).status_code == 403
