from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from itaportal import thai
from measures.reminders import reminders_due, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail owners about overdue measures and follow-ups due this week (run daily from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD, B.E. or A.D.).")
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = thai.parse_iso_date(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {options['date']} is not YYYY-MM-DD") from exc
        reminders = reminders_due(today)
        if options["dry_run"]:
            for r in reminders:
                self.stdout.write(
                    f"{r.user.get_username()}: {len(r.overdue)} overdue, {len(r.due_soon)} due soon"
                )
            return
        sent, skipped = reminders_send(reminders, today)
        self.stdout.write(f"{sent} reminders sent.")
        if skipped:
            self.stdout.write(f"No e-mail address, not reminded: {', '.join(skipped)}")
