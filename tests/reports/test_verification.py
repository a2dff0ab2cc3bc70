"""The public verification of a decided memo: long codes, unique in the database, typed by hand in
a box, counted per address; the page shows only what identifies the memo, and checks a PDF file
against the approved original."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import multipartparser
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from assessments.models import Organisation
from itaportal.accounts.models import User
from reports.memos.document import memo_html
from reports.memos.models import Memo, MemoAction
from reports.memos.services import MemoContent, RouteStep, memo_act, memo_create, memo_submit
from reports.memos.verification import new_verification_code, normalise_code, verification_url
from reports.pdf import renderer
from tests.conftest import make_user, shared_data
from tests.reports.conftest import frameworks_back  # noqa: F401  (the fixture)
from tests.test_redis_down import redis_stopped  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

CANONICAL = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$")
NOT_A_CODE = "ไม่ใช่รหัสตรวจสอบเอกสาร"
NO_MEMO = "ไม่มีบันทึกข้อความ"
MATCHES = "ตรงกับต้นฉบับที่อนุมัติ"
DOES_NOT_MATCH = "ไม่ตรงกับต้นฉบับที่อนุมัติ"


def decided_memo(name: str, letter_code: str, subject: str) -> Memo:
    org = Organisation.objects.create(
        kind="sao", name=name, province="พะเยา", letter_code=letter_code
    )
    drafter, head, mayor = (
        make_user(f"{letter_code}-{role}", organisation=org, role=role, email=f"{role}@example.org")
        for role in ("staff", "reviewer", "executive")
    )
    data = MemoContent(
        unit="สำนักปลัด", subject=subject, addressee="นายก", facts=f"ข้อเท็จจริงของ{name}",
        drafter_name=f"ผู้ร่าง {name}", drafter_position="นักทรัพยากรบุคคล",
    )  # fmt: skip
    memo = memo_create(organisation=org, drafter=drafter, data=data, ip="127.0.0.1")
    route = [RouteStep(head), RouteStep(mayor)]
    memo = memo_submit(
        memo=memo, user=drafter, route=route, ip="10.0.0.1", today=dt.date(2025, 2, 11)
    )
    for user, action in ((head, MemoAction.FORWARD), (mayor, MemoAction.APPROVE)):
        memo = memo_act(memo=memo, user=user, action=action, opinion="", ip="10.0.0.2")
    return memo


MEMO_SUBJECT, OTHER_SUBJECT = "รายงานผล ITA ภูซาง", "เรื่องลับของบางเก่า"


def _two_decided_memos() -> None:
    decided_memo("องค์การบริหารส่วนตำบลภูซาง", "พย ๗๒๔๐๑", MEMO_SUBJECT)
    decided_memo("เทศบาลตำบลบางเก่า", "พบ ๕๒๑๐๑", OTHER_SUBJECT)


# Deciding renders the memo's PDF: the two memos are decided once for the module's tests.
verification_memos = shared_data("verification_memos", _two_decided_memos)


@pytest.fixture
def memo(verification_memos: None) -> Memo:
    return Memo.objects.get(subject=MEMO_SUBJECT)


@pytest.fixture
def other_memo(verification_memos: None) -> Memo:
    return Memo.objects.get(subject=OTHER_SUBJECT)


def page(code: str) -> str:
    return reverse("reports:verify", args=[code])


def text_of(response: Any) -> str:
    return str(response.content.decode())


def verdict(response: Any) -> str | None:
    """What the page says of an uploaded file, or None when it says nothing."""
    found = re.search(r'role="status">(.*?)</p>', text_of(response), re.S)
    return found.group(1).strip() if found else None


def memo_pdf(memo: Memo) -> bytes:
    return renderer().render(memo_html(memo)).pdf


def with_approved_pdf(memo: Memo) -> bytes:
    """The decided memo's PDF as the portal printed and kept it at the decision."""
    memo.refresh_from_db()
    with memo.approved_pdf.open("rb") as kept:
        pdf = kept.read()
    assert hashlib.sha256(pdf).hexdigest() == memo.approved_pdf_sha256
    return pdf


# ---------------------------------------------------------------------------------------------
# The codes


