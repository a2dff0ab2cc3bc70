"""Importing results files, from the web and the command line: all or nothing, bad rows named."""

from __future__ import annotations

import functools
import io
import re
import struct
import zlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook

from assessments.models import Assessment, Organisation
from tests.conftest import BANGKAO_2565, client_for, scores_of, snapshot

pytestmark = pytest.mark.django_db

SEED_CSV = Path(__file__).resolve().parents[2] / "fixtures" / "demo" / "seed-scores.csv"
HEADER = "org_name,province,district,fiscal_year," + ",".join(f"ind_{n}" for n in range(1, 11))
HEADER += ",published_score,published_level\n"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def import_errors(html: str) -> list[tuple[str, str, str]]:
    """The rows of the upload page's table of problems: (line, column, problem)."""
    table = re.search(r'id="import-errors">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert table, "the page shows no table of problems"
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table.group(1), re.S)
    return [(text_of(line), text_of(column), text_of(problem)) for line, column, problem in rows]


def file_error(html: str) -> str:
    """The error shown under the upload form's file field."""
    found = re.search(r'id="id_file_error" class="invalid-feedback">(.*?)</div>', html, re.S)
    return text_of(found.group(1)) if found else ""


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


SCORE_ONLY = "org_name,province,fiscal_year,published_score\nเทศบาลตำบลบางเก่า,เพชรบุรี,2565,๖๘.๘๐\n"


def test_it_updates_on_reimport_without_duplicating(tmp_path):
    call_command("import_scores", str(SEED_CSV), stdout=io.StringIO())
    call_command("import_scores", str(SEED_CSV), stdout=io.StringIO())
    assert (Organisation.objects.count(), Assessment.objects.count()) == (5, 6)
    call_command("import_scores", str(write(tmp_path, SCORE_ONLY)), stdout=io.StringIO())
    assert (Organisation.objects.count(), Assessment.objects.count()) == (5, 6)
    bangkao = Assessment.objects.get(organisation__name="เทศบาลตำบลบางเก่า", fiscal_year=2565)
    assert bangkao.published_score == Decimal("68.80")


def test_it_leaves_the_indicators_alone_on_a_row_without_them(tmp_path):
    call_command("import_scores", str(SEED_CSV), stdout=io.StringIO())
    call_command("import_scores", str(write(tmp_path, SCORE_ONLY)), stdout=io.StringIO())
    bangkao = Assessment.objects.get(organisation__name="เทศบาลตำบลบางเก่า", fiscal_year=2565)
    assert bangkao.score_map() == scores_of(BANGKAO_2565)


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
    assert out.getvalue().strip() == "6 rows are valid; nothing written (--dry-run)."
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
    assert response.status_code == 200
    assert import_errors(response.content.decode()) == [("๒", "ind_1", "๑๒๐ ไม่อยู่ในช่วง ๐ ถึง ๑๐๐")]
    assert snapshot() == before


def test_it_refuses_an_upload_for_another_organisation(assessed_org, staff):
    body = (
        "org_name,province,fiscal_year,published_score\nองค์การบริหารส่วนตำบลภูซาง,พะเยา,2567,99.78\n"
    )
    upload = io.BytesIO(body.encode())
    upload.name = "scores.csv"
    before = snapshot()
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": upload})
    assert import_errors(response.content.decode()) == [
        ("๒", "org_name", "ท่านนำเข้าได้เฉพาะผลการประเมินของ เทศบาลตำบลบางเก่า")
    ]
    assert snapshot() == before


def test_it_refuses_an_upload_over_the_size_limit(assessed_org, staff, settings):
    settings.SCORES_UPLOAD_MAX_BYTES = 2**20
    big = io.BytesIO(b"org_name,province,fiscal_year\n" + b"x" * 2**20)
    big.name = "big.csv"
    before = snapshot()
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": big})
    assert file_error(response.content.decode()) == "ไฟล์มีขนาดเกิน ๑ MB กรุณาเลือกไฟล์ที่มีขนาดเล็กลง"
    assert snapshot() == before


def test_it_refuses_an_upload_of_another_type(assessed_org, staff):
    exe = io.BytesIO(b"MZ")
    exe.name = "scores.exe"
    before = snapshot()
    response = client_for(staff).post(reverse("assessments:scores_import"), {"file": exe})
    assert file_error(response.content.decode()) == "กรุณาอัปโหลดไฟล์ .csv หรือ .xlsx"
    assert snapshot() == before


def test_it_keeps_reviewers_and_outsiders_from_importing(reviewer, supervisor):
    for user in (reviewer, supervisor):
        assert client_for(user).get(reverse("assessments:scores_import")).status_code == 403


# --- XLSX files that would tie up a worker: built as ZIPs by hand, never inflated on disk -----

XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
        '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
        'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><sheet name="ITA" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main">{dimension}<sheetData>'
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>org_name</t></is></c><c r="B1" t="inlineStr"><is>'
    '<t>province</t></is></c><c r="C1" t="inlineStr"><is><t>fiscal_year</t></is></c></row>'
)
BANGKAO_ROW = (
    '<row r="2"><c r="A2" t="inlineStr"><is><t>เทศบาลตำบลบางเก่า</t></is></c><c r="B2" '
    't="inlineStr"><is><t>เพชรบุรี</t></is></c><c r="C2"><v>2566</v></c></row>'
)
# A megabyte of rows that deflate to 3 KB: repeated, it makes a sheet of any size.
FILLER = b'<row><c t="inlineStr"><is><t>AAAA</t></is></c></row>' * 20_000


def _deflate_parts(parts: list[tuple[bytes, int]]) -> tuple[bytes, int, int]:
    """One raw deflate stream of `parts`, each (bytes, times): each part is compressed once and
    its compressed form repeated, which a full flush (a reset of the history) makes valid.
    Returns the stream, the CRC-32 and the inflated size."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream, crc, size = bytearray(), 0, 0
    for data, times in parts:
        block = compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)
        stream += block * times
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    stream += compressor.flush()
    return bytes(stream), crc, size


def _zip(members: dict[str, tuple[bytes, int, int]]) -> bytes:
    """A ZIP of already deflated members {name: (stream, crc, size)}."""
    out, directory = bytearray(), bytearray()
    for name, (stream, crc, size) in members.items():
        encoded = name.encode()
        head = (20, 0, 8, 0, 0, crc, len(stream), size, len(encoded))
        directory += struct.pack("<IH", 0x02014B50, 20) + struct.pack("<HHHHHIIIH", *head)
        directory += struct.pack("<HHHHII", 0, 0, 0, 0, 0, len(out)) + encoded
        out += struct.pack("<I", 0x04034B50) + struct.pack("<HHHHHIIIH", *head)
        out += struct.pack("<H", 0) + encoded + stream
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, *[len(members)] * 2, len(directory), len(out), 0
    )
    return bytes(out + directory + end)


def xlsx_of(sheet: list[tuple[bytes, int]], dimension: str = "", extra: int = 0) -> bytes:
    members = {name: _deflate_parts([(xml.encode(), 1)]) for name, xml in XLSX_PARTS.items()}
    head = SHEET_HEAD.format(dimension=f'<dimension ref="{dimension}"/>' if dimension else "")
    tail = b"</sheetData></worksheet>"
    members["xl/worksheets/sheet1.xml"] = _deflate_parts([(head.encode(), 1), *sheet, (tail, 1)])
    for n in range(extra):
        members[f"xl/media/image{n}.png"] = _deflate_parts([(b"x", 1)])
    return _zip(members)


@functools.cache
def gigabyte_bomb() -> bytes:
    """A 3 MB XLSX whose sheet inflates to 1 GB."""
    return xlsx_of([(HEADER_ROW.encode(), 1), (FILLER, 2**30 // len(FILLER))])


def upload_xlsx(user, data: bytes, dry_run: bool) -> Any:
    upload = io.BytesIO(data)
    upload.name = "scores.xlsx"
    form = {"file": upload, **({"dry_run": "on"} if dry_run else {})}
    return client_for(user).post(reverse("assessments:scores_import"), form)


def test_a_hand_built_xlsx_of_the_right_size_is_read(assessed_org, staff):
    data = xlsx_of([(HEADER_ROW.encode(), 1), (BANGKAO_ROW.encode(), 1)], dimension="A1:C2")
    response = upload_xlsx(staff, data, dry_run=True)
    assert 'id="import-preview"' in response.content.decode()  # the builder makes real files


@pytest.mark.parametrize("dry_run", [True, False])
def test_it_refuses_an_xlsx_that_inflates_to_a_gigabyte_at_once(assessed_org, staff, dry_run):
    data = gigabyte_bomb()
    assert len(data) < 4 * 2**20
    before = snapshot()
    response = upload_xlsx(staff, data, dry_run)
    assert import_errors(response.content.decode()) == [
        (
            "–",
            "–",
            "ไฟล์ Excel นี้ขยายเป็น ๑,๐๒๔ MB เมื่อเปิดอ่าน ไฟล์ผลการประเมินขยายได้ไม่เกิน ๖๔ MB "
            "กรุณาบันทึกเฉพาะแผ่นงานผลการประเมินแล้วลองใหม่",
        )
    ]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("sheet", "dimension", "extra", "message"),
    [
        (  # 16 MB from 50 KB: under the size bound, but no spreadsheet compresses so well
            [(HEADER_ROW.encode(), 1), (FILLER, 16)],
            "",
            0,
            "ไฟล์ Excel นี้ถูกบีบอัดมากเกินกว่าที่ไฟล์ตารางจริงจะเป็นได้ ระบบจึงไม่รับไฟล์",
        ),
        (
            [(HEADER_ROW.encode(), 1)],
            "",
            150,
            "ไฟล์ Excel มีส่วนประกอบ ๑๕๕ ส่วน ไฟล์ผลการประเมินมีได้ไม่เกิน ๑๐๐ ส่วน",
        ),
        (  # a sheet that says it is as large as Excel allows
            [(HEADER_ROW.encode(), 1)],
            "A1:XFD1048576",
            0,
            "ไฟล์มีเกิน ๑๐๐,๐๐๐ แถว",
        ),
        (  # a sheet that says nothing of its size and jumps to its millionth row
            [(HEADER_ROW.encode(), 1), (b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>', 1)],
            "",
            0,
            "ไฟล์มีเกิน ๑๐๐,๐๐๐ แถว",
        ),
        (
            [(HEADER_ROW.encode(), 1)],
            "A1:ZZ2",
            0,
            "ไฟล์มีเกิน ๒๐๐ คอลัมน์",
        ),
        (  # no size said, a cell in column 201
            [(HEADER_ROW.encode(), 1), (b'<row r="2"><c r="GS2"><v>1</v></c></row>', 1)],
            "",
            0,
            "ไฟล์มีเกิน ๒๐๐ คอลัมน์",
        ),
    ],
)
@pytest.mark.parametrize("dry_run", [True, False])
def test_it_refuses_a_small_xlsx_that_claims_too_much(
    assessed_org, staff, sheet, dimension, extra, message, dry_run
):
    data = xlsx_of(sheet, dimension=dimension, extra=extra)
    assert len(data) < 100_000
    before = snapshot()
    response = upload_xlsx(staff, data, dry_run)
    assert [problem for _, _, problem in import_errors(response.content.decode())] == [message]
    assert snapshot() == before


def test_it_stops_reading_an_xlsx_that_takes_too_long(assessed_org, staff, monkeypatch):
    monkeypatch.setattr("assessments.importing.XLSX_MAX_SECONDS", 0)
    data = xlsx_of([(HEADER_ROW.encode(), 1), (BANGKAO_ROW.encode(), 1)], dimension="A1:C2")
    before = snapshot()
    response = upload_xlsx(staff, data, dry_run=False)
    assert [problem for _, _, problem in import_errors(response.content.decode())] == [
        "การอ่านไฟล์ใช้เวลาเกิน ๐ วินาที กรุณาแบ่งไฟล์เป็นหลายไฟล์แล้วลองใหม่"
    ]
    assert snapshot() == before


def test_it_computes_an_empty_oit_indicator_from_imported_items_and_keeps_it(assessed_org, staff):
    from assessments.selectors import FrameworkCatalogue

    codes = [i.code for i in FrameworkCatalogue().for_year(2567).items() if i.code[0] == "o"]
    of_10 = [c for c in codes if int(c[1:]) >= 25]  # FY 2567: o25-o33 are indicator 10

    def upload(scores: list[str]) -> str:
        body = f"org_name,province,fiscal_year,ind_10,{','.join(of_10)}\n"
        body += f"เทศบาลตำบลบางเก่า,เพชรบุรี,2567,,{','.join(scores)}\n"
        file = io.BytesIO(body.encode())
        file.name = "scores.csv"
        client = client_for(staff)
        response = client.post(reverse("assessments:scores_import"), {"file": file}, follow=True)
        # a change to the stored year is previewed first (item o33 0 → 100): confirmed here
        token = re.search(r'name="confirm" value="([^"]+)"', response.content.decode())
        if token:
            response = client.post(
                reverse("assessments:scores_import"), {"confirm": token.group(1)}, follow=True
            )
        return text_of(response.content.decode())

    page = upload(["100"] * (len(of_10) - 1) + ["๐"])
    assert len(of_10) == 9
    assert assessed_org.assessments.get(fiscal_year=2567).score_map()[10] == Decimal("88.89")
    assert "เทศบาลตำบลบางเก่า ๒๕๖๗: คำนวณจากคะแนนรายข้อตามกรอบการประเมิน: ตัวชี้วัดที่ ๑๐ ๘๘.๘๙" in page
    page = upload(["100"] * len(of_10))  # the indicator is stored now: it stays
    assert assessed_org.assessments.get(fiscal_year=2567).score_map()[10] == Decimal("88.89")
    assert "ตัวชี้วัดที่ ๑๐ ที่ประกาศคือ ๘๘.๘๙ แต่ค่าเฉลี่ยของข้อคือ ๑๐๐.๐๐" in page
