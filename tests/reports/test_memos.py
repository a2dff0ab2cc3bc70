"""Memos: numbering, the turn rule, returns and versions, the frozen decision, the audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import asdict, replace

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from assessments.models import Organisation
from itaportal.accounts.models import User
from reports.memos.models import Memo, MemoAction, MemoEvent, MemoStep
from reports.memos.services import (
    MemoContent,
    MemoRefused,
    RouteStep,
    memo_act,
    memo_create,
    memo_edit,
    memo_submit,
)
from reports.numbering import NumberRegister
from tests.conftest import make_user

TODAY = dt.date(2025, 2, 11)
DATA = MemoContent(
    unit="สำนักปลัด", subject="รายงานผล ITA", addressee="นายก", facts="ข้อเท็จจริง",
    drafter_name="ทับทิม", drafter_position="นักทรัพยากรบุคคล",
)  # fmt: skip


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind="sao", name="องค์การบริหารส่วนตำบลภูซาง", province="พะเยา", letter_code="พย ๗๒๔๐๑"
    )


@pytest.fixture
def people(org: Organisation) -> dict[str, User]:
    return {
        name: make_user(name, organisation=org, role=role, email=f"{name}@example.org",
                        position=position)
        for name, role, position in [
            ("drafter", "staff", "นักทรัพยากรบุคคล"), ("head", "reviewer", "หัวหน้าสำนักปลัด"),
            ("clerk", "reviewer", "ปลัด"), ("mayor", "executive", "นายก"),
        ]
    }  # fmt: skip


def draft(org: Organisation, people: dict[str, User]) -> Memo:
    return memo_create(organisation=org, drafter=people["drafter"], data=DATA, ip="127.0.0.1")


def route(people: dict[str, User]) -> list[RouteStep]:
    return [RouteStep(people["head"]), RouteStep(people["clerk"], "รักษาราชการแทนปลัด"),
            RouteStep(people["mayor"])]  # fmt: skip


def submit(memo: Memo, people: dict[str, User]) -> Memo:
    return memo_submit(
        memo=memo, user=people["drafter"], route=route(people), ip="10.0.0.1", today=TODAY
    )


def act(memo: Memo, user: User, action: str, opinion: str = "") -> Memo:
    return memo_act(memo=memo, user=user, action=MemoAction(action), opinion=opinion, ip="10.0.0.2")


def test_it_numbers_on_submission_from_the_register(org, people):
    NumberRegister.objects.create(
        organisation=org, series=NumberRegister.Series.MEMO, year=2568, last_number=118
    )
    memo = submit(draft(org, people), people)
    assert memo.reference == "พย ๗๒๔๐๑/๑๑๙" and memo.dated == TODAY
    second = submit(draft(org, people), people)
    assert second.number == 120


def test_it_restarts_numbers_each_calendar_year(org, people):
    submit(draft(org, people), people)
    memo = memo_submit(memo=draft(org, people), user=people["drafter"], route=route(people),
                       ip=None, today=dt.date(2026, 1, 2))  # fmt: skip
    assert (memo.number, memo.number_year) == (1, 2569)


def test_it_lets_only_the_person_whose_turn_it_is_act(org, people):
    memo = submit(draft(org, people), people)
    for intruder in (people["clerk"], people["mayor"], people["drafter"]):
        with pytest.raises(MemoRefused):
            act(memo, intruder, "forward")
    act(memo, people["head"], "forward", "เห็นควรเสนอ")
    with pytest.raises(MemoRefused):
        act(memo, people["head"], "forward")  # once only
    with pytest.raises(MemoRefused):
        act(memo, people["clerk"], "approve")  # reviewers do not decide
    act(memo, people["clerk"], "forward")
    decided = act(memo, people["mayor"], "approve", "เห็นชอบ")
    assert decided.status == Memo.Status.APPROVED


def test_it_refuses_a_second_decision(org, people):
    memo = submit(draft(org, people), people)
    act(memo, people["head"], "forward")
    act(memo, people["clerk"], "forward")
    act(memo, people["mayor"], "approve")
    with pytest.raises(MemoRefused):
        act(memo, people["mayor"], "reject", "เปลี่ยนใจ")
    assert MemoStep.objects.filter(status="approved").count() == 1


def test_it_needs_a_reason_to_return_or_reject(org, people):
    memo = submit(draft(org, people), people)
    with pytest.raises(MemoRefused):
        act(memo, people["head"], "return", "  ")
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.IN_REVIEW


def test_it_returns_and_resubmits_as_a_new_version_keeping_the_number(
    org, people, django_capture_on_commit_callbacks
):
    memo = submit(draft(org, people), people)
    number = memo.reference
    act(memo, people["head"], "forward")
    with django_capture_on_commit_callbacks(execute=True):
        act(memo, people["clerk"], "return", "แก้ไขข้อเท็จจริง")
    memo.refresh_from_db()
    assert memo.status == Memo.Status.RETURNED
    assert mail.outbox[-1].to == ["drafter@example.org"]
    memo_edit(
        memo=memo,
        user=people["drafter"],
        data=replace(MemoContent.of(memo), facts="ข้อเท็จจริงฉบับแก้ไข"),
        ip=None,
    )
    memo = submit(Memo.objects.get(pk=memo.pk), people)
    assert memo.version == 2 and memo.reference == number
    assert [v.content["facts"] for v in memo.versions.order_by("version")] == [
        "ข้อเท็จจริง",
        "ข้อเท็จจริงฉบับแก้ไข",
    ]
    assert memo.steps.get(version=1, order=1).opinion == "แก้ไขข้อเท็จจริง"  # earlier opinions stay
    assert memo.steps.get(version=1, order=2).status == MemoStep.Status.CANCELLED


def decide(org: Organisation, people: dict[str, User]) -> Memo:
    """Up the chain of three, and the mayor rejects it."""
    memo = submit(draft(org, people), people)
    act(memo, people["head"], "forward", "เห็นควรเสนอ")
    act(memo, people["clerk"], "forward")
    return act(memo, people["mayor"], "reject", "งบประมาณไม่เพียงพอ")


def test_it_freezes_the_decided_memo(org, people):
    memo = decide(org, people)
    assert memo.status == Memo.Status.REJECTED
    with pytest.raises(MemoRefused):
        memo_edit(
            memo=memo,
            user=people["drafter"],
            data=replace(MemoContent.of(memo), facts="แก้หลังตัดสิน"),
            ip=None,
        )
    with pytest.raises(MemoRefused):
        submit(memo, people)
    assert Memo.objects.get(pk=memo.pk).facts == "ข้อเท็จจริง"


def test_it_hashes_what_was_decided_with_sha_256(org, people):
    memo = decide(org, people)
    decided = {  # the number and date, the text, every step with its opinion, the decision
        "reference": "พย ๗๒๔๐๑/๑",
        "dated": "2025-02-11",
        "content": asdict(DATA),
        "steps": [
            [0, people["head"].pk, "", "forwarded", "เห็นควรเสนอ"],
            [1, people["clerk"].pk, "รักษาราชการแทนปลัด", "forwarded", ""],
            [2, people["mayor"].pk, "", "rejected", "งบประมาณไม่เพียงพอ"],
        ],
        "status": "rejected",
        "attachments": [],  # the SHA-256 of each attached PDF as approved: none here
    }
    canonical = json.dumps(decided, ensure_ascii=False, sort_keys=True).encode()
    assert memo.content_hash == hashlib.sha256(canonical).hexdigest()


def test_it_lets_anyone_verify_the_decided_memo_by_its_code(org, people):
    memo = decide(org, people)
    response = Client().get(reverse("reports:verify", args=[memo.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "พย ๗๒๔๐๑/๑" in html and "๑๑ กุมภาพันธ์ ๒๕๖๘" in html
    assert "ไม่อนุมัติ" in html and f"<code>{memo.content_hash}</code>" in html


def test_it_records_every_action_with_its_address(org, people):
    memo = submit(draft(org, people), people)
    act(memo, people["head"], "forward", "ok")
    events = list(MemoEvent.objects.filter(memo=memo).values_list("action", "user__username", "ip"))
    assert events == [
        ("create", "drafter", "127.0.0.1"), ("submit", "drafter", "10.0.0.1"),
        ("forward", "head", "10.0.0.2"),
    ]  # fmt: skip


def test_it_notifies_the_next_person(org, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        memo = submit(draft(org, people), people)
    assert mail.outbox[-1].to == ["head@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        act(memo, people["head"], "forward")
    assert mail.outbox[-1].to == ["clerk@example.org"]
    assert "/memos/" in mail.outbox[-1].body


def test_it_keeps_the_chain_inside_the_organisation(org, people, db):
    other = Organisation.objects.create(kind="sao", name="อบต.อื่น", province="พะเยา")
    stranger = make_user("stranger", organisation=other, role="executive")
    with pytest.raises(MemoRefused):
        memo_submit(memo=draft(org, people), user=people["drafter"], route=[RouteStep(stranger)],
                    ip=None, today=TODAY)  # fmt: skip


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_never_duplicates_numbers_under_concurrent_submissions(org, people):
    memos = [draft(org, people) for _ in range(8)]
    barrier = threading.Barrier(len(memos))
    errors: list[BaseException] = []

    def send(memo: Memo) -> None:
        try:
            barrier.wait()
            submit(memo, people)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(m,)) for m in memos]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Memo.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))
    assert connection.vendor == "postgresql"
