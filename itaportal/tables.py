"""Tables as downloads: CSV text (Excel-friendly with a BOM added by the view) and XLSX bytes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from itaportal.errors import NotFound

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def xlsx_bytes(sheet_name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


Records = list[dict[str, Any]]


def download_records(
    records: Records,
    fmt: str,
    stem: str,
    *,
    to_csv: Callable[[Records], str],
    to_xlsx: Callable[[Records], bytes],
) -> HttpResponse:
    """The records as a CSV, XLSX or JSON download; any other format is a 404."""
    if fmt == "csv":
        return download(to_csv(records), f"{stem}.csv")
    if fmt == "xlsx":
        return download(to_xlsx(records), f"{stem}.xlsx")
    if fmt == "json":
        return download(json.dumps(records, ensure_ascii=False, indent=2), f"{stem}.json")
    raise NotFound(_("Export as csv, xlsx or json."))


def download(content: str | bytes, filename: str) -> HttpResponse:
    """A file download; CSV gets a BOM so Excel reads the Thai text as UTF-8."""
    if filename.endswith(".csv"):
        response = HttpResponse("\ufeff" + str(content), content_type="text/csv; charset=utf-8")
    elif filename.endswith(".xlsx"):
        response = HttpResponse(content, content_type=XLSX_TYPE)
    else:
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
