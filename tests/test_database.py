"""The database connection as settings make it (itaportal/settings.py, DATABASES)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Organisation
from tests.conftest import client_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_page_opened_again_runs_its_statements_prepared(assessed_org: Organisation, staff):
    client = client_for(staff)
    page = reverse("assessments:dashboard", args=[assessed_org.pk])
    for _ in range(6):  # psycopg prepares a statement the fifth time a connection runs it
        assert client.get(page).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any('FROM "accounts_user"' in statement for statement in prepared)  # the ORM's
    assert any("FROM django_session" in statement for statement in prepared)  # plain ones
    assert any("FROM reports_memostep" in statement for statement in prepared)
    assert all("$1" in s for s in prepared if 'FROM "accounts_user"' in s)  # values apart
