"""itaportal/accounts/backends.py: the person read with their organisation, in one query; and the
migration that keeps sessions signed in before it signed in."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.backends import PortalBackend, read_person
from itaportal.accounts.models import User
from tests.conftest import PASSWORD, make_user
from tests.reports.conftest import frameworks_back  # noqa: F401  (the fixture)


@pytest.mark.django_db
def test_it_reads_the_person_and_their_organisation_in_one_query(org: Organisation) -> None:
    person = make_user("clerk", organisation=org, role="staff")
    with CaptureQueriesContext(connection) as queries:
        user = PortalBackend().get_user(person.pk)
        assert user is not None and user.organisation is not None
        assert user.organisation.name == org.name
    assert len(queries) == 1


@pytest.mark.django_db
def test_it_reads_nobody_for_an_unknown_or_inactive_person(org: Organisation) -> None:
    person = make_user("gone", organisation=org, role="staff", is_active=False)
    assert PortalBackend().get_user(person.pk) is None
    assert PortalBackend().get_user(person.pk + 1000) is None


@pytest.mark.django_db
def test_a_person_who_logs_in_is_read_through_it(org: Organisation) -> None:
    make_user("clerk", organisation=org, role="staff")
    client = Client()
    client.post(reverse("accounts:login"), {"username": "clerk", "password": PASSWORD})
    assert client.session[BACKEND_SESSION_KEY] == "itaportal.accounts.backends.PortalBackend"
    assert settings.AUTHENTICATION_BACKENDS[-1] == client.session[BACKEND_SESSION_KEY]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("frameworks_back")
def test_a_session_signed_in_before_the_upgrade_stays_signed_in() -> None:
    org = Organisation.objects.create(kind="sao", name="อบต.ทดสอบ", province="พะเยา")
    person = make_user("clerk", organisation=org, role="staff")
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0009_user_language_choice")])
    client = Client()
    client.force_login(User.objects.get(pk=person.pk), "django.contrib.auth.backends.ModelBackend")
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    session = Session.objects.get().get_decoded()
    assert session[BACKEND_SESSION_KEY] == "itaportal.accounts.backends.PortalBackend"
    page = client.get(reverse("help:index"))
    assert page.status_code == 200 and "clerk" in page.content.decode()


def _fields(instance: Model | None) -> dict[str, object]:
    assert instance is not None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
def test_the_person_read_is_the_one_the_orm_reads(org: Organisation) -> None:
    org.digit_style = Organisation.DigitStyle.ARABIC
    org.save()
    person = make_user("clerk", organisation=org, role="staff", language="en")
    read = read_person(person.pk)
    orm = User.objects.select_related("organisation").get(pk=person.pk)
    assert read is not None and _fields(read) == _fields(orm)
    with CaptureQueriesContext(connection) as queries:
        assert _fields(read.organisation) == _fields(orm.organisation)
        assert read.uses_thai_digits is False and read.language == "en"
    assert len(queries) == 0
    assert read.check_password(PASSWORD) and not read._state.adding


@pytest.mark.django_db
def test_a_supervisor_is_read_with_no_organisation() -> None:
    supervisor = make_user(
        "watcher", organisation=None, role="supervisor", supervised_province="พะเยา"
    )
    with CaptureQueriesContext(connection) as queries:
        read = read_person(str(supervisor.pk))
        assert read is not None and read.organisation is None
        assert _fields(read) == _fields(User.objects.get(pk=supervisor.pk))
    assert len(queries) == 2  # the person, then the comparison
