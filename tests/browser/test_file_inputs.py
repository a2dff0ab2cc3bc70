"""File inputs speak the page's language, not the browser's: an English Chromium shows "เลือกไฟล์"
and "ยังไม่ได้เลือกไฟล์", then the chosen file's name; the keyboard still reaches the input."""

from __future__ import annotations

import pytest

from itaportal.accounts.models import Role
from tests.browser.conftest import screenshot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_writes_the_file_input_in_thai_and_keeps_it_keyboard_reachable(
    org, login, page, live_server, tmp_path
):
    login(make_user("staff", organisation=org, role=Role.STAFF))
    page.goto(f"{live_server.url}/orgs/import/")
    picker = page.locator("label.file-pick")
    assert picker.inner_text() == "เลือกไฟล์"
    assert page.locator(".file-name").inner_text() == "ยังไม่ได้เลือกไฟล์"
    assert "Choose File" not in page.locator("main").inner_text()
    native = page.locator('input[type="file"]')
    native.focus()
    assert page.evaluate("document.activeElement.type") == "file"
    scores = tmp_path / "scores.csv"
    scores.write_text("org_name,province,fiscal_year\n", encoding="utf-8")
    native.set_input_files(str(scores))
    assert page.locator(".file-name").inner_text() == "scores.csv"
    screenshot(page, "file-input-thai")
