"""The error pages of itaportal/errors.py: what people read when a request is refused."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from tests.conftest import snapshot

pytestmark = pytest.mark.django_db


def test_it_explains_a_form_sent_without_its_token_in_thai(assessed_org, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    before = snapshot()
    response = client.post(
        reverse("assessments:scores_new", args=[assessed_org.pk]), {"fiscal_year": "2566"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "ไม่สามารถส่งแบบฟอร์มได้" in page and "โหลดหน้าใหม่" in page
    assert "CSRF" not in page and "Forbidden" not in page
    assert snapshot() == before and not Assessment.objects.filter(fiscal_year=2566).exists()


def test_it_explains_a_login_sent_without_its_token_in_thai(db):
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
    assert "ไม่สามารถส่งแบบฟอร์มได้" in response.content.decode()