def test_it_makes_codes_of_140_bits_in_groups_of_four() -> None:
    codes = {new_verification_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(CANONICAL.match(code) for code in codes), sorted(codes)[:3]
    # Every character of the alphabet is drawn: 32 choices, 5 bits, at each of 28 places.
    assert {char for code in codes for char in code.replace("-", "")} == set(
        "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    )


def test_it_gives_the_decided_memo_a_long_code(memo: Memo) -> None:
    assert CANONICAL.match(memo.verification_code), memo.verification_code
    response = Client().get(page(memo.verification_code))
    assert response.status_code == 200 and memo.reference in text_of(response)


def test_the_database_holds_a_code_once(memo: Memo, other_memo: Memo) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Memo.objects.filter(pk=other_memo.pk).update(verification_code=memo.verification_code)
    # Undecided memos have no code, as many as there are.
    Memo.objects.filter(pk__in=[memo.pk, other_memo.pk]).update(verification_code="")
    assert Memo.objects.filter(verification_code="").count() == 2


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        "{lower}",
        "{plain}",
        "  {spaced}  ",
        "{lower_plain}",
    ],
)
def test_it_reads_a_code_typed_by_hand(memo: Memo, typed: str) -> None:
    code = memo.verification_code
    plain = code.replace("-", "")
    typed = typed.format(
        code=code,
        lower=code.lower(),
        plain=plain,
        spaced=" ".join(code.split("-")),
        lower_plain=plain.lower(),
    )
    response = Client().get(reverse("reports:verify_lookup"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == page(code)
    response = Client().get(page(typed.strip()), follow=True)
    # To the one address of the memo's page, as its QR code gives it.
    assert response.redirect_chain == ([] if typed == code else [(page(code), 302)])
    assert response.status_code == 200 and memo.reference in text_of(response)


def test_it_reads_thai_digits_and_the_letters_taken_for_digits() -> None:
    code = "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV"
    thai = "๐๑๒๓ ๔๕๖๗ ๘๙ab cdef ghjk mnpq rstv"
    assert normalise_code(thai) == code
    assert (
        normalise_code("O1I3-4567-89AB-CDEF-GHJK-MNPQ-RSTV") == "0113-4567-89AB-CDEF-GHJK-MNPQ-RSTV"
    )
    assert normalise_code("l123-4567-89AB-CDEF-GHJK-MNPQ-RSTV") == code.replace("0", "1", 1)
    assert normalise_code(code[:-1]) is None  # one character short
    assert normalise_code(code + "V") is None
    assert normalise_code(code.replace("R", "U")) is None  # U is not in the alphabet


def test_the_box_asks_for_a_code_in_thai(db: None) -> None:
    response = Client().get(reverse("reports:verify_lookup"))
    assert response.status_code == 200
    assert 'name="code"' in text_of(response) and "รหัสตรวจสอบเอกสาร" in text_of(response)
    response = Client().get(reverse("reports:verify_lookup"), {"code": "1234"})
    assert response.status_code == 200 and NOT_A_CODE in text_of(response)
    response = Client().get(reverse("reports:verify_lookup"), {"code": "   "})
    assert response.status_code == 200 and "พิมพ์รหัสตรวจสอบ" in text_of(response)


# ---------------------------------------------------------------------------------------------
# Bad codes: a Thai 404, never a server error, never another memo


HOSTILE = [
    "00000000",
    "<script>alert(1)</script>",
    "x" * 60,
    "A" * 10_000,
    "รหัสตรวจสอบ",
    "😀" * 28,
    "..",
    "../../etc/passwd",
    "..%2F..%2F",
    "\x00",
    "ABCD\x00EFGH",
    "' OR 1=1 --",
    "%",
    "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-234",  # one character short
    "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-6",  # one too many
]


@pytest.mark.parametrize("code", HOSTILE)
def test_it_answers_a_hostile_code_in_thai_with_a_404(memo: Memo, code: str) -> None:
    response = Client().get(f"/verify/{quote(code, safe='')}/")
    assert response.status_code == 404
    html = text_of(response)
    assert 'lang="th"' in html and re.search("[ก-๙]{4}", html)
    assert memo.reference not in html and memo.organisation.name not in html


@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text(min_size=1, max_size=200))
@example(code="\x00")
@example(code="/")
def test_no_code_of_any_length_or_alphabet_is_a_server_error(memo: Memo, code: str) -> None:
    response = Client().get(f"/verify/{quote(code, safe='')}/")
    assert response.status_code in (302, 404), response.status_code
    if response.status_code == 404:
        assert re.search("[ก-๙]{4}", text_of(response))
        assert memo.organisation.name not in text_of(response)
    response = Client().get(reverse("reports:verify_lookup"), {"code": code})
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert NOT_A_CODE in text_of(response) or "พิมพ์รหัสตรวจสอบ" in text_of(response)


def test_a_code_that_is_not_there_is_a_thai_404(memo: Memo) -> None:
    code = memo.verification_code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = Client().get(page(wrong))
    assert response.status_code == 404
    assert NO_MEMO in text_of(response) and wrong in text_of(response)


# ---------------------------------------------------------------------------------------------
# What the page shows


def test_it_shows_this_memo_and_nothing_of_another_organisation(
    memo: Memo, other_memo: Memo
) -> None:
    html = text_of(Client().get(page(memo.verification_code)))
    assert memo.organisation.name in html and memo.reference in html
    assert memo.content_hash in html
    for text in (
        other_memo.organisation.name,
        other_memo.reference,
        other_memo.content_hash,
        other_memo.subject,
        memo.subject,
        memo.facts,
        memo.drafter_name,
    ):
        assert text not in html, text
    # A code one character off shows neither memo.
    code = memo.verification_code
    for wrong in (code[:-1] + ("0" if code[-1] != "0" else "1"), other_memo.verification_code[:-1]):
        html = text_of(Client().get(page(wrong)))
        assert memo.organisation.name not in html and other_memo.organisation.name not in html


def test_an_undecided_memo_has_no_public_page(memo: Memo) -> None:
    # As it stood before the decision: a draft has neither hash nor page.
    Memo.objects.filter(pk=memo.pk).update(content_hash="", status=Memo.Status.IN_REVIEW)
    response = Client().get(page(memo.verification_code))
    assert response.status_code == 404 and memo.organisation.name not in text_of(response)


# ---------------------------------------------------------------------------------------------
# Counting lookups per address


def test_it_allows_30_lookups_in_ten_minutes_per_address(memo: Memo) -> None:
    code = memo.verification_code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    client = Client(REMOTE_ADDR="203.0.113.7")
    answers = [client.get(page(code if n % 2 else wrong)).status_code for n in range(30)]
    assert set(answers) == {200, 404}
    refused = client.get(page(code))
    assert refused.status_code == 429
    assert "ตรวจรหัสจากที่อยู่ของท่านมากเกินไป" in text_of(refused)
    assert memo.organisation.name not in text_of(refused)
    # Another address is counted on its own.
    assert Client(REMOTE_ADDR="203.0.113.8").get(page(code)).status_code == 200


def test_text_that_is_not_a_code_is_not_counted(memo: Memo) -> None:
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(40):
        assert client.get("/verify/not-a-code/").status_code == 404
    assert client.get(page(memo.verification_code)).status_code == 200


@pytest.mark.usefixtures("redis_stopped")
def test_with_redis_stopped_lookups_are_answered_unlimited(memo: Memo) -> None:
    client = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(35):
        assert client.get(page(memo.verification_code)).status_code == 200


# ---------------------------------------------------------------------------------------------
# Checking a PDF file against the approved original


def upload(client: Client, memo: Memo, content: bytes, name: str = "memo.pdf") -> Any:
    return client.post(page(memo.verification_code), {"pdf": SimpleUploadedFile(name, content)})


def test_the_approved_pdf_itself_matches(memo: Memo) -> None:
    pdf = with_approved_pdf(memo)
    html = text_of(Client().get(page(memo.verification_code)))
    assert 'type="file"' in html and 'name="pdf"' in html
    response = upload(Client(), memo, pdf)
    assert response.status_code == 200 and verdict(response) == MATCHES


def test_a_pdf_with_one_byte_changed_does_not_match(memo: Memo) -> None:
    pdf = bytearray(with_approved_pdf(memo))
    pdf[len(pdf) // 2] ^= 0x01
    response = upload(Client(), memo, bytes(pdf))
    assert response.status_code == 200 and verdict(response) == DOES_NOT_MATCH
    # A PDF printed again now is another file: only the stored bytes match.
    assert verdict(upload(Client(), memo, memo_pdf(memo) + b"\n")) == DOES_NOT_MATCH


@pytest.mark.parametrize(
    "content",
    [b"hello", b"PK\x03\x04 a zip", "%PDF ภาษาไทย".encode(), b"\n%PDF-1.7 after a newline"],
)
def test_a_file_that_is_not_a_pdf_is_refused_in_thai(memo: Memo, content: bytes) -> None:
    with_approved_pdf(memo)
    response = upload(Client(), memo, content)
    assert "ไฟล์นี้ไม่ใช่ PDF" in text_of(response) and verdict(response) is None


def test_an_empty_or_missing_file_is_refused_in_thai(memo: Memo) -> None:
    with_approved_pdf(memo)
    assert "ไฟล์ว่างเปล่า" in text_of(upload(Client(), memo, b""))
    assert "เลือกไฟล์ PDF" in text_of(Client().post(page(memo.verification_code), {}))


def test_a_file_too_large_is_refused_before_it_is_read(
    memo: Memo, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = with_approved_pdf(memo)
    settings.VERIFY_UPLOAD_MAX_BYTES = 1024 * 1024
    client = Client(enforce_csrf_checks=True)
    client.get(page(memo.verification_code))  # the form, and its CSRF cookie
    token = client.cookies["csrftoken"].value
    parsed: list[object] = []
    parse = multipartparser.MultiPartParser.parse

    def recording(self: multipartparser.MultiPartParser) -> Any:
        parsed.append(self)
        return parse(self)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", recording)
    big = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)
    response = client.post(
        page(memo.verification_code),
        {"pdf": SimpleUploadedFile("big.pdf", big), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 413
    assert "ไฟล์ใหญ่เกิน ๑ MB" in text_of(response)
    assert parsed == []  # neither the CSRF check nor the page read the upload
    # Below the limit, the same client is served: the CSRF check still applies.
    response = client.post(
        page(memo.verification_code),
        {
            "pdf": SimpleUploadedFile("memo.pdf", kept),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 200 and verdict(response) == MATCHES and parsed
    forged = client.post(
        page(memo.verification_code), {"pdf": SimpleUploadedFile("a.pdf", b"%PDF-")}
    )
    assert forged.status_code == 403


def test_without_a_kept_pdf_there_is_nothing_to_check_against(memo: Memo) -> None:
    # A memo decided before decisions kept their PDF.
    Memo.objects.filter(pk=memo.pk).update(approved_pdf="", approved_pdf_sha256="")
    html = text_of(Client().get(page(memo.verification_code)))
    assert 'type="file"' not in html
    response = upload(Client(), memo, memo_pdf(memo))
    assert response.status_code == 200 and "ไม่มีไฟล์ PDF ต้นฉบับ" in text_of(response)
    assert verdict(response) is None


# ---------------------------------------------------------------------------------------------
# The configured address, in the QR code and the e-mails


def test_the_qr_code_and_the_emails_carry_the_configured_address(
    settings: Any, db: None, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_URL = "https://ita.example.go.th"
    with django_capture_on_commit_callbacks(execute=True):
        memo = decided_memo("องค์การบริหารส่วนตำบลภูซาง", "พย ๗๒๔๐๑", "รายงานผล ITA")
    html = memo_html(memo)
    assert f"https://ita.example.go.th/verify/{memo.verification_code}/" in html
    assert mail.outbox and all(
        "https://ita.example.go.th/memos/" in message.body for message in mail.outbox
    )
    assert not any("127.0.0.1" in message.body for message in mail.outbox)


def test_the_qr_code_tells_a_screen_reader_where_it_leads(memo: Memo) -> None:
    """PDF/UA wants every picture described: WeasyPrint warned of the memo's QR code."""
    image = re.search(r'<img src="data:image/svg[^"]*" alt="([^"]*)" class="qr">', memo_html(memo))
    assert image is not None
    assert image.group(1) == f"คิวอาร์โค้ดสำหรับตรวจสอบเอกสารนี้ที่ {verification_url(memo)}"


# ---------------------------------------------------------------------------------------------
# The migration that replaced the short codes


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frameworks_back")
def test_the_migration_gives_decided_memos_new_long_codes() -> None:
    org = Organisation.objects.create(kind="sao", name="ภูซาง", province="พะเยา")
    user: User = make_user("drafter", organisation=org)
    fields = {"organisation": org, "drafter": user, "unit": "u", "addressee": "a"}
    for subject in ("decided", "also decided", "draft"):
        Memo.objects.create(subject=subject, drafter_name="d", drafter_position="p", **fields)
    before = [("reports", "0006_memo_approval_policy_and_approved_pdf")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("reports", "Memo")
    # Short codes, two of them equal: 32 bits made that likely.
    old.objects.filter(subject__contains="decided").update(verification_code="1A2B3C4D")
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    codes = dict(Memo.objects.values_list("subject", "verification_code"))
    assert codes["draft"] == ""
    assert CANONICAL.match(codes["decided"]) and CANONICAL.match(codes["also decided"])
    assert codes["decided"] != codes["also decided"]
    assert Client().get("/verify/1A2B3C4D/").status_code == 404
