"""Every list page runs the same number of queries whatever the number of rows it lists.

Each test builds its rows (with what hangs off them: owners, follow-up, steps, events) at a small
size, counts the queries of the page, grows the rows, and asks for exactly that count again: a
query per row (N+1) fails, and the failure lists the queries (with -v). Each test also checks
that the page shows every row, so a page that lists nothing cannot pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, replace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from assessments.models import Organisation
from itaportal import thai
from itaportal.accounts.audit import audit
from itaportal.accounts.models import AuditEvent, Role, User
from measures.models import Measure, MeasurePlan, Progress
from measures.services import plan_create
from reports.documents.models import Committee, CommitteeMember
from reports.documents.services import CommitteeData, MemberData, committee_create
from reports.memos.models import Memo, MemoAction
from reports.memos.services import MemoContent, RouteStep, memo_act, memo_create, memo_submit
from reports.oit.models import OitEntry, OitEvidence, OitNote
from reports.oit.selectors import oit_items
from tests.conftest import clear_caches, client_for, make_user

pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 12
TODAY = dt.date(2025, 2, 11)
MEMO_DATA = MemoContent(
    unit="สำนักปลัด", subject="รายงานผล ITA", addressee="นายก", facts="ข้อเท็จจริง",
    drafter_name="ทับทิม", drafter_position="นักทรัพยากรบุคคล",
)  # fmt: skip


def queries_of(client: Client, url: str) -> tuple[int, str]:
    """The page's queries, counted on a second request (the first saves the new session) with an
    empty cache: what the first reader after a change pays, not a page served from the cache."""
    assert client.get(url).status_code == 200
    clear_caches()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def page_in(
    count: int, client: Client, url: str, django_assert_num_queries: DjangoAssertNumQueries
) -> str:
    clear_caches()
    with django_assert_num_queries(count):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def assert_shows(html: str, texts: Iterable[str]) -> None:
    missing = [text for text in texts if text not in html]
    assert not missing, f"the page does not show {missing}"


def person(org: Organisation, n: int, role: str = Role.STAFF) -> User:
    return make_user(
        f"person-{org.pk}-{n:02d}",
        organisation=org,
        role=role,
        first_name=f"คนที่{n:02d}",
        last_name="ทดสอบ",
        position=f"ตำแหน่ง-{n:02d}",
    )


def measure_title(n: int) -> str:
    return f"มาตรการทดสอบ-{n:02d}"


def add_measures(plan: MeasurePlan, numbers: range, *, owners: Iterable[User] = ()) -> None:
    """Measures as people fill them in: owners, other people, a timeline, two follow-ups each."""
    owners = list(owners)
    for n in numbers:
        measure = Measure.objects.create(
            plan=plan,
            order=n,
            title=measure_title(n),
            indicators=[9, 10],
            method="ประชุมชี้แจง",
            responsible_unit="สำนักปลัด",
            other_people="นิติกร\nเจ้าพนักงานธุรการ",
            start_month=dt.date(2023, 1, 1),
            end_month=dt.date(2023, 3, 1),
            cadence="monthly",
        )
        measure.owners.set(owners)
        Progress.objects.bulk_create(
            Progress(
                measure=measure,
                date=dt.date(2023, month, 28),
                done=f"ดำเนินการ-{n:02d}-{month}",
                outcome=f"ผล-{n:02d}-{month}",
            )
            for month in (1, 2)
        )


def member(n: int, i: int) -> MemberData:
    return MemberData(
        group="steering" if i % 2 else "working",
        name=f"กรรมการ-{n:02d}-{i:02d}",
        position="ปลัด",
        role="กรรมการ",
    )


def add_committee(org: Organisation, n: int, members: int) -> Committee:
    return committee_create(
        organisation=org,
        data=CommitteeData(
            fiscal_year=2566 + n,
            subject=f"แต่งตั้งคณะกรรมการ-{n:02d}",
            reasons="เพื่อให้การประเมิน ITA เป็นไปด้วยความเรียบร้อย",
            duties_steering="อำนวยการ",
            duties_working="ดำเนินการ",
            issued_on=dt.date(2023, 1, 1) + dt.timedelta(days=n),
            signer_name="นายทดสอบ ลงนาม",
            signer_position="นายกเทศมนตรี",
        ),
        members=[member(n, i) for i in range(members)],
    )


# Measures ----------------------------------------------------------------------------------


@pytest.fixture
def plan(assessed_org: Organisation) -> MeasurePlan:
    """บางเก่า's FY 2566 plan, answering its FY 2565 results (as in tests/measures)."""
    return plan_create(organisation=assessed_org, fiscal_year=2566)


