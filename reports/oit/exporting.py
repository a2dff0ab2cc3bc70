"""The OIT checklists as records for `manage.py export_oit` (../shared/domain/INTERFACES.md):
one per organisation and assessed year that has a checklist, with the predicted figures."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from assessments.models import Organisation
from assessments.selectors import FrameworkCatalogue
from itaportal.tables import csv_text
from reports.oit.models import OitEntry
from reports.oit.readiness import Checklist, checklist_of
from reports.oit.selectors import oit_year


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def checklist_record(checklist: Checklist) -> dict[str, Any]:
    prediction = checklist.prediction
    rating = prediction.rating
    return {
        "org_name": checklist.organisation.name,
        "province": checklist.organisation.province,
        "fiscal_year": checklist.fiscal_year,
        "framework": checklist.year.framework.name,
        "predicted_oit": _number(prediction.oit),
        "predicted_score": _number(prediction.overall),
        "predicted_level": (rating.level_text or None) if rating else None,
        "items": [
            {
                "code": row.item.code,
                "title": row.item.title,
                "status": row.status,
                "url": row.entry.url if row.entry else "",
                "elements_total": row.state.elements_total,
                "elements_done": row.state.elements_done,
                "year_ok": row.state.year_ok,
                "link_ok": row.state.link_ok,
                "predicted": int(row.state.predicted),
            }
            for row in checklist.rows
        ],
    }


def checklist_records(entries: QuerySet[OitEntry]) -> Iterator[dict[str, Any]]:
    """A record for each organisation and year the entries belong to, by province, name, year."""
    catalogue = FrameworkCatalogue()
    pairs = (
        entries.order_by("organisation__province", "organisation__name", "fiscal_year")
        .values_list("organisation", "fiscal_year")
        .distinct()
    )
    found_pairs = list(pairs)
    organisations = Organisation.objects.in_bulk({org_id for org_id, _year in found_pairs})
    for org_id, year in found_pairs:
        organisation = organisations[org_id]
        found = oit_year(organisation, year, catalogue)
        if found is not None:
            yield checklist_record(checklist_of(organisation, year, found, catalogue))


CSV_COLUMNS = [
    "org_name",
    "province",
    "fiscal_year",
    "framework",
    "predicted_oit",
    "predicted_score",
    "predicted_level",
    "code",
    "title",
    "status",
    "url",
    "elements_total",
    "elements_done",
    "year_ok",
    "link_ok",
    "predicted",
]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def records_csv(records: list[dict[str, Any]]) -> str:
    """One line per item, its checklist's fields repeated."""
    head = CSV_COLUMNS[:7]
    return csv_text(
        CSV_COLUMNS,
        (
            [_cell(record[k]) for k in head] + [_cell(item[k]) for k in CSV_COLUMNS[7:]]
            for record in records
            for item in record["items"]
        ),
    )
