"""The memo as a printed บันทึกข้อความ (DOCUMENTS.md §4), with its chain and verification code."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, replace

import segno
from django.template.loader import render_to_string

from assessments.emblem import emblem_print_uri
from assessments.models import Organisation
from reports.documents.builders import build
from reports.documents.docx import html_to_docx
from reports.memos.models import Memo, MemoStep
from reports.memos.verification import verification_url
from reports.pdf import renderer, static_path

APPROVE_WORD = "เห็นชอบ"


@dataclass(frozen=True)
class Signature:
    """One step of the chain as printed: the heading, the name and the lines under it."""

    step: MemoStep
    heading: str
    name: str
    lines: list[str]
    approve_label: str = APPROVE_WORD  # the ticked box's words: "เห็นชอบดำเนินการตามเสนอ"
    approve_note: str = ""  # what the executive wrote beyond them


def _position_lines(position: str, acting_title: str) -> list[str]:
    """The position once: an acting title that already names it stands alone."""
    if not acting_title:
        return [position] if position else []
    if not position or acting_title.startswith(position):
        return [acting_title]
    return [position, acting_title]


def step_signature(step: MemoStep, organisation: Organisation) -> Signature:
    name = step.user.formal_name
    if step.kind != MemoStep.Kind.DECIDE:
        office = step.acting_title or step.position
        return Signature(
            step, f"ความเห็น{office}", name, _position_lines(step.position, step.acting_title)
        )
    executive = organisation.executive_title or step.position
    lines = _position_lines(step.position, step.acting_title) if step.acting_title else [executive]
    signature = Signature(step, f"ความเห็น/คำสั่ง {executive}", name, lines)
    opinion = step.opinion.strip()
    if step.status != MemoStep.Status.APPROVED or not opinion:
        return signature
    first, _newline, rest = opinion.partition("\n")
    if first.startswith(APPROVE_WORD):  # "เห็นชอบดำเนินการตามเสนอ" is the box's own words
        return replace(signature, approve_label=first.strip(), approve_note=rest.strip())
    return replace(signature, approve_note=opinion)


def _qr_data_uri(url: str, *, png: bool = False) -> str:
    code = segno.make(url, error="m")
    if png:  # Word shows no SVG: a PNG fine enough for its printed 2.2 cm
        return code.png_data_uri(scale=8, border=0)
    svg = code.svg_inline(scale=3, border=0)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def memo_html(memo: Memo, steps: Sequence[MemoStep] | None = None, *, png_qr: bool = False) -> str:
    """The memo as printed; `steps` gives the chain as it will stand (a decision being made)
    instead of as stored; `png_qr` draws the QR code as PNG (for the DOCX)."""
    organisation = memo.organisation
    if steps is None:
        steps = list(
            memo.steps.filter(version=memo.version)
            .exclude(status=MemoStep.Status.CANCELLED)
            .select_related("user")
            .order_by("order")
        )
    verified = bool(memo.content_hash and memo.verification_code)
    return render_to_string(
        "reports/documents/memo.html",
        {
            "memo": memo,
            "organisation": organisation,
            "steps": steps,
            "signatures": [step_signature(step, organisation) for step in steps],
            "emblem": emblem_print_uri(organisation.emblem),
            "page_counter": "thai" if organisation.uses_thai_digits else "decimal",
            "verify_url": verification_url(memo) if verified else "",
            "qr": _qr_data_uri(verification_url(memo), png=png_qr) if verified else "",
            "title": memo.subject,
            "stylesheet": static_path("reports/documents.css").as_uri(),
        },
    )


def render_memo(memo: Memo, steps: Sequence[MemoStep] | None = None) -> bytes:
    return renderer().render(memo_html(memo, steps)).pdf


def memo_docx(memo: Memo) -> bytes:
    """The memo as it stands, as an editable DOCX (a decided memo's record stays its PDF)."""
    organisation = memo.organisation
    return html_to_docx(
        memo_html(memo, png_qr=True),
        thai_digits=organisation.uses_thai_digits,
        title=memo.subject,
        author=organisation.name,
    )


def render_attachment(organisation: Organisation, kind: str, year: int) -> bytes:
    return renderer().render(build(kind, organisation, year).html()).pdf
