"""Cached page content (itaportal.fragments): a second visit is served from the cache, any change
shows at once, and nobody is given another person's page, rights, language or CSRF token."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import changes
from assessments.models import LevelBand, Organisation, ProvinceVersion
from itaportal import thai
from itaportal.accounts.models import Role, User
from itaportal.fragments import CSRF_PLACEHOLDER
from measures.models import Measure, MeasurePlan, SuggestedMeasure
from measures.services import MeasureData, analysis_save, measure_update, plan_create
from reports.memos.models import MemoAction
from reports.memos.services import RouteStep, memo_act, memo_create, memo_submit
from tests.conftest import client_for, make_user
from tests.test_query_counts import MEMO_DATA

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert CSRF_PLACEHOLDER not in html
    return html


def dashboard_url(org: Organisation) -> str:
    return reverse("assessments:dashboard", args=[org.pk])


def plan_url(plan: MeasurePlan) -> str:
    return reverse("measures:plan_detail", args=[plan.organisation_id, plan.fiscal_year])


def shown(org: Organisation, value: str) -> str:
    return thai.digits(value, org.uses_thai_digits)


@pytest.fixture
def plan(assessed_org: Organisation) -> MeasurePlan:
    plan = plan_create(organisation=assessed_org, fiscal_year=2566)
    Measure.objects.create(plan=plan, order=1, title="อบรมเจ้าหน้าที่", indicators=[9, 10])
    return plan


def test_a_second_visit_is_served_from_the_cache(assessed_org: Organisation, staff: User) -> None:
    client = client_for(staff)
    first = page(client, dashboard_url(assessed_org))
    with CaptureQueriesContext(connection) as cold:
        page(client, dashboard_url(assessed_org) + "?year=2564")
    with CaptureQueriesContext(connection) as warm:
        again = page(client, dashboard_url(assessed_org) + "?year=2564")
    assert len(warm) < len(cold)
    assert not any("assessments_indicatorscore" in q["sql"] for q in warm.captured_queries)
    assert shown(assessed_org, "92.44") in again and shown(assessed_org, "68.78") in first


def test_a_score_change_shows_at_once(assessed_org: Organisation, staff: User) -> None:
    client = client_for(staff)
    url = reverse("assessments:scores_edit", args=[assessed_org.pk, 2565])
    assert shown(assessed_org, "68.78") in page(client, dashboard_url(assessed_org))
    form = page(client, url)
    assert 'name="ind_10" value="37.50"' in form  # the form shows stored scores in Arabic digits
    data = {
        "fiscal_year": "2565",
        "published_score": "",
        "published_level": "",
        "maintain_from": "90",
        "raise_from": "85",
        "target": "90",
        **{f"ind_{n}": "95" for n in range(1, 11)},
    }
    assert client.post(url, data).status_code == 302
    assert shown(assessed_org, "95.00") in page(client, dashboard_url(assessed_org))
    assert 'name="ind_10" value="95.00"' in page(client, url)  # not the cached form either


def test_a_framework_change_shows_on_every_dashboard(
    assessed_org: Organisation, staff: User
) -> None:
    client = client_for(staff)
    assert ">C<" in page(client, dashboard_url(assessed_org)).replace(" ", "")
    band = LevelBand.objects.get(
        framework__first_year__lte=2565, framework__last_year__gte=2565, code="C"
    )
    band.code = "ซี"
    band.save()
    assert "ซี" in page(client, dashboard_url(assessed_org))


def test_plan_changes_show_at_once(plan: MeasurePlan, staff: User) -> None:
    client = client_for(staff)
    assert "อบรมเจ้าหน้าที่" in page(client, plan_url(plan))
    measure = plan.measures.get()
    measure_update(  # one UPDATE statement: no post_save signal
        measure=measure,
        data=replace(MeasureData.of(measure), title="ประชุมประชาคม"),
        owners=[staff],
        expected_version=measure.version,
        user=staff,
    )
    html = page(client, plan_url(plan))
    assert "ประชุมประชาคม" in html and "อบรมเจ้าหน้าที่" not in html
    analysis_save(plan=plan, texts={"IIT": ("จุดแข็งใหม่", "ประเด็นใหม่")})
    assert "ประเด็นใหม่" in page(client, plan_url(plan))
    staff.first_name, staff.last_name = "สมหญิง", "ใจดี"
    staff.save()
    assert "สมหญิง" in page(client, plan_url(plan))


def test_a_new_suggestion_shows_on_every_plan(plan: MeasurePlan, staff: User) -> None:
    client = client_for(staff)
    page(client, plan_url(plan))
    SuggestedMeasure.objects.create(title="เปิดเผยข้อมูลจัดซื้อรายเดือน", indicators=[1, 2, 3, 4, 5])
    assert "เปิดเผยข้อมูลจัดซื้อรายเดือน" in page(client, plan_url(plan))


def test_each_reader_gets_their_own_csrf_token(plan: MeasurePlan, staff: User) -> None:
    """The plan's forms are in the cached part: the second editor's token must be their own."""
    other = make_user("staff-2", organisation=plan.organisation, role=Role.STAFF)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(staff)
    second.force_login(other)
    token_first = TOKEN.findall(page(first, plan_url(plan)))
    token_second = TOKEN.findall(page(second, plan_url(plan)))
    assert token_first and token_second and set(token_first).isdisjoint(token_second)
    url = reverse("measures:copy_forward", args=[plan.organisation_id, plan.fiscal_year])
    assert second.post(url, {"csrfmiddlewaretoken": token_first[0]}).status_code == 403
    assert second.post(url, {"csrfmiddlewaretoken": token_second[0]}).status_code == 302


def test_rights_and_language_are_part_of_the_key(
    assessed_org: Organisation, staff: User, reviewer: User
) -> None:
    edit = reverse("assessments:scores_edit", args=[assessed_org.pk, 2565])
    assert edit in page(client_for(staff), dashboard_url(assessed_org))
    assert edit not in page(client_for(reviewer), dashboard_url(assessed_org))
    english = client_for(reviewer)
    english.cookies["django_language"] = "en"
    assert "Every assessed year" in page(english, dashboard_url(assessed_org))
    assert "Every assessed year" not in page(client_for(reviewer), dashboard_url(assessed_org))


def test_the_menu_follows_a_change_of_role(assessed_org: Organisation, staff: User) -> None:
    client = client_for(staff)
    people = reverse("accounts:people", args=[assessed_org.pk])
    assert people not in page(client, dashboard_url(assessed_org))
    staff.role = Role.ORG_ADMIN
    staff.save()
    assert people in page(client, dashboard_url(assessed_org))


def test_another_organisation_gets_its_own_page(
    assessed_org: Organisation, staff: User, outsider: User
) -> None:
    page(client_for(staff), dashboard_url(assessed_org))
    assert client_for(outsider).get(dashboard_url(assessed_org)).status_code == 404
    own = page(client_for(outsider), dashboard_url(outsider.organisation))  # type: ignore[arg-type]
    assert assessed_org.name not in own


def test_counters_rise_when_the_writes_commit(
    assessed_org: Organisation,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Outside the tests the counter rises after the commit: a reader who sees the new counter
    also sees the new data, never the old data under the new key."""
    monkeypatch.undo()  # the real after_commit, not the tests' immediate one
    province = assessed_org.province

    def counter() -> int:
        return ProvinceVersion.objects.get(province=province).version

    before = counter()
    with django_capture_on_commit_callbacks(execute=True):
        changes.organisations_changed([assessed_org.pk])
        assert counter() == before
    assert counter() == before + 1


def test_the_inbox_follows_the_memos(org: Organisation, staff: User) -> None:
    """Cached per person: a memo forwarded to the second reviewer appears in their inbox at
    once, and leaves the first reviewer's."""
    first, second = (make_user(f"rv-{n}", organisation=org, role=Role.REVIEWER) for n in (1, 2))
    executive = make_user("ex", organisation=org, role=Role.EXECUTIVE)
    url = reverse("reports:memo_inbox")
    memo = memo_create(organisation=org, drafter=staff, data=MEMO_DATA, ip=None)
    assert "รายงานผล ITA" not in page(client_for(second), url)
    memo_submit(
        memo=memo,
        user=staff,
        route=[RouteStep(u) for u in (first, second, executive)],
        ip=None,
        today=dt.date(2025, 2, 11),
    )
    assert "รายงานผล ITA" in page(client_for(first), url)
    assert "รายงานผล ITA" not in page(client_for(second), url)
    memo_act(memo=memo, user=first, action=MemoAction.FORWARD, opinion="", ip=None)
    assert "รายงานผล ITA" in page(client_for(second), url)
    assert "รายงานผล ITA" not in page(client_for(first), url)
