"""What the checklist predicts: an item at 100 only with every element, a healthy page and the
right year; the predicted OIT by the framework's rule; the overall and rating with the last
assessed year or the office's estimate; and what each missing item costs."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments import ita
from assessments.models import Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal.accounts.models import AuditEvent, User
from reports.oit import years
from reports.oit.models import LinkCheck, OitEntry, OitEstimate, OitEvidence
from reports.oit.readiness import checklist_of
from reports.oit.selectors import oit_year
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
YEAR = 2569


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def opened(org: Organisation, staff: User) -> Organisation:
    client_for(staff).get(reverse("reports:oit_checklist", args=[org.pk, YEAR]))
    return org


def make_ready(org: Organisation, code: str, *, year_found: int | str | None = "right") -> OitEntry:
    entry = OitEntry.objects.select_related("item").get(
        organisation=org, fiscal_year=YEAR, item__code=code
    )
    if year_found == "right":  # the year the item wants (reports: the year before)
        year_found = years.required_year(entry.item.evidence_year, YEAR)
    entry.url = f"https://www.bangkao.go.th/{code}"
    entry.elements_done = list(range(1, max(len(entry.item.element_list), 1) + 1))
    entry.save()
    LinkCheck.objects.create(
        entry=entry,
        url=entry.url,
        checked_at=timezone.now(),
        ok=True,
        year_found=year_found if isinstance(year_found, int) else None,
    )
    return entry


def prediction(org: Organisation) -> Any:
    year = oit_year(org, YEAR)
    assert year is not None
    return checklist_of(org, YEAR, year, FrameworkCatalogue())


def test_an_item_counts_100_only_when_everything_is_in(opened: Organisation) -> None:
    before = prediction(opened)
    assert before.prediction.oit == Decimal("0.00")
    cost = next(c.points for c in before.prediction.costs if c.code == "o23")
    make_ready(opened, "o23")
    after = prediction(opened)
    assert after.prediction.items["o23"] == 100
    rules = FrameworkCatalogue().rules_for_year(YEAR)
    assert rules is not None
    weight = next(i.weight for i in rules.instruments if i.code == "OIT")
    # o23 is one of indicator 10's seven items: OIT rises by 100 / 7 / 2, the overall by 40 % of it
    assert after.prediction.oit == ita.round2(ita.round2(Decimal(100) / 7) / 2)
    assert cost == ita.round2(weight * Decimal(100) / 7 / 2)
    assert "o23" not in [c.code for c in after.prediction.costs]


@pytest.mark.parametrize(
    "spoil", ["an element missing", "the page broken", "never checked", "a wrong year"]
)
def test_one_gap_costs_the_whole_item(opened: Organisation, spoil: str) -> None:
    entry = make_ready(opened, "o25", year_found=2568 if spoil == "a wrong year" else YEAR)
    assert entry.item.evidence_year == "assessed"
    if spoil == "an element missing":
        entry.elements_done = [1]
        entry.save()
    if spoil == "the page broken":
        LinkCheck.objects.create(entry=entry, url=entry.url, checked_at=timezone.now(), ok=False)
    if spoil == "never checked":
        LinkCheck.objects.all().delete()
    assert prediction(opened).prediction.items["o25"] == 0


def test_a_check_of_another_address_does_not_count(opened: Organisation) -> None:
    entry = make_ready(opened, "o1")
    entry.url = "https://www.bangkao.go.th/moved"
    entry.save()
    assert prediction(opened).prediction.items["o1"] == 0


def test_the_page_shows_the_predicted_figures_with_last_years_results(
    assessed_org: Organisation, staff: User
) -> None:
    """บางเก่า's FY 2565: IIT and EIT come from its last assessed year."""
    client = client_for(staff)
    url = reverse("reports:oit_checklist", args=[assessed_org.pk, YEAR])
    client.get(url)
    for entry in OitEntry.objects.select_related("item"):
        make_ready(assessed_org, entry.item.code)
    page = text(client.get(url))
    assert "OIT คาดการณ์ ๑๐๐.๐๐" in page
    assert "ผลการประเมินปีงบประมาณ ๒๕๖๕" in page
    checklist = prediction(assessed_org)
    assert checklist.prediction.others_year == 2565
    overall = checklist.prediction.overall
    assert overall == ita.round2(
        Decimal("0.3") * checklist.prediction.others["IIT"]
        + Decimal("0.3") * checklist.prediction.others["EIT"]
        + Decimal("0.4") * 100
    )
    assert "ทุกข้อคาดว่าได้ ๑๐๐" in page


