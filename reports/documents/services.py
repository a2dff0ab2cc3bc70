"""Writes on documents: analysis paragraphs, committee orders and their numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction

from assessments.models import Assessment, Organisation
from itaportal import thai
from itaportal.accounts.models import User
from reports.documents.models import AnalysisText, Committee, CommitteeMember
from reports.numbering import NumberRegister, number_take

COMMITTEE_FIELDS = (
    "fiscal_year",
    "subject",
    "reasons",
    "duties_steering",
    "duties_working",
    "issued_on",
    "signer_name",
    "signer_position",
)


@transaction.atomic
def analysis_texts_save(
    *, assessment: Assessment, texts: Mapping[int, str], user: User | None
) -> None:
    """Keep what people wrote; an emptied paragraph goes back to the portal's draft."""
    for number, text in texts.items():
        if text.strip():
            AnalysisText.objects.update_or_create(
                assessment=assessment,
                number=number,
                defaults={"text": text.strip(), "updated_by": user},
            )
        else:
            AnalysisText.objects.filter(assessment=assessment, number=number).delete()


def _members(committee: Committee, members: Iterable[Mapping[str, Any]]) -> None:
    committee.members.all().delete()
    CommitteeMember.objects.bulk_create(
        CommitteeMember(committee=committee, order=i, **member) for i, member in enumerate(members)
    )


@transaction.atomic
def committee_create(
    *,
    organisation: Organisation,
    data: Mapping[str, Any],
    members: Iterable[Mapping[str, Any]],
    number: int | None = None,
) -> Committee:
    """A new order, numbered ที่ N/B.E. year: the next number of the calendar year it is issued
    (reports.numbering), or `number` when it was issued on paper."""
    number_year = thai.be_year(data["issued_on"].year)
    number = number_take(
        organisation=organisation,
        series=NumberRegister.Series.ORDER,
        year=number_year,
        number=number,
    )
    committee = Committee.objects.create(
        organisation=organisation,
        number=number,
        number_year=number_year,
        **{field: data[field] for field in COMMITTEE_FIELDS},
    )
    _members(committee, members)
    return committee


@transaction.atomic
def committee_update(
    *, committee: Committee, data: Mapping[str, Any], members: Iterable[Mapping[str, Any]]
) -> Committee:
    """Change an order's text and members; its number stays the one it was given."""
    for field in COMMITTEE_FIELDS:
        setattr(committee, field, data[field])
    committee.save()
    _members(committee, members)
    return committee
