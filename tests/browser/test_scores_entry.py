"""Staff enter a year's scores in the real browser and see the tiers and the chart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from tests.browser.conftest import screenshot
from tests.browser.layout import DESKTOP, PHONE, fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THAI_2565 = [
    "๘๓.๗๑",
    "๖๘.๕๓",
    "๘๒.๘๐",
    "๗๓.๒๕",
    "๗๓.๒๔",
    "๘๖.๒๗",
    "๘๖.๑๗",
    "๘๒.๒๔",
    "๖๔.๖๓",
    "๓๗.๕๐",
]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_it_lets_staff_enter_scores_with_thai_digits_and_see_tiers(
    assessed_org, staff, login, live_server, width
):
    Assessment.objects.filter(organisation=assessed_org, fiscal_year=2565).delete()
    page = login(staff)
    page.set_viewport_size({"width": width, "height": 900})
    expect(page.get_by_role("heading", name=assessed_org.name)).to_be_visible()

    page.get_by_role("link", name="กรอกคะแนน").first.click()
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("๒๕๖๕")
    for number, value in enumerate(THAI_2565, start=1):
        page.locator(f"#id_ind_{number}").fill(value)
    page.locator("#id_published_score").fill("๖๘.๗๘")
    fits(page)
    page.get_by_role("button", name="บันทึกคะแนน").click()

    expect(page.locator(".alert-success")).to_contain_text("๒๕๖๕")
    expect(page.locator("#overall")).to_have_text("๖๘.๗๘")
    expect(page.locator("#level")).to_have_text("C")
    row_10 = page.locator('#indicators tr[data-indicator="10"]')
    expect(row_10).to_contain_text("แก้ไขเร่งด่วน")
    expect(row_10).to_contain_text("−๕๖.๒๕")
    expect(page.locator('#indicators tr[data-indicator="6"]')).to_contain_text("ยกระดับ")
    expect(page.locator("#indicators .badge", has_text="แก้ไขเร่งด่วน")).to_have_count(8)
    chart = page.locator("#chart svg")
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(2 * 10 + 4)  # two years of bars, legend swatches
    fits(page)
    screenshot(page, f"walk-staff-scores-{width}")
    assert Assessment.objects.get(
        organisation=assessed_org, fiscal_year=2565
    ).published_score == Decimal("68.78")


def test_it_shows_thai_errors_in_the_browser_and_keeps_the_input(org, staff, login):
    page = login(staff)
    page.get_by_role("link", name="กรอกคะแนน").first.click()
    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("๒๕๖๕")
    page.locator("#id_ind_1").fill("๑๒๐")
    page.locator("#id_ind_2").fill("๘๓,๗๑")
    page.get_by_role("button", name="บันทึกคะแนน").click()
    expect(page.locator("#error_1_id_ind_1")).to_contain_text("๐ ถึง ๑๐๐")
    expect(page.locator("#id_ind_2")).to_have_value("๘๓,๗๑")
    screenshot(page, "score-form-errors")
    assert not Assessment.objects.exists()
