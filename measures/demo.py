"""The seeds' real measures plans as demo data (fixtures/demo/plans.json)."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from assessments.demo import DEMO_DIR
from assessments.models import Organisation

from .models import InstrumentAnalysis, Measure, MeasurePlan, Progress


def _month(text: str | None) -> dt.date | None:
    return dt.datetime.strptime(text, "%Y-%m").date() if text else None


@transaction.atomic
def demo_plans_load() -> int:
    """Create the plans that are missing; returns how many were created."""
    spec = json.loads((DEMO_DIR / "plans.json").read_text(encoding="utf-8"))
    created = 0
    for item in spec["plans"]:
        organisation = Organisation.objects.get(name=item["org_name"], province=item["province"])
        plan, was_created = MeasurePlan.objects.get_or_create(
            organisation=organisation, fiscal_year=item["fiscal_year"]
        )
        if not was_created:
            continue
        created += 1
        InstrumentAnalysis.objects.bulk_create(
            InstrumentAnalysis(
                plan=plan,
                instrument=a["instrument"],
                expected_strengths=a["expected_strengths"],
                issues=a["issues"],
            )
            for a in item["analyses"]
        )
        for order, m in enumerate(item["measures"], start=1):
            measure = Measure.objects.create(
                plan=plan,
                order=order,
                title=m["title"],
                indicators=m["indicators"],
                method=m["method"],
                responsible_unit=m["responsible_unit"],
                other_people="\n".join(m["responsible_people"]),
                start_month=_month(m["start"]),
                end_month=_month(m["end"]),
                follow_up=m["follow_up"],
                cadence=m["cadence"],
                expected_result=m["expected_result"],
                status=m["status"],
            )
            Progress.objects.bulk_create(
                Progress(
                    measure=measure,
                    date=dt.date.fromisoformat(p["date"]),
                    done=p["done"],
                    outcome=p["outcome"],
                )
                for p in m["progress"]
            )
    return created
