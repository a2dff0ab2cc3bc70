from typing import Any

from django.core.management.base import BaseCommand

from assessments.demo import demo_load, demo_password


class Command(BaseCommand):
    help = "Load the seed organisations, their published ITA years and one demo account per role."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_load()
        new = sum(a.created for a in accounts)
        self.stdout.write(
            f"Demo data ready ({new} accounts created). Password for every account: "
            f"{demo_password()}"
        )
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.role:<22}  {account.organisation}"
            )
