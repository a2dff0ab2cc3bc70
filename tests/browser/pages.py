"""Every page a person uses, per role, over one office's data: the list the layout test opens at
each width. A new page is one more `Screen` in SCREENS (its path is filled from `Office`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from assessments.models import Organisation
from assessments.services import assessment_save
from itaportal.accounts.models import Role, User
from measures.models import Measure, Progress
from measures.services import (
    MeasureData,
    ProgressData,
    measure_create,
    plan_create,
    progress_record,
)
from reports.batch.models import PrintBatch
from reports.documents.models import Committee
from reports.documents.services import CommitteeData, MemberData, committee_create
from reports.memos.models import Memo
from reports.memos.services import MemoContent, RouteStep, memo_create, memo_submit
from reports.oit.selectors import oit_year
from reports.oit.services import checklist_open
from tests.conftest import BANGKAO_2564, BANGKAO_2565, DEFAULT_THRESHOLDS, make_user, scores_of

RESULTS_YEAR = 2565  # the office's latest published results (seed 001)
PLAN_YEAR = 2566
OIT_YEAR = 2569  # a year whose framework lists OIT items
OIT_ITEM = "o1"
# Long enough to show what a long Thai title does to a row of buttons and a table cell.
MEASURE_TITLE = "จัดทำคู่มือการปฏิบัติงานและเผยแพร่ข้อมูลการจัดซื้อจัดจ้างประจำเดือนบนเว็บไซต์ของหน่วยงาน"


@dataclass(frozen=True)
class Office:
    """เทศบาลตำบลบางเก่า with a person of every role, two years of results, a plan with a
    followed-up measure, a committee order, memos waiting for the reviewer and the executive,
    an opened OIT checklist with a public item, and a supervisor's print batch."""

    org: Organisation
    people: dict[str, User]  # by role value, and "supervisor"
    measure: Measure
    progress: Progress
    committee: Committee
    memo_for_reviewer: Memo
    memo_for_executive: Memo
    batch: PrintBatch