@pytest.fixture
def measure(plan: MeasurePlan) -> Measure:
    add_measures(plan, range(1))
    return plan.measures.get()


def test_it_lists_plans_in_constant_queries(
    org: Organisation, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client, url = client_for(staff), reverse("measures:plan_list", args=[org.pk])
    years = [2566 + n for n in range(LARGE)]
    for year in years[:SMALL]:
        plan_create(organisation=org, fiscal_year=year)
    count, html = queries_of(client, url)
    assert_shows(html, [f"/plans/{year}/" for year in years[:SMALL]])
    for year in years[SMALL:]:
        plan_create(organisation=org, fiscal_year=year)
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"/plans/{year}/" for year in years])


def test_it_shows_a_plan_in_constant_queries(
    plan: MeasurePlan, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    org = plan.organisation
    owners = [staff, person(org, 1)]
    client = client_for(staff)
    url = reverse("measures:plan_detail", args=[org.pk, plan.fiscal_year])
    add_measures(plan, range(SMALL), owners=owners)
    count, html = queries_of(client, url)
    assert_shows(html, [measure_title(n) for n in range(SMALL)] + ["คนที่01 ทดสอบ"])
    add_measures(plan, range(SMALL, LARGE), owners=owners)
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [measure_title(n) for n in range(LARGE)])
    assert html.count("data-measure=") == LARGE


def test_it_lists_my_measures_in_constant_queries(
    org: Organisation, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """Measures of several plans: each row shows its plan's year in the organisation's digits."""
    client, url = client_for(staff), reverse("measures:my_measures")

    def add(numbers: range) -> None:
        for n in numbers:
            add_measures(
                plan_create(organisation=org, fiscal_year=2566 + n), range(n, n + 1), owners=[staff]
            )

    add(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, [measure_title(n) for n in range(SMALL)])
    add(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [measure_title(n) for n in range(LARGE)])


def test_it_shows_a_measure_and_its_follow_up_in_constant_queries(
    measure: Measure, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    org = measure.plan.organisation
    client, url = client_for(staff), reverse("measures:measure_detail", args=[measure.pk])

    def add(numbers: range) -> None:
        measure.owners.add(*(person(org, n) for n in numbers))
        Progress.objects.bulk_create(
            Progress(
                measure=measure,
                date=dt.date(2023, 1, 1) + dt.timedelta(days=n),
                done=f"ติดตามผล-{n:02d}",
                evidence_url=f"https://example.org/evidence/{n}",
            )
            for n in numbers
        )

    add(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, [f"ติดตามผล-{n:02d}" for n in range(SMALL)])
    add(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"ติดตามผล-{n:02d}" for n in range(LARGE)])
    assert_shows(html, [f"คนที่{n:02d} ทดสอบ" for n in range(LARGE)])


def test_it_offers_the_organisations_people_as_owners_in_constant_queries(
    measure: Measure, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    org = measure.plan.organisation
    client, url = client_for(staff), reverse("measures:measure_edit", args=[measure.pk])
    people = [person(org, n) for n in range(SMALL)]
    measure.owners.set(people)
    count, html = queries_of(client, url)
    assert_shows(html, [f"คนที่{n:02d} ทดสอบ" for n in range(SMALL)])
    people += [person(org, n) for n in range(SMALL, LARGE)]
    measure.owners.set(people)
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"คนที่{n:02d} ทดสอบ" for n in range(LARGE)])


