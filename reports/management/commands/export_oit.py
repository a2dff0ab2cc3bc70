import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from itaportal.commands import add_export_arguments, filter_by_organisation
from reports.oit.exporting import checklist_records, records_csv
from reports.oit.models import OitEntry


class Command(BaseCommand):
    help = "Write the OIT checklists, with the predicted scores, as JSON or CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        entries = filter_by_organisation(OitEntry.objects.all(), options)
        if options["year"]:
            entries = entries.filter(fiscal_year=options["year"])
        records = list(checklist_records(entries))
        if options["format"] == "csv":
            self.stdout.write(records_csv(records), ending="")
        else:
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
