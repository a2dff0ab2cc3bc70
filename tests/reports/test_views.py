"""Document pages: previews, PDFs, edited text, committee orders, the emblem; and isolation."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from assessments.models import Organisation
from itaportal.accounts.models import User
from reports.documents.models import AnalysisText, Committee
from tests.conftest import client_for
from tests.reports.conftest import pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def khok(demo: None) -> Organisation:
    return Organisation.objects.get(name="เทศบาลตำบลโคกสำโรง")


@pytest.fixture
def khok_staff(khok: Organisation) -> User:
    return User.objects.get(username="khoksamrong-staff")


@pytest.fixture
def stranger(demo: None) -> User:
    return User.objects.get(username="phusang-staff")


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def error_under(html: str, where: str) -> str:
    """The errors shown under one field of the form, or in the table of members."""
    if where == "members":
        table = re.search(r'<table[^>]*id="members">(.*?)</table>', html, re.S)
        assert table, "the page shows no table of members"
        return " ".join(
            re.findall(r'class="invalid-feedback d-block">(.*?)</', table.group(1), re.S)
        )
    found = re.search(rf'id="id_{where}_error" class="invalid-feedback">(.*?)</div>', html, re.S)
    return text_of(found.group(1)) if found else ""


def urls(org: Organisation) -> dict[str, str]:
    committee = Committee.objects.get(organisation=org)
    return {
        "index": reverse("reports:document_index", args=[org.pk]),
        "preview": reverse("reports:document_preview", args=[org.pk, "plan", 2564]),
        "pdf-analysis": reverse("reports:document_pdf", args=[org.pk, "analysis", 2563]),
        "pdf-plan": reverse("reports:document_pdf", args=[org.pk, "plan", 2564]),
        "pdf-progress": reverse("reports:document_pdf", args=[org.pk, "progress", 2564]),
        "pdf-order": reverse("reports:document_pdf", args=[org.pk, "order", 2564]),
        "texts": reverse("reports:analysis_texts", args=[org.pk, 2563]),
        "committee_new": reverse("reports:committee_new", args=[org.pk]),
        "committee_edit": reverse("reports:committee_edit", args=[org.pk, committee.pk]),
    }


NAMES = [
    "index", "preview", "pdf-analysis", "pdf-plan", "pdf-progress", "pdf-order", "texts",
    "committee_new", "committee_edit",
]  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_it_hides_every_document_url_from_another_organisation(khok, stranger, name):
    url = urls(khok)[name]
    before = (Committee.objects.count(), AnalysisText.objects.count())
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(stranger).post(url, {"text_0": "x"}).status_code == 404
    assert (Committee.objects.count(), AnalysisText.objects.count()) == before


@pytest.mark.parametrize("name", NAMES)
def test_it_sends_anonymous_visitors_to_log_in(khok, name):
    response = client_for(None).get(urls(khok)[name])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_serves_the_pdf_and_the_preview(khok, khok_staff):
    client = client_for(khok_staff)
    pdf = client.get(urls(khok)["pdf-order"])
    assert pdf["Content-Type"] == "application/pdf"
    assert "ที่ 74/2564" in pdftotext(pdf.content)
    preview = client.get(urls(khok)["preview"]).content.decode()
    assert (
        "มาตรการส่งเสริมคุณธรรมและความโปร่งใส" in preview and "/static/reports/documents.css" in preview
    )


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("documents/memo/2564/", "ไม่รู้จักเอกสาร “memo”"),
        ("documents/plan/2599/", "ยังไม่มีแผนมาตรการของปีงบประมาณ 2599"),
        ("documents/plan/2599.pdf", "ยังไม่มีแผนมาตรการของปีงบประมาณ 2599"),
    ],
)
def test_it_answers_missing_documents_with_a_thai_404(khok, khok_staff, path, message):
    response = client_for(khok_staff).get(f"/orgs/{khok.pk}/{path}")
    assert response.status_code == 404
    assert message in text_of(response.content.decode())


def test_it_saves_edited_analysis_text_and_prints_it(khok, khok_staff):
    client = client_for(khok_staff)
    page = client.get(urls(khok)["texts"])
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["text_9"] = "ต้องเผยแพร่ข้อมูลให้ครบถ้วนตามแบบวัด OIT ทุกข้อ"
    assert client.post(urls(khok)["texts"], data).status_code == 302
    assert AnalysisText.objects.get(number=9, assessment__organisation=khok).text.startswith(
        "ต้องเผยแพร่"
    )
    pdf = client.get(urls(khok)["pdf-analysis"]).content
    assert "ต้องเผยแพร่ข้อมูลให้ครบถ้วนตามแบบวัด OIT ทุกข้อ" in pdftotext(pdf).replace("\n", "")


def test_it_keeps_reviewers_from_editing_documents(khok):
    reviewer = User.objects.get(username="khoksamrong-reviewer")
    client = client_for(reviewer)
    assert "เทศบาลตำบลโคกสำโรง" in pdftotext(client.get(urls(khok)["pdf-plan"]).content)
    assert client.post(urls(khok)["texts"], {"text_0": "x"}).status_code == 403
    assert client.get(urls(khok)["committee_new"]).status_code == 403


DATE_MESSAGE = "กรุณากรอกวันที่ เช่น 15 พ.ย. 2569 หรือ 15/11/2569"  # โคกสำโรง writes Arabic digits


def committee_post(**overrides: str) -> dict[str, str]:
    data = {
        "fiscal_year": "๒๕๖๕", "subject": "แต่งตั้งคณะกรรมการ ITA", "issued_on": "2022-01-10",
        "reasons": "เพื่อให้การประเมินบรรลุวัตถุประสงค์", "duties_steering": "ให้คำปรึกษา",
        "duties_working": "", "signer_name": "นายก", "signer_position": "นายกเทศมนตรี",
        "members-TOTAL_FORMS": "1", "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "1", "members-MAX_NUM_FORMS": "1000",
        "members-0-group": "steering", "members-0-name": "นายสมชาย ใจดี",
        "members-0-position": "ปลัดเทศบาล", "members-0-role": "ประธานกรรมการ",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_it_creates_an_order_numbered_in_its_calendar_year(khok, khok_staff):
    response = client_for(khok_staff).post(urls(khok)["committee_new"], committee_post())
    assert response.status_code == 302
    committee = Committee.objects.get(organisation=khok, fiscal_year=2565)
    assert (committee.number, committee.number_year) == (1, 2565)
    assert committee.members.get().role == "ประธานกรรมการ"


@pytest.mark.parametrize(
    "typed", ["๑๐ ม.ค. ๒๕๖๕", "10/01/2565", "10 มกราคม 2565", "๒๕๖๕-๐๑-๑๐", "2022-01-10"]
)
def test_it_reads_the_order_date_in_the_buddhist_era(khok, khok_staff, typed):
    response = client_for(khok_staff).post(
        urls(khok)["committee_new"], committee_post(issued_on=typed)
    )
    assert response.status_code == 302
    committee = Committee.objects.get(organisation=khok, fiscal_year=2565)
    assert committee.issued_on == dt.date(2022, 1, 10)
    edit = reverse("reports:committee_edit", args=[khok.pk, committee.pk])
    page = client_for(khok_staff).get(edit).content.decode()
    assert 'name="issued_on" value="10 ม.ค. 2565"' in page  # in โคกสำโรง's Arabic digits


@pytest.mark.parametrize(
    ("overrides", "where", "message"),
    [
        ({"fiscal_year": "abc"}, "fiscal_year", "กรุณากรอกปี พ.ศ. เช่น 2565 หรือ ๒๕๖๕"),
        ({"issued_on": "2022-02-30"}, "issued_on", DATE_MESSAGE),
        ({"issued_on": "2568-02-29"}, "issued_on", DATE_MESSAGE),  # 2025 has no 29 February
        ({"subject": ""}, "subject", "ฟิลด์นี้จำเป็น"),
        (
            {"members-0-name": "", "members-0-position": "", "members-0-role": ""},
            "members",
            "ฟิลด์นี้จำเป็น ฟิลด์นี้จำเป็น ฟิลด์นี้จำเป็น",  # the name, the position, the role
        ),
    ],
)
def test_it_refuses_a_bad_order_and_saves_nothing(khok, khok_staff, overrides, where, message):
    before = Committee.objects.count()
    response = client_for(khok_staff).post(urls(khok)["committee_new"], committee_post(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert error_under(html, where) == message
    assert "ไม่มีการบันทึก" in html
    assert Committee.objects.count() == before


def test_it_marks_the_member_box_that_has_an_error(khok, khok_staff):
    response = client_for(khok_staff).post(
        urls(khok)["committee_new"], committee_post(**{"members-0-name": ""})
    )
    html = response.content.decode()
    box = re.search(r'<input[^>]*name="members-0-name"[^>]*>', html)
    assert box, "the page shows no box for the first member's name"
    assert "is-invalid" in box.group(0) and 'aria-invalid="true"' in box.group(0)
    assert 'aria-describedby="id_members-0-name_error"' in box.group(0)
    message = re.search(r'<div id="id_members-0-name_error"[^>]*>(.*?)</div>', html)
    assert message and message.group(1) == "ฟิลด์นี้จำเป็น"
    position = re.search(r'<input[^>]*name="members-0-position"[^>]*>', html)
    assert position and "is-invalid" not in position.group(0)  # a box without an error


def png_bytes(size: tuple[int, int] = (40, 40), kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "gold").save(out, kind)
    return out.getvalue()


def test_it_prints_the_uploaded_emblem_on_the_order(khok, khok_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("garuda.png", png_bytes(), content_type="image/png")
    client = client_for(khok_staff)
    assert client.post(urls(khok)["index"], {"emblem": upload}).status_code == 302
    pdf = client.get(urls(khok)["pdf-order"]).content
    path = tmp_path / "order.pdf"
    path.write_bytes(pdf)
    import subprocess

    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True
    ).stdout
    assert len(listing.splitlines()) == 3  # header, rule, the emblem


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("garuda.png", b"not an image", "image/png", "กรุณาอัปโหลดตราครุฑเป็นไฟล์ PNG หรือ JPEG"),
        ("garuda.gif", png_bytes(kind="GIF"), "image/gif", "กรุณาอัปโหลดตราครุฑเป็นไฟล์ PNG หรือ JPEG"),
    ],
)
def test_it_refuses_a_bad_emblem(
    khok, khok_staff, settings, tmp_path, name, content, content_type, message
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = client_for(khok_staff).post(urls(khok)["index"], {"emblem": upload})
    assert response.status_code == 200
    assert message in error_under(response.content.decode(), "emblem")
    khok.refresh_from_db()
    assert not khok.emblem


def test_it_lists_the_documents_an_organisation_can_print(khok, khok_staff):
    page = client_for(khok_staff).get(urls(khok)["index"]).content.decode()
    for kind, year in (("analysis", 2563), ("plan", 2564), ("progress", 2564), ("order", 2564)):
        assert f'data-kind="{kind}" data-year="{year}"' in page