def test_it_exports_a_plan_in_constant_queries(
    plan: MeasurePlan, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    org = plan.organisation
    owners = [staff, person(org, 1)]
    client = client_for(staff)
    url = reverse("measures:plan_export", args=[org.pk, plan.fiscal_year, "csv"])
    add_measures(plan, range(SMALL), owners=owners)
    count, csv = queries_of(client, url)
    assert_shows(csv, [measure_title(n) for n in range(SMALL)])
    add_measures(plan, range(SMALL, LARGE), owners=owners)
    csv = page_in(count, client, url, django_assert_num_queries)
    assert_shows(csv, [measure_title(n) for n in range(LARGE)] + ["คนที่01 ทดสอบ"])


# Documents ---------------------------------------------------------------------------------


def test_it_lists_the_documents_in_constant_queries(
    assessed_org: Organisation, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    org = assessed_org
    client, url = client_for(staff), reverse("reports:document_index", args=[org.pk])

    def add(numbers: range) -> list[str]:
        for n in numbers:
            plan_create(organisation=org, fiscal_year=2566 + n)
            add_committee(org, n, members=2)
        return [f'data-kind="plan" data-year="{2566 + n}"' for n in numbers] + [
            f'data-kind="order" data-year="{2566 + n}"' for n in numbers
        ]

    shown = add(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, shown)
    shown += add(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, shown)


def printed(names: list[str], page: str = "document_preview") -> list[str]:
    """Names as a document prints what people typed: in the organisation's (Thai) digits."""
    return [thai.typed_digits(n) for n in names] if page == "document_preview" else names


@pytest.mark.parametrize("kind", ["plan", "progress"])
def test_it_previews_the_plan_documents_in_constant_queries(
    plan: MeasurePlan, staff: User, kind: str, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    org = plan.organisation
    owners = [staff, person(org, 1)]
    client = client_for(staff)
    url = reverse("reports:document_preview", args=[org.pk, kind, plan.fiscal_year])
    add_measures(plan, range(SMALL), owners=owners)
    count, html = queries_of(client, url)
    assert_shows(html, printed([measure_title(n) for n in range(SMALL)]))
    add_measures(plan, range(SMALL, LARGE), owners=owners)
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, printed([measure_title(n) for n in range(LARGE)]))
    if kind == "progress":
        assert_shows(html, printed([f"ดำเนินการ-{n:02d}-2" for n in range(LARGE)]))


def test_it_previews_the_analysis_with_the_next_plan_in_constant_queries(
    plan: MeasurePlan, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """The analysis of FY 2565 lists the measures of the plan that answers it (FY 2566)."""
    org = plan.organisation
    client = client_for(staff)
    url = reverse("reports:document_preview", args=[org.pk, "analysis", plan.based_on_year])
    add_measures(plan, range(SMALL), owners=[staff])
    count, html = queries_of(client, url)
    assert_shows(html, printed([measure_title(n) for n in range(SMALL)]))
    add_measures(plan, range(SMALL, LARGE), owners=[staff])
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, printed([measure_title(n) for n in range(LARGE)]))


@pytest.mark.parametrize("name", ["document_preview", "committee_edit"])
def test_it_shows_a_committees_members_in_constant_queries(
    org: Organisation, staff: User, name: str, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    committee = add_committee(org, 0, members=SMALL)
    args = [org.pk, "order", 2566] if name == "document_preview" else [org.pk, committee.pk]
    client, url = client_for(staff), reverse(f"reports:{name}", args=args)
    count, html = queries_of(client, url)
    assert_shows(html, printed([f"กรรมการ-00-{i:02d}" for i in range(SMALL)], name))
    CommitteeMember.objects.bulk_create(
        CommitteeMember(committee=committee, order=i, **asdict(member(0, i)))
        for i in range(SMALL, LARGE)
    )
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, printed([f"กรรมการ-00-{i:02d}" for i in range(LARGE)], name))


def test_it_offers_the_documents_to_attach_in_constant_queries(
    assessed_org: Organisation, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    org = assessed_org
    client, url = client_for(staff), reverse("reports:memo_new", args=[org.pk])

    def add(numbers: range) -> list[str]:
        for n in numbers:
            plan_create(organisation=org, fiscal_year=2566 + n)
        return [f'value="plan:{2566 + n}"' for n in numbers]

    shown = add(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, shown)
    shown += add(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, shown)


# Memos -------------------------------------------------------------------------------------


@pytest.fixture
def chain(org: Organisation) -> list[User]:
    """Two reviewers and the executive who decides."""
    return [
        person(org, 90, Role.REVIEWER),
        person(org, 91, Role.REVIEWER),
        person(org, 92, Role.EXECUTIVE),
    ]


def submitted_memo(org: Organisation, drafter: User, chain: list[User], n: int) -> Memo:
    memo = memo_create(
        organisation=org,
        drafter=drafter,
        data=replace(MEMO_DATA, subject=f"บันทึกทดสอบ-{n:02d}"),
        ip="10.0.0.1",
    )
    return memo_submit(
        memo=memo, user=drafter, route=[RouteStep(u) for u in chain], ip="10.0.0.1", today=TODAY
    )


def test_it_shows_the_memos_awaiting_someone_in_constant_queries(
    org: Organisation, chain: list[User], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """The second reviewer's inbox: memos the first reviewer forwarded, from several drafters."""
    reviewer = chain[1]
    client, url = client_for(reviewer), reverse("reports:memo_inbox")

    def add(numbers: range) -> None:
        for n in numbers:
            memo = submitted_memo(org, person(org, n), chain, n)
            memo_act(memo=memo, user=chain[0], action=MemoAction.FORWARD, opinion="", ip=None)

    add(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, [f"บันทึกทดสอบ-{n:02d}" for n in range(SMALL)] + ["คนที่01 ทดสอบ"])
    add(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"บันทึกทดสอบ-{n:02d}" for n in range(LARGE)] + ["คนที่11 ทดสอบ"])


def test_it_shows_the_memos_someone_drafted_in_constant_queries(
    org: Organisation,
    staff: User,
    chain: list[User],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client, url = client_for(staff), reverse("reports:memo_inbox")

    def add(numbers: range) -> None:
        for n in numbers:
            submitted_memo(org, staff, chain, n)

    add(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, [f"บันทึกทดสอบ-{n:02d}" for n in range(SMALL)])
    add(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"บันทึกทดสอบ-{n:02d}" for n in range(LARGE)])


def test_it_shows_a_memos_chain_and_trail_in_constant_queries(
    org: Organisation,
    staff: User,
    chain: list[User],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    """A memo returned again and again: every version's steps, opinions and events are listed."""
    memo = submitted_memo(org, staff, chain, 0)
    client, url = client_for(staff), reverse("reports:memo_detail", args=[memo.pk])

    def rounds(numbers: range) -> None:
        for n in numbers:
            if n:
                memo_submit(
                    memo=memo, user=staff, route=[RouteStep(u) for u in chain], ip=None, today=TODAY
                )
            memo_act(memo=memo, user=chain[0], action=MemoAction.FORWARD, opinion="", ip=None)
            memo_act(
                memo=memo, user=chain[1], action=MemoAction.RETURN, opinion=f"แก้ไข-{n:02d}", ip=None
            )

    rounds(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, [f"แก้ไข-{n:02d}" for n in range(SMALL)])
    rounds(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"แก้ไข-{n:02d}" for n in range(LARGE)])
    assert html.count('data-status="returned"') == LARGE


# Accounts ----------------------------------------------------------------------------------


@pytest.fixture
def org_admin(org: Organisation) -> User:
    return make_user("orgadmin", organisation=org, role=Role.ORG_ADMIN)


def test_it_lists_the_people_in_constant_queries(
    org: Organisation, org_admin: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client, url = client_for(org_admin), reverse("accounts:people", args=[org.pk])
    for n in range(SMALL):
        person(org, n)
    count, html = queries_of(client, url)
    assert_shows(html, [f"คนที่{n:02d} ทดสอบ" for n in range(SMALL)])
    for n in range(SMALL, LARGE):
        person(org, n, Role.REVIEWER)
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"คนที่{n:02d} ทดสอบ" for n in range(LARGE)])


def test_it_lists_the_audit_trail_in_constant_queries(
    org: Organisation, org_admin: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client, url = client_for(org_admin), reverse("accounts:audit", args=[org.pk])

    def add(numbers: range) -> None:
        for n in numbers:
            audit(
                action=AuditEvent.Action.UPDATE,
                user=person(org, n),
                summary=f"แก้ไขข้อมูล-{n:02d}",
                before={"n": n},
                after={"n": n + 1},
                ip="10.0.0.1",
            )

    add(range(SMALL))
    count, html = queries_of(client, url)
    assert_shows(html, [f"แก้ไขข้อมูล-{n:02d}" for n in range(SMALL)])
    add(range(SMALL, LARGE))
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [f"แก้ไขข้อมูล-{n:02d}" for n in range(LARGE)])


# OIT ------------------------------------------------------------------------------------------


def add_oit_items(org: Organisation, numbers: range, author: User) -> None:
    """Public checklist items of FY 2569 with a link, a link not made public, and a note each
    (pages show typed digits in the organisation's style: Thai)."""
    items = oit_items(organisation=org, fiscal_year=2569)
    for n in numbers:
        entry = OitEntry.objects.create(
            organisation=org,
            fiscal_year=2569,
            item=items[n],
            public=True,
            url=f"https://bangkao.go.th/oit-{n:02d}",
        )
        OitEvidence.objects.create(entry=entry, title=f"หลักฐาน-{n:02d}", link=entry.url + "/a")
        OitEvidence.objects.create(
            entry=entry, title=f"ภายใน-{n:02d}", link=entry.url + "/b", public=False
        )
        OitNote.objects.create(entry=entry, author=author, text=f"บันทึก-{n:02d}")


def test_it_shows_the_public_oit_page_in_constant_queries(
    org: Organisation, staff: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client, url = Client(), reverse("reports:oit_public", args=[org.pk, 2569])
    add_oit_items(org, range(SMALL), staff)
    count, html = queries_of(client, url)
    assert_shows(html, [thai.digits(f"หลักฐาน-{n:02d}") for n in range(SMALL)])
    add_oit_items(org, range(SMALL, LARGE), staff)
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [thai.digits(f"หลักฐาน-{n:02d}") for n in range(LARGE)])


def test_it_shows_the_oit_pre_audit_in_constant_queries(
    org: Organisation,
    staff: User,
    supervisor: User,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    client, url = client_for(supervisor), reverse("reports:oit_review", args=[org.pk, 2569])
    add_oit_items(org, range(SMALL), staff)
    count, html = queries_of(client, url)
    assert_shows(html, [thai.digits(f"บันทึก-{n:02d}") for n in range(SMALL)])
    add_oit_items(org, range(SMALL, LARGE), staff)
    html = page_in(count, client, url, django_assert_num_queries)
    assert_shows(html, [thai.digits(f"บันทึก-{n:02d}") for n in range(LARGE)])
    assert_shows(html, [thai.digits(f"ภายใน-{LARGE - 1:02d}")])


def _oit_organisation(n: int) -> Organisation:
    """An organisation of เพชรบุรี with its FY 2569 OIT checklist, one item ready with a broken
    link and a document of the wrong year."""
    from django.utils import timezone

    from reports.oit.models import LinkCheck, OitEntry, OitEvidence
    from reports.oit.selectors import oit_year
    from reports.oit.services import checklist_open

    org = Organisation.objects.create(
        kind=Organisation.Kind.SUBDISTRICT_MUNICIPALITY,
        name=f"เทศบาลตำบลทดสอบ {n}",
        district="ชะอำ",
        province="เพชรบุรี",
    )
    year = oit_year(org, 2569)
    assert year is not None
    checklist_open(organisation=org, fiscal_year=2569, year=year, user=None)
    entry = OitEntry.objects.filter(organisation=org).order_by("pk").first()
    assert entry is not None
    OitEntry.objects.filter(pk=entry.pk).update(status="ready", url="https://a.go.th/")
    LinkCheck.objects.create(
        entry=entry, url="https://a.go.th/", checked_at=timezone.now(), ok=False
    )
    OitEvidence.objects.create(
        entry=entry, title="แผน ๒๕๖๘", link="https://a.go.th/p.pdf", document_year=2568
    )
    return org


def test_the_overview_shows_oit_readiness_in_constant_queries() -> None:
    supervisor = make_user("supervisor-oit", role=Role.SUPERVISOR, supervised_province="เพชรบุรี")
    client = client_for(supervisor)
    for n in range(SMALL):
        _oit_organisation(n)
    small, html = queries_of(client, reverse("reports:overview"))
    assert html.count('class="num oit-ready"') == SMALL
    for n in range(SMALL, LARGE):
        _oit_organisation(n)
    large, html = queries_of(client, reverse("reports:overview"))
    assert html.count('class="num oit-ready"') == LARGE
    assert html.count("๑/๒๖") == LARGE
    assert small == large
