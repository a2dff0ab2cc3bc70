"""Timelines, the Thai way of writing them, and lateness, with no database."""

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from measures.schedule import (
    Cadence,
    Timeline,
    due_within,
    fiscal_year_end,
    fiscal_year_of,
    fiscal_year_start,
    lateness,
    months_of_fiscal_year,
    oit_answers_due,
    overdue_from,
    tally,
    timeline_errors,
)
from measures.status import MeasureStatus

D = dt.date


def test_it_places_fiscal_years():
    assert fiscal_year_start(2566) == D(2022, 10, 1)
    assert fiscal_year_end(2566) == D(2023, 9, 30)
    assert fiscal_year_of(D(2022, 9, 30)) == 2565
    assert fiscal_year_of(D(2022, 10, 1)) == 2566
    months = months_of_fiscal_year(2566)
    assert months[0] == D(2022, 10, 1) and months[-1] == D(2023, 9, 1) and len(months) == 12


def test_oit_answers_are_due_at_the_end_of_april_of_the_assessed_year():
    assert oit_answers_due(2569) == D(2026, 4, 30)
    assert fiscal_year_of(oit_answers_due(2569)) == 2569


@pytest.mark.parametrize(
    ("start", "end", "thai", "arabic"),
    [
        (None, None, "ตลอดปีงบประมาณ พ.ศ. ๒๕๖๙", "ตลอดปีงบประมาณ พ.ศ. 2569"),
        (D(2023, 1, 1), D(2023, 6, 1), "ม.ค. – มิ.ย. ๒๕๖๖", "ม.ค. – มิ.ย. 2566"),
        (D(2022, 10, 1), D(2023, 3, 1), "ต.ค. ๖๕ – มี.ค. ๖๖", "ต.ค. 65 – มี.ค. 66"),
        (D(2022, 12, 1), D(2023, 1, 1), "ธ.ค. ๖๕ – ม.ค. ๖๖", "ธ.ค. 65 – ม.ค. 66"),
        (D(2022, 10, 1), D(2022, 12, 1), "ต.ค. – ธ.ค. ๒๕๖๕", "ต.ค. – ธ.ค. 2565"),
        (D(2023, 9, 1), D(2023, 9, 1), "ก.ย. ๒๕๖๖", "ก.ย. 2566"),
    ],
)
def test_it_writes_month_ranges_across_the_fiscal_year_boundary(start, end, thai, arabic):
    year = 2569 if start is None else 2566
    timeline = Timeline(year, start, end)
    assert timeline.text(thai_digits=True) == thai
    assert timeline.text(thai_digits=False) == arabic


def test_it_finds_what_is_wrong_with_a_timeline():
    assert timeline_errors(Timeline(2566, D(2023, 1, 1), D(2023, 6, 1))) == []
    assert timeline_errors(Timeline(2566, None, None)) == []
    assert "half_open" in timeline_errors(Timeline(2566, D(2023, 1, 1), None))
    assert "reversed" in timeline_errors(Timeline(2566, D(2023, 6, 1), D(2023, 1, 1)))
    assert "outside_year" in timeline_errors(Timeline(2566, D(2023, 9, 1), D(2023, 10, 1)))


def late(start, end, *, status="in_progress", cadence=Cadence.NONE, progress=(), today):
    return lateness(
        Timeline(2566, start, end),
        status=status,
        cadence=cadence,
        progress_dates=list(progress),
        today=today,
    )


def test_it_is_overdue_the_day_after_its_end_month():
    start, end = D(2023, 1, 1), D(2023, 3, 1)
    assert not late(start, end, today=D(2023, 3, 31)).overdue
    assert late(start, end, today=D(2023, 4, 1)).past_end


def test_it_is_never_overdue_once_done_or_cancelled():
    for status in ("done", "cancelled"):
        assert not late(D(2023, 1, 1), D(2023, 3, 1), status=status, today=D(2024, 1, 1)).overdue


