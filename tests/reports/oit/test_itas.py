"""The text an office pastes into ITAS: the portal's draft (page, menu path, documents with their
fiscal years), the office's own text in its place, the page of all items and its XLSX."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Organisation
from itaportal.accounts.models import User
from reports.oit.itas import itas_draft
from reports.oit.models import OitEntry, OitEvidence
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
YEAR = 2569


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def o23(org: Organisation, staff: User) -> OitEntry:
    client_for(staff).get(reverse("reports:oit_checklist", args=[org.pk, YEAR]))
    entry = OitEntry.objects.select_related("item").get(item__code="o23")
    entry.url = "https://www.bangkao.go.th/ita/o23"
    entry.navigation = "หน้าหลัก > ITA > ข้อ 23"
    entry.save()
    OitEvidence.objects.create(
        entry=entry,
        title="แผนปฏิบัติการป้องกันการทุจริต 2569",
        link="https://www.bangkao.go.th/o23.pdf",
        document_year=2569,
    )
    return entry


def test_the_draft_says_where_the_evidence_is(o23: OitEntry) -> None:
    draft = itas_draft(o23, o23.evidence.all(), thai_digits=True)
    assert draft.splitlines() == [
        "เผยแพร่ข้อมูลไว้ที่ https://www.bangkao.go.th/ita/o23",
        "เส้นทางเข้าถึง: หน้าหลัก > ITA > ข้อ ๒๓",
        "เอกสาร:",
        "๑. แผนปฏิบัติการป้องกันการทุจริต ๒๕๖๙ (ปีงบประมาณ ๒๕๖๙) https://www.bangkao.go.th/o23.pdf",
    ]
    arabic = itas_draft(o23, o23.evidence.all(), thai_digits=False)
    assert "1. แผนปฏิบัติการป้องกันการทุจริต 2569 (ปีงบประมาณ 2569)" in arabic


def test_the_item_page_offers_the_draft_to_copy(o23: OitEntry, staff: User) -> None:
    page = client_for(staff).get(
        reverse("reports:oit_entry", args=[o23.organisation_id, YEAR, "o23"])
    )
    html = page.content.decode()
    assert 'data-copy="itas-text"' in html and "js/copy.js" in html
    assert "เผยแพร่ข้อมูลไว้ที่ https://www.bangkao.go.th/ita/o23" in html


def test_the_offices_own_text_replaces_the_draft(o23: OitEntry, staff: User) -> None:
    client = client_for(staff)
    url = reverse("reports:oit_entry", args=[o23.organisation_id, YEAR, "o23"])
    client.post(
        url,
        {"status": "in_progress", "url": o23.url, "itas_text": "ดูเมนู ITA ข้อ ๒๓"},
    )
    summary = client.get(reverse("reports:oit_itas", args=[o23.organisation_id, YEAR]))
    row = summary.content.decode().split('data-item="o23"')[1].split("</tr>")[0]
    assert "ดูเมนู ITA ข้อ ๒๓" in row and "เผยแพร่ข้อมูลไว้ที่" not in row
    OitEntry.objects.filter(pk=o23.pk).update(itas_text="")
    again = client.get(reverse("reports:oit_itas", args=[o23.organisation_id, YEAR]))
    assert "เผยแพร่ข้อมูลไว้ที่ https://www.bangkao.go.th/ita/o23" in text(again)


def test_the_summary_lists_every_item_and_downloads_as_xlsx(o23: OitEntry, staff: User) -> None:
    client = client_for(staff)
    page = client.get(reverse("reports:oit_itas", args=[o23.organisation_id, YEAR]))
    assert len(re.findall(r'<tr data-item="o\d+"', page.content.decode())) == 26
    answer = client.get(reverse("reports:oit_itas_xlsx", args=[o23.organisation_id, YEAR]))
    assert answer["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "ข้อ" and len(rows) == 27
    o23_row = next(r for r in rows if r[0] == "o23")
    assert o23_row[3] == "https://www.bangkao.go.th/ita/o23"
    assert "เผยแพร่ข้อมูลไว้ที่" in o23_row[4]
