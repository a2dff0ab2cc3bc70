"""Simultaneous guesses: at most the limit of passwords are checked, the rest are refused unchecked.

Needs a server database: the requests run in threads, each on its own connection, and their
transactions really overlap (PostgreSQL; on SQLite the test is deselected).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections
from django.test import Client

from itaportal.accounts.models import AuditEvent, User
from tests.conftest import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
GUESSES = 20


def test_it_checks_at_most_the_limit_of_twenty_simultaneous_wrong_passwords(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    make_user("nakhonsi-staff")
    checked: list[str] = []
    check_password = User.check_password

    def counted(user: User, raw_password: str) -> bool:
        checked.append(raw_password)
        return check_password(user, raw_password)

    monkeypatch.setattr(User, "check_password", counted)
    start = threading.Barrier(GUESSES)
    answers: list[int] = []

    def guess(n: int) -> None:
        try:
            client = Client(REMOTE_ADDR="203.0.113.7")
            start.wait()
            response = client.post(
                "/accounts/login/", {"username": "nakhonsi-staff", "password": f"wrong-{n}"}
            )
            answers.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(GUESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert answers == [200] * GUESSES  # every guess answered with the form, none logged in
    assert len(checked) == settings.LOGIN_FAILURE_LIMIT
    assert AuditEvent.objects.filter(action="login_failed").count() == settings.LOGIN_FAILURE_LIMIT
    assert AuditEvent.objects.filter(action="locked_out").count() == 1
