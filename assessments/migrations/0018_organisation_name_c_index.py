"""The organisations' names in character order, on PostgreSQL: the overview's first page (sorted
by name, as reports.overview.selectors.by_name sorts them) then reads 50 names from the index
instead of joining and sorting the whole country (at 7,850 organisations 23 ms -> 3 ms).

SQLite has no collation "C" (its own is the same order and needs no index at the demo's size),
so this is SQL run on PostgreSQL alone, not a Meta index."""

from django.db import migrations

CREATE = 'CREATE INDEX organisation_name_c ON assessments_organisation ((name COLLATE "C"), id)'
DROP = "DROP INDEX IF EXISTS organisation_name_c"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0017_organisation_area_index"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP), elidable=False),
    ]
