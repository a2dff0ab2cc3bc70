"""The browser harness: Debian's Chromium driven by Playwright against the live test server.

Playwright's own browser download cannot work here; it drives /usr/bin/chromium (or $CHROMIUM).
Later issues add their flows next to test_scores_entry.py and reuse `page` and `login`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from assessments.frameworks import frameworks_load
from assessments.models import Organisation
from itaportal.accounts.models import User
from tests.conftest import PASSWORD

SCREENSHOTS = Path(os.environ.get("ITAPORTAL_SCREENSHOTS", Path(__file__).parent / "screenshots"))


def _chromium() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        raise RuntimeError("Chromium is missing: run `scripts/portal test`, which installs it.")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop; Django's ORM calls in the same thread are safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium(),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def frameworks(transactional_db: None) -> None:
    """Browser tests flush the database after each test; put the migrated frameworks back."""
    from django.apps import apps

    frameworks_load(apps)


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # A wait, not a speed check: a decision prints its PDF before the page comes back, which on a
    # CI machine busy with the other engine's run has taken over 15 s.
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture
def login(page: Page, live_server: LiveServer) -> Callable[[User], Page]:
    def _login(user: User) -> Page:
        return sign_in(page, live_server.url, user)

    return _login


def sign_in(page: Page, base: str, user: User) -> Page:
    """Sign in on the login page as a person does, in this page's own browser context."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("ชื่อผู้ใช้").fill(user.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_load_state()
    return page


def screenshot(page: Page, name: str, *, quality: int | None = None) -> Path:
    """The whole page as PNG, or as JPEG of that quality (several times faster to encode, for
    tests that take a great many)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.{'png' if quality is None else 'jpg'}"
    page.screenshot(path=str(path), full_page=True, quality=quality)
    return path


@dataclass(frozen=True)
class Chain:
    """An organisation with the people of a memo's chain: a drafter, two reviewers, the mayor."""

    org: Organisation
    staff: User
    head: User
    clerk: User
    mayor: User


@pytest.fixture
def phusang(transactional_db: None) -> Chain:
    """องค์การบริหารส่วนตำบลภูซาง (seed 000's office) and its memo chain, as the browser walks use."""
    from tests.conftest import make_user

    org = Organisation.objects.create(
        kind="sao", name="องค์การบริหารส่วนตำบลภูซาง", district="ภูซาง", province="พะเยา",
        letter_code="พย ๗๒๔๐๑", executive_title="นายกองค์การบริหารส่วนตำบลภูซาง",
    )  # fmt: skip
    people = {
        username: make_user(username, organisation=org, role=role, first_name=first,
                            last_name=last, position=position)
        for username, role, first, last, position in (
            ("staff", "staff", "ทับทิม", "วงศ์ทะนา", "นักวิเคราะห์นโยบายและแผน"),
            ("head", "reviewer", "นภาพร", "ธาคำดี", "หัวหน้าสำนักปลัด"),
            ("clerk", "reviewer", "สมชาย", "ใจดี", "ปลัดองค์การบริหารส่วนตำบล"),
            ("mayor", "executive", "วรวิทย์", "เผ่าใจมา", "นายกองค์การบริหารส่วนตำบลภูซาง"),
        )
    }  # fmt: skip
    return Chain(org=org, **people)
