"""The approval blocks of a printed memo (issue 13): the position once, the decision's own words
beside its box, the executive's full title, names with their title (no database)."""

from __future__ import annotations

from assessments.models import Organisation
from itaportal.accounts.models import User
from reports.memos.document import step_signature
from reports.memos.models import MemoStep

PHUSANG = Organisation(name="องค์การบริหารส่วนตำบลภูซาง", executive_title="นายกองค์การบริหารส่วนตำบลภูซาง")
NAPAPORN = User(username="r", name_prefix="นาง", first_name="นภาพร", last_name="ศรีสุข")
WORAWIT = User(username="e", name_prefix="นาย", first_name="วรวิทย์", last_name="มั่นคง")


def step(**fields: object) -> MemoStep:
    values: dict[str, object] = {
        "kind": MemoStep.Kind.REVIEW,
        "status": MemoStep.Status.FORWARDED,
        "opinion": "",
    }
    values.update(fields)
    return MemoStep(**values)


def test_an_acting_reviewer_signs_with_the_position_once():
    sig = step_signature(
        step(
            user=NAPAPORN,
            position="หัวหน้าสำนักปลัด",
            acting_title="หัวหน้าสำนักปลัด รักษาราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง",
        ),
        PHUSANG,
    )
    assert sig.name == "นางนภาพร ศรีสุข"
    assert sig.lines == ["หัวหน้าสำนักปลัด รักษาราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง"]
    assert sig.heading == "ความเห็นหัวหน้าสำนักปลัด รักษาราชการแทน ปลัดองค์การบริหารส่วนตำบลภูซาง"


def test_an_acting_title_that_does_not_name_the_position_follows_it():
    sig = step_signature(
        step(user=NAPAPORN, position="หัวหน้าสำนักปลัด", acting_title="รักษาราชการแทน ปลัด"),
        PHUSANG,
    )
    assert sig.lines == ["หัวหน้าสำนักปลัด", "รักษาราชการแทน ปลัด"]


def test_the_executive_signs_with_the_full_title_and_the_approval_is_said_once():
    sig = step_signature(
        step(
            user=WORAWIT,
            position="นายก",
            kind=MemoStep.Kind.DECIDE,
            status=MemoStep.Status.APPROVED,
            opinion="เห็นชอบดำเนินการตามเสนอ",
        ),
        PHUSANG,
    )
    assert sig.name == "นายวรวิทย์ มั่นคง"
    assert sig.lines == ["นายกองค์การบริหารส่วนตำบลภูซาง"]
    assert sig.heading == "ความเห็น/คำสั่ง นายกองค์การบริหารส่วนตำบลภูซาง"
    assert sig.approve_label == "เห็นชอบดำเนินการตามเสนอ" and sig.approve_note == ""


def test_an_approval_with_other_words_keeps_them_under_the_box():
    sig = step_signature(
        step(
            user=WORAWIT,
            position="นายก",
            kind=MemoStep.Kind.DECIDE,
            status=MemoStep.Status.APPROVED,
            opinion="ให้รายงานผลทุกไตรมาส",
        ),
        PHUSANG,
    )
    assert sig.approve_label == "เห็นชอบ" and sig.approve_note == "ให้รายงานผลทุกไตรมาส"


def test_a_person_without_a_name_signs_with_the_username():
    assert User(username="bangkao-staff", name_prefix="นาย").formal_name == "bangkao-staff"


def test_both_boxes_are_drawn_alike_and_the_decision_is_not_repeated():
    from django.template.loader import render_to_string

    from reports.memos.models import Memo

    decided = step(
        user=WORAWIT,
        position="นายก",
        kind=MemoStep.Kind.DECIDE,
        status=MemoStep.Status.APPROVED,
        opinion="เห็นชอบดำเนินการตามเสนอ",
    )
    page = render_to_string(
        "reports/documents/memo.html",
        {
            "memo": Memo(organisation=PHUSANG, subject="ทดสอบ", attachments=[]),
            "organisation": PHUSANG,
            "signatures": [step_signature(decided, PHUSANG)],
        },
    )
    # One box of each, both drawn by the same rule (the characters are kept for copied text).
    assert '<span class="box checked">☑</span>' in page and '<span class="box">☐</span>' in page
    assert "เห็นชอบ เห็นชอบ" not in page and "เห็นชอบดำเนินการตามเสนอ" in page
