"""The menu (itaportal/templatetags/menu.py): each role's links, the memo badge, names as text."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import Role
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def menu_of(**person: object) -> str:
    client = Client()
    client.force_login(make_user("person", **person))
    page = client.get(reverse("help:index")).content.decode()
    return page[page.index('<ul class="navbar-nav') : page.index(reverse("accounts:logout"))]


def links(menu: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', menu)


@pytest.fixture
def org() -> Organisation:
    return Organisation.objects.create(kind="subdistrict", name="ทดสอบ", province="ลพบุรี")


def test_staff_get_their_organisations_links_and_the_import(org: Organisation) -> None:
    shown = links(menu_of(organisation=org, role=Role.STAFF))
    assert f"/orgs/{org.pk}/plans/" in shown and reverse("assessments:scores_import") in shown
    assert reverse("reports:overview") not in shown
    assert reverse("accounts:people", args=[org.pk]) not in shown


def test_an_organisations_admin_also_gets_people_audit_and_settings(org: Organisation) -> None:
    menu = menu_of(organisation=org, role=Role.ORG_ADMIN)
    assert reverse("accounts:people", args=[org.pk]) in links(menu)
    assert 'id="nav-settings"' in menu


def test_a_supervisor_gets_the_overview_and_no_organisations_links() -> None:
    shown = links(menu_of(role=Role.SUPERVISOR, supervised_province="ลพบุรี"))
    assert reverse("reports:overview") in shown and reverse("frameworks") in shown
    assert reverse("reports:memo_inbox") not in shown


def test_the_menu_writes_a_persons_name_as_text(org: Organisation) -> None:
    menu = menu_of(organisation=org, role=Role.STAFF, first_name="<b>ทับทิม</b>")
    assert "&lt;b&gt;ทับทิม&lt;/b&gt;" in menu and "<b>" not in menu


def test_it_works_out_each_kind_of_person_s_links_once_per_process(org: Organisation) -> None:
    from itaportal.templatetags import menu

    menu._links.cache_clear()
    client = Client()
    client.force_login(make_user("person", organisation=org, role=Role.ORG_ADMIN))
    first = links(client.get(reverse("help:index")).content.decode())
    assert f"/orgs/{org.pk}/plans/" in first
    assert links(client.get(reverse("help:index")).content.decode()) == first
    built = menu._links.cache_info()
    assert (built.misses, built.hits) == (1, 1)  # built for the first page, reused for the second


def test_a_remembered_menu_still_speaks_the_person_s_language_and_counts_their_memos(
    org: Organisation,
) -> None:
    from django.utils import translation

    from itaportal.templatetags.menu import menu_links

    person = make_user("person", organisation=org, role=Role.STAFF)
    thai = menu_links(person, 3)
    assert "ภาพรวม" in thai and 'id="memos-waiting"' in thai and ">3</span>" in thai
    assert 'id="memos-waiting"' not in menu_links(person, 0)
    with translation.override("en"):
        english = menu_links(person, 2)
    assert "Dashboard" in english and ">2</span>" in english and "ภาพรวม" not in english
