"""Accounts that resist attack: throttled logins, session limits, CSP, resets, the audit trail."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from ipaddress import ip_network
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, User
from tests.conftest import PASSWORD, client_for, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
ROOT = Path(__file__).resolve().parents[2]


PROXY = "127.0.0.1"  # nginx, as deploy/env.example trusts it


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = [ip_network(PROXY)]


def attempt(username: str, password: str, ip: str) -> Client:
    """A login from `ip` as the deployment sees it: through nginx, which connects from loopback
    and names the client in X-Forwarded-For."""
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ip)
    client.post(LOGIN, {"username": username, "password": password})
    return client


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_locks_a_username_from_one_address_after_five_failures(staff):
    for _ in range(5):
        assert not logged_in(attempt("staff", "wrong", "10.0.0.9"))
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.0.0.9")
    response = client.post(LOGIN, {"username": "staff", "password": PASSWORD})
    assert not logged_in(client)
    page = response.content.decode()
    assert "๑๕ นาที" in page and "Account locked" not in page
    assert AuditEvent.objects.filter(action="locked_out", username="staff", ip="10.0.0.9").exists()


def test_it_says_so_on_the_failure_that_locks(staff):
    for _ in range(4):
        attempt("staff", "wrong", "10.0.0.9")
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.0.0.9")
    response = client.post(LOGIN, {"username": "staff", "password": "wrong"})
    assert response.status_code == 200 and "๑๕ นาที" in response.content.decode()


def test_it_never_locks_the_office_out_from_elsewhere(staff):
    for _ in range(20):
        attempt("staff", "wrong", "203.0.113.7")  # an attacker outside, through the same nginx
    assert logged_in(attempt("staff", PASSWORD, "10.0.0.9"))  # the office still logs in


def test_it_ignores_x_forwarded_for_from_a_peer_that_is_not_a_trusted_proxy(staff):
    for n in range(5):  # a new forged address each time, straight to the application server
        client = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        client.post(LOGIN, {"username": "staff", "password": "wrong"})
    assert set(AuditEvent.objects.values_list("ip", flat=True)) == {"203.0.113.7"}
    assert not logged_in(attempt("staff", PASSWORD, "203.0.113.7"))  # that address is locked


def test_it_takes_the_address_the_proxy_saw_not_one_the_client_forged(staff):
    attempt("staff", "wrong", "198.51.100.1, 10.0.0.9")  # the client sent "198.51.100.1"
    assert AuditEvent.objects.get().ip == "10.0.0.9"


@pytest.mark.parametrize(
    ("forwarded", "trusted", "seen"),
    [
        ("10.0.0.9", [PROXY], "10.0.0.9"),
        ("198.51.100.1, 10.0.0.9", [PROXY], "10.0.0.9"),  # the left entry is the client's claim
        # behind a trusted load balancer too: its entry is skipped, the client's is the next
        ("198.51.100.1, 10.0.0.9, 192.0.2.10", [PROXY, "192.0.2.0/24"], "10.0.0.9"),
        ("10.0.0.9, 192.0.2.10", [PROXY], "192.0.2.10"),  # that balancer not trusted: it is
        ("garbage, 10.0.0.9", [PROXY], "10.0.0.9"),
        ("10.0.0.9, garbage", [PROXY], PROXY),  # nothing trustworthy past nginx's own entry
        ("", [PROXY], PROXY),
    ],
)
def test_it_reads_the_address_through_each_trusted_hop(settings, forwarded, trusted, seen):
    from django.test import RequestFactory

    from itaportal.accounts.audit import client_ip

    settings.TRUSTED_PROXIES = [ip_network(network) for network in trusted]
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == seen


def test_it_unlocks_after_the_window(staff):
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            attempt("staff", "wrong", "10.0.0.9")
        assert not logged_in(attempt("staff", PASSWORD, "10.0.0.9"))
    with time_machine.travel(dt.datetime(2026, 11, 21, 9, 16, tzinfo=dt.UTC), tick=False):
        assert logged_in(attempt("staff", PASSWORD, "10.0.0.9"))


def test_it_records_logins_and_failures(staff):
    attempt("staff", "wrong", "10.0.0.9")
    attempt("staff", PASSWORD, "10.0.0.9")
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", "username", "ip"))
    assert actions == [("login_failed", "staff", "10.0.0.9"), ("login", "staff", "10.0.0.9")]
    assert AuditEvent.objects.filter(action="login").get().organisation == staff.organisation


def test_it_records_permission_refusals(assessed_org, reviewer):
    response = client_for(reviewer).get(reverse("assessments:scores_new", args=[assessed_org.pk]))
    assert response.status_code == 403
    event = AuditEvent.objects.get(action="denied")
    assert event.user == reviewer and "/years/new/" in event.summary


def test_it_ends_sessions_at_the_absolute_limit(staff, settings):
    start = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client = attempt("staff", PASSWORD, "10.0.0.9")
        assert client.get("/memos/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=10, minutes=1), tick=False):
        response = client.get("/memos/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_it_keeps_an_active_session_alive_and_ends_an_idle_one(staff):
    start = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = attempt("staff", PASSWORD, "10.0.0.9")
        for _ in range(6):  # active for two and a half hours, a request every 25 minutes
            clock.shift(dt.timedelta(minutes=25))
            assert client.get("/memos/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/memos/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_it_does_not_write_the_session_on_every_request(staff):
    start = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = attempt("staff", PASSWORD, "10.0.0.9")
        client.get("/memos/")
        saved = Session.objects.get().expire_date
        for _ in range(4):  # a click a minute: the expiry stays, no write
            clock.shift(dt.timedelta(seconds=60))
            client.get("/memos/")
            assert Session.objects.get().expire_date == saved
        clock.shift(dt.timedelta(seconds=61))  # five minutes (a sixth of 30) and one second
        client.get("/memos/")
        assert Session.objects.get().expire_date == saved + dt.timedelta(seconds=301)


def test_it_signs_out_a_person_who_stopped_within_the_idle_limit(staff):
    """The expiry moves at most every five minutes: someone whose last click did not move it is
    signed out sooner than 30 minutes after that click, never later."""
    start = dt.datetime(2026, 11, 21, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = attempt("staff", PASSWORD, "10.0.0.9")
        assert client.get("/memos/").status_code == 200  # moves the expiry to 8:30
        clock.shift(dt.timedelta(minutes=4))
        assert client.get("/memos/").status_code == 200  # the last click; the expiry stays
        clock.shift(dt.timedelta(minutes=26, seconds=1))
        response = client.get("/memos/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_it_sends_a_content_security_policy(staff):
    response = client_for(staff).get("/memos/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy


def test_it_resets_a_forgotten_password_by_e_mail(staff):
    staff.email = "staff@example.org"
    staff.save()
    response = Client().post(reverse("accounts:password_reset"), {"email": "staff@example.org"})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    client = Client()
    form_page = client.get(link, follow=True)
    assert "ตั้งรหัสผ่านใหม่" in form_page.content.decode()
    new = "ใหม่-Strong-pass-2569"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    assert User.objects.get(pk=staff.pk).check_password(new)


@pytest.fixture
def org_admin(org: Organisation) -> User:
    return make_user("admin1", organisation=org, role="org_admin")


def test_it_lets_an_organisation_admin_add_a_person_who_sets_their_own_password(org, org_admin):
    response = client_for(org_admin).post(
        reverse("accounts:person_new", args=[org.pk]),
        {"username": "newstaff", "first_name": "สมศรี", "last_name": "ใจดี",
         "email": "new@example.org", "position": "นักวิเคราะห์", "role": "staff", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    person = User.objects.get(username="newstaff")
    assert person.organisation == org and not person.has_usable_password()
    assert mail.outbox[0].to == ["new@example.org"] and "/accounts/reset/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="create", object_id=str(person.pk)).exists()


@pytest.mark.parametrize("role", ["supervisor", "superuser", "admin"])
def test_it_refuses_roles_beyond_the_organisation(org, org_admin, role):
    response = client_for(org_admin).post(
        reverse("accounts:person_new", args=[org.pk]),
        {"username": "x", "email": "x@example.org", "role": role, "is_active": "on"},
    )
    assert response.status_code == 200 and not User.objects.filter(username="x").exists()
    error = re.search(
        r'id="id_role_error" class="invalid-feedback">(.*?)</div>', response.content.decode(), re.S
    )
    assert f"{role} ไม่ใช่ตัวเลือกที่ใช้ได้" in error.group(1)


def test_it_keeps_people_pages_to_the_organisations_admin(
    org, other_org, org_admin, staff, outsider
):
    url = reverse("accounts:people", args=[org.pk])
    assert client_for(org_admin).get(url).status_code == 200
    assert client_for(staff).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    edit = reverse("accounts:person_edit", args=[org.pk, staff.pk])
    assert client_for(outsider).post(edit, {"role": "org_admin"}).status_code == 404
    other_admin = make_user("admin2", organisation=other_org, role="org_admin")
    assert client_for(other_admin).get(edit).status_code == 404


def test_it_shows_the_audit_trail_of_score_changes_to_the_admin(assessed_org, staff):
    admin = make_user("admin1", organisation=assessed_org, role="org_admin")
    url = reverse("assessments:scores_edit", args=[assessed_org.pk, 2565])
    form = client_for(staff).get(url).context["form"]
    data = {k: ("" if v is None else str(v)) for k, v in form.initial.items()}
    data["ind_10"] = "40"
    client_for(staff).post(url, data)
    event = AuditEvent.objects.filter(action="update", object_type="assessments.assessment").get()
    assert event.before["score_10"] == "37.50" and event.after["score_10"] == "40.00"
    page = client_for(admin).get(reverse("accounts:audit", args=[assessed_org.pk])).content.decode()
    assert "ผลการประเมิน ITA ปี ๒๕๖๕" in page
    assert (
        client_for(staff).get(reverse("accounts:audit", args=[assessed_org.pk])).status_code == 403
    )


@pytest.mark.slow
def test_it_passes_djangos_deployment_checks_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "ita.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://ita.example.org",
        "DJANGO_SETTINGS_MODULE": "itaportal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_URL": "smtp+tls://ita:secret@mail.example.org:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_one_organisation_rule_agrees_with_the_list_rule(
    org: Organisation, other_org: Organisation
) -> None:
    """assessments.access checks one organisation in Python (can_see); lists filter with the query
    (organisations_visible_to): both must let the same people see the same organisations."""
    from assessments.access import can_see, organisations_visible_to
    from itaportal.accounts.models import Role

    neighbour = Organisation.objects.create(
        kind="sao", name="อบต.ข้างเคียง", district="ท่ายาง", province=org.province
    )
    people = [
        make_user("root", is_superuser=True),
        make_user("province", role=Role.SUPERVISOR, supervised_province=org.province),
        make_user(
            "district",
            role=Role.SUPERVISOR,
            supervised_province=org.province,
            supervised_district=org.district,
        ),
        make_user("member", organisation=org, role=Role.STAFF),
        make_user("executive", organisation=other_org, role=Role.EXECUTIVE),
        make_user("nobody", role=Role.STAFF),
    ]
    organisations = [org, other_org, neighbour]
    seen = {
        person.username: {o.pk for o in organisations if can_see(person, o)} for person in people
    }
    listed = {
        person.username: set(organisations_visible_to(person).values_list("pk", flat=True))
        for person in people
    }
    assert seen == listed
    assert seen["district"] == {org.pk} and seen["province"] == {org.pk, neighbour.pk}
    assert seen["nobody"] == set() and len(seen["root"]) == 3


def test_a_change_to_a_signed_in_person_shows_at_once(org: Organisation) -> None:
    from itaportal.accounts.models import Role

    user = make_user("changed", organisation=org, role=Role.STAFF)
    client = Client()
    client.post(reverse("accounts:login"), {"username": "changed", "password": PASSWORD})
    url = reverse("assessments:dashboard", args=[org.pk])
    assert client.get(url).status_code == 200

    user.role = Role.ORG_ADMIN  # a new role shows at once
    user.save()
    assert reverse("accounts:people", args=[org.pk]) in client.get(url).content.decode()

    user.is_active = False  # a deactivated person is out at once
    user.save()
    assert client.get(url).status_code == 302

    user.is_active = True
    user.save()
    again = Client()
    again.post(reverse("accounts:login"), {"username": "changed", "password": PASSWORD})
    assert again.get(url).status_code == 200
    user.set_password("another-long-password-2")  # a new password ends the other sessions
    user.save()
    assert again.get(url).status_code == 302


def test_the_admin_shows_nothing_of_django_axes_in_english(db):
    admin = User.objects.create_superuser("root", password=PASSWORD)
    page = client_for(admin).get("/admin/").content.decode()
    assert "Access attempt" not in page and "Axes" not in page
