"""`manage.py export_oit` as ../shared/domain/INTERFACES.md specifies: one object per organisation
and assessed year with a checklist, its predicted figures and its items."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.models import Organisation
from itaportal.accounts.models import User
from reports.oit.models import LinkCheck, OitEntry
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
YEAR = 2569


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_oit", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def opened(assessed_org: Organisation, staff: User) -> Organisation:
    client_for(staff).get(reverse("reports:oit_checklist", args=[assessed_org.pk, YEAR]))
    entry = OitEntry.objects.get(item__code="o1")
    entry.url = "https://www.bangkao.go.th/o1"
    entry.elements_done = [1]
    entry.status = "ready"
    entry.save()
    LinkCheck.objects.create(entry=entry, url=entry.url, checked_at=timezone.now(), ok=True)
    return assessed_org


def test_it_writes_one_object_per_checklist_in_the_agreed_shape(opened: Organisation) -> None:
    records: list[dict[str, Any]] = json.loads(export())
    assert len(records) == 1
    record = records[0]
    assert set(record) == {
        "org_name",
        "province",
        "fiscal_year",
        "framework",
        "predicted_oit",
        "predicted_score",
        "predicted_level",
        "items",
    }
    assert (record["org_name"], record["province"], record["fiscal_year"]) == (
        "เทศบาลตำบลบางเก่า",
        "เพชรบุรี",
        2569,
    )
    assert len(record["items"]) == 26
    first = record["items"][0]
    assert set(first) == {
        "code",
        "title",
        "status",
        "url",
        "elements_total",
        "elements_done",
        "year_ok",
        "link_ok",
        "predicted",
    }
    assert first["code"] == "o1" and first["predicted"] == 100 and first["link_ok"] is True
    assert first["year_ok"] is None  # no document named a year
    second = record["items"][1]
    assert second["predicted"] == 0 and second["link_ok"] is None and second["url"] == ""
    # o1 is one of indicator 9's nineteen items: OIT = (100 / 19 rounded) / 2
    assert record["predicted_oit"] == 2.63
    assert isinstance(record["predicted_score"], float) and record["predicted_level"]


def test_it_filters_and_writes_csv(opened: Organisation, other_org: Organisation) -> None:
    assert json.loads(export("--year", "2567")) == []
    assert json.loads(export("--province", "พะเยา")) == []
    assert len(json.loads(export("--org-name", "เทศบาลตำบลบางเก่า", "--year", "2569"))) == 1
    rows = list(csv.DictReader(io.StringIO(export("--format", "csv"))))
    assert len(rows) == 26
    assert rows[0]["code"] == "o1" and rows[0]["link_ok"] == "true"
    assert rows[1]["year_ok"] == ""
