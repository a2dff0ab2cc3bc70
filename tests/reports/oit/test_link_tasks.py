"""A checklist's addresses checked and kept: one LinkCheck row per address and run, the check
that speaks for each item, the checklist page's button (a task, in-process without Redis), and
`check_oit_links` as cron runs it: nightly, and every few hours in the week before the deadline."""

from __future__ import annotations

import datetime as dt
import sys
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Item, Organisation
from itaportal.celery import app as celery_app
from reports.oit.links import ChecksSummary, entries_check
from reports.oit.models import LinkCheck, OitEntry, OitEvidence
from reports.oit.selectors import latest_address_checks, latest_checks
from reports.oit.tasks import oit_links_check_start
from tests.conftest import client_for
from tests.reports.oit.conftest import LinkServer

pytestmark = pytest.mark.django_db

YEAR = 2569
# 1 March 2569 B.E.: FY 2569, two months before the OIT deadline (30 April 2026)
IN_FY = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
DEADLINE_WEEK = dt.datetime(2026, 4, 26, 9, tzinfo=dt.UTC)


def oit_items(year: int, count: int) -> list[Item]:
    return list(
        Item.objects.filter(
            indicator__instrument__all_or_nothing=True,
            indicator__instrument__framework__first_year__lte=year,
            indicator__instrument__framework__last_year__gte=year,
        ).order_by("pk")[:count]
    )


def entry(org: Organisation, item: Item, url: str = "", year: int = YEAR) -> OitEntry:
    return OitEntry.objects.create(organisation=org, fiscal_year=year, item=item, url=url)


def evidence(on: OitEntry, link: str) -> OitEvidence:
    return OitEvidence.objects.create(entry=on, element=1, title="หลักฐาน", link=link)


@pytest.fixture
def checklist(org: Organisation, links_allowed: LinkServer) -> dict[str, OitEntry]:
    """บางเก่า's website is the local server: a healthy page with a PDF of the wrong year, a
    404, and an item whose only address is an evidence link that loops."""
    org.website = links_allowed.url("/")
    org.save()
    first, second, third = oit_items(YEAR, 3)
    entries = {
        "healthy": entry(org, first, links_allowed.url("/ita/o1")),
        "missing": entry(org, second, links_allowed.url("/ita/o99")),
        "looping": entry(org, third),
    }
    evidence(entries["healthy"], links_allowed.url("/old.pdf"))
    evidence(entries["looping"], links_allowed.url("/loop/a"))
    return entries


def check_of(on: OitEntry, *, evidence: bool = False) -> LinkCheck:
    return LinkCheck.objects.get(entry=on, evidence__isnull=not evidence)


def test_it_keeps_one_row_per_address_with_what_came_back(
    org: Organisation, checklist: dict[str, OitEntry]
) -> None:
    summary = entries_check(entries=OitEntry.objects.filter(organisation=org))
    assert summary == ChecksSummary(entries=3, addresses=4, healthy=2) and summary.broken == 2
    page = check_of(checklist["healthy"])
    assert (page.ok, page.status_code, page.problem) == (True, 200, "")
    assert page.year_found == 2569 and page.on_own_domain is True
    assert page.title.startswith("แผนปฏิบัติการป้องกันการทุจริต")
    pdf = check_of(checklist["healthy"], evidence=True)
    assert pdf.ok and pdf.year_found == 2567 and pdf.content_type == "application/pdf"
    missing = check_of(checklist["missing"])
    assert (missing.ok, missing.status_code) == (False, 404)
    assert missing.problem == "ลิงก์เสีย: เว็บไซต์ตอบ ๔๐๔"
    loop = check_of(checklist["looping"], evidence=True)
    assert not loop.ok and loop.problem == "เปลี่ยนเส้นทางวนซ้ำ" and len(loop.redirects) == 2


def test_an_items_page_off_the_organisations_website_is_not_healthy(
    org: Organisation, checklist: dict[str, OitEntry]
) -> None:
    org.website = "https://www.bangkao.go.th"
    org.save()
    entries_check(entries=[checklist["healthy"]])
    page = check_of(checklist["healthy"])
    assert page.status_code == 200 and page.on_own_domain is False and not page.ok
    assert page.problem == "ไม่อยู่บนเว็บไซต์ของหน่วยงาน (127.0.0.1)"
    # evidence may live elsewhere (a Facebook page, e-GP): noted, not held against the item
    pdf = check_of(checklist["healthy"], evidence=True)
    assert pdf.on_own_domain is False and pdf.ok and pdf.problem == ""


