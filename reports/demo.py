"""The seed's committee order (seed 004) as demo data (fixtures/demo/committees.json)."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from assessments.demo import DEMO_DIR
from assessments.models import Organisation

from .models import Committee
from .services import committee_create


@transaction.atomic
def demo_committees_load() -> int:
    spec = json.loads((DEMO_DIR / "committees.json").read_text(encoding="utf-8"))
    created = 0
    for item in spec["committees"]:
        organisation = Organisation.objects.get(name=item["org_name"], province=item["province"])
        if Committee.objects.filter(
            organisation=organisation, number_year=item["number_year"], number=item["number"]
        ).exists():
            continue
        data = {**item, "issued_on": dt.date.fromisoformat(item["issued_on"])}
        committee_create(
            organisation=organisation,
            data=data,
            members=[
                {k: m[k] for k in ("group", "name", "position", "role")} for m in item["members"]
            ],
            number=item["number"],
        )
        created += 1
    return created
