"""The approval chain as an office lives it, in the real browser: a memo drafted from the plan goes
through two reviewers to the executive, is sent back by a reviewer and then by the executive,
and is approved; everyone's badge counts what waits for them; the approved PDF keeps its bytes
after the emblem changes; anyone checks it at /verify/ by typing the code and uploading the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from assessments.models import Organisation
from assessments.services import assessment_save
from measures.services import MeasureData, measure_create, plan_create
from reports.memos.models import Memo
from tests.browser.conftest import screenshot
from tests.conftest import DEFAULT_THRESHOLDS
from tests.reports.conftest import pdftotext

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch(page: Page, login, user):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    return login(user)


def badge(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("#memos-waiting")


def act(page: Page, url: str, opinion: str, button: str) -> None:
    page.goto(url)
    page.locator("#id_opinion").fill(opinion)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def resubmit(page: Page, url: str, considerations: str) -> None:
    page.goto(f"{url}edit/")
    page.locator("#id_considerations").fill(considerations)
    page.get_by_role("button", name="บันทึกร่าง").click()
    page.locator("#route").get_by_role("button", name="ส่ง").click()
    expect(page.locator("#memo-status")).to_have_text("อยู่ระหว่างพิจารณา")


def test_a_memo_from_the_plan_is_returned_twice_approved_kept_and_verified(
    login, live_server, settings, tmp_path: Path, phusang
):
    settings.MEDIA_ROOT = tmp_path
    org = phusang.org
    staff, head, clerk, mayor = phusang.staff, phusang.head, phusang.clerk, phusang.mayor
    assessment_save(
        organisation=org, fiscal_year=2568, scores={}, published_score=Decimal("84.50"),
        published_level="B", thresholds=DEFAULT_THRESHOLDS, user=None,
    )  # fmt: skip
    plan = plan_create(organisation=org, fiscal_year=2569)
    for title in ("เผยแพร่ข้อมูลการจัดซื้อจัดจ้างรายเดือน", "จัดทำคู่มือการให้บริการประชาชน"):
        measure_create(
            plan=plan, owners=[staff], user=None,
            data=MeasureData(title=title, indicators=[9], start_month=dt.date(2025, 10, 1),
                             end_month=dt.date(2026, 3, 1)),
        )  # fmt: skip

    # Staff drafts from the plan: the facts count the plan's measures.
    page = login(staff)
    page.goto(f"{live_server.url}/orgs/{org.pk}/plans/2569/")
    page.get_by_role("link", name="จัดทำบันทึกข้อความ").click()
    expect(page.locator("#id_facts")).to_contain_text("จากมาตรการทั้งหมด ๒ มาตรการ")
    page.get_by_role("button", name="บันทึกร่าง").click()
    route = page.locator("#route")
    route.locator("#id_user_0").select_option(str(head.pk))
    route.locator("#id_user_1").select_option(str(clerk.pk))
    route.locator("#id_user_2").select_option(str(mayor.pk))
    route.get_by_role("button", name="ส่ง").click()
    expect(page.locator("#reference")).to_have_text("พย ๗๒๔๐๑/๑")
    memo = Memo.objects.get()
    url = f"{live_server.url}/memos/{memo.pk}/"

    # The first reviewer lands on the inbox with a badge of one, and returns the memo.
    page = switch(page, login, head)
    expect(page).to_have_url(f"{live_server.url}/memos/")
    expect(badge(page)).to_have_text("๑")
    screenshot(page, "memo-inbox-badge")
    act(page, url, "ขอให้แนบรายละเอียดผลคะแนนเพิ่มเติม", "ส่งคืนผู้จัดทำ")
    expect(page.locator("#memo-status")).to_have_text("ส่งคืนแก้ไข")
    expect(badge(page)).to_have_count(0)

    page = switch(page, login, staff)
    expect(badge(page)).to_have_count(0)  # a returned memo is the drafter's to edit, not a step
    resubmit(page, url, "แนบรายงานการวิเคราะห์ผลคะแนนรายตัวชี้วัดแล้ว")

    for reviewer, opinion in ((head, "เห็นควรเสนอ"), (clerk, "เพื่อโปรดพิจารณา")):
        page = switch(page, login, reviewer)
        expect(badge(page)).to_have_text("๑")
        act(page, url, opinion, "เสนอต่อ")
        expect(badge(page)).to_have_count(0)

    # The executive sends it back too, with a reason; the drafter resubmits a third version.
    page = switch(page, login, mayor)
    expect(page).to_have_url(f"{live_server.url}/memos/")
    expect(badge(page)).to_have_text("๑")
    act(page, url, "ขอให้ระบุกำหนดเวลาของแต่ละมาตรการ", "ส่งคืนผู้จัดทำ")
    expect(page.locator("#memo-status")).to_have_text("ส่งคืนแก้ไข")
    expect(badge(page)).to_have_count(0)
    page = switch(page, login, staff)
    resubmit(page, url, "ระบุกำหนดเวลาของแต่ละมาตรการแล้ว")
    for reviewer in (head, clerk):
        page = switch(page, login, reviewer)
        act(page, url, "เห็นควรเสนอ", "เสนอต่อ")

    page = switch(page, login, mayor)
    expect(badge(page)).to_have_text("๑")
    page.goto(url)
    page.locator("#id_opinion").fill("อนุมัติ")
    page.get_by_role("button", name="เห็นชอบ", exact=False).first.click()
    expect(page.locator("#memo-status")).to_have_text("อนุมัติ")
    expect(badge(page)).to_have_count(0)
    screenshot(page, "memo-approved-after-two-returns")
    memo.refresh_from_db()
    assert (memo.version, memo.status) == (3, Memo.Status.APPROVED)
    opinions = page.locator("body").inner_text()
    for said in ("ขอให้แนบรายละเอียดผลคะแนนเพิ่มเติม", "ขอให้ระบุกำหนดเวลาของแต่ละมาตรการ"):
        assert said in opinions  # every return stays readable

    # The approved PDF keeps its bytes after a new emblem is uploaded.
    approved = page.request.get(f"{live_server.url}/memos/{memo.pk}.pdf").body()
    assert hashlib.sha256(approved).hexdigest() == memo.approved_pdf_sha256
    assert "(วรวิทย์ เผ่าใจมา)" in pdftotext(approved)
    emblem = tmp_path / "garuda.png"
    picture = io.BytesIO()
    Image.new("RGB", (300, 330), "black").save(picture, format="PNG")
    emblem.write_bytes(picture.getvalue())
    page = switch(page, login, staff)
    page.goto(f"{live_server.url}/orgs/{org.pk}/documents/")
    page.locator("input[type=file][name=emblem]").set_input_files(str(emblem))
    page.get_by_role("button", name="บันทึกตราครุฑ").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Organisation.objects.get(pk=org.pk).emblem
    after = page.request.get(f"{live_server.url}/memos/{memo.pk}.pdf").body()
    assert after == approved

    # Anyone, signed out, types the code by hand and checks the file they were given.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/")
    typed = memo.verification_code.replace("-", "").lower()
    page.locator("#verification-box input[name=code]").fill(typed)
    page.get_by_role("button", name="ตรวจสอบรหัส").click()
    expect(page).to_have_url(f"{live_server.url}/verify/{memo.verification_code}/")
    expect(page.locator("#verification")).to_contain_text("พย ๗๒๔๐๑/๑")
    # the file's own SHA-256, for whoever checks with sha256sum, beside the one printed on it
    expect(page.locator("#approved-pdf-sha256")).to_have_text(hashlib.sha256(after).hexdigest())
    expect(page.locator("#verification")).to_contain_text(memo.content_hash)
    pdf_file = tmp_path / "received.pdf"
    pdf_file.write_bytes(after)
    page.locator("#pdf-check input[type=file]").set_input_files(str(pdf_file))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    expect(page.locator("#pdf-check [role=status]")).to_have_text("ตรงกับต้นฉบับที่อนุมัติ")
    screenshot(page, "memo-verified-by-upload")
    pdf_file.write_bytes(after.replace(b"%%EOF", b"%%EOF ", 1))
    page.locator("#pdf-check input[type=file]").set_input_files(str(pdf_file))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    expect(page.locator("#pdf-check [role=status]")).to_have_text("ไม่ตรงกับต้นฉบับที่อนุมัติ")
