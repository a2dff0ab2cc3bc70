"""The kept figures say whether their year's result is the demo's, made up (Assessment.is_demo),
so that the overview marks it as the dashboard does; the summaries kept so far learn it from
their results."""

from typing import Any

from django.db import migrations, models
from django.db.models import Exists, OuterRef


def mark_demo_years(apps: Any, schema_editor: Any) -> None:
    YearSummary = apps.get_model("assessments", "YearSummary")
    Assessment = apps.get_model("assessments", "Assessment")
    made_up = Assessment.objects.filter(
        organisation=OuterRef("organisation"), fiscal_year=OuterRef("fiscal_year"), is_demo=True
    )
    YearSummary.objects.filter(Exists(made_up)).update(is_demo=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0018_organisation_name_c_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="yearsummary",
            name="is_demo",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_demo_years, migrations.RunPython.noop),
    ]
