"""Loading the shipped catalogue of suggested measures (fixtures/measure_catalogue.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "measure_catalogue.json"
FIELDS = ("indicators", "method", "responsible_unit", "follow_up", "cadence", "expected_result")


def catalogue_load(apps: Any) -> int:
    """Add the catalogue's suggestions that are not there yet (by title); returns how many."""
    SuggestedMeasure = apps.get_model("measures", "SuggestedMeasure")
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    created = 0
    for item in data["suggestions"]:
        _, was_created = SuggestedMeasure.objects.get_or_create(
            title=item["title"], defaults={field: item.get(field, "") for field in FIELDS}
        )
        created += was_created
    return created
