"""Everyone knows what waits: the menu's badge, the landing after login, the inbox's rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Organisation
from itaportal import thai
from itaportal.accounts.models import User
from reports.memos.models import Memo, MemoStep, MemoVersion
from tests.conftest import PASSWORD, client_for, make_user
from tests.reports.test_memos import act, draft, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind="sao", name="องค์การบริหารส่วนตำบลภูซาง", province="พะเยา", letter_code="พย ๗๒๔๐๑"
    )


@pytest.fixture
def people(org: Organisation) -> dict[str, User]:
    return {
        name: make_user(name, organisation=org, role=role, first_name=first, position=position)
        for name, role, first, position in [
            ("drafter", "staff", "ทับทิม", "นักทรัพยากรบุคคล"),
            ("head", "reviewer", "มณี", "หัวหน้าสำนักปลัด"),
            ("clerk", "reviewer", "สมชาย", "ปลัด"), ("mayor", "executive", "สมศักดิ์", "นายก"),
        ]
    }  # fmt: skip


def sent(org: Organisation, people: dict[str, User], days_ago: int = 0) -> Memo:
    memo = submit(draft(org, people), people)
    MemoVersion.objects.filter(memo=memo).update(
        submitted_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return memo


def badge(user: User) -> str | None:
    html = client_for(user).get(reverse("reports:memo_inbox")).content.decode()
    marker = 'id="memos-waiting"'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_it_counts_what_waits_on_the_menu_badge_in_thai_digits(org, people):
    sent(org, people)
    sent(org, people)
    assert badge(people["head"]) == "๒"
    assert badge(people["clerk"]) is None and badge(people["drafter"]) is None


def test_it_writes_the_badge_in_arabic_digits_for_such_an_organisation(org, people):
    org.digit_style = Organisation.DigitStyle.ARABIC
    org.save()
    sent(org, people)
    assert badge(people["head"]) == "1"


def test_it_moves_the_badge_along_the_chain(org, people):
    memo = sent(org, people)
    assert badge(people["head"]) == "๑"
    act(memo, people["head"], "forward")
    assert badge(people["head"]) is None and badge(people["clerk"]) == "๑"
    act(memo, people["clerk"], "return", "แก้ไขตัวเลข")
    assert badge(people["clerk"]) is None and badge(people["mayor"]) is None


@pytest.mark.parametrize("waiting", [1, 4])
def test_it_counts_the_badge_in_one_query(org, people, waiting):
    for _ in range(waiting):
        sent(org, people)
    client = client_for(people["head"])
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:memo_inbox"))
    steps = [q["sql"] for q in queries.captured_queries if "reports_memostep" in q["sql"]]
    counts = [sql for sql in steps if "COUNT(" in sql]
    assert len(counts) == 1
    assert 'id="memos-waiting"' in response.content.decode()


def login(user: User) -> str:
    response = Client().post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    return response.redirect_chain[-1][0]


def test_it_lands_a_reviewer_on_the_inbox_when_a_memo_waits(org, people):
    sent(org, people)
    assert login(people["head"]) == reverse("reports:memo_inbox")


def test_it_lands_the_executive_on_the_inbox_when_the_decision_waits(org, people):
    memo = sent(org, people)
    assert login(people["mayor"]) == reverse("assessments:dashboard", args=[org.pk])
    act(memo, people["head"], "forward")
    act(memo, people["clerk"], "forward")
    assert login(people["mayor"]) == reverse("reports:memo_inbox")


def test_it_lands_staff_on_the_dashboard_as_before(org, people):
    memo = sent(org, people)
    act(memo, people["head"], "return", "แก้")  # the returned memo is the drafter's to edit
    assert login(people["drafter"]) == reverse("assessments:dashboard", args=[org.pk])


def test_it_shows_when_each_memo_arrived_from_whom_and_how_long_it_waited(org, people):
    memo = sent(org, people, days_ago=3)
    html = client_for(people["head"]).get(reverse("reports:memo_inbox")).content.decode()
    arrived = timezone.localdate() - dt.timedelta(days=3)
    assert f"จาก ทับทิม มาถึง {thai.date_be(arrived)}" in html and "รอ ๓ วัน" in html
    # the next person got it from the reviewer, when the reviewer forwarded it
    act(memo, people["head"], "forward")
    MemoStep.objects.filter(memo=memo, user=people["head"]).update(
        acted_at=timezone.now() - dt.timedelta(days=1)
    )
    html = client_for(people["clerk"]).get(reverse("reports:memo_inbox")).content.decode()
    assert "จาก มณี" in html and "รอ ๑ วัน" in html


def test_it_says_a_memo_that_came_today_arrived_today(org, people):
    sent(org, people)
    html = client_for(people["head"]).get(reverse("reports:memo_inbox")).content.decode()
    assert "มาถึงวันนี้" in html and "รอ ๐ วัน" not in html
