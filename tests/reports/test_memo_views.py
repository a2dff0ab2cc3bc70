"""Memo pages: isolation of every memo URL, the inbox, the PDF, the public verification page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from itaportal.accounts.models import User
from reports.memos.models import Memo
from tests.conftest import client_for
from tests.reports.conftest import pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def memo(demo_with_memos: None) -> Memo:
    return Memo.objects.get(number=119)


def memo_urls(memo: Memo) -> dict[str, str]:
    return {
        "detail": reverse("reports:memo_detail", args=[memo.pk]),
        "edit": reverse("reports:memo_edit", args=[memo.pk]),
        "submit": reverse("reports:memo_submit", args=[memo.pk]),
        "act": reverse("reports:memo_act", args=[memo.pk]),
        "pdf": reverse("reports:memo_pdf", args=[memo.pk]),
        "attachment": reverse("reports:memo_attachment", args=[memo.pk, 0]),
        "new": reverse("reports:memo_new", args=[memo.organisation_id]),
    }


@pytest.mark.parametrize("name", ["detail", "edit", "submit", "act", "pdf", "attachment", "new"])
def test_it_hides_every_memo_url_from_another_organisation(memo, name):
    stranger = User.objects.get(username="bangkao-executive")
    url = memo_urls(memo)[name]
    before = list(Memo.objects.values_list("pk", "status", "version"))
    post_only = name in ("submit", "act")
    assert client_for(stranger).get(url).status_code == (405 if post_only else 404)
    assert client_for(stranger).post(url, {"action": "approve"}).status_code == 404
    assert list(Memo.objects.values_list("pk", "status", "version")) == before


@pytest.mark.parametrize("name", ["detail", "edit", "pdf", "attachment", "new"])
def test_it_sends_anonymous_visitors_to_log_in(memo, name):
    response = client_for(None).get(memo_urls(memo)[name])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_prints_the_seed_memo_with_its_chain(memo):
    staff = User.objects.get(username="phusang-staff")
    text = pdftotext(client_for(staff).get(memo_urls(memo)["pdf"]).content)
    assert "บันทึกข้อความ" in text and "ที่ พย ๗๒๔๐๑/๑๑๙" in text
    assert "๑๑ กุมภาพันธ์ ๒๕๖๘" in text
    assert "หัวหน้าสำนักปลัด รักษาราชการแทน" in text
    assert "☑ เห็นชอบ" in text and memo.verification_code in text


def test_each_page_but_the_last_names_the_words_the_next_begins_with(memo):
    """Seed 001: "/ความเห็นของ..." at the foot of page 1, as the records regulation has it."""
    staff = User.objects.get(username="phusang-staff")
    pdf = client_for(staff).get(memo_urls(memo)["pdf"]).content
    pages = pdftotext(pdf).split("\f")[:-1]
    assert len(pages) == 2
    first, last = ([line for line in page.splitlines() if line.strip()] for page in pages)
    assert first[-1] == "/ความเห็น..."
    assert last[0].strip() == "- ๒ -"
    assert last[1].startswith("ความเห็น")  # the next page's first line
    assert not any(line.endswith("...") and line.startswith("/") for line in last)


def test_it_serves_the_frozen_attachment(memo):
    staff = User.objects.get(username="phusang-staff")
    response = client_for(staff).get(memo_urls(memo)["attachment"])
    pdf = b"".join(response.streaming_content)
    assert "รายงานการวิเคราะห์ผลการประเมิน" in pdftotext(pdf).replace("\n", "")


def test_it_verifies_a_decided_memo_publicly_with_its_data_only(memo):
    response = client_for(None).get(reverse("reports:verify", args=[memo.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "พย ๗๒๔๐๑/๑๑๙" in html and memo.content_hash in html
    assert '<dd class="col-sm-9">อนุมัติ (' in html  # approved, not "ไม่อนุมัติ"
    assert memo.facts not in html and memo.drafter_name not in html  # nothing of the content


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("00000000", "ไม่ใช่รหัสตรวจสอบเอกสาร"),  # the old short codes are no longer codes
        ("<script>", "ไม่ใช่รหัสตรวจสอบเอกสาร"),
        ("x" * 60, "ไม่ใช่รหัสตรวจสอบเอกสาร"),
        ("0000-0000-0000-0000-0000-0000-0000", "ไม่มีบันทึกข้อความ"),
    ],
)
def test_it_answers_an_unknown_code_with_a_thai_404(memo, code, says):
    response = client_for(None).get(f"/verify/{code}/")
    assert response.status_code == 404
    assert says in response.content.decode()


def test_it_shows_the_inbox_of_whoever_must_act(demo_with_memos):
    staff = User.objects.get(username="bangkao-staff")
    reviewer = User.objects.get(username="bangkao-reviewer")
    executive = User.objects.get(username="bangkao-executive")
    client = client_for(staff)
    url = reverse("reports:memo_new", args=[staff.organisation_id]) + "?from=assessment&year=2565"
    form = client.get(url).context["form"]
    assert "๖๘.๗๘" in form.initial["facts"]
    data = {k: v for k, v in form.initial.items() if k != "attachments"}
    data["attached"] = ["analysis:2565", "plan:2566"]
    response = client.post(url, data)
    memo = Memo.objects.get(drafter=staff)
    assert response["Location"] == reverse("reports:memo_detail", args=[memo.pk])
    client.post(reverse("reports:memo_submit", args=[memo.pk]),
                {"user_0": reviewer.pk, "user_1": executive.pk})  # fmt: skip
    inbox = client_for(reviewer).get(reverse("reports:memo_inbox")).content.decode()
    assert memo.subject in inbox
    assert (
        memo.subject
        not in client_for(executive).get(reverse("reports:memo_inbox")).content.decode()
    )
    double = client_for(executive).post(reverse("reports:memo_act", args=[memo.pk]),
                                        {"action": "approve"}, follow=True)  # fmt: skip
    assert "ไม่ใช่ลำดับของท่าน" in double.content.decode()
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.IN_REVIEW


def test_it_refuses_a_memo_longer_than_a_memo_needs(org, staff):
    url = reverse("reports:memo_new", args=[org.pk])
    post = {
        "unit": "สำนักปลัด", "subject": "ขอความเห็นชอบมาตรการ", "addressee": "นายกเทศมนตรี",
        "background": "ก" * 483_000, "facts": "", "considerations": "", "proposal": "",
        "closing": "จึงเรียนมาเพื่อโปรดพิจารณา", "drafter_name": "นางสาวทดสอบ",
        "drafter_position": "นักวิเคราะห์นโยบายและแผน",
    }  # fmt: skip
    response = client_for(staff).post(url, post)
    html = response.content.decode()
    assert response.status_code == 200
    assert "กรุณากรอกไม่เกิน ๒๐๐๐๐ ตัวอักษร (ขณะนี้มี ๔๘๓๐๐๐ ตัวอักษร)" in html
    assert not Memo.objects.exists()
    post["background"] = "ก" * 20_000  # the limit itself is a memo
    assert client_for(staff).post(url, post).status_code == 302
    assert Memo.objects.get().background == "ก" * 20_000