def office_build() -> Office:
    org = Organisation.objects.create(
        kind=Organisation.Kind.SUBDISTRICT_MUNICIPALITY, name="เทศบาลตำบลบางเก่า",
        district="ชะอำ", province="เพชรบุรี", letter_code="พบ ๕๒๑๐๑",
        executive_title="นายกเทศมนตรีตำบลบางเก่า", executive_name="สมศักดิ์ รักษ์ถิ่น",
        website="https://www.bangkao.go.th",
    )  # fmt: skip
    people: dict[str, User] = {
        role: make_user(f"bangkao-{role}", organisation=org, role=role, first_name=first,
                        last_name=last, position=position, is_staff=role == Role.ORG_ADMIN)
        for role, first, last, position in (
            (Role.STAFF, "ทับทิม", "วงศ์ทะนา", "นักวิเคราะห์นโยบายและแผนชำนาญการ"),
            (Role.REVIEWER, "นภาพร", "ธาคำดี", "หัวหน้าสำนักปลัดเทศบาล"),
            (Role.EXECUTIVE, "สมศักดิ์", "รักษ์ถิ่น", "นายกเทศมนตรีตำบลบางเก่า"),
            (Role.ORG_ADMIN, "ประภาพรรณ", "ศรีสวัสดิ์วงศ์", "นักวิชาการคอมพิวเตอร์"),
        )
    }  # fmt: skip
    people["supervisor"] = make_user(
        "supervisor-phetchaburi", role=Role.SUPERVISOR, supervised_province="เพชรบุรี",
        first_name="วิไลวรรณ", last_name="ทองประเสริฐ",
    )  # fmt: skip
    staff = people[Role.STAFF]
    for year, values, published in (
        (2564, BANGKAO_2564, "92.44"),
        (RESULTS_YEAR, BANGKAO_2565, "68.78"),
    ):
        assessment_save(
            organisation=org, fiscal_year=year, scores=scores_of(values),
            published_score=Decimal(published), published_level="",
            thresholds=DEFAULT_THRESHOLDS, user=staff,
        )  # fmt: skip
    plan = plan_create(organisation=org, fiscal_year=PLAN_YEAR, user=staff)
    measure = measure_create(
        plan=plan, owners=[staff, people[Role.REVIEWER]], user=staff,
        data=MeasureData(
            title=MEASURE_TITLE, indicators=[4, 9], method="ประชุมชี้แจงและเวียนแจ้งทุกส่วนราชการ",
            responsible_unit="สำนักปลัดเทศบาล", start_month=dt.date(2022, 10, 1),
            end_month=dt.date(2023, 9, 1), cadence="monthly",
            expected_result="ประชาชนเข้าถึงข้อมูลการจัดซื้อจัดจ้างได้ทุกเดือน",
        ),
    )  # fmt: skip
    progress = progress_record(
        measure=measure, user=staff,
        data=ProgressData(date=dt.date(2023, 2, 10), done="จัดทำคู่มือและเวียนแจ้งทุกส่วนราชการ",
                          evidence_url="https://www.bangkao.go.th/procurement/2566/02"),
    )  # fmt: skip
    committee = committee_create(
        organisation=org, user=staff,
        data=CommitteeData(
            fiscal_year=PLAN_YEAR, subject="แต่งตั้งคณะทำงานขับเคลื่อนการประเมิน ITA",
            reasons="เพื่อให้การประเมินคุณธรรมและความโปร่งใสเป็นไปด้วยความเรียบร้อย",
            duties_steering="กำกับ ติดตาม และให้ข้อเสนอแนะ", issued_on=dt.date(2022, 11, 15),
            signer_name="สมศักดิ์ รักษ์ถิ่น", signer_position="นายกเทศมนตรีตำบลบางเก่า",
        ),
        members=[MemberData(group="steering", name="นายสมศักดิ์ รักษ์ถิ่น",
                            position="นายกเทศมนตรีตำบลบางเก่า", role="ประธานกรรมการ")],
    )  # fmt: skip
    memos = []
    for subject, route in (
        ("รายงานผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. ๒๕๖๕", [Role.REVIEWER, Role.EXECUTIVE]),
        ("ขออนุมัติแผนมาตรการส่งเสริมคุณธรรมและความโปร่งใส", [Role.EXECUTIVE]),
    ):
        memo = memo_create(
            organisation=org, drafter=staff, ip=None,
            data=MemoContent(unit="สำนักปลัดเทศบาล", subject=subject,
                             addressee="นายกเทศมนตรีตำบลบางเก่า", facts="ผลคะแนนรวม ๖๘.๗๘",
                             drafter_name="ทับทิม วงศ์ทะนา", drafter_position="นักวิเคราะห์"),
        )  # fmt: skip
        memo_submit(
            memo=memo, user=staff, route=[RouteStep(people[role]) for role in route], ip=None,
            today=timezone.localdate(),
        )  # fmt: skip
        memos.append(memo)
    checklist = oit_year(org, OIT_YEAR)
    assert checklist is not None
    checklist_open(organisation=org, fiscal_year=OIT_YEAR, year=checklist, user=staff)
    org.oit_entries.filter(fiscal_year=OIT_YEAR, item__code=OIT_ITEM).update(
        url="https://www.bangkao.go.th/about/structure", public=True
    )
    batch = PrintBatch.objects.create(
        requested_by=people["supervisor"], fiscal_year=PLAN_YEAR, kinds=["plan", "analysis"],
        scope="จังหวัดเพชรบุรี", status=PrintBatch.Status.DONE,
    )  # fmt: skip
    return Office(
        org=org, people=people, measure=measure, progress=progress, committee=committee,
        memo_for_reviewer=memos[0], memo_for_executive=memos[1], batch=batch,
    )  # fmt: skip


@dataclass(frozen=True)
class Screen:
    """A page as one role opens it: `path` is formatted with the office's ids."""

    role: str
    name: str  # the screenshot's name: layout-<width>-<role>-<name>.png
    path: str

    def url(self, office: Office) -> str:
        return self.path.format(
            org=office.org.pk, results=RESULTS_YEAR, plan=PLAN_YEAR, oit=OIT_YEAR, item=OIT_ITEM,
            measure=office.measure.pk, committee=office.committee.pk, batch=office.batch.pk,
            progress=office.progress.pk,
            memo_r=office.memo_for_reviewer.pk, memo_e=office.memo_for_executive.pk,
            person=office.people[Role.STAFF].pk,
        )  # fmt: skip


