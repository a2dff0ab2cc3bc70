"""The OIT checklist in the real browser, as issue 19's "done means" walks it: staff of บางเก่า
fill FY 2569's items with pages on their website (a local server here: one page missing, one
document of the wrong year), check the links, read the predicted OIT and overall and copy the
text for ITAS; the supervisor of เพชรบุรี sees the readiness and leaves a note the office reads;
anyone, with a browser set to English, reads the public page with the approved plan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from assessments import ita
from assessments.models import Organisation
from itaportal import thai
from itaportal.accounts.models import Role
from reports.memos.models import Memo
from reports.oit.selectors import oit_year
from tests.browser.conftest import screenshot
from tests.conftest import make_user
from tests.reports.oit.conftest import (  # noqa: F401  (the fixtures)
    LinkServer,
    link_server,
    links_allowed,
    tiny_pdf,
)
from tests.reports.oit.test_public import attach, memo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2569
NOTE = "หน้าของข้อ o๔ เปิดไม่ได้ กรุณาแก้ก่อนตอบใน ITAS"


def item_page(page: Page, base: str, code: str) -> None:
    page.goto(f"{base}/items/{code}/")


def save_item(page: Page, *, url: str, status: str, public: bool = False) -> None:
    form = page.locator("#entry-form")
    form.locator("#id_url").fill(url)
    for box in form.locator("input[name=elements]").all():
        box.check()
    form.locator("#id_status").select_option(status)
    if public:
        form.locator("#id_public").check()
    form.get_by_role("button", name="บันทึก").click()
    page.wait_for_load_state()


def test_staff_fill_check_and_copy_a_supervisor_notes_and_the_public_reads_it(
    browser: Browser,
    page: Page,
    login: Any,
    live_server: LiveServer,
    links_allowed: LinkServer,  # noqa: F811
    settings: Any,
) -> None:
    settings.BATCH_RUNNER = "now"  # the check runs in the request (a thread without Redis)
    org = Organisation.objects.create(
        kind=Organisation.Kind.SUBDISTRICT_MUNICIPALITY, name="เทศบาลตำบลบางเก่า",
        district="ชะอำ", province="เพชรบุรี", website=links_allowed.url("/"),
    )  # fmt: skip
    staff = make_user("bangkao-staff", organisation=org, role=Role.STAFF)
    supervisor = make_user("phetchaburi", role=Role.SUPERVISOR, supervised_province="เพชรบุรี")
    approved = memo(org, staff, Memo.Status.APPROVED, "พบ ๗๖๑๐๓/๑")
    attach(approved, "plan", YEAR, b"%PDF-1.4\n% plan 2569\n%%EOF\n")
    year = oit_year(org, YEAR)
    assert year is not None
    base = f"{live_server.url}/orgs/{org.pk}/oit/{YEAR}"

    # Staff open FY 2569: every item of the year's framework, none ready
    login(staff)
    page.goto(base + "/")
    expect(page.locator("tr[data-oit-item]")).to_have_count(len(year.items))
    assert len(year.items) == 26

    # o1 on its page of the website, public; o4's page is missing; o23's plan is of 2568
    item_page(page, base, "o1")
    save_item(page, url=links_allowed.url("/ita/o1"), status="ready", public=True)
    item_page(page, base, "o4")
    save_item(page, url=links_allowed.url("/ita/o99"), status="ready")
    item_page(page, base, "o23")
    save_item(page, url=links_allowed.url("/ita/o1"), status="ready")
    evidence = page.locator("#evidence-form")
    evidence.locator("#id_title").fill("แผนปฏิบัติการป้องกันการทุจริต")
    plan_2568 = tiny_pdf(title="แผนปฏิบัติการป้องกันการทุจริต ปีงบประมาณ พ.ศ. ๒๕๖๘", text="Plan")
    upload: FilePayload = {"name": "plan.pdf", "mimeType": "application/pdf", "buffer": plan_2568}
    evidence.locator("#id_file").set_input_files(files=upload)
    evidence.get_by_role("button", name="เพิ่มหลักฐาน").click()
    expect(page.locator("#evidence")).to_contain_text("แผนปฏิบัติการป้องกันการทุจริต")

    # The office's estimate of the other instruments, in Thai digits
    page.goto(base + "/")
    estimate = page.locator("#estimate")
    for field in estimate.locator("input[type=text]").all():
        field.fill("๙๐")
    estimate.get_by_role("button").click()
    page.wait_for_load_state()

    # Check the links: o1 healthy, o4 broken, o23 flagged for its year
    page.locator("#check-links").click()
    page.wait_for_load_state()
    expect(page.locator("tr[data-oit-item=o4] .oit-link-flag")).to_contain_text(
        "ลิงก์เสีย: เว็บไซต์ตอบ ๔๐๔"
    )
    expect(page.locator("tr[data-oit-item=o23] .oit-year-flag")).to_have_text(
        "เอกสารเป็นของปีงบประมาณ ๒๕๖๘ แต่ข้อนี้ต้องเป็นปี ๒๕๖๙"
    )
    rules = ita_rules(year)
    scores = {item.code: Decimal(100 if item.code == "o1" else 0) for item in year.items}
    oit = ita.round2(oit_score(rules, scores))
    expect(page.locator("#predicted-oit")).to_have_text(thai.digits(f"{oit:.2f}"))
    overall = ita.round2(Decimal("0.3") * 90 + Decimal("0.3") * 90 + Decimal("0.4") * oit)
    expect(page.locator("#predicted-overall")).to_have_text(thai.digits(f"{overall:.2f}"))
    expect(page.locator("tr[data-oit-item=o1] td").last).to_have_text("๑๐๐")
    for code in ("o4", "o23"):
        expect(page.locator(f"tr[data-oit-item={code}] td").last).to_have_text("๐")
        expect(page.locator(f"#costs tr[data-item={code}]")).to_be_visible()
    screenshot(page, "oit-checklist-staff")

    # The text for ITAS, copied to the clipboard
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    item_page(page, base, "o1")
    page.get_by_role("button", name="คัดลอก").click()
    expect(page.get_by_role("button", name="คัดลอกแล้ว")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert links_allowed.url("/ita/o1") in copied

    # The supervisor of เพชรบุรี: readiness in the overview, a note on o4
    page.context.clear_cookies()
    login(supervisor)
    page.goto(f"{live_server.url}/overview/?oit_year={YEAR}")
    row = page.locator("tr", has=page.locator("td.oit-ready"))
    expect(row.locator("td.oit-ready")).to_have_text("๓/๒๖")
    expect(row.locator("td.oit-broken")).to_have_text("๑")
    row.locator("td.oit-ready a").click()
    page.get_by_role("link", name="การตรวจเบื้องต้นและบันทึก").click()
    section = page.locator("section", has=page.locator("#heading-o4"))
    section.locator("textarea[name=text]").fill(NOTE)
    section.get_by_role("button", name="บันทึก").click()
    page.wait_for_load_state()
    screenshot(page, "oit-review-supervisor")

    # The office reads it on its checklist
    page.context.clear_cookies()
    login(staff)
    page.goto(base + "/")
    expect(page.locator("tr[data-oit-item=o4] .oit-note")).to_contain_text(NOTE)

    # Anyone, with an English browser: the public items and the approved plan
    visitor = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    public = visitor.new_page()
    public.goto(f"{live_server.url}/oit/{org.pk}/{YEAR}/")
    body = public.locator("body")
    expect(body).to_contain_text("โครงสร้างและอำนาจหน้าที่")  # o1, made public
    expect(body).not_to_contain_text("ข่าวประชาสัมพันธ์")  # o4, not public
    expect(public.locator("a[href$='.pdf']").first).to_be_visible()  # the approved plan
    screenshot(public, "oit-public-page")
    visitor.close()


def ita_rules(year: Any) -> ita.Rules:
    from assessments.selectors import FrameworkCatalogue

    return FrameworkCatalogue().rules(year.framework)


def oit_score(rules: ita.Rules, items: dict[str, Decimal]) -> Decimal:
    """The OIT as the framework computes it from 0/100 items (the mean of its indicators)."""
    [instrument] = [i for i in rules.instruments if i.score_from_items]
    scores = ita.scores_from_items(rules, scores={}, items=items).computed
    return sum((scores[n] for n in instrument.indicators), Decimal(0)) / len(instrument.indicators)
