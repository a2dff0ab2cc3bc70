"""The seed's committee order (seed 004) as demo data (fixtures/demo/committees.json)."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction

from assessments.demo import DEMO_DIR
from assessments.models import Organisation

from .models import Committee
from .services import committee_create


@transaction.atomic
def demo_committees_load() -> int:
    spec = json.loads((DEMO_DIR / "committees.json").read_text(encoding="utf-8"))
    created = 0
    for item in spec["committees"]:
        organisation = Organisation.objects.get(name=item["org_name"], province=item["province"])
        if Committee.objects.filter(
            organisation=organisation, number_year=item["number_year"], number=item["number"]
        ).exists():
            continue
        data = {**item, "issued_on": dt.date.fromisoformat(item["issued_on"])}
        committee_create(
            organisation=organisation,
            data=data,
            members=[
                {k: m[k] for k in ("group", "name", "position", "role")} for m in item["members"]
            ],
            number=item["number"],
        )
        created += 1
    return created


@transaction.atomic
def demo_memos_load() -> int:
    """The seeds' memos as decided records, frozen with their attachments as they print now."""
    from django.utils import timezone

    from itaportal.accounts.models import User

    from .memo_document import render_attachment
    from .memos import _freeze, memo_assign_number, memo_content
    from .models import Memo, MemoEvent, MemoStep, MemoVersion

    spec = json.loads((DEMO_DIR / "memos.json").read_text(encoding="utf-8"))
    created = 0
    for item in spec["memos"]:
        organisation = Organisation.objects.get(name=item["org_name"], province=item["province"])
        dated = dt.date.fromisoformat(item["dated"])
        if Memo.objects.filter(
            organisation=organisation, number=item["number"], number_year=dated.year + 543
        ).exists():
            continue
        fields = {k: item[k] for k in ("unit", "subject", "addressee", "background", "facts",
                                       "considerations", "proposal", "closing", "drafter_name",
                                       "drafter_position", "attachments")}  # fmt: skip
        memo = Memo(organisation=organisation, drafter=User.objects.get(username=item["drafter"]))
        for key, value in fields.items():
            setattr(memo, key, value)
        memo_assign_number(memo, today=dated, number=item["number"])
        memo.status = Memo.Status.APPROVED
        memo.save()
        MemoVersion.objects.create(memo=memo, version=1, content=memo_content(memo))
        last_day = dated
        for order, step in enumerate(item["steps"]):
            user = User.objects.get(username=step["user"])
            acted = dt.date.fromisoformat(step["acted_on"])
            last_day = acted
            MemoStep.objects.create(
                memo=memo, version=1, order=order, user=user, position=user.position,
                acting_title=step["acting_title"], status=step["status"], opinion=step["opinion"],
                kind="decide" if order == len(item["steps"]) - 1 else "review",
                acted_at=timezone.make_aware(dt.datetime.combine(acted, dt.time(10))),
            )  # fmt: skip
            action = "approve" if step["status"] == "approved" else "forward"
            event = MemoEvent.objects.create(memo=memo, user=user, action=action, detail="demo")
            # the trail keeps the seed's dates, as the chain does
            MemoEvent.objects.filter(pk=event.pk).update(
                at=timezone.make_aware(dt.datetime.combine(acted, dt.time(10)))
            )
        memo.decided_at = timezone.make_aware(dt.datetime.combine(last_day, dt.time(10)))
        memo.save(update_fields=["decided_at"])
        _freeze(memo, render_attachment)
        created += 1
    return created
