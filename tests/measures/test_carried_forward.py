"""Copy-forward says what it copied and closes the originals as carried forward: no longer
overdue in last year's plan, not counted twice by the overview, not copied again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import Organisation
from measures.models import Measure, MeasurePlan
from measures.services import measure_delete, plan_create
from reports.overview.selectors import compute_rows
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# FY 2567 has begun; the FY 2566 measure (Jan-Mar 2566) ended long ago, its copy starts in 2567.
IN_FY_2567 = dt.datetime(2023, 11, 1, 10, tzinfo=dt.UTC)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def copy_forward(client, plan: MeasurePlan) -> list[str]:
    url = reverse("measures:copy_forward", args=[plan.organisation_id, plan.fiscal_year])
    return [str(m) for m in get_messages(client.post(url).wsgi_request)]


def overdue_count(org: Organisation) -> int:
    (row,) = compute_rows(Organisation.objects.filter(pk=org.pk), dt.date(2023, 11, 1))
    return row.overdue


@time_machine.travel(IN_FY_2567, tick=False)
def test_it_names_what_it_copied_and_then_that_nothing_is_left(plan, measure, staff):
    next_plan = plan_create(organisation=plan.organisation, fiscal_year=2567)
    Measure.objects.create(plan=plan, title="เสร็จแล้ว", indicators=[1], status="done")
    (first,) = copy_forward(client_for(staff), next_plan)
    assert first == f"คัดลอกจากแผนปีงบประมาณ ๒๕๖๖ แล้ว ๑ มาตรการ: “{measure.title}”"
    (second,) = copy_forward(client_for(staff), next_plan)  # a new client: only its messages
    assert second.startswith("ไม่มีมาตรการเหลือให้คัดลอก")
    assert next_plan.measures.count() == 1


@time_machine.travel(IN_FY_2567, tick=False)
def test_the_original_reads_carried_to_next_years_plan_and_is_no_longer_overdue(
    plan, measure, staff
):
    next_plan = plan_create(organisation=plan.organisation, fiscal_year=2567)
    client = client_for(staff)
    old_page = reverse("measures:plan_detail", args=[plan.organisation_id, 2566])
    assert "เลยกำหนด" in text_of(client.get(old_page).content.decode())
    copy_forward(client, next_plan)
    measure.refresh_from_db()
    copy = next_plan.measures.get()
    assert measure.status == Measure.Status.CARRIED_FORWARD and measure.carried_to == copy
    page = client.get(old_page).content.decode()
    row = text_of(re.search(rf'<tr data-measure="{measure.pk}">(.*?)</tr>', page, re.S)[1])
    assert "ยกไปแผนปี ๒๕๖๗" in row and "เลยกำหนด" not in row
    assert reverse("measures:measure_detail", args=[copy.pk]) in page


@time_machine.travel(IN_FY_2567, tick=False)
def test_the_overview_counts_a_carried_measure_once(plan, measure, staff):
    next_plan = plan_create(organisation=plan.organisation, fiscal_year=2567)
    assert overdue_count(plan.organisation) == 1
    copy_forward(client_for(staff), next_plan)
    assert overdue_count(plan.organisation) == 0  # the copy is not yet due either


@time_machine.travel(IN_FY_2567, tick=False)
def test_a_measure_copied_before_is_linked_not_copied_again(plan, measure, staff):
    next_plan = plan_create(organisation=plan.organisation, fiscal_year=2567)
    earlier = Measure.objects.create(plan=next_plan, title=measure.title, indicators=[9])
    messages = copy_forward(client_for(staff), next_plan)
    assert any("มีอยู่ในแผนนี้แล้วจึงไม่คัดลอกซ้ำ" in m for m in messages)
    measure.refresh_from_db()
    assert measure.carried_to == earlier and next_plan.measures.count() == 1


@time_machine.travel(IN_FY_2567, tick=False)
def test_deleting_the_copy_opens_the_original_again(plan, measure, progress, staff):
    next_plan = plan_create(organisation=plan.organisation, fiscal_year=2567)
    copy_forward(client_for(staff), next_plan)
    measure_delete(measure=next_plan.measures.get(), user=staff)
    measure.refresh_from_db()
    assert measure.status == Measure.Status.IN_PROGRESS and measure.carried_to is None


def test_people_cannot_choose_carried_forward_on_the_form(measure, staff):
    page = client_for(staff).get(reverse("measures:measure_edit", args=[measure.pk]))
    assert 'value="carried_forward"' not in page.content.decode()
