"""Reminders of the OIT checklist, by e-mail and LINE: items due soon and not ready, items whose
link failed its latest check, and items that need evidence of the assessed year but hold an
older year's. Each item is reminded of once a day at most (OitEntry.reminded_on).

An item's owner is a name people typed, not an account: the organisation's staff hear of every
item, and a person of the organisation whose name is the owner's hears of the items they own.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.models import Item, Organisation
from itaportal import thai
from itaportal.accounts.models import Role, User
from reports.memos.notify import line_send
from reports.oit import years
from reports.oit.links import entries_current
from reports.oit.models import LinkCheck, OitEntry, OitEvidence, OitStatus
from reports.oit.selectors import latest_address_checks

log = logging.getLogger(__name__)

REMIND_DAYS = 7  # items due within this many days (or overdue) and not ready
NOT_READY = (OitStatus.NOT_STARTED, OitStatus.IN_PROGRESS)
LINE_TEXT_LIMIT = 5000  # characters of one LINE text message


@dataclass
class ItemNotice:
    """One item and what is wrong with it, in Thai."""

    entry: OitEntry
    reasons: list[str]


@dataclass
class OitReminder:
    user: User
    organisation: Organisation
    fiscal_year: int
    notices: list[ItemNotice] = field(default_factory=list)


@dataclass(frozen=True)
class RemindersSent:
    items: int
    emails: int
    line_messages: int
    without_address: list[str]


def _name(text: str) -> str:
    return " ".join(text.split())


def _reasons(
    entry: OitEntry,
    checks: dict[tuple[int, int | None], LinkCheck],
    today: dt.date,
    soon: dt.date,
) -> list[str]:
    digits = entry.organisation.uses_thai_digits
    reasons = []
    if entry.due_on and entry.due_on <= soon and entry.status in NOT_READY:
        date = thai.date_be(entry.due_on, digits)
        if entry.due_on < today:
            reasons.append(_("Was due on %(date)s and is not ready yet.") % {"date": date})
        else:
            reasons.append(_("Due on %(date)s and not ready yet.") % {"date": date})
    page = checks.get((entry.pk, None))
    if page and not page.ok:
        reasons.append(
            _("The page %(url)s: %(problem)s") % {"url": page.url, "problem": page.problem}
        )
    evidence = list(entry.evidence.all())
    for piece in evidence:
        check = checks.get((entry.pk, piece.pk))
        if check and not check.ok:
            reasons.append(
                _("The link of “%(title)s” (%(url)s): %(problem)s")
                % {
                    "title": thai.typed_digits(piece.title, digits),
                    "url": check.url,
                    "problem": check.problem,
                }
            )
    required = years.required_year(entry.item.evidence_year, entry.fiscal_year)
    if required != entry.fiscal_year:
        return reasons
    found_years = [(_("the item's page"), page.year_found if page else None)] + [
        (
            f"“{thai.typed_digits(piece.title, digits)}”",
            piece.document_year or getattr(checks.get((entry.pk, piece.pk)), "year_found", None),
        )
        for piece in evidence
    ]
    for what, found in found_years:
        if found and found < required:
            reasons.append(
                _("%(what)s is of fiscal year %(found)s, but this item needs %(required)s.")
                % {
                    "what": what,
                    "found": thai.year_be(found, digits),
                    "required": thai.year_be(required, digits),
                }
            )
    return reasons


def _candidates(today: dt.date, soon: dt.date) -> list[OitEntry]:
    """The items of the year being assessed that may need a reminder today (the database's
    rough cut; _reasons decides)."""
    failed = Exists(LinkCheck.objects.filter(entry=OuterRef("pk"), ok=False))
    older_evidence = Exists(
        OitEvidence.objects.filter(entry=OuterRef("pk"), document_year__lt=OuterRef("fiscal_year"))
    )
    older_found = Exists(
        LinkCheck.objects.filter(entry=OuterRef("pk"), year_found__lt=OuterRef("fiscal_year"))
    )
    wants_this_year = Q(item__evidence_year=Item.EvidenceYear.ASSESSED)
    return list(
        entries_current(today)
        .exclude(reminded_on=today)
        .filter(
            Q(due_on__lte=soon, status__in=NOT_READY)
            | failed
            | (wants_this_year & (older_evidence | older_found))
        )
        .select_related("organisation", "item")
        .prefetch_related("evidence")
        .order_by("organisation_id", "item__indicator_id", "item__order", "item_id")
    )


def reminders_due(today: dt.date, *, days: int = REMIND_DAYS) -> list[OitReminder]:
    """Who is to be reminded of which items today: the organisation's staff of all of them, any
    other person of the organisation of the items whose owner bears their name."""
    soon = today + dt.timedelta(days=days)
    entries = _candidates(today, soon)
    with translation.override(settings.LANGUAGE_CODE):
        checks = latest_address_checks(entries)
        by_org: dict[int | None, list[ItemNotice]] = defaultdict(list)
        for entry in entries:
            reasons = _reasons(entry, checks, today, soon)
            if reasons:
                by_org[entry.organisation_id].append(ItemNotice(entry, reasons))
    reminders: list[OitReminder] = []
    people = User.objects.filter(
        organisation_id__in=[org for org in by_org if org], is_active=True
    ).order_by("pk")
    for person in people:
        notices = by_org[person.organisation_id]
        if person.role != Role.STAFF:
            names = {_name(person.get_full_name()), _name(person.formal_name)} - {""}
            notices = [n for n in notices if _name(n.entry.owner) in names]
        if notices:
            first = notices[0].entry
            reminders.append(
                OitReminder(person, first.organisation, first.fiscal_year, list(notices))
            )
    return reminders


def reminder_text(reminder: OitReminder) -> tuple[str, str]:
    """The subject and the text of a reminder, in Thai, numbers in the organisation's digits."""
    organisation, digits = reminder.organisation, reminder.organisation.uses_thai_digits
    year = thai.year_be(reminder.fiscal_year, digits)
    subject = _(
        "OIT checklist of %(organisation)s, fiscal year %(year)s: %(count)s items need attention"
    ) % {
        "organisation": organisation.name,
        "year": year,
        "count": thai.digits(len(reminder.notices), digits),
    }
    lines = [
        _("Dear %(name)s,") % {"name": reminder.user.formal_name},
        "",
        _("These items of the OIT checklist of fiscal year %(year)s need attention:")
        % {"year": year},
    ]
    for notice in reminder.notices:
        item = notice.entry.item
        code = _("item %(code)s") % {"code": thai.digits(item.code, digits)}
        lines.append("")
        lines.append(f"{code} {thai.typed_digits(item.title, digits)}".strip())
        lines.extend(f"  - {reason}" for reason in notice.reasons)
    page = reverse("reports:oit_checklist", args=[organisation.pk, reminder.fiscal_year])
    lines += [
        "",
        _("Open the checklist in the ITA Portal: %(url)s") % {"url": settings.SITE_URL + page},
    ]
    return subject, "\n".join(lines) + "\n"


