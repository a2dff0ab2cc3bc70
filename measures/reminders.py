"""Who gets reminded of what: overdue measures and follow-ups due in the coming week."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from itaportal.accounts.models import User
from measures.models import Measure
from measures.selectors import MeasureRow, measure_row, measures_with_detail
from measures.status import CLOSED_STATUSES


@dataclass
class Reminder:
    user: User
    overdue: list[MeasureRow] = field(default_factory=list)
    due_soon: list[MeasureRow] = field(default_factory=list)


def reminders_due(today: dt.date) -> list[Reminder]:
    measures = measures_with_detail(
        Measure.objects.exclude(status__in=CLOSED_STATUSES).filter(owners__isnull=False)
    ).distinct()
    by_user: dict[int, Reminder] = {}
    for measure in measures:
        row = measure_row(measure, today)
        if not (row.lateness.overdue or row.due_soon):
            continue
        for owner in measure.owners.all():
            reminder = by_user.setdefault(owner.pk, Reminder(owner))
            (reminder.overdue if row.lateness.overdue else reminder.due_soon).append(row)
    return list(by_user.values())


def reminders_send(reminders: list[Reminder], today: dt.date) -> tuple[int, list[str]]:
    """E-mail each owner; returns the number sent and the usernames that have no address."""
    sent, skipped = 0, []
    grouped: dict[bool, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        grouped[bool(reminder.user.email)].append(reminder)
    skipped = [r.user.get_username() for r in grouped[False]]
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in grouped[True]:
            context = {"reminder": reminder, "today": today}
            send_mail(
                subject=render_to_string("measures/email/reminder_subject.txt", context).strip(),
                message=render_to_string("measures/email/reminder.txt", context),
                from_email=None,
                recipient_list=[reminder.user.email],
            )
            sent += 1
    return sent, skipped
