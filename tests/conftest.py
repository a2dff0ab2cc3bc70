"""Personas and data shared by the tests: an owner organisation, an outsider, a supervisor."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from assessments import ita
from assessments.models import Assessment, Organisation
from assessments.services import assessment_save
from itaportal.accounts.models import Role, User

PASSWORD = "a-long-test-password-1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres only mean something on PostgreSQL: leave them out elsewhere."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    deselected = [item for item in items if item.get_closest_marker("postgres")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]


def clear_caches() -> None:
    """The shared cache and this process' own (itaportal.fragments)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache, as a new server does: the database is rolled back
    between tests, so change counters and primary keys repeat, and cached pages would not fit."""
    clear_caches()


@pytest.fixture(autouse=True)
def _change_counters_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test's writes are one transaction that is rolled back, so the change counters
    (assessments.changes), raised when writes commit, would never move and cached pages would
    stay as they were: in tests they are raised at once."""
    from assessments import changes

    monkeypatch.setattr(changes, "after_commit", lambda bump: bump())


BANGKAO_2564 = [
    "98.66", "98.51", "98.81", "95.09", "98.96", "81.02", "87.98", "80.47", "86.28", "93.75",
]  # fmt: skip
BANGKAO_2565 = [
    "83.71", "68.53", "82.80", "73.25", "73.24", "86.27", "86.17", "82.24", "64.63", "37.50",
]  # fmt: skip

DEFAULT_THRESHOLDS = ita.Thresholds(
    maintain_from=Decimal(90), raise_from=Decimal(85), target=Decimal(90)
)


def scores_of(values: list[str]) -> dict[int, Decimal]:
    return {n: Decimal(v) for n, v in enumerate(values, start=1)}


def make_user(username: str, **fields: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.SUBDISTRICT_MUNICIPALITY,
        name="เทศบาลตำบลบางเก่า",
        district="ชะอำ",
        province="เพชรบุรี",
    )


@pytest.fixture
def other_org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind=Organisation.Kind.SAO,
        name="องค์การบริหารส่วนตำบลภูซาง",
        district="ภูซาง",
        province="พะเยา",
    )


@pytest.fixture
def staff(org: Organisation) -> User:
    return make_user("staff", organisation=org, role=Role.STAFF)


@pytest.fixture
def reviewer(org: Organisation) -> User:
    return make_user("reviewer", organisation=org, role=Role.REVIEWER)


@pytest.fixture
def outsider(other_org: Organisation) -> User:
    return make_user("outsider", organisation=other_org, role=Role.STAFF)


@pytest.fixture
def supervisor(db: None) -> User:
    return make_user("supervisor", role=Role.SUPERVISOR, supervised_province="เพชรบุรี")


@pytest.fixture
def assessed_org(org: Organisation) -> Organisation:
    """บางเก่า with its published FY 2564 and FY 2565 (the seed numbers)."""
    for year, values, published in (
        (2564, BANGKAO_2564, "92.44"),
        (2565, BANGKAO_2565, "68.78"),
    ):
        assessment_save(
            organisation=org,
            fiscal_year=year,
            scores=scores_of(values),
            published_score=Decimal(published),
            published_level="",
            thresholds=DEFAULT_THRESHOLDS,
            user=None,
        )
    return org


def snapshot() -> list[object]:
    """Every stored score and assessment, to prove a refused input changed nothing."""
    rows = Assessment.objects.order_by("organisation_id", "fiscal_year").values_list(
        "organisation_id", "fiscal_year", "published_score", "published_level", "updated_at"
    )
    scores = Assessment.objects.order_by("organisation_id", "fiscal_year").values_list(
        "organisation_id", "fiscal_year", "indicator_scores__number", "indicator_scores__score"
    )
    return [*rows, *sorted(scores, key=str), Organisation.objects.count()]
