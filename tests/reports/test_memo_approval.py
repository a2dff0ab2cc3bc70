"""Who may decide a memo (the approval policy), the decided record kept as bytes, recall and
return, and the decision printed with no lock held."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from assessments.models import Organisation
from itaportal.accounts.models import AuditEvent, Role, User
from reports.memos import document
from reports.memos.models import (
    ActingDecider,
    ActingTitle,
    ApprovalPolicy,
    FrozenAttachment,
    Memo,
    MemoAction,
    MemoEvent,
    MemoStep,
)
from reports.memos.services import (
    MemoContent,
    MemoRefused,
    RouteStep,
    approval_policy_save,
    memo_act,
    memo_create,
    memo_submit,
)
from tests.conftest import client_for, make_user
from tests.reports.conftest import pdftotext
from tests.reports.test_memos import DATA, TODAY

EXECUTIVE_TITLE = "นายกองค์การบริหารส่วนตำบลภูซาง"


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(
        kind="sao", name="องค์การบริหารส่วนตำบลภูซาง", province="พะเยา", letter_code="พย ๗๒๔๐๑",
        executive_title=EXECUTIVE_TITLE,
    )  # fmt: skip


@pytest.fixture
def people(org: Organisation) -> dict[str, User]:
    return {
        name: make_user(name, organisation=org, role=role, position=position,
                        first_name=first, last_name="ทดสอบ")
        for name, role, position, first in [
            ("drafter", Role.STAFF, "นักทรัพยากรบุคคล", "ทับทิม"),
            ("colleague", Role.STAFF, "นักวิเคราะห์", "มณี"),
            ("head", Role.REVIEWER, "หัวหน้าสำนักปลัด", "สมชาย"),
            ("clerk", Role.REVIEWER, "ปลัด", "สมศรี"),
            ("admin", Role.ORG_ADMIN, "นักวิชาการคอมพิวเตอร์", "ไอที"),
            ("mayor", Role.EXECUTIVE, "นายก", "ประยูร"),
        ]
    }  # fmt: skip


def draft(org: Organisation, people: dict[str, User]) -> Memo:
    return memo_create(organisation=org, drafter=people["drafter"], data=DATA, ip=None)


def submit(memo: Memo, people: dict[str, User], names: Sequence[str]) -> Memo:
    return memo_submit(
        memo=memo,
        user=people["drafter"],
        route=[RouteStep(people[n]) for n in names],
        ip=None,
        today=TODAY,
    )


def fake_pdf(memo: Memo, steps: Sequence[MemoStep]) -> bytes:
    """Stands in for WeasyPrint where the test is about the chain, not the printing."""
    return f"%PDF {memo.pk} {memo.status} {[s.status for s in steps]}".encode()


def act(memo: Memo, user: User, action: str, opinion: str = "", **kw: Any) -> Memo:
    kw.setdefault("memo_renderer", fake_pdf)
    return memo_act(memo=memo, user=user, action=MemoAction(action), opinion=opinion, ip=None, **kw)


def state(memo: Memo) -> tuple[Any, ...]:
    """Everything about a memo a person could notice changing."""
    fresh = Memo.objects.get(pk=memo.pk)
    return (
        fresh.status, fresh.version, fresh.number, fresh.addressee, fresh.decided_at,
        fresh.content_hash, fresh.verification_code, fresh.approved_pdf.name,
        fresh.approved_pdf_sha256,
        list(fresh.steps.values_list("version", "order", "user", "status", "opinion", "acted_at",
                                     "acting_title")),
        list(fresh.events.values_list("action", "user")),
        FrozenAttachment.objects.filter(memo=fresh).count(),
    )  # fmt: skip


def refusal(response: Any) -> str:
    """The Thai message the page shows after a refused POST."""
    assert response.status_code == 302
    page = response.client.get(response["Location"]).content.decode()
    return page


# Authority: the route ---------------------------------------------------------------------


@pytest.mark.parametrize("last", ["head", "admin", "colleague"])
def test_it_refuses_a_forged_route_ending_at_someone_who_cannot_decide(org, people, last):
    """A reviewer, an org admin and a member of staff, posted straight to the submit URL."""
    memo = draft(org, people)
    before = state(memo)
    client = client_for(people["drafter"])
    url = reverse("reports:memo_submit", args=[memo.pk])
    for body in (
        {"user_0": people[last].pk},
        {"user_0": people["clerk"].pk, "user_1": people[last].pk},
    ):
        page = refusal(client.post(url, body))
        name = people[last].get_full_name()
        assert f"{name} ({people[last].get_role_display()}) พิจารณาสั่งการไม่ได้" in page
        assert state(memo) == before


def test_it_refuses_a_route_with_a_person_of_another_organisation(org, people):
    other = Organisation.objects.create(kind="sao", name="อบต.อื่น", province="พะเยา")
    stranger = make_user("stranger", organisation=other, role=Role.EXECUTIVE, first_name="คนนอก")
    memo = draft(org, people)
    before = state(memo)
    page = refusal(
        client_for(people["drafter"]).post(
            reverse("reports:memo_submit", args=[memo.pk]), {"user_0": stranger.pk}
        )
    )
    assert "ลำดับที่ ๑: กรุณาเลือกบุคคลของหน่วยงานนี้จากรายการ" in page  # in the office's digits
    assert "คนนอก" not in page  # the other organisation's person is not named to the forger
    with translation.override("th"), pytest.raises(MemoRefused, match="คนนอก ไม่ได้สังกัดหน่วยงานนี้"):
        submit(memo, {**people, "stranger": stranger}, ["stranger"])
    assert state(memo) == before


def test_it_refuses_a_route_naming_someone_twice(org, people):
    memo = draft(org, people)
    before = state(memo)
    page = refusal(
        client_for(people["drafter"]).post(
            reverse("reports:memo_submit", args=[memo.pk]),
            {
                "user_0": people["head"].pk,
                "user_1": people["head"].pk,
                "user_2": people["mayor"].pk,
            },
        )
    )
    assert "สมชาย ทดสอบ อยู่ในลำดับการเสนอมากกว่าหนึ่งครั้ง" in page
    assert state(memo) == before


def test_it_refuses_more_steps_than_the_policy_allows(org, people):
    ApprovalPolicy.objects.create(organisation=org, max_steps=2)
    memo = draft(org, people)
    before = state(memo)
    url = reverse("reports:memo_submit", args=[memo.pk])
    client = client_for(people["drafter"])
    assert (
        "user_2"
        not in client.get(reverse("reports:memo_detail", args=[memo.pk]))
        .context["route_form"]
        .fields
    )  # the form offers as many rows as the policy allows
    with (
        translation.override("th"),
        pytest.raises(MemoRefused, match="ลำดับการเสนอมี ๓ คน แต่หน่วยงานนี้กำหนดไว้ไม่เกิน ๒ คน"),
    ):
        submit(memo, people, ["head", "clerk", "mayor"])
    # a third person posted anyway is not read: the route ends at a reviewer and is refused
    client.post(url, {"user_0": people["head"].pk, "user_1": people["clerk"].pk,
                      "user_2": people["mayor"].pk})  # fmt: skip
    assert state(memo) == before
    submit(memo, people, ["head", "mayor"])  # within the policy


def test_it_refuses_a_reviewer_whose_role_may_not_review(org, people):
    memo = draft(org, people)
    before = state(memo)
    page = refusal(
        client_for(people["drafter"]).post(
            reverse("reports:memo_submit", args=[memo.pk]),
            {"user_0": people["colleague"].pk, "user_1": people["mayor"].pk},
        )
    )
    assert "มณี ทดสอบ (เจ้าหน้าที่) ให้ความเห็นบันทึกข้อความไม่ได้" in page
    assert state(memo) == before
    ApprovalPolicy.objects.create(organisation=org, review_roles=["reviewer", "staff"])
    assert submit(memo, people, ["colleague", "mayor"]).status == Memo.Status.IN_REVIEW


def test_it_addresses_the_memo_to_the_executive_whoever_decides(org, people):
    memo = submit(draft(org, people), people, ["head", "mayor"])
    assert memo.addressee == EXECUTIVE_TITLE  # DATA says "นายก"
    assert memo.versions.get().content["addressee"] == EXECUTIVE_TITLE


# Authority: the decision ------------------------------------------------------------------


def stand_in_decides(org: Organisation, people: dict[str, User], name: str) -> Memo:
    """`name` is named to decide in the executive's place, the memo routed to them, and then
    the organisation admin takes their authority away."""
    policy = ApprovalPolicy.of(org)
    policy = approval_policy_save(policy=policy, user=people["admin"], review_roles=["reviewer"],
                                  max_steps=4, acting=[(people[name], ActingTitle.ON_BEHALF)],
                                  ip=None)  # fmt: skip
    memo = submit(draft(org, people), people, [name])
    approval_policy_save(policy=policy, user=people["admin"], review_roles=["reviewer"],
                         max_steps=4, acting=[], ip=None)  # fmt: skip
    return memo


@pytest.mark.parametrize("name", ["head", "admin", "colleague"])
def test_it_refuses_a_forged_decision_by_someone_who_cannot_decide(org, people, name):
    memo = stand_in_decides(org, people, name)
    before = state(memo)
    client = client_for(people[name])
    for action in ("approve", "reject"):
        response = client.post(reverse("reports:memo_act", args=[memo.pk]),
                               {"action": action, "opinion": "ตามเสนอ"})  # fmt: skip
        assert "ท่านไม่มีอำนาจพิจารณาสั่งการบันทึกข้อความของหน่วยงานนี้" in refusal(response)
        assert state(memo) == before
    # what is left to them: send it back so that the drafter routes it again
    act(memo, people[name], "return", "ขอให้เสนอผู้บริหาร")
    assert Memo.objects.get(pk=memo.pk).status == Memo.Status.RETURNED


def test_it_refuses_a_reviewer_who_posts_a_decision_at_their_review_step(org, people):
    memo = submit(draft(org, people), people, ["head", "mayor"])
    before = state(memo)
    response = client_for(people["head"]).post(
        reverse("reports:memo_act", args=[memo.pk]), {"action": "approve"}
    )
    assert "ไม่สามารถดำเนินการนี้ได้ในขั้นตอนนี้" in refusal(response)
    assert state(memo) == before


def test_it_refuses_an_executive_no_longer_executive(org, people):
    memo = submit(draft(org, people), people, ["mayor"])
    User.objects.filter(pk=people["mayor"].pk).update(role=Role.REVIEWER)
    before = state(memo)
    with pytest.raises(MemoRefused):
        act(memo, User.objects.get(pk=people["mayor"].pk), "approve")
    assert state(memo) == before


def test_a_person_named_in_the_executives_place_decides_and_signs_with_the_acting_title(
    org, people
):
    approval_policy_save(policy=ApprovalPolicy.of(org), user=people["admin"],
                         review_roles=["reviewer"], max_steps=4,
                         acting=[(people["clerk"], ActingTitle.ACTING)], ip=None)  # fmt: skip
    memo = submit(draft(org, people), people, ["head", "clerk"])
    assert memo.addressee == EXECUTIVE_TITLE
    act(memo, people["head"], "forward")
    decided = act(memo, people["clerk"], "approve", "เห็นชอบ", memo_renderer=document.render_memo)
    assert decided.status == Memo.Status.APPROVED
    text = pdftotext(client_for(people["drafter"]).get(
        reverse("reports:memo_pdf", args=[memo.pk])).content)  # fmt: skip
    assert f"รักษาราชการแทน {EXECUTIVE_TITLE}" in " ".join(text.split())
    assert f"เรียน {EXECUTIVE_TITLE}" in " ".join(text.split())


# The policy page ---------------------------------------------------------------------------


def policy_post(people: dict[str, User], **overrides: Any) -> dict[str, Any]:
    return {
        "review_roles": ["reviewer", "staff"],
        "max_steps": "๓",
        "acting-TOTAL_FORMS": "2",
        "acting-INITIAL_FORMS": "0",
        "acting-0-user": str(people["clerk"].pk),
        "acting-0-title": "ปฏิบัติราชการแทน",
        "acting-1-user": "",
        "acting-1-title": "",
        **overrides,
    }


def test_the_organisation_admin_edits_the_policy_and_the_trail_keeps_it(org, people):
    url = reverse("reports:approval_policy", args=[org.pk])
    client = client_for(people["admin"])
    assert url in client.get(reverse("accounts:people", args=[org.pk])).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, policy_post(people))
    assert response.status_code == 302
    assert "บันทึกหลักเกณฑ์การอนุมัติเรียบร้อยแล้ว" in client.get(url).content.decode()
    policy = ApprovalPolicy.objects.get(organisation=org)
    assert (policy.review_roles, policy.max_steps) == (["reviewer", "staff"], 3)
    assert [(a.user, a.title) for a in policy.acting()] == [(people["clerk"], "ปฏิบัติราชการแทน")]
    entry = AuditEvent.objects.get(object_type="reports.approvalpolicy")
    assert entry.user == people["admin"] and entry.after["max_steps"] == 3
    assert entry.after["acting_deciders"] == ["สมศรี ทดสอบ ปฏิบัติราชการแทน"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"max_steps": "๑๑"}, "น้อยกว่าหรือเท่ากับ ๑๐"),
        ({"max_steps": "สาม"}, "กรอกหมายเลข"),
        ({"acting-1-user": "PEOPLE:clerk", "acting-1-title": "ปฏิบัติหน้าที่"},
         "ระบุ สมศรี ทดสอบ ซ้ำมากกว่าหนึ่งครั้ง"),
        ({"acting-0-title": ""}, "กรุณาเลือกว่าบุคคลนี้ลงนามแทนผู้บริหารในฐานะใด"),
        ({"acting-0-title": "นายกเอง"}, "เลือกตัวเลือกที่ถูกต้อง"),
        ({"acting-0-user": "PEOPLE:stranger"}, "กรุณาเลือกบุคคลของหน่วยงานนี้จากรายการ"),
        ({"review_roles": ["supervisor"]}, "เลือกตัวเลือกที่ถูกต้อง"),
    ],
)  # fmt: skip
def test_the_policy_page_refuses_bad_input_in_thai_and_saves_nothing(
    org, people, overrides, message
):
    other = Organisation.objects.create(kind="sao", name="อบต.อื่น", province="พะเยา")
    stranger = make_user("stranger", organisation=other, role=Role.REVIEWER)
    everyone = {**people, "stranger": stranger}
    for key, value in overrides.items():
        if isinstance(value, str) and value.startswith("PEOPLE:"):
            overrides[key] = str(everyone[value.removeprefix("PEOPLE:")].pk)
    url = reverse("reports:approval_policy", args=[org.pk])
    response = client_for(people["admin"]).post(url, policy_post(people, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ไม่มีการบันทึก" in html and message in html
    assert not ApprovalPolicy.objects.filter(organisation=org).exists()
    assert not AuditEvent.objects.filter(object_type="reports.approvalpolicy").exists()


# Recall and return ------------------------------------------------------------------------


def test_the_drafter_recalls_a_memo_nobody_has_given_an_opinion_on(org, people):
    memo = submit(draft(org, people), people, ["head", "mayor"])
    client = client_for(people["drafter"])
    detail = reverse("reports:memo_detail", args=[memo.pk])
    assert 'id="recall"' in client.get(detail).content.decode()
    response = client.post(reverse("reports:memo_recall", args=[memo.pk]))
    assert "เรียกคืนบันทึกข้อความแล้ว" in refusal(response)
    memo.refresh_from_db()
    assert memo.status == Memo.Status.RECALLED and memo.is_editable
    assert set(memo.steps.values_list("status", flat=True)) == {MemoStep.Status.CANCELLED}
    assert memo.events.last().action == MemoEvent.Action.RECALL
    assert "เรียกคืน" in client.get(detail).content.decode()
    inbox = client_for(people["head"]).get(reverse("reports:memo_inbox")).content.decode()
    assert DATA.subject not in inbox
    again = submit(memo, people, ["head", "mayor"])
    assert (again.version, again.number) == (2, memo.number)


def test_recalling_after_an_opinion_is_refused_in_thai(org, people):
    memo = submit(draft(org, people), people, ["head", "mayor"])
    act(memo, people["head"], "forward", "เห็นควรเสนอ")
    before = state(memo)
    client = client_for(people["drafter"])
    assert 'id="recall"' not in client.get(
        reverse("reports:memo_detail", args=[memo.pk])).content.decode()  # fmt: skip
    page = refusal(client.post(reverse("reports:memo_recall", args=[memo.pk])))
    assert "บันทึกข้อความนี้มีผู้ให้ความเห็นแล้ว จึงเรียกคืนไม่ได้" in page
    assert state(memo) == before


def test_the_executive_returns_the_memo_with_a_reason_and_every_version_stays_readable(org, people):
    first = memo_create(organisation=org, drafter=people["drafter"],
                        data=replace(DATA, facts="ข้อเท็จจริงฉบับหนึ่ง"), ip=None)  # fmt: skip
    memo = submit(first, people, ["head", "mayor"])
    act(memo, people["head"], "forward", "เห็นควรเสนอ")
    executive = client_for(people["mayor"])
    detail = reverse("reports:memo_detail", args=[memo.pk])
    assert 'value="return"' in executive.get(detail).content.decode()
    url = reverse("reports:memo_act", args=[memo.pk])
    before = state(memo)
    assert "กรุณาระบุเหตุผล" in refusal(executive.post(url, {"action": "return", "opinion": " "}))
    assert state(memo) == before
    executive.post(url, {"action": "return", "opinion": "ให้แก้ข้อเท็จจริงให้ตรงกับแผน"})
    memo.refresh_from_db()
    assert memo.status == Memo.Status.RETURNED
    Memo.objects.filter(pk=memo.pk).update(facts="ข้อเท็จจริงฉบับสอง")
    submit(Memo.objects.get(pk=memo.pk), people, ["head", "mayor"])
    page = client_for(people["colleague"]).get(detail).content.decode()
    for text in ("ข้อเท็จจริงฉบับหนึ่ง", "ข้อเท็จจริงฉบับสอง", "เห็นควรเสนอ", "ให้แก้ข้อเท็จจริงให้ตรงกับแผน"):
        assert text in page
    assert page.count("<details>") == 2


# The decided record: printed without the lock, kept as bytes -------------------------------


def test_a_decision_whose_printing_fails_changes_nothing(org, people):
    memo = submit(draft(org, people), people, ["head", "mayor"])
    act(memo, people["head"], "forward", "เห็นควรเสนอ")
    before = state(memo)

    def broken(memo: Memo, steps: Sequence[MemoStep]) -> bytes:
        raise OSError("WeasyPrint fell over")

    with translation.override("th"), pytest.raises(MemoRefused, match="ยังไม่ได้บันทึกการพิจารณา"):
        act(memo, people["mayor"], "approve", "เห็นชอบ", memo_renderer=broken)
    assert state(memo) == before
    assert current_pending(memo) == people["mayor"]


def current_pending(memo: Memo) -> User:
    return memo.steps.get(status=MemoStep.Status.PENDING).user


def test_a_failed_printing_shows_the_executive_a_thai_message(org, people, monkeypatch):
    memo = submit(draft(org, people), people, ["mayor"])
    before = state(memo)

    def broken(memo: Memo, steps: Sequence[MemoStep] | None = None) -> str:
        raise ValueError("template error")

    monkeypatch.setattr(document, "memo_html", broken)
    response = client_for(people["mayor"]).post(reverse("reports:memo_act", args=[memo.pk]),
                                                {"action": "approve"})  # fmt: skip
    assert "ระบบจัดทำไฟล์บันทึกข้อความที่พิจารณาแล้วไม่สำเร็จ" in refusal(response)
    assert state(memo) == before


def test_it_prints_the_decision_with_no_transaction_open(org, people):
    """Printing takes seconds: no row lock (no transaction of the service's) is held meanwhile."""
    memo = submit(draft(org, people), people, ["mayor"])
    depth = len(connection.atomic_blocks)  # the test's own transaction
    seen: list[int] = []

    def printing(memo: Memo, steps: Sequence[MemoStep]) -> bytes:
        seen.append(len(connection.atomic_blocks))
        return fake_pdf(memo, steps)

    act(memo, people["mayor"], "approve", memo_renderer=printing)
    assert seen == [depth]


def test_it_refuses_a_decision_when_the_memo_was_recalled_while_it_printed(org, people):
    from reports.memos.services import memo_recall

    memo = submit(draft(org, people), people, ["mayor"])

    def printing(printed: Memo, steps: Sequence[MemoStep]) -> bytes:
        memo_recall(memo=memo, user=people["drafter"], ip=None)
        return fake_pdf(printed, steps)

    with pytest.raises(MemoRefused):
        act(memo, people["mayor"], "approve", memo_renderer=printing)
    memo.refresh_from_db()
    assert memo.status == Memo.Status.RECALLED and not memo.approved_pdf
    assert not memo.steps.filter(status=MemoStep.Status.APPROVED).exists()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "gold").save(out, "PNG")
    return out.getvalue()


