from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from itaportal import thai
from reports.oit.reminders import REMIND_DAYS, reminders_due, reminders_send


class Command(BaseCommand):
    help = (
        "E-mail (and LINE) the people of each organisation about OIT checklist items due soon "
        "and not ready, with a broken link, or with evidence of an older year than the item "
        "needs; each item once a day at most (run daily from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", default=str(REMIND_DAYS), help=f"due within N days (default {REMIND_DAYS})"
        )
        parser.add_argument("--date", help="Pretend today is this date (YYYY-MM-DD, B.E. or A.D.).")
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["date"]:
            try:
                today = thai.parse_iso_date(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date: {options['date']} is not YYYY-MM-DD") from exc
        try:
            days = int(thai.parse_number(options["days"]))
        except ValueError as exc:
            raise CommandError(f"--days: {options['days']!r} is not a number of days") from exc
        if days < 0:
            raise CommandError(f"--days: {options['days']!r} is not a number of days")
        reminders = reminders_due(today, days=days)
        if options["dry_run"]:
            for reminder in reminders:
                codes = ", ".join(notice.entry.item.code for notice in reminder.notices)
                self.stdout.write(f"{reminder.user.get_username()}: {codes}")
            return
        sent = reminders_send(reminders, today)
        self.stdout.write(
            f"{sent.items} items reminded of: {sent.emails} e-mails, "
            f"{sent.line_messages} LINE messages."
        )
        if sent.without_address:
            self.stdout.write(
                f"No e-mail address or LINE ID, not reminded: {', '.join(sent.without_address)}"
            )
