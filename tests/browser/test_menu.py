"""The menu at the widths offices use: no label wraps inside itself, none runs off the page."""

from __future__ import annotations

import pytest

from itaportal.accounts.models import Role
from tests.browser.conftest import screenshot
from tests.browser.layout import LABEL_LINES
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 1366, 1920])
def test_no_menu_label_breaks_a_word_for_the_longest_menu(org, login, page, width):
    admin = make_user("orgadmin", organisation=org, role=Role.ORG_ADMIN, is_staff=True)
    page.set_viewport_size({"width": width, "height": 900})
    login(admin)
    labels = page.evaluate(LABEL_LINES)
    assert len(labels) >= 10  # the org admin's whole menu is open at these widths
    assert [label["text"] for label in labels if label["lines"] > 1] == []
    assert max(label["right"] for label in labels) <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"menu-org-admin-{width}")
