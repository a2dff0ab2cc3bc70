from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from assessments.demo import demo_load, demo_password
from measures.demo import demo_plans_load
from reports.demo import demo_committees_load, demo_memos_load


class Command(BaseCommand):
    help = "Load the seed organisations with their published years, plans and one account per role."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            accounts = demo_load()
            plans = demo_plans_load()
            demo_committees_load()
            demo_memos_load()
        new = sum(a.created for a in accounts)
        self.stdout.write(
            f"Demo data ready ({new} accounts and {plans} plans created). "
            f"Password for every account: {demo_password()}"
        )
        width = max(len(a.username) for a in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.role:<22}  {account.organisation}"
            )
