from typing import Any

from django.core.management.base import BaseCommand

from assessments.models import YearSummary
from measures.summaries import summaries_rebuild


class Command(BaseCommand):
    help = (
        "Write the kept figures of every organisation's years (results, plan coverage, the day "
        "each measure turns overdue) again from scratch."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summaries_rebuild()
        self.stdout.write(f"{YearSummary.objects.count()} summaries written.")
