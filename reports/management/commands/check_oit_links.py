from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessments.models import Organisation
from itaportal import thai
from itaportal.commands import filter_by_organisation
from reports.oit import links
from reports.oit.models import OitEntry

# Entries handed to the checker at a time: its thread pool works across organisations.
CHUNK = 500


class Command(BaseCommand):
    help = (
        "Check the addresses of OIT checklists (each item's page and evidence links) and keep the "
        "results. By default every organisation's checklist of the year being assessed, only the "
        "items due for a check: once a day, every 6 hours in the week before the OIT deadline. "
        "Run it every 3 hours from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org-name")
        parser.add_argument("--province")
        parser.add_argument("--year", help="assessed fiscal year (B.E.); default: the current one")
        parser.add_argument(
            "--all", action="store_true", help="check every item now, however recent its check"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["org_name"] or options["province"]:
            named = Organisation.objects.all()
            if options["org_name"]:
                named = named.filter(name=options["org_name"])
            if options["province"]:
                named = named.filter(province=options["province"])
            if not named.exists():
                raise CommandError("no organisation of that name and province")
        entries = OitEntry.objects.all()
        if options["year"]:
            try:
                entries = entries.filter(fiscal_year=thai.parse_year(options["year"]))
            except ValueError as exc:
                raise CommandError(f"--year: {options['year']!r} is not a year") from exc
        else:
            entries = links.entries_current(timezone.localdate(now))
        entries = filter_by_organisation(entries, options)
        if not options["all"]:
            entries = links.entries_stale(entries, now=now)
        ids = list(entries.order_by("organisation_id", "pk").values_list("pk", flat=True))
        total = links.ChecksSummary(entries=0, addresses=0, healthy=0)
        for start in range(0, len(ids), CHUNK):
            chunk = OitEntry.objects.filter(pk__in=ids[start : start + CHUNK])
            total += links.entries_check(entries=chunk)
        self.stdout.write(
            f"{total.addresses} addresses of {total.entries} items checked: "
            f"{total.healthy} healthy, {total.broken} broken."
        )
