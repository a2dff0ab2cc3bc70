"""Assessments written out for other programs (../shared/domain/INTERFACES.md "export_scores")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from assessments.ita import round2
from assessments.selectors import FrameworkCatalogue, YearResult
from itaportal.tables import csv_text, xlsx_bytes

HEAD_COLUMNS = ["org_name", "province", "fiscal_year"]
RESULT_COLUMNS = [
    "computed_score",
    "published_score",
    "score",
    "level",
    "published_level",
    "discrepancy",
    "level_mismatch",
    "possible_levels",
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
        "possible_levels": [band.code for band in reversed(ev.possible_levels)],
        "items": {code: _num(v) for code, v in result.item_scores.items()},
    }


def csv_columns(records: list[dict[str, Any]], catalogue: FrameworkCatalogue) -> list[str]:
    """The flat columns of these records: one per indicator and instrument of their years'
    frameworks, and one per item any of them has a score for, in the frameworks' order."""
    numbers: dict[int, None] = {}
    instruments: dict[str, None] = {}
    items: dict[str, None] = {}
    for year in sorted({record["fiscal_year"] for record in records}):
        for framework in catalogue.all_for_year(year):
            for inst in framework.instruments.all():
                instruments[inst.code.lower()] = None
                numbers.update((ind.number, None) for ind in inst.indicators.all())
            items.update((item.code, None) for item in framework.items())
    given = {code for record in records for code in record["items"]}
    return [
        *HEAD_COLUMNS,
        *[f"ind_{n}" for n in numbers],
        *instruments,
        *RESULT_COLUMNS,
        *[f"tier_{n}" for n in numbers],
        *[f"change_{n}" for n in numbers],
        *[code for code in items if code in given],
        *sorted(given - set(items)),
    ]


def flat_record(record: dict[str, Any]) -> dict[str, Any]:
    """The JSON object flattened to the CSV's columns."""
    flat = {key: record[key] for key in (*HEAD_COLUMNS, *RESULT_COLUMNS)}
    flat["possible_levels"] = " / ".join(record["possible_levels"])
    for key, prefix in (("scores", "ind_"), ("tiers", "tier_"), ("change", "change_")):
        flat.update({f"{prefix}{n}": value for n, value in record[key].items()})
    flat.update({code.lower(): value for code, value in record["instrument_scores"].items()})
    flat.update(record["items"])
    return flat


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _rows(records: list[dict[str, Any]], columns: list[str], *, text: bool) -> list[list[Any]]:
    rows = []
    for record in records:
        flat = flat_record(record)
        rows.append([_csv_value(flat.get(c)) if text else flat.get(c) for c in columns])
    return rows


def records_csv(records: list[dict[str, Any]]) -> str:
    columns = csv_columns(records, FrameworkCatalogue())
    return csv_text(columns, _rows(records, columns, text=True))


def records_xlsx(records: list[dict[str, Any]]) -> bytes:
    columns = csv_columns(records, FrameworkCatalogue())
    return xlsx_bytes("ITA", columns, _rows(records, columns, text=False))
