"""The approved memos that hold a plan (measures.approvals): those whose frozen attachments are
the plan's documents of its fiscal year."""

from __future__ import annotations

from measures.approvals import Part
from measures.models import MeasurePlan
from reports.documents.models import DocumentKind
from reports.memos.models import Memo

# The documents that print each part of a plan: the plan document its measures, the progress
# report its measures and their follow-up.
HOLDING = {
    Part.PLAN: (DocumentKind.PLAN, DocumentKind.PROGRESS),
    Part.FOLLOW_UP: (DocumentKind.PROGRESS,),
}


def approved_memos_holding(plan: MeasurePlan, part: Part) -> list[str]:
    memos = (
        Memo.objects.filter(
            organisation_id=plan.organisation_id,
            status=Memo.Status.APPROVED,
            frozen_attachments__kind__in=[kind.value for kind in HOLDING[part]],
            frozen_attachments__year=plan.fiscal_year,
        )
        .distinct()
        .order_by("dated", "pk")
    )
    return [memo.reference or memo.subject for memo in memos]
