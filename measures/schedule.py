"""When a measure runs, how it reads the Thai way, and when it is late: pure functions, no database.

A measure runs from a start month to an end month inside its fiscal year, or the whole fiscal year.
It is overdue when its end month has passed and it is not done, or when no progress was recorded
within its follow-up cadence. Fiscal year B.E. N runs 1 October (N-544 A.D.) to 30 September
(N-543 A.D.).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from itaportal import thai
from measures.status import CLOSED_STATUSES, MeasureStatus


class Cadence(StrEnum):
    NONE = "none"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"


# Longest gap between two progress records before a follow-up is late.
CADENCE_DAYS = {
    Cadence.MONTHLY: 31,
    Cadence.QUARTERLY: 92,
    Cadence.SEMIANNUAL: 183,
    Cadence.ANNUAL: 366,
}


def fiscal_year_start(fiscal_year: int) -> dt.date:
    return dt.date(thai.ad_year(fiscal_year) - 1, 10, 1)


def fiscal_year_end(fiscal_year: int) -> dt.date:
    return dt.date(thai.ad_year(fiscal_year), 9, 30)


def fiscal_year_of(day: dt.date) -> int:
    return thai.be_year(day.year) + (1 if day.month >= 10 else 0)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def months_of_fiscal_year(fiscal_year: int) -> list[dt.date]:
    """The twelve months, October to September, as first days."""
    first = fiscal_year_start(fiscal_year)
    months = []
    for i in range(12):
        year = first.year + (first.month - 1 + i) // 12
        month = (first.month - 1 + i) % 12 + 1
        months.append(dt.date(year, month, 1))
    return months


@dataclass(frozen=True)
class Timeline:
    fiscal_year: int
    start: dt.date | None  # first day of the start month; None with end None = whole year
    end: dt.date | None

    @property
    def whole_year(self) -> bool:
        return self.start is None and self.end is None

    @property
    def first_day(self) -> dt.date:
        return self.start or fiscal_year_start(self.fiscal_year)

    @property
    def last_day(self) -> dt.date:
        return month_end(self.end) if self.end else fiscal_year_end(self.fiscal_year)

    def text(self, thai_digits: bool = True) -> str:
        """'ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙', 'ม.ค. – มิ.ย. ๒๕๖๖' or 'ต.ค. ๖๕ – มี.ค. ๖๖'."""
        if self.whole_year:
            return thai.digits(f"ตลอดปีงบประมาณ พ.ศ. {self.fiscal_year}", thai_digits)
        start = self.first_day
        end = self.end or fiscal_year_end(self.fiscal_year).replace(day=1)
        start_be, end_be = thai.be_year(start.year), thai.be_year(end.year)
        start_name, end_name = thai.SHORT_MONTHS[start.month - 1], thai.SHORT_MONTHS[end.month - 1]
        if (start.year, start.month) == (end.year, end.month):
            text = f"{start_name} {start_be}"
        elif start_be == end_be:
            text = f"{start_name} – {end_name} {end_be}"
        else:
            text = f"{start_name} {start_be % 100:02d} – {end_name} {end_be % 100:02d}"
        return thai.digits(text, thai_digits)


def timeline_errors(timeline: Timeline) -> list[str]:
    """What is wrong with a timeline, as codes the form turns into messages."""
    errors = []
    if (timeline.start is None) != (timeline.end is None):
        errors.append("half_open")
    first, last = fiscal_year_start(timeline.fiscal_year), fiscal_year_end(timeline.fiscal_year)
    for month in (timeline.start, timeline.end):
        if month is not None and not first <= month <= last:
            errors.append("outside_year")
            break
    if timeline.start and timeline.end and timeline.start > timeline.end:
        errors.append("reversed")
    return errors


def last_follow_up(timeline: Timeline, progress_dates: Iterable[dt.date]) -> dt.date:
    """The day follow-up was last recorded, or the measure's start when nothing was recorded."""
    return max(progress_dates, default=timeline.first_day)


