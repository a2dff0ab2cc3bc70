import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from itaportal.commands import add_export_arguments, filter_by_organisation
from measures.exporting import plan_record, records_csv
from measures.models import MeasurePlan
from measures.selectors import plan_view


class Command(BaseCommand):
    help = "Write the measures plans, with coverage and lateness, as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        plans = MeasurePlan.objects.select_related("organisation").order_by(
            "organisation__province", "organisation__name", "fiscal_year"
        )
        plans = filter_by_organisation(plans, options)
        if options["year"]:
            plans = plans.filter(fiscal_year=options["year"])
        today = timezone.localdate()
        records = [plan_record(plan_view(plan, today)) for plan in plans]
        if options["format"] == "csv":
            self.stdout.write(records_csv(records), ending="")
        else:
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
