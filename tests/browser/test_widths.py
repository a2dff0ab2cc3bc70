"""Every page a person uses (tests/browser/pages.py), as each role sees it, at a phone's, a
tablet's, an office PC's and a wide screen's width: none scrolls sideways or puts anything past
the window's edge, no menu label breaks a Thai word, no badge stretches into a tall block. Each is
screenshot as layout-<role>-<page>-<width>.png (with the menu opened where it is collapsed:
layout-<role>-<page>-<width>-menu.png) for a person to look at.

Each page is loaded once and laid out at every width by resizing the window: the HTML does not
depend on the width, and reloading it four times would quadruple the test's time."""

from __future__ import annotations

from itertools import groupby

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from itaportal.accounts.models import User
from tests.browser.conftest import screenshot
from tests.browser.layout import WIDTHS, layout_problems
from tests.browser.pages import ANONYMOUS, SCREENS, office_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUALITY = 70  # JPEG: a hundred and more full pages, legible, and fast to encode


def _session(page: Page, base: str, user: User) -> None:
    """Signed in without the login form (its password hashing is slow; the walks use it)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base}])


def _menu_problems(page: Page, name: str) -> list[str]:
    """Where the menu is collapsed behind its toggler: open it, measure it, close it again."""
    toggler = page.locator(".navbar-toggler")
    if not toggler.is_visible():
        return []
    toggler.click()
    page.locator("#nav.show").wait_for()
    page.wait_for_timeout(400)  # the menu's opening transition, for the screenshot only
    problems = [f"{name}-menu: {found}" for found in layout_problems(page)]
    screenshot(page, f"{name}-menu", quality=QUALITY)
    toggler.click()
    page.locator("#nav:not(.show):not(.collapsing)").wait_for(state="attached")
    return problems


def test_every_page_fits_every_width(browser: Browser, live_server: LiveServer) -> None:
    office = office_build()
    problems: list[str] = []
    for role, screens in groupby(SCREENS, key=lambda screen: screen.role):
        context = browser.new_context(locale="th-TH", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if role != ANONYMOUS:
            _session(page, live_server.url, office.people[role])
        for number, screen in enumerate(screens):
            response = page.goto(live_server.url + screen.url(office))
            assert response is not None and response.ok, (role, screen.name, response)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                name = f"layout-{role}-{screen.name}-{width}"
                problems += [f"{name}: {found}" for found in layout_problems(page)]
                screenshot(page, name, quality=QUALITY)
                if number == 0:
                    problems += _menu_problems(page, name)
        context.close()
    assert problems == [], "\n".join(problems)
