"""The kept figures (YearSummary, Measure.overdue_from): whatever sequence of writes people make
through the services, the figures kept along the way are those `rebuild_summaries` computes from
scratch."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from assessments.importing import ScoreRow
from assessments.models import Organisation, YearSummary
from assessments.services import assessment_import, assessment_save
from measures.models import Measure, MeasurePlan
from measures.services import (
    MeasureData,
    ProgressData,
    measure_create,
    measure_delete,
    measure_update,
    measures_copy_forward,
    plan_create,
    progress_record,
)
from measures.status import MeasureStatus
from tests.conftest import DEFAULT_THRESHOLDS

pytestmark = pytest.mark.django_db

YEARS = [2564, 2565, 2566, 2567]
WRITES = [
    "scores saved",
    "scores imported",
    "plan created",
    "measure created",
    "measure edited",
    "measure deleted",
    "measures copied",
    "follow-up recorded",
]
STATUSES = [s.value for s in MeasureStatus]
CADENCES = ["none", "monthly", "quarterly"]
OPEN = {MeasureStatus.NOT_STARTED, MeasureStatus.IN_PROGRESS}


# Every kept figure, a field added later included: one the services forgot would show here.
KEPT_FIELDS = [f.attname for f in YearSummary._meta.concrete_fields if not f.primary_key]


def kept() -> tuple[list[Any], list[tuple[int, dt.date | None]]]:
    rows = list(YearSummary.objects.order_by("organisation_id", "fiscal_year").values(*KEPT_FIELDS))
    return rows, list(Measure.objects.order_by("pk").values_list("pk", "overdue_from"))


def scores(rng: random.Random) -> dict[int, Decimal | None]:
    return {
        n: Decimal(rng.randint(3000, 10000)) / 100 if rng.random() > 0.1 else None
        for n in range(1, 11)
    }


def month(fiscal_year: int, offset: int) -> dt.date:
    index = 9 + offset  # October of the year before, counted from January
    return dt.date(fiscal_year - 543 - 1 + index // 12, index % 12 + 1, 1)


def measure_data(rng: random.Random, fiscal_year: int) -> MeasureData:
    start = None
    end = None
    if rng.random() < 0.7:
        first = rng.randint(0, 5)  # months after the fiscal year's October
        last = first + rng.randint(0, 5)
        start, end = (month(fiscal_year, first), month(fiscal_year, last))
    return MeasureData(
        title=f"มาตรการ {rng.randint(1, 10**6)}",
        indicators=sorted(rng.sample(range(1, 11), rng.randint(1, 3))),
        start_month=start,
        end_month=end,
        cadence=rng.choice(CADENCES),
        status=rng.choice(STATUSES),
    )


def one_write(rng: random.Random, organisations: list[Organisation]) -> str:
    org = rng.choice(organisations)
    plans = list(MeasurePlan.objects.filter(organisation=org))
    measures = list(Measure.objects.filter(plan__organisation=org).select_related("plan"))
    choice = rng.choices(range(8), weights=[2, 1, 1, 3, 3, 1, 1, 3])[0]
    done = WRITES[choice]
    if choice == 0:
        assessment_save(
            organisation=org,
            fiscal_year=rng.choice(YEARS),
            scores=scores(rng),
            published_score=Decimal(rng.randint(5000, 9900)) / 100 if rng.random() < 0.3 else None,
            published_level="",
            thresholds=DEFAULT_THRESHOLDS,
            user=None,
        )
    elif choice == 1:
        year = rng.choice(YEARS)
        rows = [
            ScoreRow(
                line=n + 2,
                org_name=o.name,
                province=o.province,
                district=o.district,
                org_code="",
                fiscal_year=year,
                scores={k: v for k, v in scores(rng).items() if v is not None},
            )
            for n, o in enumerate(rng.sample(organisations, 2))
        ]
        assessment_import(rows=rows)
    elif choice == 2:
        taken = {p.fiscal_year for p in plans}
        free = [y + 1 for y in YEARS if y + 1 not in taken]
        if free:
            plan_create(organisation=org, fiscal_year=rng.choice(free))
    elif choice == 3 and plans:
        plan = rng.choice(plans)
        measure_create(plan=plan, data=measure_data(rng, plan.fiscal_year), owners=[], user=None)
    elif choice == 4 and measures:
        measure = rng.choice(measures)
        measure_update(
            measure=measure,
            data=measure_data(rng, measure.plan.fiscal_year),
            owners=[],
            expected_version=measure.version,
            user=None,
        )
    elif choice == 5 and measures:
        measure_delete(measure=rng.choice(measures), user=None)
    elif choice == 6 and plans:
        measures_copy_forward(plan=rng.choice(plans), user=None)
    elif choice == 7 and measures:  # follow-up moves only an open measure's next due day
        followed = [m for m in measures if m.cadence != "none" and m.status in OPEN] or measures
        measure = rng.choice(followed)
        day = dt.date(measure.plan.fiscal_year - 543 - 1, 10, 1) + dt.timedelta(rng.randint(0, 400))
        progress_record(measure=measure, data=ProgressData(date=day, done="ทำแล้ว"), user=None)
    return f"{done} for {org.name}"


def test_kept_figures_equal_a_rebuild_after_each_of_random_writes() -> None:
    rng = random.Random(1)
    organisations = [
        Organisation.objects.create(kind=kind, name=name, province=province, district="เมือง")
        for kind, name, province in [
            ("sao", "อบต.หนึ่ง", "เพชรบุรี"),
            ("subdistrict", "เทศบาลตำบลสอง", "เพชรบุรี"),
            ("sao", "อบต.สาม", "พะเยา"),
        ]
    ]
    for org in organisations:  # a result and the plan answering it, to start with
        assessment_save(organisation=org, fiscal_year=2565, scores=scores(rng),
                        published_score=None, published_level="",
                        thresholds=DEFAULT_THRESHOLDS, user=None)  # fmt: skip
        plan_create(organisation=org, fiscal_year=2566)
    for n in range(30):
        write = one_write(rng, organisations)
        assert kept() == rebuilt(), f"write {n}: {write}"
    assert all(kept())  # the sequence wrote figures of both kinds


class Rollback(Exception):
    pass


def rebuilt() -> tuple[list[Any], list[tuple[int, dt.date | None]]]:
    """What `rebuild_summaries` writes from nothing, leaving the kept figures as they were."""
    try:
        with transaction.atomic():
            YearSummary.objects.all().delete()
            Measure.objects.update(overdue_from=None)
            call_command("rebuild_summaries", stdout=io.StringIO())
            figures = kept()
            raise Rollback
    except Rollback:
        return figures


def test_follow_up_moves_the_day_a_measure_turns_overdue(plan: MeasurePlan) -> None:
    data = MeasureData(
        title="ติดตามรายเดือน",
        indicators=[1],
        start_month=dt.date(2023, 1, 1),
        end_month=dt.date(2023, 6, 1),
        cadence="monthly",
    )
    measure = measure_create(plan=plan, data=data, owners=[], user=None)
    before = Measure.objects.get(pk=measure.pk).overdue_from
    progress_record(measure=measure, data=ProgressData(dt.date(2023, 3, 1), "ประชุม"), user=None)
    after = Measure.objects.get(pk=measure.pk).overdue_from
    assert before is not None and after is not None and before < after <= dt.date(2023, 7, 1)