def fetch(client: Client, url: str) -> bytes:
    response: Any = client.get(url)
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def test_the_decided_memo_and_its_attachments_keep_their_bytes(
    demo_with_memos, settings, tmp_path, monkeypatch
):
    """Approved through the pages; then an emblem upload, a renamed signer and a changed
    template: the PDFs served are the bytes stored at the decision, hashed with SHA-256."""
    settings.MEDIA_ROOT = tmp_path
    staff = User.objects.get(username="bangkao-staff")
    reviewer = User.objects.get(username="bangkao-reviewer")
    executive = User.objects.get(username="bangkao-executive")
    org = staff.organisation
    url = reverse("reports:memo_new", args=[org.pk]) + "?from=assessment&year=2565"
    client = client_for(staff)
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if k != "attachments"}
    client.post(url, {**data, "attached": ["analysis:2565", "plan:2566"]})
    memo = Memo.objects.get(drafter=staff)
    urls = [reverse("reports:memo_pdf", args=[memo.pk])] + [
        reverse("reports:memo_attachment", args=[memo.pk, i]) for i in range(2)
    ]
    draft_pdf = fetch(client, urls[0])
    client.post(reverse("reports:memo_submit", args=[memo.pk]),
                {"user_0": reviewer.pk, "user_1": executive.pk})  # fmt: skip
    client_for(reviewer).post(reverse("reports:memo_act", args=[memo.pk]), {"action": "forward"})
    client_for(executive).post(reverse("reports:memo_act", args=[memo.pk]),
                               {"action": "approve", "opinion": "เห็นชอบ"})  # fmt: skip
    memo.refresh_from_db()
    assert memo.status == Memo.Status.APPROVED
    approved = [fetch(client, u) for u in urls]
    assert hashlib.sha256(approved[0]).hexdigest() == memo.approved_pdf_sha256
    assert memo.approved_pdf.read() == approved[0]
    assert [a.sha256 for a in memo.frozen_attachments.order_by("pk")] == [
        hashlib.sha256(pdf).hexdigest() for pdf in approved[1:]
    ]
    assert "เห็นชอบ" in pdftotext(approved[0]) and draft_pdf != approved[0]

    upload = SimpleUploadedFile("garuda.png", png_bytes(), content_type="image/png")
    emblem = client.post(reverse("reports:document_index", args=[org.pk]), {"emblem": upload})
    assert emblem.status_code == 302
    User.objects.filter(pk=executive.pk).update(first_name="ชื่อใหม่", position="ตำแหน่งใหม่")
    User.objects.filter(pk=reviewer.pk).update(last_name="นามสกุลใหม่")
    monkeypatch.setattr(document, "memo_html", lambda memo, steps=None: "<p>แม่แบบใหม่</p>")
    monkeypatch.setattr(
        "reports.documents.builders.render_to_string", lambda *a, **kw: "<p>แม่แบบใหม่</p>"
    )
    assert [fetch(client, u) for u in urls] == approved
    assert [fetch(client_for(executive), u) for u in urls] == approved
    # the same changes do show in a memo not yet decided
    other = memo_create(organisation=org, drafter=staff, data=MemoContent(**{
        **MemoContent.of(memo).values(), "attachments": []}), ip=None)  # fmt: skip
    assert "แม่แบบใหม่" in pdftotext(fetch(client, reverse("reports:memo_pdf", args=[other.pk])))


