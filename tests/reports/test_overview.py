"""The supervisor overview: figures that agree with each organisation's own pages, filters, the
XLSX export, kept figures that follow every write at once, and who may see what."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments.models import Organisation
from assessments.selectors import organisation_years
from assessments.services import assessment_save
from itaportal.accounts.models import Role, User
from measures.models import MeasurePlan
from measures.selectors import plan_view
from measures.services import MeasureData, measure_create, measure_delete, plan_create
from reports.overview import selectors as overview
from reports.overview.forms import ordering
from reports.overview.views import select
from tests.conftest import DEFAULT_THRESHOLDS, client_for, make_user, scores_of

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 21)
BANGKAO = "เทศบาลตำบลบางเก่า"


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(dt.datetime(2026, 11, 21, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def national_admin(demo_seeds: None) -> User:
    return User.objects.create_superuser("national", password="x")


def test_it_agrees_with_every_organisations_own_pages(demo_seeds: None) -> None:
    """The bulk computation gives what the dashboard and each plan page say, organisation by
    organisation: the same latest score and level, uncovered indicators and overdue measures."""
    organisations = list(Organisation.objects.all())
    rows = {row.id: row for row in overview.compute_rows(Organisation.objects.all(), TODAY)}
    assert len(rows) == 5
    for org in organisations:
        row = rows[org.pk]
        latest = organisation_years(org)[-1]
        assert (row.latest_year, row.score) == (latest.fiscal_year, latest.evaluation.score)
        assert row.level == latest.evaluation.level_text
        assert row.change == latest.evaluation.overall_change
        plans = list(MeasurePlan.objects.filter(organisation=org))
        assert row.overdue == sum(len(plan_view(p, TODAY).overdue) for p in plans)
        answering = [p for p in plans if p.based_on_year == latest.fiscal_year]
        if answering:
            assert row.uncovered == len(plan_view(answering[0], TODAY).uncovered)
        else:
            assert row.uncovered == row.needing


def test_it_shows_a_supervisor_their_province(demo_seeds: None, frozen: None) -> None:
    page = client_for(User.objects.get(username="supervisor-phetchaburi")).get(
        reverse("reports:overview")
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert re.findall(r'data-org="\d+">\s*<td><a[^>]*>([^<]*)', html) == [BANGKAO]
    row = html[html.index('data-org="') :]
    row = row[: row.index("</tr>")]
    # บางเก่า FY 2565: published 68.78 (level C), 92.44 the year before, 8 urgent indicators
    for shown in ("๒๕๖๕", "๖๘.๗๘", ">C<", "−๒๓.๖๖", ">๘<"):
        assert shown in row
    assert "จังหวัดเพชรบุรี" in html


def test_it_marks_a_latest_year_the_demo_made_up_as_the_dashboard_does(demo: None) -> None:
    client = client_for(User.objects.get(username="supervisor-phetchaburi"))
    html = client.get(reverse("reports:overview")).content.decode()
    bangkao = Organisation.objects.get(name=BANGKAO)
    latest = bangkao.assessments.order_by("-fiscal_year").first()
    assert latest is not None and latest.is_demo  # the demo makes up the years after the seed's
    row = html[html.index(f'data-org="{bangkao.pk}"') :].split("</tr>")[0]
    assert re.search(r'class="badge text-bg-info demo-mark"[^>]*>ข้อมูลสาธิต<', row)
    sheet = load_workbook(io.BytesIO(client.get(reverse("reports:overview_xlsx")).content)).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[11] == "ข้อมูลสาธิต"
    assert [row[11] for row in rows if row[0] == BANGKAO] == ["ข้อมูลสาธิต"]

    assessment_save(  # the office saves the year's scores: the figures are theirs, unmarked
        organisation=bangkao,
        fiscal_year=latest.fiscal_year,
        scores=scores_of(["90"] * 10),
        published_score=None,
        published_level="",
        thresholds=DEFAULT_THRESHOLDS,
        user=None,
    )
    html = client.get(reverse("reports:overview")).content.decode()
    row = html[html.index(f'data-org="{bangkao.pk}"') :].split("</tr>")[0]
    assert "demo-mark" not in row


def test_it_compares_each_kind_with_the_same_kind_nationwide(demo_seeds: None) -> None:
    phetchaburi = Organisation.objects.filter(province="เพชรบุรี")
    area = overview.area(overview.groups(overview.with_figures(phetchaburi, TODAY)))
    [comparison] = area.comparisons
    assert comparison.kind == Organisation.Kind.SUBDISTRICT_MUNICIPALITY
    assert comparison.area.count == 1
    # three เทศบาลตำบล in the demo: บางเก่า, สบปราบ and โคกสำโรง
    assert comparison.national is not None and comparison.national.count == 3
    assert area.levels == [("C", 1, 100)]


def test_the_national_comparison_counts_each_kind_by_its_latest_results() -> None:
    from assessments.models import YearSummary

    scores: dict[str, list[tuple[str, bool | None]]] = {
        "sao": [("50", True), ("80", True), ("60", False), ("71", None)],
        "town": [("90", True)],
    }
    for kind, values in scores.items():
        for i, (value, passing) in enumerate(values):
            org = Organisation.objects.create(name=f"{kind}{i}", province="ตาก", kind=kind)
            YearSummary.objects.create(
                organisation=org, fiscal_year=2567, latest=False, score=Decimal("1.00")
            )  # an older year counts for nothing
            YearSummary.objects.create(
                organisation=org,
                fiscal_year=2568,
                latest=True,
                score=Decimal(value),
                level="B",
                passing=passing,
            )
    Organisation.objects.create(name="ไม่มีผล", province="ตาก", kind="town")
    national = overview.national_by_kind_now()
    assert national["sao"] == overview.KindSummary("sao", 4, 4, Decimal("65.25"), 67)
    assert national["town"] == overview.KindSummary("town", 2, 1, Decimal("90.00"), 100)
    area = overview.area(overview.groups(overview.with_figures(Organisation.objects.all(), TODAY)))
    assert area.levels == [("B", 5, 83), ("", 1, 17)]


def test_it_filters_sorts_and_pages(national_admin: User) -> None:
    client = client_for(national_admin)
    html = client.get(reverse("reports:overview"), {"sort": "-score"}).content.decode()
    names = re.findall(r'data-org="\d+">\s*<td><a[^>]*>([^<]*)', html)
    rows = overview.compute_rows(Organisation.objects.all(), TODAY)
    lowest_first = [r.name for r in sorted(rows, key=lambda r: r.score or 0)]
    assert names == lowest_first and len(set(r.score for r in rows)) == 5
    html = client.get(reverse("reports:overview"), {"kind": "sao"}).content.decode()
    assert re.findall(r'data-org="\d+">\s*<td><a[^>]*>([^<]*)', html) == ["องค์การบริหารส่วนตำบลภูซาง"]
    html = client.get(reverse("reports:overview"), {"q": "สบ"}).content.decode()
    assert re.findall(r'data-org="\d+">\s*<td><a[^>]*>([^<]*)', html) == ["เทศบาลตำบลสบปราบ"]


def test_it_explains_filters_it_does_not_understand_in_thai(national_admin: User) -> None:
    response = client_for(national_admin).get(
        reverse("reports:overview"), {"kind": "castle", "sort": "height", "page": "สาม"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ตัวกรองบางรายการไม่ถูกต้อง" in html
    assert len(re.findall(r'data-org="\d+"', html)) == 5  # the bad filters are left out


def test_it_sorts_organisations_without_results_last() -> None:
    from assessments.models import YearSummary

    for name, score in [("ง", "90"), ("ข", None), ("ค", "95"), ("ก", "90")]:
        org = Organisation.objects.create(name=name, province="ตาก", kind="sao")
        if score:
            YearSummary.objects.create(
                organisation=org, fiscal_year=2568, latest=True, score=Decimal(score)
            )
    figures = overview.with_figures(Organisation.objects.all(), TODAY)

    def names(sort: str) -> list[str]:
        return [org.name for org in figures.order_by(*ordering(sort))]

    assert names("score") == ["ค", "ก", "ง", "ข"]
    assert names("-score") == ["ก", "ง", "ค", "ข"]
    assert names("overdue") == ["ก", "ค", "ง", "ข"]  # none overdue: by name, no result last
    assert names("name") == ["ก", "ข", "ค", "ง"]


def test_the_filter_form_offers_only_what_the_area_has(demo_seeds: None) -> None:
    form = select(Organisation.objects.filter(province="เพชรบุรี"), None, [], TODAY).form
    assert "province" not in form.fields
    assert [value for value, _label in form.fields["district"].choices] == ["", "ชะอำ"]  # type: ignore[attr-defined]


def test_it_exports_the_filtered_rows_to_xlsx(national_admin: User) -> None:
    response = client_for(national_admin).get(
        reverse("reports:overview_xlsx"), {"province": "เพชรบุรี"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "หน่วยงาน" and len(rows) == 1
    assert rows[0][0] == BANGKAO and rows[0][4] == 2565 and rows[0][5] == 68.78
    assert rows[0][6] == "C" and rows[0][8] == 8


def test_a_score_change_shows_at_once(demo_seeds: None) -> None:
    supervisor = client_for(User.objects.get(username="supervisor-phetchaburi"))
    before = supervisor.get(reverse("reports:overview")).content.decode()
    assert "๖๘.๗๘" in before
    bangkao = Organisation.objects.get(name=BANGKAO)
    assessment_save(
        organisation=bangkao,
        fiscal_year=2566,
        scores=scores_of(["97"] * 10),
        published_score=None,
        published_level="",
        thresholds=DEFAULT_THRESHOLDS,
        user=None,
    )
    after = supervisor.get(reverse("reports:overview")).content.decode()
    assert "๒๕๖๖" in after and "๙๗.๐๐" in after and "๖๘.๗๘" not in after


def test_measures_change_the_coverage_and_the_overdue_count_at_once(demo_seeds: None) -> None:
    bangkao = Organisation.objects.get(name=BANGKAO)
    plan = MeasurePlan.objects.get(organisation=bangkao, fiscal_year=2566)
    before = overview.compute_rows(Organisation.objects.filter(province="เพชรบุรี"), TODAY)[0]
    for measure in plan.measures.all():
        measure_delete(measure=measure, user=None)
    after = overview.compute_rows(Organisation.objects.filter(province="เพชรบุรี"), TODAY)[0]
    assert before.uncovered == 0 and before.overdue > 0
    assert after.uncovered == after.needing == 10 and after.overdue == 0
    late = MeasureData(
        title="ใหม่",
        indicators=[1, 2],
        start_month=dt.date(2023, 1, 1),
        end_month=dt.date(2023, 3, 1),
    )
    measure_create(plan=plan, data=late, owners=[], user=None)
    now = overview.compute_rows(Organisation.objects.filter(province="เพชรบุรี"), TODAY)[0]
    assert (now.uncovered, now.overdue) == (8, 1)


def test_it_narrows_a_district_supervisor(demo_seeds: None) -> None:
    bangkao = Organisation.objects.get(name=BANGKAO)
    Organisation.objects.create(kind="sao", name="อบต.ทดสอบ", district="ท่ายาง", province="เพชรบุรี")
    user = make_user(
        "district", role=Role.SUPERVISOR, supervised_province="เพชรบุรี", supervised_district="ท่ายาง"
    )
    html = client_for(user).get(reverse("reports:overview")).content.decode()
    assert "อบต.ทดสอบ" in html and bangkao.name not in html
    assert "อำเภอท่ายาง" in html


def test_it_sends_organisation_members_to_their_own_dashboard(demo_seeds: None) -> None:
    staff = User.objects.get(username="bangkao-staff")
    response = client_for(staff).get(reverse("reports:overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:dashboard", args=[staff.organisation_id])
    xlsx = client_for(staff).get(reverse("reports:overview_xlsx"), follow=True)
    assert xlsx.redirect_chain[-1:] == [(response["Location"], 302)]  # no spreadsheet: home


def test_it_keeps_its_queries_constant_whatever_the_area(
    demo_seeds: None, django_assert_num_queries: Any
) -> None:
    """A first and a second visit, at one and at six organisations."""
    supervisor = client_for(User.objects.get(username="supervisor-phetchaburi"))
    url = reverse("reports:overview")
    supervisor.get(url)  # the first request after logging in also saves the session

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as cold:
            assert supervisor.get(url).status_code == 200
        cold_count = len(cold)  # now: the next request empties the connection's query log
        with CaptureQueriesContext(connection) as warm:
            assert supervisor.get(url).status_code == 200
        return cold_count, len(warm)

    cold, warm = counts()
    for n in range(5):
        org = Organisation.objects.create(kind="sao", name=f"อบต.ทดสอบ{n}", province="เพชรบุรี")
        assessment_save(
            organisation=org,
            fiscal_year=2565,
            scores=scores_of(["80"] * 10),
            published_score=None,
            published_level="",
            thresholds=DEFAULT_THRESHOLDS,
            user=None,
        )
        plan = plan_create(organisation=org, fiscal_year=2566)
        measure_create(plan=plan, data=MeasureData("มาตรการ", [1]), owners=[], user=None)
    with django_assert_num_queries(cold):
        html = supervisor.get(url).content.decode()
    assert len(re.findall(r'data-org="\d+"', html)) == 6
    with django_assert_num_queries(warm):
        supervisor.get(url)


def test_each_process_keeps_the_national_figures_a_minute(demo_seeds: None, settings: Any) -> None:
    settings.NATIONAL_FIGURES_SECONDS = 60
    overview._national = None
    first = overview.national_by_kind()
    bangkao = Organisation.objects.get(name=BANGKAO)
    bangkao.summaries.filter(latest=True).update(score=Decimal("12.00"))
    assert overview.national_by_kind() == first  # kept: not read again within the minute
    assert overview._national is not None
    overview._national = (overview._national[0] - 61, first)  # a minute and a second later
    assert overview.national_by_kind() != first
    overview._national = None


def test_the_sort_by_organisation_says_the_organisations_name() -> None:
    with translation.override("th"):
        form = select(Organisation.objects.none(), None, [], TODAY).form
        html = str(form["sort"].as_widget())
    labels = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert labels[0] == "ชื่อหน่วยงาน" and "ชื่อ-สกุล" not in labels


@pytest.mark.postgres
def test_the_first_page_by_name_reads_postgresqls_name_index(demo_seeds: None) -> None:
    """The overview's first page, by name, for the whole country: PostgreSQL can read it in
    order from the index of names in character order (migration 0018), instead of sorting every
    organisation. Sorting and full scans are made dear, as 7,850 organisations make them, so
    the plan shows whether the index serves this ORDER BY (its collation must be the query's)."""
    shown = select(Organisation.objects.all(), None, [], dt.date(2026, 12, 4))
    first_page = shown.chosen.values_list(*overview.ROW_FIELDS)[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = first_page.explain()
    assert "organisation_name_c" in plan, plan