def test_every_run_adds_to_the_history_and_the_latest_speaks(
    org: Organisation, checklist: dict[str, OitEntry], links_allowed: LinkServer
) -> None:
    entries_check(entries=[checklist["missing"]])
    checklist["missing"].url = links_allowed.url("/ita/o1")  # the office fixed the address
    checklist["missing"].save()
    entries_check(entries=[checklist["missing"]])
    assert LinkCheck.objects.filter(entry=checklist["missing"]).count() == 2
    assert latest_checks([checklist["missing"]])[checklist["missing"].pk].ok


def test_the_check_that_speaks_for_an_item_in_one_query(
    org: Organisation, checklist: dict[str, OitEntry], links_allowed: LinkServer,
    django_assert_num_queries: Any,
) -> None:  # fmt: skip
    entries = list(OitEntry.objects.filter(organisation=org).order_by("pk"))
    entries_check(entries=entries)
    healthy, missing, looping = entries
    OitEvidence.objects.filter(entry=healthy).update(link=links_allowed.url("/ita/o98"))
    entries_check(entries=[healthy])  # now its evidence link is broken, its page still healthy
    never = entry(org, oit_items(YEAR, 4)[3], links_allowed.url("/ita/o1"))
    with django_assert_num_queries(1):
        speaking = latest_checks([*entries, never])
    assert speaking[healthy.pk].url == links_allowed.url("/ita/o98")  # the failing one
    assert speaking[missing.pk].status_code == 404
    assert speaking[looping.pk].problem == "เปลี่ยนเส้นทางวนซ้ำ"
    assert never.pk not in speaking
    healthy.url = links_allowed.url("/moved")  # changed since: its old check no longer counts
    assert (healthy.pk, None) not in latest_address_checks([healthy])


def test_the_checklist_button_checks_that_organisation_and_year_only(
    org: Organisation, other_org: Organisation, checklist: dict[str, OitEntry],
    links_allowed: LinkServer, settings: Any,
) -> None:  # fmt: skip
    settings.BATCH_RUNNER = "now"  # as "thread" without Redis, but at once
    [item] = oit_items(YEAR, 1)
    elsewhere = entry(other_org, item, links_allowed.url("/ita/o1"))
    next_year = entry(org, item, links_allowed.url("/ita/o1"), year=YEAR + 1)
    oit_links_check_start(organisation_id=org.pk, fiscal_year=YEAR)
    assert LinkCheck.objects.filter(entry__organisation=org, entry__fiscal_year=YEAR).count() == 4
    assert not LinkCheck.objects.filter(entry__in=[elsewhere, next_year]).exists()


def test_staff_press_the_checklists_button_and_see_the_broken_link(
    org: Organisation, staff: Any, checklist: dict[str, OitEntry], settings: Any
) -> None:
    settings.BATCH_RUNNER = "now"  # as "thread" without Redis, but at once
    client = client_for(staff)
    page = reverse("reports:oit_checklist", args=[org.pk, YEAR])
    assert 'id="check-links"' in client.get(page).content.decode()
    answer = client.post(reverse("reports:oit_links_check", args=[org.pk, YEAR]), follow=True)
    html = answer.content.decode()
    assert "กำลังตรวจลิงก์" in html
    assert "ลิงก์เสีย: เว็บไซต์ตอบ ๔๐๔" in html  # o99 on the local website
    assert LinkCheck.objects.filter(entry__organisation=org).count() == 4


def test_an_items_page_shows_its_checks_history(
    org: Organisation, staff: Any, checklist: dict[str, OitEntry]
) -> None:
    for _run in range(2):
        entries_check(entries=OitEntry.objects.filter(pk=checklist["missing"].pk))
    item = checklist["missing"].item.code
    html = client_for(staff).get(reverse("reports:oit_entry", args=[org.pk, YEAR, item]))
    history = html.content.decode().split('id="link-history"')[1].split("</table>")[0]
    assert history.count("ลิงก์เสีย: เว็บไซต์ตอบ ๔๐๔") == 2


