"""Once loaded the frameworks; assessments/migrations/0006 loads them now, down to the items, on
a database new or old (the loader uses fields this migration's models do not have yet)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations: list[migrations.operations.base.Operation] = []
