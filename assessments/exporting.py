"""Assessments written out for other programs (../shared/domain/INTERFACES.md "export_scores")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.ita import round2
from assessments.selectors import YearResult
from itaportal.tables import csv_text, xlsx_bytes

CSV_COLUMNS = [
    "org_name",
    "province",
    "fiscal_year",
    *[f"ind_{n}" for n in range(1, 11)],
    "iit",
    "eit",
    "oit",
    "computed_score",
    "published_score",
    "score",
    "level",
    "published_level",
    "discrepancy",
    "level_mismatch",
    *[f"tier_{n}" for n in range(1, 11)],
    *[f"change_{n}" for n in range(1, 11)],
]


def _num(value: Decimal | None) -> float | None:
    return float(round2(value)) if value is not None else None


def result_record(result: YearResult) -> dict[str, Any]:
    """One assessment as the JSON object of export_scores."""
    ev = result.evaluation
    org = result.assessment.organisation
    return {
        "org_name": org.name,
        "province": org.province,
        "fiscal_year": result.fiscal_year,
        "scores": {str(n): _num(v) for n, v in sorted(ev.scores.items())},
        "instrument_scores": {k: _num(v) for k, v in ev.instrument_scores.items()},
        "computed_score": _num(ev.computed_score),
        "published_score": _num(ev.published_score),
        "score": _num(ev.score),
        "level": ev.level.code if ev.level else None,
        "published_level": ev.published_level or None,
        "discrepancy": ev.discrepancy,
        "level_mismatch": ev.level_mismatch,
        "tiers": {str(n): str(t) for n, t in sorted(ev.tiers.items())},
        "change": {str(n): _num(v) for n, v in sorted(ev.change.items())},
    }


def flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """The JSON object flattened to CSV_COLUMNS."""
    flat = {key: record[key] for key in CSV_COLUMNS if key in record}
    for n in range(1, 11):
        flat[f"ind_{n}"] = record["scores"].get(str(n))
        flat[f"tier_{n}"] = record["tiers"].get(str(n))
        flat[f"change_{n}"] = record["change"].get(str(n))
    for code in ("IIT", "EIT", "OIT"):
        flat[code.lower()] = record["instrument_scores"].get(code)
    return flat


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _rows(records: list[dict[str, Any]], *, text: bool) -> list[list[Any]]:
    rows = []
    for record in records:
        flat = flat_record(record)
        rows.append([_csv_value(flat.get(c)) if text else flat.get(c) for c in CSV_COLUMNS])
    return rows


def records_csv(records: list[dict[str, Any]]) -> str:
    return csv_text(CSV_COLUMNS, _rows(records, text=True))


def records_xlsx(records: list[dict[str, Any]]) -> bytes:
    return xlsx_bytes("ITA", CSV_COLUMNS, _rows(records, text=False))