def test_an_acting_decider_rule_keeps_to_its_organisation(org, people):
    other = Organisation.objects.create(kind="sao", name="อบต.อื่น", province="พะเยา")
    stranger = make_user("stranger", organisation=other, role=Role.REVIEWER)
    with pytest.raises(MemoRefused):
        approval_policy_save(policy=ApprovalPolicy.of(org), user=people["admin"],
                             review_roles=["reviewer"], max_steps=4,
                             acting=[(stranger, ActingTitle.ACTING)], ip=None)  # fmt: skip
    assert not ActingDecider.objects.exists()


def test_render_report_prints_a_decided_memo_as_stored(demo_with_memos, tmp_path):
    memo = Memo.objects.get(number=119)
    User.objects.filter(username="phusang-executive").update(first_name="ชื่อใหม่")
    out = tmp_path / "memo.pdf"
    call_command("render_report", "memo", "--memo", str(memo.pk), "--out", str(out),
                 stdout=io.StringIO())  # fmt: skip
    with memo.approved_pdf.open("rb") as stored:
        assert out.read_bytes() == stored.read()
    assert hashlib.sha256(out.read_bytes()).hexdigest() == memo.approved_pdf_sha256


def test_the_decider_signs_as_the_policy_says_not_as_the_request_says(org, people):
    memo = draft(org, people)
    client_for(people["drafter"]).post(
        reverse("reports:memo_submit", args=[memo.pk]),
        {"user_0": people["head"].pk, "acting_0": "หัวหน้าสำนักปลัด รักษาราชการแทน ปลัด",
         "user_1": people["mayor"].pk, "acting_1": "ผู้ว่าราชการจังหวัด"},
    )  # fmt: skip
    assert list(memo.steps.values_list("acting_title", flat=True)) == [
        "หัวหน้าสำนักปลัด รักษาราชการแทน ปลัด",
        "",
    ]
