"""The demo data: the seed organisations, their published years and one account per role."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from itaportal.accounts.models import Role, User

from .importing import parse_scores_file
from .models import Assessment, Organisation
from .selectors import FrameworkCatalogue
from .services import assessment_import

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str
    created: bool


@transaction.atomic
def demo_load() -> list[DemoAccount]:
    """Create what is missing; running it again changes nothing."""
    spec = json.loads((DEMO_DIR / "organisations.json").read_text(encoding="utf-8"))
    organisations = {}
    for item in spec["organisations"]:
        fields = {k: v for k, v in item.items() if k not in ("slug", "name", "province")}
        org, _ = Organisation.objects.get_or_create(
            name=item["name"], province=item["province"], defaults=fields
        )
        organisations[item["slug"]] = org

    csv_path = DEMO_DIR / "seed-scores.csv"
    rows = parse_scores_file(
        csv_path.name, csv_path.read_bytes(), FrameworkCatalogue().rules_for_year
    )
    present = set(Assessment.objects.values_list("organisation__name", "fiscal_year"))
    missing = [row for row in rows if (row.org_name, row.fiscal_year) not in present]
    if missing:
        assessment_import(rows=missing)

    accounts = []
    password = spec["password"]
    for slug, org in organisations.items():
        for role in spec["roles"]:
            username = f"{slug}-{role['role'].replace('_', '')}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "organisation": org,
                    "role": role["role"],
                    "first_name": role["first_name"],
                    "last_name": role["last_name"],
                    "position": role["position"],
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            accounts.append(DemoAccount(username, user.get_role_display(), org.name, created))
    for sup in spec["supervisors"]:
        user, created = User.objects.get_or_create(
            username=sup["username"],
            defaults={
                "role": Role.SUPERVISOR,
                "first_name": sup["first_name"],
                "position": sup["position"],
                "supervised_province": sup["province"],
                "supervised_district": sup["district"],
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        accounts.append(
            DemoAccount(user.username, user.get_role_display(), sup["province"], created)
        )
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "role": Role.ORG_ADMIN}
    )
    if created:
        admin.set_password(password)
        admin.save(update_fields=["password"])
    accounts.append(DemoAccount("admin", "superuser", "Django admin", created))
    return accounts


def demo_password() -> str:
    spec = json.loads((DEMO_DIR / "organisations.json").read_text(encoding="utf-8"))
    return str(spec["password"])
