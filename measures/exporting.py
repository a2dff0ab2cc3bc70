"""Plans written out for other programs (../shared/domain/INTERFACES.md "export_measures")."""

from __future__ import annotations

from typing import Any

from itaportal.tables import csv_text, xlsx_bytes
from measures.selectors import MeasureRow, PlanView


def _month(value: Any) -> str | None:
    return value.strftime("%Y-%m") if value else None


def measure_record(row: MeasureRow, thai_digits: bool = True) -> dict[str, Any]:
    measure = row.measure
    return {
        "title": measure.title,
        "indicators": list(measure.indicators),
        "items": list(measure.items),
        "responsible_unit": measure.responsible_unit,
        "responsible_people": row.responsible_people,
        "start": _month(measure.start_month),
        "end": _month(measure.end_month),
        "timeline_text": measure.timeline.text(thai_digits),
        "follow_up": measure.follow_up,
        "status": measure.status,
        "overdue": row.lateness.overdue,
        "progress": [
            {"date": p.date.isoformat(), "done": p.done, "outcome": p.outcome}
            for p in measure.progress.all()
        ],
    }


def plan_record(view: PlanView) -> dict[str, Any]:
    plan = view.plan
    thai_digits = plan.organisation.uses_thai_digits
    return {
        "org_name": plan.organisation.name,
        "province": plan.organisation.province,
        "fiscal_year": plan.fiscal_year,
        "based_on_year": plan.based_on_year,
        "uncovered_indicators": view.uncovered,
        "measures": [measure_record(row, thai_digits) for row in view.rows],
    }


CSV_COLUMNS = [
    "org_name",
    "province",
    "fiscal_year",
    "based_on_year",
    "order",
    "title",
    "indicators",
    "responsible_unit",
    "responsible_people",
    "start",
    "end",
    "timeline_text",
    "follow_up",
    "status",
    "overdue",
    "progress_count",
    "last_progress_date",
    "last_progress_done",
    "last_progress_outcome",
    "items",  # last: the columns before it keep their places
]


def flat_rows(record: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for order, measure in enumerate(record["measures"], start=1):
        last = measure["progress"][-1] if measure["progress"] else {}
        rows.append(
            [
                record["org_name"],
                record["province"],
                record["fiscal_year"],
                record["based_on_year"],
                order,
                measure["title"],
                " ".join(str(n) for n in measure["indicators"]),
                measure["responsible_unit"],
                "; ".join(measure["responsible_people"]),
                measure["start"] or "",
                measure["end"] or "",
                measure["timeline_text"],
                measure["follow_up"],
                measure["status"],
                "true" if measure["overdue"] else "false",
                len(measure["progress"]),
                last.get("date", ""),
                last.get("done", ""),
                last.get("outcome", ""),
                " ".join(measure["items"]),
            ]
        )
    return rows


def records_csv(records: list[dict[str, Any]]) -> str:
    return csv_text(CSV_COLUMNS, (row for record in records for row in flat_rows(record)))


def records_xlsx(records: list[dict[str, Any]]) -> bytes:
    return xlsx_bytes("measures", CSV_COLUMNS, (row for r in records for row in flat_rows(r)))
