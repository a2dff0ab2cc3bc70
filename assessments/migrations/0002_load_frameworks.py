"""Load the ITA frameworks shipped in fixtures/ita_frameworks.json (afterwards: the admin)."""

from django.db import migrations


def load(apps, schema_editor):
    from assessments.frameworks import frameworks_load

    frameworks_load(apps)


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
