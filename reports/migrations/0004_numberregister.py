"""Memos and orders number themselves from one kind of register (reports.numbering).

The memo registers become registers of the series "memo"; the orders, numbered until now as the
highest number of the year plus one, get registers of the series "order" that start from their
highest number, so the next order keeps the number it would have had.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max


def order_registers(apps, schema_editor):
    Committee = apps.get_model("reports", "Committee")
    NumberRegister = apps.get_model("reports", "NumberRegister")
    highest = (
        Committee.objects.values("organisation_id", "number_year")
        .annotate(last=Max("number"))
        .order_by()
    )
    NumberRegister.objects.bulk_create(
        NumberRegister(
            organisation_id=row["organisation_id"],
            series="order",
            year=row["number_year"],
            last_number=row["last"],
        )
        for row in highest
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_provinceversion"),
        ("reports", "0003_printbatch_printjob"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="memoregister", name="one_register_per_year"),
        migrations.RenameModel(old_name="MemoRegister", new_name="NumberRegister"),
        migrations.AddField(
            model_name="numberregister",
            name="series",
            field=models.CharField(
                choices=[("memo", "Memos"), ("order", "Orders")],
                default="memo",
                max_length=10,
                verbose_name="series",
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="numberregister",
            name="year",
            field=models.PositiveSmallIntegerField(verbose_name="year (B.E.)"),
        ),
        migrations.AlterField(
            model_name="numberregister",
            name="last_number",
            field=models.PositiveIntegerField(default=0, verbose_name="last number"),
        ),
        migrations.AlterField(
            model_name="numberregister",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="assessments.organisation",
            ),
        ),
        migrations.AlterModelOptions(
            name="numberregister",
            options={
                "verbose_name": "number register",
                "verbose_name_plural": "number registers",
            },
        ),
        migrations.AddConstraint(
            model_name="numberregister",
            constraint=models.UniqueConstraint(
                fields=("organisation", "series", "year"), name="one_register_per_series_year"
            ),
        ),
        migrations.RunPython(order_registers, migrations.RunPython.noop),
    ]
