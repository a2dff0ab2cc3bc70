"""The person form: the organisation's admin sets where a person's memo steps go on LINE."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, User
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db

LINE_ID = "U" + "0123456789abcdef" * 2


def body(person: User, line_id: str) -> dict[str, str]:
    return {"username": person.username, "email": "staff@example.org", "role": person.role,
            "is_active": "on", "line_id": line_id}  # fmt: skip


def test_it_lets_the_admin_set_a_persons_line_id(org: Organisation, staff: User) -> None:
    admin = make_user("admin1", organisation=org, role="org_admin")
    url = reverse("accounts:person_edit", args=[org.pk, staff.pk])
    assert 'name="line_id"' in client_for(admin).get(url).content.decode()
    response = client_for(admin).post(url, body(staff, LINE_ID))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.line_id == LINE_ID
    event = AuditEvent.objects.get(object_type="accounts.user", action="update")
    assert event.after is not None and event.after["line_id"] == LINE_ID


@pytest.mark.parametrize("line_id", ["U123", "@ita-portal", "U" + "g" * 32, "C" + "0" * 31])
def test_it_refuses_a_line_id_that_is_not_one_in_thai(
    org: Organisation, staff: User, line_id: str
) -> None:
    admin = make_user("admin1", organisation=org, role="org_admin")
    url = reverse("accounts:person_edit", args=[org.pk, staff.pk])
    response = client_for(admin).post(url, body(staff, line_id))
    assert response.status_code == 200
    assert "รหัส LINE ขึ้นต้นด้วย U, C หรือ R" in response.content.decode()
    staff.refresh_from_db()
    assert staff.line_id == ""