ANONYMOUS = "anonymous"
SUPERVISOR = "supervisor"

SCREENS = [
    Screen(ANONYMOUS, "login", "/accounts/login/"),
    Screen(ANONYMOUS, "oit-public", "/oit/{org}/{oit}/"),
    Screen(Role.STAFF, "dashboard", "/orgs/{org}/?year={results}"),
    Screen(Role.STAFF, "score-form", "/orgs/{org}/years/{results}/edit/"),
    Screen(Role.STAFF, "import", "/orgs/import/"),
    Screen(Role.STAFF, "plans", "/orgs/{org}/plans/"),
    Screen(Role.STAFF, "plan", "/orgs/{org}/plans/{plan}/"),
    Screen(Role.STAFF, "measure", "/measures/{measure}/"),
    Screen(Role.STAFF, "measure-form", "/measures/{measure}/edit/"),
    Screen(Role.STAFF, "follow-up-edit", "/measures/{measure}/progress/{progress}/edit/"),
    Screen(Role.STAFF, "follow-up-delete", "/measures/{measure}/progress/{progress}/delete/"),
    Screen(Role.STAFF, "plan-delete", "/orgs/{org}/plans/{plan}/delete/"),
    Screen(Role.STAFF, "my-measures", "/measures/mine/"),
    Screen(Role.STAFF, "memos", "/memos/"),
    Screen(Role.STAFF, "memo-new", "/orgs/{org}/memos/new/"),
    Screen(Role.STAFF, "documents", "/orgs/{org}/documents/"),
    Screen(Role.STAFF, "committee-form", "/orgs/{org}/committees/new/"),
    Screen(Role.STAFF, "committee-edit", "/orgs/{org}/committees/{committee}/edit/"),
    Screen(Role.STAFF, "oit-checklist", "/orgs/{org}/oit/{oit}/"),
    Screen(Role.STAFF, "oit-item", "/orgs/{org}/oit/{oit}/items/{item}/"),
    Screen(Role.REVIEWER, "memos", "/memos/"),
    Screen(Role.REVIEWER, "memo", "/memos/{memo_r}/"),
    Screen(Role.EXECUTIVE, "dashboard", "/orgs/{org}/?year={results}"),
    Screen(Role.EXECUTIVE, "memo", "/memos/{memo_e}/"),
    Screen(Role.ORG_ADMIN, "dashboard", "/orgs/{org}/?year={results}"),
    Screen(Role.ORG_ADMIN, "people", "/accounts/orgs/{org}/people/"),
    Screen(Role.ORG_ADMIN, "person", "/accounts/orgs/{org}/people/{person}/"),
    Screen(Role.ORG_ADMIN, "person-password", "/accounts/orgs/{org}/people/{person}/password/"),
    Screen(Role.ORG_ADMIN, "settings", "/orgs/{org}/settings/"),
    Screen(Role.ORG_ADMIN, "audit", "/accounts/orgs/{org}/audit/"),
    Screen(Role.REVIEWER, "help", "/help/"),
    Screen(Role.REVIEWER, "help-memos", "/help/memos/"),
    Screen(Role.REVIEWER, "glossary", "/help/glossary/"),
    Screen(SUPERVISOR, "overview", "/overview/"),
    Screen(SUPERVISOR, "dashboard", "/orgs/{org}/?year={results}"),
    Screen(SUPERVISOR, "oit-review", "/orgs/{org}/oit/{oit}/review/"),
    Screen(SUPERVISOR, "frameworks", "/frameworks/"),
    Screen(SUPERVISOR, "batches", "/batches/"),
    Screen(SUPERVISOR, "batch-new", "/batches/new/"),
    Screen(SUPERVISOR, "batch", "/batches/{batch}/"),
]
