"""The command-line contracts of ../shared/domain/INTERFACES.md, on the demo data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command

from assessments.models import Assessment, Organisation
from itaportal.accounts.models import User
from reports.memos.services import MemoContent, RouteStep, memo_create, memo_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_demo", stdout=io.StringIO())


def export(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command("export_scores", *args, stdout=out)
    return json.loads(out.getvalue())


def find(records: list[dict], name: str, year: int) -> dict:
    return next(r for r in records if r["org_name"] == name and r["fiscal_year"] == year)


def test_it_exports_the_figures_of_ita_md(demo_with_memos):
    records = export("--format", "json")
    bangkao = find(records, "เทศบาลตำบลบางเก่า", 2565)
    assert bangkao["computed_score"] == 68.79
    assert bangkao["published_score"] == 68.78
    assert bangkao["score"] == 68.78
    assert bangkao["level"] == "C"
    assert bangkao["tiers"]["10"] == "urgent"
    assert bangkao["change"]["10"] == -56.25
    assert bangkao["change"]["1"] == -14.95
    assert bangkao["instrument_scores"] == {"IIT": 76.31, "EIT": 84.89, "OIT": 51.07}
    assert bangkao["discrepancy"] is False and bangkao["level_mismatch"] is False
    assert find(records, "เทศบาลตำบลสบปราบ", 2568)["level"] == "ผ่านดีเยี่ยม"
    assert find(records, "เทศบาลตำบลบางเก่า", 2564)["discrepancy"] is True
    assert find(records, "เทศบาลตำบลโคกสำโรง", 2563)["discrepancy"] is True
    phusang = find(records, "องค์การบริหารส่วนตำบลภูซาง", 2567)
    assert phusang["level_mismatch"] is True
    assert phusang["computed_score"] is None and phusang["scores"] == {}
    # 99.78 alone: every instrument above 99, so ผ่านดีเยี่ยม, whatever was published
    assert phusang["possible_levels"] == ["ผ่านดีเยี่ยม"] and phusang["level"] == "ผ่านดีเยี่ยม"
    assert find(records, "เทศบาลนครนครศรีธรรมราช", 2565)["level"] == "A"
    assert bangkao["possible_levels"] == ["C"] and bangkao["items"] == {}


# The ratings of ITA.md: ผ่าน with an EIT of 84 and overall 94, ผ่านดี at 97.9 with an EIT of 94,
# ต้องปรับปรุงโดยด่วน at 56, and overall-only rows.
RATING_CASES = (
    "org_name,province,fiscal_year,ind_1,ind_2,ind_3,ind_4,ind_5,ind_6,ind_7,ind_8,ind_9,ind_10,"
    "published_score,published_level,i1,o25\n"
    "เทศบาลทดลองหนึ่ง,ลำปาง,2568,100,100,100,100,100,84,84,84,97,97,94.00,,,\n"
    "เทศบาลทดลองสอง,ลำปาง,2568,100,100,100,100,100,94,94,94,99.25,99.25,97.90,,,\n"
    "เทศบาลทดลองสาม,ลำปาง,2568,,,,,,,,,,,56,,,\n"
    "เทศบาลทดลองสี่,ลำปาง,2568,,,,,,,,,,,94.64,,,\n"
    "เทศบาลทดลองห้า,ลำปาง,2569,,,,,,,,,,,94.64,ผ่านดีเยี่ยม,๘๕.๕,100\n"
)


def test_it_rates_imported_cases_with_the_instrument_floors(db, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(RATING_CASES, encoding="utf-8")
    call_command("import_scores", str(path), stdout=io.StringIO())
    records = export("--province", "ลำปาง")
    rated = {
        r["org_name"].removeprefix("เทศบาลทดลอง"): (
            r["score"],
            r["level"],
            r["possible_levels"],
            r["level_mismatch"],
        )
        for r in records
    }
    assert rated == {
        "หนึ่ง": (94.0, "ผ่าน", ["ผ่าน"], False),
        "สอง": (97.9, "ผ่านดี", ["ผ่านดี"], False),
        "สาม": (56.0, "ต้องปรับปรุงโดยด่วน", ["ต้องปรับปรุงโดยด่วน"], False),
        "สี่": (94.64, None, ["ผ่าน", "ผ่านดี"], False),
        "ห้า": (94.64, None, ["ผ่าน", "ผ่านดี"], True),
    }
    assert find(records, "เทศบาลทดลองห้า", 2569)["items"] == {"i1": 85.5, "o25": 100.0}


def test_it_filters_exports_and_keeps_changes_for_one_year(demo_with_memos):
    records = export("--org-name", "เทศบาลตำบลบางเก่า", "--year", "2565")
    assert [r["fiscal_year"] for r in records] == [2565]
    assert records[0]["change"]["10"] == -56.25
    assert export("--province", "ลำปาง")[0]["org_name"] == "เทศบาลตำบลสบปราบ"


def test_it_exports_csv_with_the_same_fields(demo_with_memos):
    out = io.StringIO()
    call_command("export_scores", "--format", "csv", "--year", "2565", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    bangkao = next(r for r in rows if r["org_name"] == "เทศบาลตำบลบางเก่า")
    assert bangkao["computed_score"] == "68.79"
    assert bangkao["tier_10"] == "urgent"
    assert bangkao["change_10"] == "-56.25"
    assert bangkao["level"] == "C"
    assert bangkao["discrepancy"] == "false"


def test_it_loads_the_demo_idempotently(demo_with_memos):
    counts = (Organisation.objects.count(), Assessment.objects.count(), User.objects.count())
    stamps = list(Assessment.objects.values_list("updated_at", flat=True))
    passwords = list(User.objects.values_list("password", flat=True))
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert (
        Organisation.objects.count(),
        Assessment.objects.count(),
        User.objects.count(),
    ) == counts
    assert list(Assessment.objects.values_list("updated_at", flat=True)) == stamps
    assert list(User.objects.values_list("password", flat=True)) == passwords
    assert (counts[0], counts[2]) == (5, 22)
    assert Assessment.objects.filter(is_demo=False).count() == 6  # the seeds' published years
    assert "bangkao-staff" in out.getvalue()


def test_it_gives_the_demo_people_addresses_that_the_step_e_mails_go_to(
    demo_with_memos, django_capture_on_commit_callbacks
):
    people = User.objects.exclude(username="admin")
    assert {u.email for u in people} == {f"{u.username}@demo.itaportal.invalid" for u in people}
    staff, reviewer, executive = (
        User.objects.get(username=f"phusang-{role}") for role in ("staff", "reviewer", "executive")
    )
    data = MemoContent(unit="สำนักปลัด", subject="ทดลอง", addressee="นายก")
    memo = memo_create(organisation=staff.organisation, drafter=staff, data=data, ip=None)
    route = [RouteStep(reviewer), RouteStep(executive)]
    with django_capture_on_commit_callbacks(execute=True):
        memo_submit(memo=memo, user=staff, route=route, ip=None, today=dt.date(2025, 2, 11))
    assert mail.outbox[-1].to == ["phusang-reviewer@demo.itaportal.invalid"]


def test_it_gives_every_role_a_demo_account(demo_with_memos):
    roles = set(User.objects.values_list("role", flat=True))
    assert {"staff", "reviewer", "executive", "org_admin", "supervisor"} <= roles
    assert User.objects.get(username="phusang-staff").organisation.letter_code == "พย ๗๒๔๐๑"


def test_it_has_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