def _claim(reminders: list[OitReminder], today: dt.date) -> set[int]:
    """Mark today's items reminded before anything is sent, so that a second run the same day
    (or one running alongside) repeats none of them."""
    ids = {notice.entry.pk for reminder in reminders for notice in reminder.notices}
    with transaction.atomic():
        claimed = set(
            OitEntry.objects.select_for_update()
            .filter(pk__in=ids)
            .exclude(reminded_on=today)
            .values_list("pk", flat=True)
        )
        OitEntry.objects.filter(pk__in=claimed).update(reminded_on=today)
    return claimed


def reminders_send(reminders: list[OitReminder], today: dt.date) -> RemindersSent:
    """E-mail each person (and push to their LINE ID when they have one and a channel is set).
    A mail server that refuses one message is logged; the others still go."""
    claimed = _claim(reminders, today)
    emails = line_messages = 0
    without_address = []
    with translation.override(settings.LANGUAGE_CODE):
        for reminder in reminders:
            reminder.notices = [n for n in reminder.notices if n.entry.pk in claimed]
            if not reminder.notices:
                continue
            subject, text = reminder_text(reminder)
            user = reminder.user
            if user.email:
                try:
                    send_mail(subject, text, None, [user.email])
                    emails += 1
                except Exception:  # SMTP refusals and network errors alike: the rest still go
                    log.exception("OIT reminder to %s not sent", user.email)
            if user.line_id and settings.LINE_CHANNEL_ACCESS_TOKEN:
                line_send(user.line_id, f"{subject}\n\n{text}"[:LINE_TEXT_LIMIT], str(uuid.uuid4()))
                line_messages += 1
            if not user.email and not user.line_id:
                without_address.append(user.get_username())
    return RemindersSent(len(claimed), emails, line_messages, without_address)
