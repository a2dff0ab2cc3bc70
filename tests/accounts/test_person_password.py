"""The organisation admin lets a person set a new password: e-mailed, or a link shown once."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, Role, User
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "ชะอำ-ริมทะเล-2569"


@pytest.fixture
def admin(org: Organisation) -> User:
    return make_user("bangkao-orgadmin", organisation=org, role=Role.ORG_ADMIN)


@pytest.fixture
def clerk(org: Organisation) -> User:
    """A person as the demo has them: no e-mail."""
    return make_user("bangkao-clerk", organisation=org, role=Role.STAFF, first_name="สมศรี")


def password_url(org: Organisation, person: User) -> str:
    return reverse("accounts:person_password", args=[org.pk, person.pk])


def link_in(text: str) -> str:
    match = re.search(r"http://testserver(/accounts/reset/[^\s\"<]+)", text)
    assert match, text
    return match.group(1)


def set_password(path: str) -> Client:
    client = Client()
    form = client.get(path, follow=True)  # Django moves the token into the session
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()
    return client


def test_it_saves_a_person_without_an_email(org: Organisation, admin: User, clerk: User) -> None:
    url = reverse("accounts:person_edit", args=[org.pk, clerk.pk])
    body = {"username": clerk.username, "first_name": "สมศรี", "position": "นักวิเคราะห์นโยบาย",
            "role": Role.STAFF, "is_active": "on", "email": ""}  # fmt: skip
    response = client_for(admin).post(url, body)
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.position == "นักวิเคราะห์นโยบาย"


def test_it_asks_before_it_issues_a_link(org: Organisation, admin: User, clerk: User) -> None:
    page = client_for(admin).get(password_url(org, clerk)).content.decode()
    assert "แสดงลิงก์ใช้ครั้งเดียวเพื่อคัดลอก" in page
    assert "/accounts/reset/" not in page
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_LINK).exists()


def test_it_shows_a_link_that_sets_the_password_once(
    org: Organisation, admin: User, clerk: User
) -> None:
    response = client_for(admin).post(password_url(org, clerk), {"how": "link"})
    assert response["Cache-Control"] == "no-store"
    path = link_in(response.content.decode())
    set_password(path)
    clerk.refresh_from_db()
    assert clerk.check_password(NEW_PASSWORD)
    again = Client().get(path, follow=True).content.decode()
    assert "ลิงก์นี้หมดอายุหรือถูกใช้ไปแล้ว" in again
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_LINK)
    assert (event.user, event.object_id, event.organisation_id) == (admin, str(clerk.pk), org.pk)
    assert path.split("/")[-2] not in str(event.after)  # the token is never kept


def test_it_emails_the_link_to_a_person_with_an_email(
    org: Organisation, admin: User, staff: User
) -> None:
    staff.email = "staff@bangkao.go.th"
    staff.save()
    response = client_for(admin).post(password_url(org, staff), {"how": "email"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["staff@bangkao.go.th"]
    set_password(link_in(str(message.body)))
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_LINK)
    assert event.after == {"email": "staff@bangkao.go.th"}


def test_it_sends_no_email_to_a_person_without_one(
    org: Organisation, admin: User, clerk: User
) -> None:
    response = client_for(admin).post(password_url(org, clerk), {"how": "email"})
    assert response.status_code == 200
    assert "เลือกวิธี" in response.content.decode()
    assert mail.outbox == []
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_LINK).exists()


def test_a_new_person_without_an_email_is_given_a_link_to_pass_on(
    org: Organisation, admin: User
) -> None:
    body = {"username": "bangkao-new", "role": Role.STAFF, "is_active": "on", "email": ""}
    response = client_for(admin).post(reverse("accounts:person_new", args=[org.pk]), body)
    person = User.objects.get(username="bangkao-new")
    assert response["Location"] == password_url(org, person)
    assert mail.outbox == []


def test_another_organisations_admin_gets_404(org: Organisation, clerk: User) -> None:
    other = Organisation.objects.create(kind=org.kind, name="เทศบาลตำบลอื่น", province="ตาก")
    outsider = make_user("other-admin", organisation=other, role=Role.ORG_ADMIN)
    response = client_for(outsider).post(password_url(org, clerk), {"how": "link"})
    assert response.status_code == 404
    assert "/accounts/reset/" not in response.content.decode()


def test_the_person_form_and_the_password_rules_are_thai(
    org: Organisation, admin: User, clerk: User
) -> None:
    form = client_for(admin).get(reverse("accounts:person_edit", args=[org.pk, clerk.pk]))
    text = form.content.decode()
    assert "Required. 150 characters" not in text
    assert "Designates whether" not in text
    assert "ไม่ต้องลบ" in text
    response = client_for(admin).post(password_url(org, clerk), {"how": "link"})
    client = Client()
    page = client.get(link_in(response.content.decode()), follow=True)
    text = page.content.decode()
    assert "Your password" not in text and "อย่างน้อย ๘ ตัวอักษร" in text
    refused = client.post(
        page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    ).content.decode()
    assert "รหัสผ่านเป็นตัวเลขล้วน" in refused and "This password" not in refused
