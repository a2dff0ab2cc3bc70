"""itaportal/accounts/admin.py: the admin's date boxes are the portal's (THAI_DATES), for a
model's own dates and for an inline's (a measure's follow-up)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.test import Client
from django.urls import reverse

from itaportal.accounts.models import Role, User
from measures.models import Measure, MeasurePlan, Progress
from reports.documents.models import Committee
from tests.conftest import client_for, make_user


def _root() -> Client:
    return client_for(User.objects.create_superuser("root", "root@example.org", "a-long-pass-1"))


def _posted(response: Any, **changes: str) -> dict[str, Any]:
    """What the admin's change page posts back as it stands, with `changes`."""
    forms = [(response.context["adminform"].form, "")]
    data: dict[str, Any] = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        forms += [(row, row.prefix + "-") for row in formset.forms]
    for form, prefix in forms:
        for name in form.fields:
            value = form[name].value()
            data[prefix + name] = (
                [str(v) for v in value] if isinstance(value, list) else value if value else ""
            )
    return data | changes


def test_the_admin_shows_and_reads_an_orders_date_the_thai_way(org) -> None:
    committee = Committee.objects.create(
        organisation=org, fiscal_year=2565, number=1, number_year=2565, subject="แต่งตั้ง",
        reasons="เพื่อ", duties_steering="กำกับ", issued_on=dt.date(2022, 1, 10),
        signer_name="นายก", signer_position="นายกเทศมนตรี",
    )  # fmt: skip
    client = _root()
    url = reverse("admin:reports_committee_change", args=[committee.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'name="issued_on" value="๑๐ ม.ค. ๒๕๖๕"' in html and "data-date-picker" in html
    assert "vDateField" not in html and "js/datepicker.js" in html
    refused = client.post(url, _posted(page, issued_on="29 ก.พ. 2565"))
    assert "กรุณากรอกวันที่ เช่น ๑๕ พ.ย. ๒๕๖๙ หรือ 15/11/2569" in refused.content.decode()
    assert client.post(url, _posted(page, issued_on="15/11/2565")).status_code == 302
    committee.refresh_from_db()
    assert committee.issued_on == dt.date(2022, 11, 15)


def test_the_admins_lists_write_dates_in_the_buddhist_era_and_yes_or_no_in_thai(org) -> None:
    Committee.objects.create(
        organisation=org, fiscal_year=2565, number=1, number_year=2565, subject="แต่งตั้ง",
        reasons="เพื่อ", duties_steering="กำกับ", issued_on=dt.date(2022, 1, 10),
        signer_name="นายก", signer_position="นายกเทศมนตรี",
    )  # fmt: skip
    client = _root()
    committees = client.get(reverse("admin:reports_committee_changelist")).content.decode()
    assert "๑๐ มกราคม ๒๕๖๕" in committees and "2022" not in committees
    people = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert 'alt="ใช่"' in people and 'alt="True"' not in people


def test_the_admins_scripts_count_the_ticked_rows_in_thai(db) -> None:
    """Django's own Thai catalogue for the admin's scripts says "… จาก 5 selected"."""
    escaped = _root().get(reverse("admin:jsi18n")).content.decode()
    script = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), escaped)
    assert "เลือกแล้ว %(sel)s จาก %(cnt)s รายการ" in script
    assert "จาก %(cnt)s selected" not in script


def test_the_admin_reads_a_follow_up_date_in_a_measures_inline(org) -> None:
    plan = MeasurePlan.objects.create(organisation=org, fiscal_year=2566)
    measure = Measure.objects.create(plan=plan, order=1, title="เผยแพร่ข้อมูล", indicators=[9])
    progress = Progress.objects.create(measure=measure, date=dt.date(2023, 1, 31), done="ประชุม")
    client = _root()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = client.get(url)
    assert 'value="๓๑ ม.ค. ๒๕๖๖"' in page.content.decode()
    answer = client.post(url, _posted(page, **{"progress-0-date": "๑ ก.พ. ๒๕๖๖"}))
    assert answer.status_code == 302
    progress.refresh_from_db()
    assert progress.date == dt.date(2023, 2, 1)


def test_the_admin_shows_and_reads_when_a_person_joined_the_thai_way(org) -> None:
    person = make_user("somchai", organisation=org, role=Role.STAFF)
    joined = dt.datetime(2026, 11, 15, 10, 30, tzinfo=ZoneInfo(settings.TIME_ZONE))
    User.objects.filter(pk=person.pk).update(date_joined=joined)
    client = _root()
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = client.get(url)
    html = page.content.decode()
    assert 'name="date_joined_0" value="๑๕ พ.ย. ๒๕๖๙"' in html
    assert 'name="date_joined_1" value="10:30"' in html
    changes = {"date_joined_0": "1/12/2569", "date_joined_1": "09:00"}
    assert client.post(url, _posted(page, **changes)).status_code == 302
    person.refresh_from_db()
    assert person.date_joined == joined.replace(month=12, day=1, hour=9, minute=0)