def test_it_runs_the_whole_year_until_the_end_of_september():
    assert not late(None, None, today=D(2023, 9, 30)).overdue
    assert late(None, None, today=D(2023, 10, 1)).past_end


def test_it_is_overdue_when_a_monthly_follow_up_is_missed():
    start, end = D(2022, 10, 1), D(2023, 9, 1)
    kwargs = {"cadence": Cadence.MONTHLY}
    assert not late(start, end, today=D(2022, 11, 1), **kwargs).overdue  # 31 days after 1 Oct
    assert late(start, end, today=D(2022, 11, 2), **kwargs).follow_up_missed
    recorded = late(start, end, progress=[D(2022, 12, 15)], today=D(2023, 1, 10), **kwargs)
    assert not recorded.overdue and recorded.next_follow_up == D(2023, 1, 15)
    assert late(start, end, progress=[D(2022, 12, 15)], today=D(2023, 1, 16), **kwargs).overdue


def test_it_waits_for_a_measure_that_has_not_started():
    assert not late(
        D(2023, 4, 1), D(2023, 6, 1), cadence=Cadence.MONTHLY, today=D(2023, 1, 1)
    ).overdue


def test_it_finds_follow_ups_due_this_week():
    lat = late(
        D(2022, 10, 1), D(2023, 9, 1), cadence=Cadence.QUARTERLY, progress=[D(2023, 1, 1)],
        today=D(2023, 3, 30),
    )  # fmt: skip
    assert lat.next_follow_up == D(2023, 4, 3)
    assert due_within(lat, D(2023, 3, 30))
    assert not due_within(lat, D(2023, 3, 20))


def test_it_tallies_a_plan_by_status_and_lateness():
    today = D(2023, 10, 2)  # fiscal year 2566 has ended
    plan = [
        ("done", late(None, None, status="done", today=today)),
        ("in_progress", late(None, None, status="in_progress", today=today)),
        ("not_started", late(D(2023, 8, 1), D(2023, 9, 1), today=D(2023, 8, 2))),
        ("not_started", late(None, None, cadence=Cadence.MONTHLY, today=D(2022, 11, 5))),
        ("cancelled", late(None, None, status="cancelled", today=today)),
    ]
    counted = tally(plan)
    assert (counted.done, counted.in_progress, counted.not_started, counted.cancelled) == (
        1,
        1,
        2,
        1,
    )
    assert counted.total == 5 and counted.live == 4
    assert (counted.past_end, counted.follow_up_missed, counted.overdue) == (1, 1, 2)


@given(
    start=st.integers(0, 11),
    length=st.integers(0, 11),
    whole_year=st.booleans(),
    status=st.sampled_from([s.value for s in MeasureStatus]),
    cadence=st.sampled_from(list(Cadence)),
    progress=st.lists(st.integers(0, 500), max_size=3),
    today=st.integers(-30, 800),
)
@example(  # follow-up recorded before the start: the measure is not late before it starts
    start=6, length=2, whole_year=False, status="not_started", cadence=Cadence.MONTHLY,
    progress=[10], today=100,
)  # fmt: skip
def test_the_kept_overdue_day_agrees_with_lateness_on_every_day(
    start: int,
    length: int,
    whole_year: bool,
    status: str,
    cadence: Cadence,
    progress: list[int],
    today: int,
) -> None:
    """Measure.overdue_from is kept so that a page counts overdue measures in the database:
    `today >= overdue_from` must be exactly what lateness says, whatever the day."""
    first = fiscal_year_start(2566)
    months = months_of_fiscal_year(2566)
    end = months[min(start + length, 11)]
    timeline = Timeline(2566, None, None) if whole_year else Timeline(2566, months[start], end)
    dates = [first + dt.timedelta(days) for days in progress]
    day = first + dt.timedelta(today)
    late = lateness(timeline, status=status, cadence=cadence, progress_dates=dates, today=day)
    turns = overdue_from(timeline, status=status, cadence=cadence, progress_dates=dates)
    assert late.overdue == (turns is not None and day >= turns)
