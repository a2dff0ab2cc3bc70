"""export_measures (INTERFACES.md), the reminders command, and the seeds' plans in the demo."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from measures.models import Measure, MeasurePlan
from measures.schedule import fiscal_year_of

pytestmark = pytest.mark.django_db


def export(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("export_measures", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_exports_a_plan_as_interfaces_md_says(measure, progress):
    [record] = export("--org-name", "เทศบาลตำบลบางเก่า", "--year", "2566")
    assert record["based_on_year"] == 2565
    assert record["uncovered_indicators"] == [1, 2, 3, 4, 5, 8, 6, 7]
    [item] = record["measures"]
    assert item["indicators"] == [9, 10]
    assert item["start"] == "2023-01" and item["end"] == "2023-03"
    assert item["timeline_text"] == "ม.ค. – มี.ค. ๒๕๖๖"
    assert item["progress"] == [{"date": "2023-01-31", "done": "ประชุมชี้แจง", "outcome": ""}]
    assert item["overdue"] is True  # today is long past March 2023
    assert item["status"] == "not_started"


def test_it_exports_csv(measure):
    measure.progress.create(date=dt.date(2023, 1, 31), done="ประชุมชี้แจง")
    out = io.StringIO()
    call_command("export_measures", "--format", "csv", stdout=out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["org_name"], row["fiscal_year"], row["order"]) == ("เทศบาลตำบลบางเก่า", "2566", "1")
    assert (row["title"], row["indicators"]) == ("มาตรการเผยแพร่ข้อมูลต่อสาธารณะ", "9 10")
    assert (row["start"], row["end"]) == ("2023-01", "2023-03")
    assert row["timeline_text"] == "ม.ค. – มี.ค. ๒๕๖๖"
    assert (row["progress_count"], row["last_progress_date"]) == ("1", "2023-01-31")


def test_it_reminds_owners_of_overdue_measures(measure, staff, reviewer):
    staff.email = "staff@example.org"
    staff.save()
    measure.owners.add(staff, reviewer)  # the reviewer has no address
    out = io.StringIO()
    call_command("send_reminders", "--date", "2023-04-05", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["staff@example.org"]
    assert measure.title in message.body and "เลยกำหนด" in message.subject + message.body
    assert "reviewer" in out.getvalue()


@pytest.mark.parametrize(
    ("digit_style", "subject", "title"),
    [
        ("thai", "เลยกำหนด ๑ มาตรการ", "ประชุมชี้แจง ๒ ครั้ง"),
        ("arabic", "เลยกำหนด 1 มาตรการ", "ประชุมชี้แจง 2 ครั้ง"),
    ],
)
def test_the_reminder_writes_numbers_in_the_organisations_digits(
    measure, staff, digit_style, subject, title
):
    organisation = measure.plan.organisation
    organisation.digit_style = digit_style
    organisation.save()
    measure.title = "ประชุมชี้แจง 2 ครั้ง"
    measure.save()
    staff.email = "staff@example.org"
    staff.save()
    measure.owners.add(staff)
    call_command("send_reminders", "--date", "2023-04-05", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.subject.endswith(subject)
    assert f"- {title} (" in message.body
    measure.refresh_from_db()
    assert measure.title == "ประชุมชี้แจง 2 ครั้ง"  # stored as typed


def test_it_takes_the_reminders_date_in_the_buddhist_era(measure, staff):
    staff.email = "staff@example.org"
    staff.save()
    measure.owners.add(staff)
    call_command("send_reminders", "--date", "๒๕๖๖-๐๔-๐๕", stdout=io.StringIO())
    assert len(mail.outbox) == 1  # 5 April 2023: the measure ended in March
    with pytest.raises(CommandError, match="2566-02-29"):  # 2023 has no 29 February
        call_command("send_reminders", "--date", "2566-02-29", stdout=io.StringIO())


def test_it_reminds_of_follow_ups_due_this_week(measure, staff):
    staff.email = "staff@example.org"
    staff.save()
    measure.owners.add(staff)
    measure.end_month = dt.date(2023, 6, 1)
    measure.save()
    measure.progress.create(date=dt.date(2023, 1, 31), done="x")
    call_command("send_reminders", "--date", "2023-02-27", stdout=io.StringIO())  # due 3 March
    assert len(mail.outbox) == 1
    assert "๓ มีนาคม ๒๕๖๖" in mail.outbox[0].body


def test_it_sends_nothing_for_finished_measures(measure, staff):
    staff.email = "staff@example.org"
    staff.save()
    measure.owners.add(staff)
    Measure.objects.filter(pk=measure.pk).update(status="done")
    call_command("send_reminders", "--date", "2023-04-05", stdout=io.StringIO())
    assert mail.outbox == []


def test_it_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "5/4/2023", stdout=io.StringIO())


def test_it_loads_the_seeds_plans_in_the_demo():
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    this_year = fiscal_year_of(timezone.localdate())  # the demo makes up this year's plans
    plans = {
        (p.organisation.name, p.fiscal_year)
        for p in MeasurePlan.objects.select_related("organisation").exclude(fiscal_year=this_year)
    }
    assert plans == {
        ("เทศบาลตำบลบางเก่า", 2566),
        ("เทศบาลนครนครศรีธรรมราช", 2565),
        ("เทศบาลตำบลสบปราบ", 2569),
        ("เทศบาลตำบลโคกสำโรง", 2564),
        ("องค์การบริหารส่วนตำบลภูซาง", 2567),
    }
    phusang = MeasurePlan.objects.get(fiscal_year=2567)
    assert Measure.objects.filter(plan=phusang, progress__isnull=False).exists()
    assert all(m.indicators for m in Measure.objects.all())
