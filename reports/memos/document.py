"""The memo as a printed บันทึกข้อความ (DOCUMENTS.md §4), with its chain and verification code."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from pathlib import Path

import segno
from django.template.loader import render_to_string

from assessments.models import Organisation
from reports.documents.builders import build
from reports.memos.models import Memo, MemoStep
from reports.memos.verification import verification_url
from reports.pdf import renderer, static_path


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=0)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def memo_html(memo: Memo, steps: Sequence[MemoStep] | None = None) -> str:
    """The memo as printed; `steps` gives the chain as it will stand (a decision being made)
    instead of as stored."""
    organisation = memo.organisation
    if steps is None:
        steps = list(
            memo.steps.filter(version=memo.version)
            .exclude(status=MemoStep.Status.CANCELLED)
            .select_related("user")
            .order_by("order")
        )
    emblem = ""
    if organisation.emblem and Path(organisation.emblem.path).is_file():
        emblem = Path(organisation.emblem.path).resolve().as_uri()
    verified = bool(memo.content_hash and memo.verification_code)
    return render_to_string(
        "reports/documents/memo.html",
        {
            "memo": memo,
            "organisation": organisation,
            "steps": steps,
            "emblem": emblem,
            "page_counter": "thai" if organisation.uses_thai_digits else "decimal",
            "verify_url": verification_url(memo) if verified else "",
            "qr": _qr_data_uri(verification_url(memo)) if verified else "",
            "title": memo.subject,
            "stylesheet": static_path("reports/documents.css").as_uri(),
        },
    )


def render_memo(memo: Memo, steps: Sequence[MemoStep] | None = None) -> bytes:
    return renderer().render(memo_html(memo, steps)).pdf


def render_attachment(organisation: Organisation, kind: str, year: int) -> bytes:
    return renderer().render(build(kind, organisation, year).html()).pdf