def test_the_costliest_items_come_first(opened: Organisation, staff: User) -> None:
    page = client_for(staff).get(reverse("reports:oit_checklist", args=[opened.pk, YEAR]))
    costs = re.findall(r'<tr data-item="(o\d+)">', page.content.decode())
    assert len(costs) == 26
    # indicator 10's seven items each cost more than indicator 9's nineteen
    assert set(costs[:7]) == {f"o{n}" for n in range(20, 27)}
    assert "๒.๘๖" in text(page) and "๑.๐๕" in text(page)


def test_the_office_estimate_is_taken_in_thai_digits(opened: Organisation, staff: User) -> None:
    client = client_for(staff)
    url = reverse("reports:oit_estimate", args=[opened.pk, YEAR])
    answer = client.post(url, {"IIT": "๙๒.๕๐", "EIT": "๘๘"})
    assert answer.status_code == 302
    estimate = OitEstimate.objects.get()
    assert estimate.scores == {"IIT": "92.50", "EIT": "88"}
    assert AuditEvent.objects.filter(object_type="reports.oitestimate").count() == 1
    checklist = prediction(opened)
    # OIT 0, IIT 92.50, EIT 88 at 0.30 / 0.30 / 0.40
    assert checklist.prediction.overall == Decimal("54.15")
    page = text(client.get(reverse("reports:oit_checklist", args=[opened.pk, YEAR])))
    assert "ตามที่หน่วยงานประมาณไว้" in page and "๕๔.๑๕" in page


@pytest.mark.parametrize("value", ["๑๐๑", "abc", "-1"])
def test_a_bad_estimate_is_refused_in_thai_and_nothing_is_kept(
    opened: Organisation, staff: User, value: str
) -> None:
    answer = client_for(staff).post(
        reverse("reports:oit_estimate", args=[opened.pk, YEAR]), {"IIT": value}
    )
    assert answer.status_code == 400
    assert "ไม่มีการบันทึก" in text(answer) or "กรุณา" in text(answer)
    assert not OitEstimate.objects.exists()


def test_the_item_cost_follows_the_indicator_size() -> None:
    rules = ita.Rules(
        instruments=(
            ita.InstrumentRule("IIT", Decimal("0.6"), (1,)),
            ita.InstrumentRule("OIT", Decimal("0.4"), (2, 3), score_from_items="mean"),
        ),
        bands=(ita.Band("ผ่าน", Decimal(0), True),),
        tolerance=Decimal("0.5"),
        items=(
            ita.ItemRule("o1", 2, True),
            ita.ItemRule("o2", 2, True),
            ita.ItemRule("o3", 3, True),
        ),
    )
    items = {"o1": Decimal(0), "o2": Decimal(100), "o3": Decimal(0)}
    assert ita.item_cost(rules, "o1", items) == Decimal("0.4") * 25
    assert ita.item_cost(rules, "o3", items) == Decimal("0.4") * 50
    assert ita.overall_from_means(rules, {"IIT": Decimal(90), "OIT": Decimal(50)}) == 74
    assert ita.overall_from_means(rules, {"IIT": Decimal(90)}) is None


def test_evidence_of_an_unreadable_year_costs_nothing(opened: Organisation) -> None:
    entry = make_ready(opened, "o1", year_found=None)
    OitEvidence.objects.create(entry=entry, title="โครงสร้าง", link="https://a.go.th/x")
    assert prediction(opened).prediction.items["o1"] == 100


def test_the_supervisor_overview_shows_readiness_and_leads_to_the_checklist(
    opened: Organisation, supervisor: User
) -> None:
    entry = make_ready(opened, "o23")
    OitEntry.objects.filter(pk=entry.pk).update(status="checked")
    broken = make_ready(opened, "o1")
    LinkCheck.objects.create(entry=broken, url=broken.url, checked_at=timezone.now(), ok=False)
    client = client_for(supervisor)
    page = client.get(reverse("reports:overview")).content.decode()
    row = page[page.index(f'data-org="{opened.pk}"') :].split("</tr>")[0]
    checklist = reverse("reports:oit_checklist", args=[opened.pk, YEAR])
    assert f'href="{checklist}">๑/๒๖<' in row
    assert "๗.๑๕" in row  # o23 alone: indicator 10 at 14.29, OIT at 7.15
    assert re.search(r'oit-broken text-danger fw-semibold">๑<', row)
    assert client.get(checklist).status_code == 200
    sheet = load_workbook(io.BytesIO(client.get(reverse("reports:overview_xlsx")).content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-4:] == ("ข้อ OIT ที่พร้อม (2569)", "ข้อ OIT", "OIT คาดการณ์", "ลิงก์เสีย")
    bangkao = next(r for r in rows if r[0] == opened.name)
    assert bangkao[-4:] == (1, 26, 7.15, 1)
