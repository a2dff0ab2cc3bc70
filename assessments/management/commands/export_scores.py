import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessments.exporting import records_csv, result_record
from assessments.models import Assessment
from assessments.selectors import FrameworkCatalogue, assessments_with_scores, evaluate_years
from itaportal.commands import add_export_arguments, filter_by_organisation


class Command(BaseCommand):
    help = "Write the assessments, with what the portal computes of them, as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        assessments = filter_by_organisation(Assessment.objects.all(), options)
        # Changes need the previous year even when one year is asked for.
        results = evaluate_years(assessments_with_scores(assessments), FrameworkCatalogue())
        if options["year"]:
            results = [r for r in results if r.fiscal_year == options["year"]]
        records = [result_record(r) for r in results]
        if options["format"] == "csv":
            self.stdout.write(records_csv(records), ending="")
        else:
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
