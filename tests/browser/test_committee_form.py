"""The committee order's members: "add a member" and "remove" in the browser, and the same form
without JavaScript (empty rows and delete boxes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from reports.documents.forms import MemberFormSet
from reports.documents.models import Committee
from reports.documents.services import CommitteeData, MemberData, committee_create
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def committee(org) -> Committee:
    return committee_create(
        organisation=org,
        data=CommitteeData(
            fiscal_year=2569,
            subject="แต่งตั้งคณะกรรมการ ITA",
            reasons="เพื่อ ITA",
            duties_steering="อำนวยการ",
            issued_on=dt.date(2025, 11, 15),
            signer_name="นายสมชาย ใจดี",
            signer_position="นายกเทศมนตรีตำบลบางเก่า",
        ),
        members=[
            MemberData("steering", "นายเอ ประธาน", "นายกเทศมนตรี", "ประธานกรรมการ"),
            MemberData("steering", "นายบี กรรมการ", "รองนายกเทศมนตรี", "กรรมการ"),
        ],
    )


def edit_url(committee: Committee) -> str:
    return reverse("reports:committee_edit", args=[committee.organisation_id, committee.pk])


def test_it_adds_and_removes_members_in_the_browser(org, staff, committee, login, live_server):
    page = login(staff)
    page.goto(live_server.url + edit_url(committee))
    rows = page.locator("#members tbody tr:visible")
    before = rows.count()  # the two members and the empty rows offered without JavaScript
    expect(page.locator('#members input[name$="-DELETE"]:visible')).to_have_count(0)
    page.get_by_role("button", name="เพิ่มรายชื่อ").click()
    expect(rows).to_have_count(before + 1)
    new = rows.last
    new.locator("select").select_option("working")
    new.locator('input[name$="-name"]').fill("นางสาวซี ใหม่")
    new.locator('input[name$="-position"]').fill("นักวิเคราะห์นโยบายและแผน")
    new.locator('input[name$="-role"]').fill("เลขานุการ")
    rows.filter(has=page.locator('input[value="นายบี กรรมการ"]')).get_by_role(
        "button", name="ลบ"
    ).click()
    expect(rows).to_have_count(before)
    screenshot(page, "committee-members-added")
    page.get_by_role("button", name="บันทึกคำสั่ง").click()
    page.wait_for_url(live_server.url + reverse("reports:document_index", args=[org.pk]))
    members = list(committee.members.order_by("order").values_list("group", "name", "role"))
    assert members == [
        ("steering", "นายเอ ประธาน", "ประธานกรรมการ"),
        ("working", "นางสาวซี ใหม่", "เลขานุการ"),
    ]


def test_without_javascript_it_offers_empty_rows_and_delete_boxes(
    org, staff, committee, browser: Browser, live_server: LiveServer
):
    from django.test import Client

    client = Client()
    client.force_login(staff)
    context = browser.new_context(locale="th-TH", java_script_enabled=False)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + edit_url(committee))
    names = page.locator('#members tbody input[name$="-name"]')
    expect(names).to_have_count(2 + MemberFormSet.extra)  # the members and empty rows to fill
    expect(page.locator('#members input[name$="-DELETE"]:visible')).to_have_count(names.count())
    expect(page.locator("#add-member")).to_be_hidden()
    context.close()
