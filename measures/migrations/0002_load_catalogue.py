"""Load the suggested measures shipped in fixtures/measure_catalogue.json (afterwards: the admin)."""

from django.db import migrations


def load(apps, schema_editor):
    from measures.catalogue import catalogue_load

    catalogue_load(apps)


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