def test_the_workers_know_the_task(monkeypatch: pytest.MonkeyPatch) -> None:
    """Celery's autodiscovery imports the task's module (a worker imports nothing else of the
    portal that would)."""
    name = "reports.oit.tasks.oit_links_check"
    monkeypatch.delitem(sys.modules, "reports.oit.tasks")
    monkeypatch.delitem(celery_app.tasks, name)
    celery_app.loader.import_default_modules()
    assert name in celery_app.tasks


def run(*args: str) -> str:
    out = StringIO()
    call_command("check_oit_links", *args, stdout=out)
    return out.getvalue()


def checks() -> int:
    return LinkCheck.objects.count()


def made_before(moment: dt.datetime) -> None:
    """The checklist was last changed before the time the test travels to."""
    OitEntry.objects.update(updated_at=moment - dt.timedelta(days=1))


def test_the_command_checks_again_once_a_day(checklist: dict[str, OitEntry]) -> None:
    made_before(IN_FY)
    with time_machine.travel(IN_FY, tick=True) as traveller:
        assert run() == "4 addresses of 3 items checked: 2 healthy, 2 broken.\n"
        traveller.shift(dt.timedelta(hours=7))
        run()
        assert checks() == 4
        # the same hour the next day, this run starting before yesterday's had written its rows
        traveller.shift(dt.timedelta(hours=17, minutes=-1))
        run()
        assert checks() == 8


def test_in_the_week_before_the_deadline_it_checks_every_six_hours(
    checklist: dict[str, OitEntry],
) -> None:
    made_before(DEADLINE_WEEK)
    with time_machine.travel(DEADLINE_WEEK, tick=True) as traveller:
        run()
        traveller.shift(dt.timedelta(hours=3))  # cron's next run
        run()
        assert checks() == 4
        traveller.shift(dt.timedelta(hours=3))
        run()
        assert checks() == 8


def test_a_changed_item_is_checked_at_the_next_run(
    checklist: dict[str, OitEntry], links_allowed: LinkServer
) -> None:
    made_before(IN_FY)
    with time_machine.travel(IN_FY, tick=True) as traveller:
        run()
        traveller.shift(dt.timedelta(hours=1))
        checklist["missing"].url = links_allowed.url("/ita/o1")
        checklist["missing"].save()
        run()
    assert checks() == 5 and latest_checks([checklist["missing"]])[checklist["missing"].pk].ok


def test_the_command_checks_the_year_being_assessed_by_default(
    org: Organisation, checklist: dict[str, OitEntry], links_allowed: LinkServer
) -> None:
    [item] = oit_items(YEAR, 1)
    started_early = entry(org, item, links_allowed.url("/ita/o1"), year=YEAR + 1)
    older = entry(org, item, links_allowed.url("/ita/o1"), year=YEAR - 1)
    with time_machine.travel(IN_FY, tick=True):
        run()
        assert not LinkCheck.objects.filter(entry__in=[started_early, older]).exists()
        run("--year", "๒๕๖๘")  # Thai digits
    assert LinkCheck.objects.filter(entry=older).count() == 1


def test_the_command_checks_one_organisation(
    org: Organisation, other_org: Organisation, checklist: dict[str, OitEntry],
    links_allowed: LinkServer,
) -> None:  # fmt: skip
    [item] = oit_items(YEAR, 1)
    entry(other_org, item, links_allowed.url("/ita/o1"))
    run("--org-name", org.name, "--province", org.province)
    assert not LinkCheck.objects.filter(entry__organisation=other_org).exists()
    assert checks() == 4
    run("--org-name", org.name, "--all")
    assert checks() == 8


@pytest.mark.parametrize(
    "args", [("--year", "next"), ("--org-name", "เทศบาลตำบลไม่มีจริง"), ("--province", "ไม่มี")]
)
def test_the_command_refuses_what_it_cannot_read(
    checklist: dict[str, OitEntry], args: tuple[str, ...]
) -> None:
    with pytest.raises(CommandError):
        run(*args)
    assert checks() == 0
