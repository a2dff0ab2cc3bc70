from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import Organisation
from measures.models import Measure, MeasurePlan, Progress, SuggestedMeasure
from measures.services import plan_create


@pytest.fixture
def plan(assessed_org: Organisation) -> MeasurePlan:
    """บางเก่า's FY 2566 plan, answering its FY 2565 results (eight urgent, two raise)."""
    return plan_create(organisation=assessed_org, fiscal_year=2566)


@pytest.fixture
def measure(plan: MeasurePlan) -> Measure:
    return Measure.objects.create(
        plan=plan,
        order=1,
        title="มาตรการเผยแพร่ข้อมูลต่อสาธารณะ",
        indicators=[9, 10],
        responsible_unit="สำนักปลัด",
        start_month=dt.date(2023, 1, 1),
        end_month=dt.date(2023, 3, 1),
        cadence="monthly",
    )


@pytest.fixture
def progress(measure: Measure) -> Progress:
    return Progress.objects.create(measure=measure, date=dt.date(2023, 1, 31), done="ประชุมชี้แจง")


@pytest.fixture
def suggestion(db: None) -> SuggestedMeasure:
    return SuggestedMeasure.objects.create(
        title="ทดสอบ: คู่มือการยืมทรัพย์สินของราชการ",
        indicators=[4],
        method="จัดทำคู่มือและเผยแพร่",
        responsible_unit="กองคลัง",
        cadence="quarterly",
    )