def next_follow_up(
    timeline: Timeline, cadence: Cadence, progress_dates: Iterable[dt.date]
) -> dt.date | None:
    if cadence not in CADENCE_DAYS:
        return None
    due = last_follow_up(timeline, progress_dates) + dt.timedelta(days=CADENCE_DAYS[cadence])
    return min(due, timeline.last_day)


@dataclass(frozen=True)
class Lateness:
    past_end: bool
    follow_up_missed: bool
    next_follow_up: dt.date | None

    @property
    def overdue(self) -> bool:
        return self.past_end or self.follow_up_missed


def lateness(
    timeline: Timeline,
    *,
    status: str,
    cadence: Cadence,
    progress_dates: list[dt.date],
    today: dt.date,
) -> Lateness:
    """Is the measure late today? Closed measures (done, cancelled) never are."""
    if status in CLOSED_STATUSES:
        return Lateness(False, False, None)
    past_end = today > timeline.last_day
    due = next_follow_up(timeline, cadence, progress_dates)
    missed = due is not None and timeline.first_day <= today and today > due
    return Lateness(past_end, missed and not past_end, due)


def overdue_from(
    timeline: Timeline, *, status: str, cadence: Cadence, progress_dates: list[dt.date]
) -> dt.date | None:
    """The first day `lateness` calls the measure overdue, as long as nothing is recorded or
    changed: the day after its end, or after a missed follow-up once it has started. None for
    closed measures, which never are."""
    if status in CLOSED_STATUSES:
        return None
    day = timeline.last_day + dt.timedelta(days=1)
    due = next_follow_up(timeline, cadence, progress_dates)
    if due is not None:
        day = min(day, max(timeline.first_day, due + dt.timedelta(days=1)))
    return day


def due_within(lateness_: Lateness, today: dt.date, days: int = 7) -> bool:
    """A follow-up falls due in the coming `days` (and is not yet missed)."""
    due = lateness_.next_follow_up
    return due is not None and not lateness_.overdue and today <= due <= today + dt.timedelta(days)


@dataclass(frozen=True)
class Tally:
    """How a plan's measures stand on one day: what a progress report or memo counts."""

    done: int
    in_progress: int
    not_started: int
    cancelled: int
    past_end: int  # open measures whose end month has passed
    follow_up_missed: int  # open measures with no progress recorded within their cadence
    carried_forward: int = 0  # carried into next year's plan, to be carried out there

    @property
    def total(self) -> int:
        return (
            self.done + self.in_progress + self.not_started + self.cancelled + self.carried_forward
        )

    @property
    def live(self) -> int:
        """The measures still meant to be carried out in this plan: all but the cancelled ones
        and those carried into next year's."""
        return self.total - self.cancelled - self.carried_forward

    @property
    def overdue(self) -> int:
        return self.past_end + self.follow_up_missed


def tally(measures: Iterable[tuple[str, Lateness]]) -> Tally:
    """Count (status, lateness) pairs, as measures.selectors.MeasureRow gives them."""
    statuses: Counter[str] = Counter()
    past_end = missed = 0
    for status, late in measures:
        statuses[status] += 1
        past_end += late.past_end
        missed += late.follow_up_missed
    return Tally(
        done=statuses[MeasureStatus.DONE],
        in_progress=statuses[MeasureStatus.IN_PROGRESS],
        not_started=statuses[MeasureStatus.NOT_STARTED],
        cancelled=statuses[MeasureStatus.CANCELLED],
        carried_forward=statuses[MeasureStatus.CARRIED_FORWARD],
        past_end=past_end,
        follow_up_missed=missed,
    )


# NACC's calendar: registration January-February, OIT answers March-April, scoring in May.
OIT_ANSWERS_DUE = (4, 30)


def oit_answers_due(fiscal_year: int) -> dt.date:
    """The last day to answer the OIT in ITAS for an assessed fiscal year: the end of April of
    its calendar year (FY 2569: 30 April 2026); an OIT checklist item's default due date."""
    month, day = OIT_ANSWERS_DUE
    return dt.date(thai.ad_year(fiscal_year), month, day)
