from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from assessments.models import Organisation
from reports.documents.models import SECTIONS_OF, DocumentKind


@dataclass(frozen=True)
class AvailableDocument:
    kind: DocumentKind
    year: int
    editable_text: bool = False
    committee_id: int | None = None

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def has_sections(self) -> bool:
        """Whether people write sections of it (a preface, the rationale)."""
        return self.kind in SECTIONS_OF


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
        docs.append(AvailableDocument(DocumentKind.ANALYSIS, year, editable_text=True))
    for year in organisation.plans.values_list("fiscal_year", flat=True):
        docs.append(AvailableDocument(DocumentKind.PLAN, year))
        docs.append(AvailableDocument(DocumentKind.PROGRESS, year))
    for pk, year in organisation.committees.values_list("pk", "fiscal_year"):
        docs.append(AvailableDocument(DocumentKind.ORDER, year, committee_id=pk))
    return sorted(docs, key=lambda d: (-d.year, d.kind))
