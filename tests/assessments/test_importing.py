"""Importing results files, from the web and the command line: all or nothing, bad rows named."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import Assessment, Organisation
from tests.conftest import client_for, snapshot

pytestmark = pytest.mark.django_db

SEED_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "seed-scores.csv"
HEADER = "org_name,province,district,fiscal_year," + ",".join(f"ind_{n}" for n in range(1, 11))
HEADER += ",published_score,published_level\n"


def write(tmp_path: Path, text: str, name: str = "scores.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_imports_the_seed_file(tmp_path):
    call_command("import_scores", str(SEED_CSV), stdout=io.StringIO())
    assert Organisation.objects.count() == 5
    assert Assessment.objects.count() == 6
    bangkao = Assessment.objects.get(organisation__name="เทศบาลตำบลบางเก่า", fiscal_year=2565)
    assert bangkao.score_map()[1] == Decimal("83.71")
    assert bangkao.published_score == Decimal("68.78")
    phusang = Assessment.objects.get(fiscal_year=2567)
    assert phusang.score_map() == {} and phusang.published_level == "ต้องปรับปรุง"
    assert Organisation.objects.get(name="องค์การบริหารส่วนตำบลภูซาง").kind == "sao"


def test_it_updates_on_reimport_without_duplicating(tmp_path):
    call_command("import_scores", str(SEED_CSV), stdout=io.StringIO())
    path = write(
        tmp_path,
        "org_name,province,fiscal_year,published_score\nเทศบาลตำบลบางเก่า,เพชรบุรี,2565,๖๘.๘๐\n",
    )
    call_command("import_scores", str(path), stdout=io.StringIO())
    call_command("import_scores", str(SEED_CSV), stdout=io.StringIO())
    assert Assessment.objects.count() == 6
    bangkao = Assessment.objects.get(organisation__name="เทศบาลตำบลบางเก่า", fiscal_year=2565)
    assert bangkao.published_score == Decimal("68.78")
    assert len(bangkao.score_map()) == 10  # the score-only row left the indicators alone


def test_it_rejects_a_bad_file_whole_listing_every_bad_row(tmp_path):
    call_command("import_scores", str(SEED_CSV), stdout=io.StringIO())
    before = snapshot()
    lines = [
        "เทศบาลตำบลใหม่,ลำปาง,,2566," + ",".join(["90"] * 10) + ",90,ผ่าน",  # good, line 2
        "เทศบาลตำบลบางเก่า,เพชรบุรี,ชะอำ,2566,101," + ",".join(["90"] * 9) + ",,",  # line 3
        "เทศบาลตำบลสอง,ลำปาง,,๒๕๖x," + ",".join(["90"] * 10) + ",,",  # line 4
        "เทศบาลตำบลสาม,ลำปาง,,2561," + ",".join(["90"] * 10) + ",,",  # line 5
        "เทศบาลตำบลสี่,ลำปาง,,2566,abc," + ",".join(["90"] * 9) + ",,Q",  # line 6
        ",ลำปาง,,2566," + ",".join([""] * 10) + ",,",  # line 7
    ]
    path = write(tmp_path, HEADER + "\n".join(lines) + "\n")
    with pytest.raises(CommandError) as error:
        call_command("import_scores", str(path), stdout=io.StringIO())
    message = str(error.value)
    for expected in (
        "3, ind_1",
        "4, fiscal_year",
        "5, fiscal_year",
        "6, ind_1",
        "6, published_level",
        "7, org_name",
    ):
        assert expected in message
    assert "2," not in message.replace("2566", "")
    assert "ไม่มีการบันทึก" in message or "nothing was written" in message
    assert snapshot() == before


def test_it_refuses_a_repeated_organisation_year(tmp_path):
    row = "เทศบาลตำบลใหม่,ลำปาง,,2566," + ",".join(["90"] * 10) + ",,\n"
    path = write(tmp_path, HEADER + row + row)
    with pytest.raises(CommandError, match="3, fiscal_year"):
        call_command("import_scores", str(path), stdout=io.StringIO())
    assert not Assessment.objects.exists()


def test_it_validates_without_writing_on_dry_run(tmp_path):
    out = io.StringIO()
    call_command("import_scores", str(SEED_CSV), "--dry-run", stdout=out)
    assert "6" in out.getvalue()
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "ว่าง"),
        (b"name,year\nx,2565\n", "org_name"),
        (
            "org_name,province,fiscal_year\n".encode("cp874")
            + "ทดสอบ,ลำปาง,2565\n".encode("cp874"),
            "UTF-8",
        ),
    ],
)
def test_it_explains_unreadable_csv_files(tmp_path, content, expected):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=expected):
        call_command("import_scores", str(path), stdout=io.StringIO())


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_it_imports_xlsx_with_numbers_and_thai_text(tmp_path):
    data = _xlsx(
        [
            ["org_name", "province", "fiscal_year", "ind_1", "ind_10", "published_score"],
            ["เทศบาลตำบลบางเก่า", "จังหวัดเพชรบุรี", 2565, 83.71, "๓๗.๕๐", 68.78],
        ]
    )
    path = tmp_path / "scores.xlsx"
    path.write_bytes(data)
    call_command("import_scores", str(path), stdout=io.StringIO())
    assessment = Assessment.objects.get()
    assert assessment.organisation.province == "เพชรบุรี"
    assert assessment.score_map() == {1: Decimal("83.71"), 10: Decimal("37.50")}


def test_it_rejects_a_truncated_xlsx(tmp_path):
    data = _xlsx([["org_name", "province", "fiscal_year"], ["ก", "ข", 2565]])
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError, match="Excel"):
        call_command("import_scores", str(path), stdout=io.StringIO())
    assert not Organisation.objects.exists()


def test_it_reports_a_missing_file():
    with pytest.raises(CommandError, match=r"nowhere\.csv"):
        call_command("import_scores", "/nowhere.csv", stdout=io.StringIO())


def test_it_lets_staff_upload_their_own_results(assessed_org, staff):
    body = "org_name,province,fiscal_year,published_score\nเทศบาลตำบลบางเก่า,เพชรบุรี,2566,๘๘.๐๐\n"
    upload = io.BytesIO(body.encode())
    upload.name = "scores.csv"
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": upload})
    assert response.status_code == 302
    assert assessed_org.assessments.get(fiscal_year=2566).published_score == Decimal("88.00")


def test_it_previews_errors_of_an_upload_and_saves_nothing(assessed_org, staff):
    body = HEADER + "เทศบาลตำบลบางเก่า,เพชรบุรี,,2566,๑๒๐" + ",90" * 9 + ",,\n"
    upload = io.BytesIO(body.encode())
    upload.name = "scores.csv"
    before = snapshot()
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-errors"' in html and "ind_1" in html
    assert snapshot() == before


def test_it_refuses_an_upload_for_another_organisation(assessed_org, staff):
    body = (
        "org_name,province,fiscal_year,published_score\nองค์การบริหารส่วนตำบลภูซาง,พะเยา,2567,99.78\n"
    )
    upload = io.BytesIO(body.encode())
    upload.name = "scores.csv"
    before = snapshot()
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": upload})
    assert 'id="import-errors"' in response.content.decode()
    assert snapshot() == before


def test_it_refuses_uploads_of_other_types_and_sizes(assessed_org, staff, settings):
    settings.SCORES_UPLOAD_MAX_BYTES = 100
    big = io.BytesIO(b"org_name,province,fiscal_year\n" + b"x" * 200)
    big.name = "big.csv"
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": big})
    assert "MB" in response.content.decode()
    exe = io.BytesIO(b"MZ")
    exe.name = "scores.exe"
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": exe})
    assert ".csv" in response.content.decode()


def test_it_keeps_reviewers_and_outsiders_from_importing(reviewer, supervisor):
    for user in (reviewer, supervisor):
        assert client_for(user).get(reverse("assessments:scores_import")).status_code == 403
