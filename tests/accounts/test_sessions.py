"""itaportal/accounts/sessions.py: Django's database sessions, read with one plain statement."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from itaportal.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_it_is_the_portal_s_session_engine() -> None:
    assert settings.SESSION_ENGINE == "itaportal.accounts.sessions"


def test_it_reads_back_what_was_saved() -> None:
    store = SessionStore()
    store["ต้นฉบับ"] = ["ข้อมูล", 2569]
    store.save()
    again = SessionStore(store.session_key)
    assert again["ต้นฉบับ"] == ["ข้อมูล", 2569]
    assert again.session_key == store.session_key


def test_an_expired_or_unknown_session_reads_empty_and_gets_a_new_key() -> None:
    start = dt.datetime(2026, 12, 4, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        store = SessionStore()
        store["who"] = 1
        store.save()
        clock.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 1))
        assert SessionStore(store.session_key).get("who") == 1
        clock.shift(dt.timedelta(seconds=1))  # its expiry: no longer served
        expired = SessionStore(store.session_key)
        assert expired.get("who") is None and expired.session_key is None
        assert Session.objects.filter(expire_date__gt=timezone.now()).count() == 0
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
