"""Loading the shipped ITA frameworks (fixtures/ita_frameworks.json) into the database.

Used by the data migration with historical models, and by tests whose database is flushed.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "ita_frameworks.json"


def frameworks_load(apps: Any) -> int:
    """Create every framework of the fixture that is not there yet; returns how many were made."""
    Framework = apps.get_model("assessments", "Framework")
    Instrument = apps.get_model("assessments", "Instrument")
    Indicator = apps.get_model("assessments", "Indicator")
    LevelBand = apps.get_model("assessments", "LevelBand")
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    created = 0
    for fw in data["frameworks"]:
        if Framework.objects.filter(first_year=fw["first_year"]).exists():
            continue
        framework = Framework.objects.create(
            name=fw["name"],
            first_year=fw["first_year"],
            last_year=fw["last_year"],
            discrepancy_tolerance=Decimal(fw["discrepancy_tolerance"]),
            default_maintain_from=Decimal(fw["default_maintain_from"]),
            default_raise_from=Decimal(fw["default_raise_from"]),
            default_target=Decimal(fw["default_target"]),
        )
        for inst in fw["instruments"]:
            instrument = Instrument.objects.create(
                framework=framework,
                code=inst["code"],
                name_th=inst["name_th"],
                name_en=inst["name_en"],
                weight=Decimal(inst["weight"]),
                order=inst["order"],
            )
            for ind in inst["indicators"]:
                Indicator.objects.create(instrument=instrument, **ind)
        for band in fw["bands"]:
            LevelBand.objects.create(
                framework=framework,
                code=band["code"],
                min_score=Decimal(band["min_score"]),
                passing=band["passing"],
                aliases=band["aliases"],
            )
        created += 1
    return created
