"""OIT reminders as the people of an office receive them: an e-mail (and a LINE message) naming
the items due soon and not ready, the broken links and the evidence of an older year; the staff
hear of every item, a person named as an item's owner of theirs; each item once a day."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessments.models import Item, Organisation
from itaportal.accounts.models import Role, User
from reports.oit.models import LinkCheck, OitEntry, OitEvidence, OitStatus
from reports.oit.reminders import reminders_due, reminders_send
from tests.conftest import make_user
from tests.reports.test_memo_notify import FakeLine, line  # noqa: F401 (the LINE fake)

pytestmark = pytest.mark.django_db

YEAR = 2569
TODAY = dt.date(2026, 4, 25)  # 25 เมษายน ๒๕๖๙, five days before the OIT deadline
STAFF_LINE_ID = "U" + "a" * 32


def oit_items(**filters: str) -> list[Item]:
    return list(
        Item.objects.filter(
            indicator__instrument__all_or_nothing=True,
            indicator__instrument__framework__first_year__lte=YEAR,
            indicator__instrument__framework__last_year__gte=YEAR,
            **filters,
        ).order_by("pk")
    )


@pytest.fixture
def people(org: Organisation) -> dict[str, User]:
    return {
        "staff": make_user(
            "staff", organisation=org, role=Role.STAFF, email="staff@bangkao.example",
            line_id=STAFF_LINE_ID,
        ),
        "owner": make_user(
            "owner", organisation=org, role=Role.REVIEWER, email="owner@bangkao.example",
            name_prefix="นาย", first_name="สมชาย", last_name="ใจดี",
        ),
        "executive": make_user(
            "executive", organisation=org, role=Role.EXECUTIVE, email="mayor@bangkao.example"
        ),
    }  # fmt: skip


@pytest.fixture
def checklist(org: Organisation, people: dict[str, User]) -> dict[str, OitEntry]:
    plan, *others = oit_items(evidence_year=Item.EvidenceYear.ASSESSED)
    due, ready, later, broken = others[:4]

    def entry(item: Item, **fields: object) -> OitEntry:
        return OitEntry.objects.create(organisation=org, fiscal_year=YEAR, item=item, **fields)

    entries = {
        "due": entry(due, due_on=dt.date(2026, 4, 28), status=OitStatus.IN_PROGRESS,
                     owner="นายสมชาย  ใจดี"),
        "ready": entry(ready, due_on=dt.date(2026, 4, 28), status=OitStatus.READY),
        "later": entry(later, due_on=dt.date(2026, 6, 1)),
        "broken": entry(broken, url="https://www.bangkao.go.th/ita/o99",
                        status=OitStatus.READY),
        "old": entry(plan, status=OitStatus.READY),
    }  # fmt: skip
    LinkCheck.objects.create(
        entry=entries["broken"], url=entries["broken"].url, checked_at=timezone.now(), ok=False,
        status_code=404, problem="ลิงก์เสีย: เว็บไซต์ตอบ ๔๐๔",
    )  # fmt: skip
    OitEvidence.objects.create(
        entry=entries["old"], title="แผนปฏิบัติการ 2568", link="https://www.bangkao.go.th/plan.pdf",
        document_year=YEAR - 1,
    )  # fmt: skip
    return entries


def code(entry: OitEntry) -> str:
    return "ข้อ " + entry.item.code.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))


def sent_to(address: str) -> mail.EmailMessage:
    [message] = [m for m in mail.outbox if m.to == [address]]
    return message


def test_the_staff_hear_of_every_item_that_needs_attention(
    checklist: dict[str, OitEntry],
) -> None:
    sent = reminders_send(reminders_due(TODAY), TODAY)
    assert sent.items == 3
    message = sent_to("staff@bangkao.example")
    assert message.subject == ("รายการตรวจ OIT ของเทศบาลตำบลบางเก่า ปีงบประมาณ ๒๕๖๙: ๓ ข้อต้องดำเนินการ")
    body = message.body
    assert f"{code(checklist['due'])} " in body
    assert "ครบกำหนด ๒๘ เมษายน ๒๕๖๙ แต่ยังไม่พร้อม" in body
    assert f"{code(checklist['broken'])} " in body
    assert "หน้า https://www.bangkao.go.th/ita/o99: ลิงก์เสีย: เว็บไซต์ตอบ ๔๐๔" in body
    assert f"{code(checklist['old'])} " in body
    # the title as typed, its digits in the office's style
    assert "“แผนปฏิบัติการ ๒๕๖๘” เป็นของปีงบประมาณ ๒๕๖๘ แต่ข้อนี้ต้องเป็นปี ๒๕๖๙" in body
    for quiet in ("ready", "later"):
        assert f"{code(checklist[quiet])} " not in body
    org = checklist["due"].organisation
    assert f"/orgs/{org.pk}/oit/2569/" in body  # a link to the checklist itself


def test_a_person_named_as_owner_hears_of_their_items_only(
    checklist: dict[str, OitEntry],
) -> None:
    reminders_send(reminders_due(TODAY), TODAY)
    body = sent_to("owner@bangkao.example").body
    assert body.startswith("เรียน นายสมชาย ใจดี")
    assert f"{code(checklist['due'])} " in body
    assert f"{code(checklist['broken'])} " not in body
    assert not [m for m in mail.outbox if m.to == ["mayor@bangkao.example"]]


def test_each_item_is_reminded_of_once_a_day(checklist: dict[str, OitEntry]) -> None:
    reminders_send(reminders_due(TODAY), TODAY)
    first = len(mail.outbox)
    assert reminders_send(reminders_due(TODAY), TODAY).items == 0
    assert len(mail.outbox) == first
    tomorrow = TODAY + dt.timedelta(days=1)
    assert reminders_send(reminders_due(tomorrow), tomorrow).items == 3
    assert len(mail.outbox) == 2 * first


def test_two_runs_at_once_remind_once(checklist: dict[str, OitEntry]) -> None:
    """Two cron runs that found the same items (a slow run and the next one) send them once."""
    one, other = reminders_due(TODAY), reminders_due(TODAY)
    reminders_send(one, TODAY)
    assert reminders_send(other, TODAY).items == 0
    assert len(mail.outbox) == 2


def test_an_overdue_item_says_so(checklist: dict[str, OitEntry]) -> None:
    reminders_send(reminders_due(dt.date(2026, 4, 30)), dt.date(2026, 4, 30))
    assert "เลยกำหนด ๒๘ เมษายน ๒๕๖๙ แล้วและยังไม่พร้อม" in sent_to("owner@bangkao.example").body


def test_numbers_follow_the_organisations_digits(
    org: Organisation, checklist: dict[str, OitEntry]
) -> None:
    org.digit_style = Organisation.DigitStyle.ARABIC
    org.save()
    reminders_send(reminders_due(TODAY), TODAY)
    message = sent_to("staff@bangkao.example")
    assert "ปีงบประมาณ 2569: 3 ข้อ" in message.subject
    assert "ครบกำหนด 28 เมษายน 2569" in message.body


def test_the_staff_get_it_on_line_too(
    checklist: dict[str, OitEntry],
    line: FakeLine,  # noqa: F811
) -> None:
    sent = reminders_send(reminders_due(TODAY), TODAY)
    assert sent.line_messages == 1
    [request] = line.requests
    assert request["json"]["to"] == STAFF_LINE_ID
    text = request["json"]["messages"][0]["text"]
    assert text.startswith("รายการตรวจ OIT ของเทศบาลตำบลบางเก่า")
    assert "ลิงก์เสีย: เว็บไซต์ตอบ ๔๐๔" in text


def test_the_command_reminds_and_refuses_what_it_cannot_read(
    checklist: dict[str, OitEntry],
) -> None:
    out = StringIO()
    call_command("send_oit_reminders", "--date", "๒๕๖๙-๐๔-๒๕", stdout=out)
    assert out.getvalue().startswith("3 items reminded of: 2 e-mails, 0 LINE messages.")
    for args in (("--days", "soon"), ("--days", "-1"), ("--date", "2569-02-30")):
        with pytest.raises(CommandError):
            call_command("send_oit_reminders", *args, stdout=StringIO())
