"""The import page: a template to start from, and a preview of what a file changes in stored
years, applied only when confirmed and only as previewed."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from assessments.importing import parse_scores_file
from assessments.models import Assessment, IndicatorScore, Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal.accounts.models import AuditEvent, User
from tests.conftest import client_for, snapshot

pytestmark = pytest.mark.django_db

IMPORT = reverse("assessments:scores_import")


@pytest.fixture(autouse=True)
def pending_folder(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path / "imports-pending"


def upload(client: Client, body: str) -> str:
    file = io.BytesIO(body.encode())
    file.name = "scores.csv"
    response = client.post(IMPORT, {"file": file})
    assert response.status_code == 200, response
    return response.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def token_in(html: str) -> str:
    found = re.search(r'name="confirm" value="([^"]+)"', html)
    assert found, "no confirmation asked"
    return found.group(1)


def score(org: Organisation, year: int, number: int) -> Decimal:
    return IndicatorScore.objects.get(
        assessment__organisation=org, assessment__fiscal_year=year, number=number
    ).score


ONE_COLUMN = "org_name,province,fiscal_year,ind_3\nเทศบาลตำบลบางเก่า,เพชรบุรี,2565,๕๐\n"


def test_a_change_to_a_stored_year_is_previewed_and_nothing_saved(
    assessed_org: Organisation, staff: User
) -> None:
    before = snapshot()
    html = upload(client_for(staff), ONE_COLUMN)
    preview = text_of(html[html.index('id="import-confirm"') :])
    assert "ตัวชี้วัด ๓ ๘๒.๘๐ → ๕๐.๐๐" in preview
    assert "แถวนี้ระบุเพียงคอลัมน์เดียว" in preview
    assert "ตัวชี้วัด ๑๐ ๓๗.๕๐" in preview.split("คงเดิม:")[1]  # what stays is shown
    assert snapshot() == before


def test_confirming_applies_what_was_previewed(
    assessed_org: Organisation, staff: User, pending_folder: Path
) -> None:
    client = client_for(staff)
    token = token_in(upload(client, ONE_COLUMN))
    response = client.post(IMPORT, {"confirm": token})
    assert response.status_code == 302
    assert score(assessed_org, 2565, 3) == Decimal("50.00")
    assert score(assessed_org, 2565, 10) == Decimal("37.50")  # the row left it alone
    assert AuditEvent.objects.filter(object_type="assessments.assessment").exists()
    assert list(pending_folder.iterdir()) == []
    again = client.post(IMPORT, {"confirm": token}, follow=True)
    assert "การแสดงตัวอย่างนี้ปิดไปแล้ว" in again.content.decode()


def test_it_refuses_to_confirm_once_the_scores_changed_meanwhile(
    assessed_org: Organisation, staff: User
) -> None:
    client = client_for(staff)
    token = token_in(upload(client, ONE_COLUMN))
    IndicatorScore.objects.filter(
        assessment__organisation=assessed_org, assessment__fiscal_year=2565, number=3
    ).update(score=Decimal("77.00"))  # someone saved the form in between
    response = client.post(IMPORT, {"confirm": token})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="import-outdated"' in html
    assert "๗๗.๐๐ → ๕๐.๐๐" in text_of(html)
    assert score(assessed_org, 2565, 3) == Decimal("77.00")


def test_a_preview_is_confirmed_only_by_the_session_that_made_it(
    assessed_org: Organisation, staff: User
) -> None:
    token = token_in(upload(client_for(staff), ONE_COLUMN))
    before = snapshot()
    for other in (client_for(staff), client_for(User.objects.get(username="staff"))):
        assert other.post(IMPORT, {"confirm": token}).status_code == 302
    assert snapshot() == before


def test_a_check_only_upload_shows_the_changes_too(assessed_org: Organisation, staff: User) -> None:
    file = io.BytesIO(ONE_COLUMN.encode())
    file.name = "scores.csv"
    before = snapshot()
    html = client_for(staff).post(IMPORT, {"file": file, "dry_run": "on"}).content.decode()
    assert "๘๒.๘๐ → ๕๐.๐๐" in text_of(html) and 'name="confirm"' not in html
    assert snapshot() == before


def test_the_xlsx_template_has_the_years_columns_explained_and_imports(
    assessed_org: Organisation, staff: User
) -> None:
    url = reverse("assessments:scores_import_template", args=["xlsx"]) + "?year=๒๕๖๗"
    response = client_for(staff).get(url)
    book = load_workbook(io.BytesIO(response.content))
    results, notes = book.worksheets
    header = [c.value for c in results[1]]
    framework = FrameworkCatalogue().for_year(2567, assessed_org.kind)
    assert framework is not None
    indicators = [f"ind_{n}" for n in sorted(framework.indicator_names())]
    items = [item.code for item in framework.items()]
    assert header == ["org_name", "province", "district", "org_code", "fiscal_year",
                      *indicators, *items, "published_score", "published_level"]  # fmt: skip
    assert [c.value for c in results[2]][:5] == ["เทศบาลตำบลบางเก่า", "เพชรบุรี", "ชะอำ", None, 2567]
    explained = {row[0].value: row[1].value for row in notes.iter_rows(min_row=2)}
    assert set(explained) == set(header)
    assert "ผ่านดีเยี่ยม" in explained["published_level"]
    assert framework.indicator_names()[1] in explained["ind_1"]
    rules = FrameworkCatalogue().rules_for_organisation
    [row] = parse_scores_file("template.xlsx", response.content, rules)
    assert (row.org_name, row.fiscal_year, row.scores) == ("เทศบาลตำบลบางเก่า", 2567, {})


def test_the_csv_template_reads_back(assessed_org: Organisation, staff: User) -> None:
    url = reverse("assessments:scores_import_template", args=["csv"]) + "?year=2566"
    content = client_for(staff).get(url).content
    header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert "ind_10" in header and "published_level" in header
    rules = FrameworkCatalogue().rules_for_organisation
    [row] = parse_scores_file("template.csv", content, rules)
    assert row.fiscal_year == 2566


def test_the_template_answers_a_bad_year_or_role(
    assessed_org: Organisation, staff: User, reviewer: User
) -> None:
    template = reverse("assessments:scores_import_template", args=["xlsx"])
    assert client_for(staff).get(template + "?year=2500").status_code == 404
    assert client_for(staff).get(template + "?year=สองห้า").status_code == 404
    other = reverse("assessments:scores_import_template", args=["pdf"])
    assert client_for(staff).get(other).status_code == 404
    assert client_for(reviewer).get(template).status_code == 403
    assert not Assessment.objects.filter(fiscal_year=2500).exists()
