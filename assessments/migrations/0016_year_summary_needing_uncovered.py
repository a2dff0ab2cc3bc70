"""The overview filters, sorts and counts by the indicators a year needs measures for and those its
plan leaves uncovered: kept with the other figures, counted here from the kept tiers and covered
indicators (the services keep them from now on)."""

from typing import Any

from django.db import migrations, models

from assessments import ita


def count(apps: Any, schema_editor: Any) -> None:
    YearSummary = apps.get_model("assessments", "YearSummary")
    changed = []
    for row in YearSummary.objects.only("tiers", "covered").iterator(chunk_size=2000):
        tiers = {int(n): ita.Tier(tier) for n, tier in row.tiers.items()}
        row.needing = len(ita.indicators_needing_measures(tiers))
        row.uncovered = len(ita.not_covered(tiers, row.covered))
        changed.append(row)
    YearSummary.objects.bulk_update(changed, ["needing", "uncovered"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0015_field_names_in_thai"),
    ]

    operations = [
        migrations.AddField(
            model_name="yearsummary",
            name="needing",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="yearsummary",
            name="uncovered",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(count, migrations.RunPython.noop),
    ]
