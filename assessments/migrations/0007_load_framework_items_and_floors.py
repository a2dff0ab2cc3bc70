"""The frameworks down to the items, with the bands' instrument floors: FY 2566-2568 becomes
FY 2566, and FY 2567, 2568 and 2569 are added (fixtures/ita_frameworks.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from assessments.frameworks import frameworks_load

    frameworks_load(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0006_framework_items_floors_kinds")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
