"""The organisation admin's and the supervisor's main flows at an office PC's and a phone's
width, every page fitting the window (the staff's, reviewer's and executive's walks are
test_scores_entry.py, test_plan_building.py and test_memo_flow.py, at both widths too)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, Role, User
from tests.browser.conftest import screenshot
from tests.browser.layout import DESKTOP, PHONE, fits, menu
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_org_admin_sets_the_executive_and_finds_the_people(
    org: Organisation, staff: User, login, page: Page, width: int
) -> None:
    admin = make_user("orgadmin", organisation=org, role=Role.ORG_ADMIN, is_staff=True)
    page.set_viewport_size({"width": width, "height": 900})
    login(admin)

    menu(page, "ตั้งค่า")
    page.get_by_label("ชื่อผู้บริหาร").fill("สมศักดิ์ รักษ์ถิ่น")
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    fits(page)
    screenshot(page, f"walk-org_admin-settings-{width}")
    org.refresh_from_db()
    assert org.executive_name == "สมศักดิ์ รักษ์ถิ่น"
    assert AuditEvent.objects.filter(organisation_id=org.pk, user=admin).exists()

    menu(page, "ผู้ใช้งาน")
    row = page.locator("tr", has_text=staff.username)
    expect(row).to_contain_text("เจ้าหน้าที่")
    fits(page)
    screenshot(page, f"walk-org_admin-people-{width}")
    row.get_by_role("link", name="แก้ไข").click()
    expect(page.locator("#id_username")).to_have_value(staff.username)
    fits(page)
    screenshot(page, f"walk-org_admin-person-{width}")


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_supervisor_reads_the_overview_and_opens_an_organisation(
    assessed_org: Organisation, supervisor: User, login, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    login(supervisor)

    menu(page, "ภาพรวมพื้นที่")
    row = page.locator("#organisations tr", has_text=assessed_org.name)
    expect(row).to_contain_text("๖๘.๗๘")
    fits(page)
    screenshot(page, f"walk-supervisor-overview-{width}")
    row.get_by_role("link", name=assessed_org.name).click()
    expect(page.get_by_role("heading", name=assessed_org.name)).to_be_visible()
    expect(page.locator("#overall")).to_have_text("๖๘.๗๘")
    fits(page)
    screenshot(page, f"walk-supervisor-dashboard-{width}")
