"""The date box's calendar (itaportal/static/js/datepicker.js) in the real browser: staff pick a
follow-up date with the mouse and with the keyboard, and read it back in the Buddhist era."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from itaportal import thai
from measures.models import Measure, MeasurePlan
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_pick_a_follow_up_date_from_the_calendar_and_read_it_in_the_buddhist_era(
    org, staff, login, live_server
):
    today = dt.date.today()
    plan = MeasurePlan.objects.create(organisation=org, fiscal_year=thai.be_year(today.year))
    measure = Measure.objects.create(
        plan=plan, order=1, title="มาตรการเผยแพร่ข้อมูลต่อสาธารณะ", indicators=[9]
    )
    page = login(staff)
    page.goto(f"{live_server.url}/measures/{measure.pk}/")
    box = page.locator("#id_date")
    expect(box).to_have_attribute("placeholder", "๑๕ พ.ย. ๒๕๖๙")
    opener = page.get_by_role("button", name="เปิดปฏิทิน")

    # With the mouse: the month before, its first day.
    opener.click()
    calendar = page.get_by_role("dialog")
    month = f"{thai.FULL_MONTHS[today.month - 1]} {thai.digits(thai.be_year(today.year))}"
    expect(calendar).to_contain_text(month)
    calendar.get_by_role("button", name="เดือนก่อน").click()
    before = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    calendar.get_by_role("button", name=thai.date_be_short(before), exact=True).click()
    expect(box).to_have_value(thai.date_be_short(before))
    expect(calendar).to_be_hidden()

    # With the keyboard: it opens on the box's day; a week on, a day back, Enter.
    opener.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name=thai.date_be_short(before), exact=True)).to_be_focused()
    screenshot(page, "date-picker-open")
    for key in ("ArrowDown", "ArrowLeft"):
        page.keyboard.press(key)
    picked = before + dt.timedelta(days=6)
    page.keyboard.press("Enter")
    expect(box).to_have_value(thai.date_be_short(picked))  # "๗ พ.ย. ๒๕๖๙"
    opener.click()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(opener).to_be_focused()

    page.get_by_label("สิ่งที่ได้ดำเนินการ").fill("ประกาศเจตจำนงสุจริตบนเว็บไซต์")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator("#progress")).to_contain_text(thai.date_be(picked))
    assert measure.progress.get().date == picked
    screenshot(page, "date-picker-saved")
