from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from assessments.models import Organisation


@dataclass(frozen=True)
class AvailableDocument:
    kind: str
    year: int
    label: str
    editable_text: bool = False
    committee_id: int | None = None


def documents_available(organisation: Organisation) -> list[AvailableDocument]:
    """Every document the organisation's data can print, newest year first."""
    docs = []
    for year in (
        organisation.assessments.filter(
            Q(indicator_scores__isnull=False) | Q(published_score__isnull=False)
        )
        .distinct()
        .values_list("fiscal_year", flat=True)
    ):
        docs.append(AvailableDocument("analysis", year, "analysis", editable_text=True))
    for year in organisation.plans.values_list("fiscal_year", flat=True):
        docs.append(AvailableDocument("plan", year, "plan"))
        docs.append(AvailableDocument("progress", year, "progress"))
    for pk, year in organisation.committees.values_list("pk", "fiscal_year"):
        docs.append(AvailableDocument("order", year, "order", committee_id=pk))
    return sorted(docs, key=lambda d: (-d.year, d.kind))
