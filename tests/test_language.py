"""Thai whatever the browser says: an English office PC gets the portal, the admin and the error
pages in Thai; only a language the person chose (the language cookie) changes that."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import Role, User
from tests.conftest import make_user

ENGLISH_BROWSER = "en-US,en;q=0.9"


def title(response) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r"<title>([^<]*)", response.content.decode())
    assert found is not None
    return found.group(1)


def test_an_english_browser_gets_the_login_page_in_thai(db: None) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER).get("/accounts/login/")
    assert response.status_code == 200
    assert "เข้าสู่ระบบ" in title(response) and "Log in" not in title(response)
    assert response["Content-Language"] == "th"


def test_an_english_browser_gets_the_admin_and_a_404_in_thai(db: None) -> None:
    root = User.objects.create_superuser("root", "root@example.org", "a-long-test-password-1")
    client = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    client.force_login(root)
    admin = client.get(reverse("admin:index")).content.decode()
    assert "การจัดการระบบ" in admin  # the admin's Thai title (itaportal/urls.py)
    assert "Site administration" not in admin
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "Not Found" not in missing.content.decode()


@pytest.mark.parametrize(("cookie", "expected"), [("en", "en"), ("fr", "th"), ("", "th")])
def test_only_a_language_the_person_chose_changes_it(db: None, cookie: str, expected: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    client.cookies["django_language"] = cookie
    assert client.get("/accounts/login/")["Content-Language"] == expected


def test_an_arabic_digit_organisations_page_is_written_in_arabic_digits(db: None) -> None:
    """The fixed texts of a page for a person of an Arabic-digit organisation, but the example of
    Thai digits; Content-Length (CommonMiddleware's) counts the bytes of the page rewritten."""
    org = Organisation.objects.create(
        kind="subdistrict", name="เทศบาลตำบลทดสอบ", province="ลพบุรี", digit_style="arabic"
    )
    client = Client()
    client.force_login(make_user("arabic-staff", organisation=org, role=Role.STAFF))
    response = client.get(reverse("help:scores"))
    page = response.content.decode()
    assert "ทศนิยม 2 ตำแหน่ง" in page  # "ทศนิยม ๒ ตำแหน่ง" on a Thai-digit one's
    assert "เลขไทย (๘๓.๗๑)" in page  # the example, marked lang="th-u-nu-thai"
    assert int(response["Content-Length"]) == len(response.content)

    org.digit_style = Organisation.DigitStyle.THAI
    org.save()
    assert "ทศนิยม ๒ ตำแหน่ง" in client.get(reverse("help:scores")).content.decode()


def test_a_page_goes_out_as_written_when_the_organisations_digits_cannot_be_read(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = Organisation.objects.create(
        kind="subdistrict", name="เทศบาลตำบลทดสอบ", province="ลพบุรี", digit_style="arabic"
    )
    client = Client()
    client.force_login(make_user("arabic-staff", organisation=org, role=Role.STAFF))

    def unreadable(user: User) -> bool:
        raise OperationalError("the database went away")

    monkeypatch.setattr(User, "uses_thai_digits", property(unreadable))
    response = client.get(reverse("help:scores"))
    assert response.status_code == 200
    assert "ทศนิยม ๒ ตำแหน่ง" in response.content.decode()  # as the template wrote it


def test_a_thai_digit_organisations_messages_quote_numbers_in_thai_digits(db: None) -> None:
    """Django's messages and those quoting what was typed come in Arabic digits; a Thai-digit
    organisation reads them in Thai ones, and what it typed stays in its box as typed."""
    org = Organisation.objects.create(kind="subdistrict", name="เทศบาลตำบลทดสอบ", province="ลพบุรี")
    client = Client()
    client.force_login(make_user("thai-staff", organisation=org, role=Role.STAFF))
    url = reverse("assessments:scores_new", args=[org.pk])

    response = client.post(url, {"fiscal_year": "2555"})
    page = response.content.decode()
    assert "ไม่มีกรอบการประเมิน ITA ที่ครอบคลุมปีงบประมาณ ๒๕๕๕" in page
    assert 'value="2555"' in page
    assert int(response["Content-Length"]) == len(response.content)

    org.digit_style = Organisation.DigitStyle.ARABIC
    org.save()
    page = client.post(url, {"fiscal_year": "2555"}).content.decode()
    assert "ไม่มีกรอบการประเมิน ITA ที่ครอบคลุมปีงบประมาณ 2555" in page
