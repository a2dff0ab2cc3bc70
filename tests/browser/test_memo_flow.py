"""A memo goes up the chain in the real browser: returned once, resubmitted, approved, verified."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from assessments.services import assessment_save
from reports.memos.models import Memo
from tests.browser.conftest import screenshot
from tests.browser.layout import DESKTOP, PHONE, fits
from tests.conftest import DEFAULT_THRESHOLDS
from tests.reports.conftest import pdftotext

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch(page: Page, login, user):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    return login(user)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_it_takes_a_memo_from_draft_to_verified_approval(login, live_server, phusang, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    org = phusang.org
    staff, head, clerk, mayor = phusang.staff, phusang.head, phusang.clerk, phusang.mayor
    assessment_save(
        organisation=org, fiscal_year=2567, scores={}, published_score=Decimal("99.78"),
        published_level="ต้องปรับปรุง", thresholds=DEFAULT_THRESHOLDS, user=None,
    )  # fmt: skip

    page = login(staff)
    page.goto(f"{live_server.url}/orgs/{org.pk}/?year=2567")
    page.locator("#memo-from-assessment").click()
    expect(page.locator("#id_facts")).to_contain_text("๙๙.๗๘")
    page.get_by_role("button", name="บันทึกร่าง").click()
    route = page.locator("#route")
    route.locator("#id_user_0").select_option(str(head.pk))
    route.locator("#id_user_1").select_option(str(clerk.pk))
    route.locator("#id_acting_1").fill("หัวหน้าสำนักปลัด รักษาราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง")
    route.locator("#id_user_2").select_option(str(mayor.pk))
    route.get_by_role("button", name="ส่ง").click()
    expect(page.locator("#reference")).to_have_text("พย ๗๒๔๐๑/๑")

    page = switch(page, login, head)
    page.goto(f"{live_server.url}/memos/")
    fits(page)
    screenshot(page, f"walk-reviewer-inbox-{width}")
    with page.expect_navigation():
        page.locator("#awaiting a").first.click()
    fits(page)
    screenshot(page, f"walk-reviewer-memo-{width}")
    page.locator("#id_opinion").fill("ขอให้แนบรายละเอียดผลคะแนนเพิ่มเติม")
    page.get_by_role("button", name="ส่งคืนผู้จัดทำ").click()
    expect(page.locator("#memo-status")).to_have_text("ส่งคืนแก้ไข")

    page = switch(page, login, staff)
    memo = Memo.objects.get()
    page.goto(f"{live_server.url}/memos/{memo.pk}/edit/")
    page.locator("#id_considerations").fill("แนบรายงานการวิเคราะห์ผลคะแนนรายตัวชี้วัดแล้ว")
    page.get_by_role("button", name="บันทึกร่าง").click()
    page.locator("#route").get_by_role("button", name="ส่ง").click()
    expect(page.locator("#memo-status")).to_have_text("อยู่ระหว่างพิจารณา")

    for reviewer, opinion in ((head, "เห็นควรเสนอ"), (clerk, "- เพื่อโปรดพิจารณาอนุมัติ -")):
        page = switch(page, login, reviewer)
        page.goto(f"{live_server.url}/memos/{memo.pk}/")
        fits(page)
        page.locator("#id_opinion").fill(opinion)
        page.get_by_role("button", name="เสนอต่อ").click()

    page = switch(page, login, mayor)
    page.goto(f"{live_server.url}/memos/{memo.pk}/")
    fits(page)
    screenshot(page, f"walk-executive-memo-{width}")
    page.locator("#id_opinion").fill("เห็นชอบดำเนินการตามเสนอ")
    page.get_by_role("button", name="เห็นชอบ", exact=False).first.click()
    expect(page.locator("#memo-status")).to_have_text("อนุมัติ")
    fits(page)
    screenshot(page, f"walk-executive-memo-approved-{width}")

    memo.refresh_from_db()
    assert memo.version == 2 and memo.status == Memo.Status.APPROVED
    pdf = page.request.get(f"{live_server.url}/memos/{memo.pk}.pdf").body()
    text = pdftotext(pdf)
    for line in ("(นภาพร ธาคำดี)", "(สมชาย ใจดี)", "(วรวิทย์ เผ่าใจมา)", "รักษาราชการแทน",
                 "☑ เห็นชอบ", memo.verification_code):  # fmt: skip
        assert line in text

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/{memo.verification_code}/")
    expect(page.locator("#verification")).to_contain_text("พย ๗๒๔๐๑/๑")
    expect(page.locator("#verification")).to_contain_text(memo.content_hash)
    fits(page)
    screenshot(page, f"walk-public-memo-verified-{width}")
