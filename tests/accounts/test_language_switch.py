"""The menu's ไทย / English switch: kept on the person's account (and audited) once logged in, in
the language cookie before; Thai for everyone who never chose."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

SWITCH = reverse("accounts:language")
ENGLISH_BROWSER = "en-US,en;q=0.9"


def test_it_shows_the_switch_in_the_menu_with_the_current_language_pressed(staff: User) -> None:
    page = client_for(staff).get("/", follow=True).content.decode()
    assert f'action="{SWITCH}"' in page
    assert 'value="th" lang="th" class="btn btn-outline-light active" aria-pressed="true"' in page
    login = Client().get(reverse("accounts:login")).content.decode()
    assert f'action="{SWITCH}"' in login  # also before login


def test_it_keeps_the_choice_on_the_account_and_audits_it(staff: User) -> None:
    client = client_for(staff)
    response = client.post(SWITCH, {"language": "en", "next": "/orgs/"})
    assert response.status_code == 302 and response["Location"] == "/orgs/"
    staff.refresh_from_db()
    assert staff.language == "en"
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(staff.pk))
    assert (event.action, event.before, event.after) == ("update", {"language": ""},
                                                         {"language": "en"})  # fmt: skip
    # On another computer, without the cookie, the portal speaks English to them.
    elsewhere = client_for(staff)
    page = elsewhere.get(reverse("home"), follow=True)
    assert page["Content-Language"] == "en"
    assert "Log out" in page.content.decode()


def test_the_persons_choice_wins_over_the_cookie(staff: User) -> None:
    staff.language = "th"
    staff.save()
    client = client_for(staff)
    client.cookies["django_language"] = "en"
    assert client.get(reverse("home"), follow=True)["Content-Language"] == "th"
    assert Client(cookies={}).get(reverse("accounts:login"))["Content-Language"] == "th"


def test_before_login_it_sets_only_the_cookie(db: None) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=ENGLISH_BROWSER)
    assert client.get(reverse("accounts:login"))["Content-Language"] == "th"
    response = client.post(SWITCH, {"language": "en", "next": reverse("accounts:login")})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    page = client.get(reverse("accounts:login"))
    assert page["Content-Language"] == "en" and "Log in" in page.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("language", ["fr", "", "EN"])
def test_it_refuses_a_language_it_does_not_speak_in_thai(staff: User, language: str) -> None:
    client = client_for(staff)
    response = client.post(SWITCH, {"language": language, "next": "/"}, follow=True)
    assert "เลือกภาษาไทยหรือภาษาอังกฤษ" in response.content.decode()
    assert "django_language" not in client.cookies
    staff.refresh_from_db()
    assert staff.language == ""
    assert not AuditEvent.objects.filter(object_type="accounts.user").exists()


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", ""])
def test_it_goes_back_only_to_a_page_of_the_portal(staff: User, back: str) -> None:
    response = client_for(staff).post(SWITCH, {"language": "en", "next": back})
    assert response["Location"] == "/"


def test_it_asks_for_a_post_with_the_csrf_token(staff: User, org: Organisation) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.get(SWITCH).status_code == 405
    assert client.post(SWITCH, {"language": "en"}).status_code == 403
    staff.refresh_from_db()
    assert staff.language == ""
