import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from measures.exporting import plan_record, records_csv
from measures.models import MeasurePlan
from measures.selectors import plan_view


class Command(BaseCommand):
    help = "Write the measures plans, with coverage and lateness, as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--org-name")
        parser.add_argument("--province")
        parser.add_argument("--year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        plans = MeasurePlan.objects.select_related("organisation").order_by(
            "organisation__province", "organisation__name", "fiscal_year"
        )
        if options["org_name"]:
            plans = plans.filter(organisation__name=options["org_name"])
        if options["province"]:
            plans = plans.filter(organisation__province=options["province"])
        if options["year"]:
            plans = plans.filter(fiscal_year=options["year"])
        today = timezone.localdate()
        records = [plan_record(plan_view(plan, today)) for plan in plans]
        if options["format"] == "csv":
            self.stdout.write(records_csv(records), ending="")
        else:
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
