"""Which results a plan answers (issue 13): the office's choice, by default the latest entered up
to the plan's own year, as seeds 001 and 002 build the FY 2565 plan on the FY 2565 results."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, User
from measures.models import MeasurePlan
from measures.services import plan_create
from tests.conftest import client_for


def test_a_plan_of_a_year_with_results_answers_that_years_results(assessed_org: Organisation):
    plan = plan_create(organisation=assessed_org, fiscal_year=2565)
    assert plan.based_on_year == 2565


def test_a_plan_after_the_latest_results_answers_them(assessed_org: Organisation):
    assert plan_create(organisation=assessed_org, fiscal_year=2566).based_on_year == 2565
    assert plan_create(organisation=assessed_org, fiscal_year=2568).based_on_year == 2565


def test_the_office_chooses_older_results_on_the_form(assessed_org, staff: User):
    client = client_for(staff)
    response = client.post(
        reverse("measures:plan_list", args=[assessed_org.pk]),
        {"fiscal_year": "๒๕๖๖", "basis_year": "2564"},
    )
    assert response.status_code == 302
    plan = MeasurePlan.objects.get(organisation=assessed_org, fiscal_year=2566)
    assert plan.based_on_year == 2564
    page = client.get(response["Location"]).content.decode()
    assert "จัดทำจากผลการประเมินปีงบประมาณ ๒๕๖๔" in page


def test_results_later_than_the_plan_are_refused_in_thai_and_nothing_is_made(
    assessed_org, staff: User
):
    response = client_for(staff).post(
        reverse("measures:plan_list", args=[assessed_org.pk]),
        {"fiscal_year": "2564", "basis_year": "2565"},
    )
    assert "มาตรการต้องตอบสนองผลการประเมินของปีเดียวกันหรือปีก่อนหน้า" in response.content.decode()
    assert not MeasurePlan.objects.exists()


def test_changing_the_results_a_plan_answers_is_audited(plan: MeasurePlan, staff: User):
    data = {f"{c}_{k}": "" for c in ("IIT", "EIT", "OIT") for k in ("strengths", "issues")}
    url = reverse("measures:analysis_edit", args=[plan.organisation_id, plan.fiscal_year])
    response = client_for(staff).post(url, {**data, "basis_year": "2564"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.based_on_year == 2564
    event = AuditEvent.objects.filter(object_type__icontains="plan").latest("at")
    assert (event.before, event.after) == ({"basis_year": 2565}, {"basis_year": 2564})


def test_a_plan_made_before_the_choice_existed_answers_the_year_before(assessed_org):
    plan = MeasurePlan.objects.create(organisation=assessed_org, fiscal_year=2566)
    assert plan.based_on_year == 2565
