"""Staff of บางเก่า build the FY 2566 plan from the FY 2565 scores in the real browser."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from measures.models import Measure, SuggestedMeasure
from tests.browser.conftest import screenshot
from tests.browser.layout import DESKTOP, PHONE, fits, menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_it_builds_a_plan_from_the_urgent_and_raise_indicators(
    assessed_org, staff, reviewer, login, live_server, width
):
    SuggestedMeasure.objects.create(
        title="จัดทำคู่มือการยืมทรัพย์สินของราชการ", indicators=[4], responsible_unit="กองคลัง"
    )
    page = login(staff)
    page.set_viewport_size({"width": width, "height": 900})
    menu(page, "แผนมาตรการ")
    page.get_by_label("ปีงบประมาณของมาตรการ (พ.ศ.)").fill("๒๕๖๖")
    page.get_by_role("button", name="เริ่มจัดทำแผน").click()

    needing = page.locator("#needing tbody tr")
    expect(needing).to_have_count(10)
    expect(page.locator("#needing .badge", has_text="แก้ไขเร่งด่วน")).to_have_count(8)
    expect(page.locator("#needing .badge", has_text="ยกระดับ")).to_have_count(2)
    fits(page)
    screenshot(page, f"walk-staff-plan-started-{width}")

    page.locator('#needing tr[data-indicator="4"] button.suggestion').first.click()
    page.get_by_label(reviewer.get_full_name() or reviewer.username).check()
    page.locator("#id_start").select_option("2023-01")
    page.locator("#id_end").select_option("2023-02")
    page.locator("#id_cadence").select_option("monthly")
    page.get_by_role("button", name="บันทึกมาตรการ").click()

    row = page.locator("#measures tbody tr").first
    expect(row).to_contain_text("ม.ค. – ก.พ. ๒๕๖๖")
    expect(page.locator('#needing tr[data-indicator="4"]')).to_contain_text("มีมาตรการแล้ว")
    expect(row.locator(".overdue")).to_be_visible()  # February 2023 is long past
    fits(page)
    measure = Measure.objects.get()
    assert list(measure.owners.all()) == [reviewer]

    row.get_by_role("link").click()
    page.get_by_label("วันที่").fill(dt.date(2023, 2, 10).isoformat())
    page.get_by_label("สิ่งที่ได้ดำเนินการ").fill("จัดทำคู่มือและเวียนแจ้งทุกส่วนราชการ")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator("#progress")).to_contain_text("๑๐ กุมภาพันธ์ ๒๕๖๖")
    expect(page.locator("#measure-status")).to_contain_text("กำลังดำเนินการ")
    fits(page)
    screenshot(page, f"walk-staff-follow-up-{width}")
