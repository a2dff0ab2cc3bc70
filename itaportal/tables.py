"""Tables as downloads: CSV text (Excel-friendly with a BOM added by the view) and XLSX bytes.

Every cell of text is written so that a spreadsheet shows it and never runs it: supervisors open
other organisations' exports, whose titles and names anyone there could have typed."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from itaportal.errors import NotFound

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# What makes a spreadsheet read a cell as a formula (OWASP's CSV injection list), with the
# full-width forms that a Thai or CJK input method types and some spreadsheets fold into them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# A signed number (a change of -14.95) is data, not a formula: it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def is_formula_like(value: object) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def csv_safe(row: Iterable[Any]) -> list[Any]:
    """The row with every formula-like text behind an apostrophe, which spreadsheets read as
    "this is text" and do not show."""
    return ["'" + value if is_formula_like(value) else value for value in row]


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    # RFC 4180's CRLF: the writer then also quotes a text holding a lone carriage return,
    # which would otherwise end the row in a spreadsheet.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_safe(header))
    writer.writerows(csv_safe(row) for row in rows)
    return out.getvalue()


def xlsx_bytes(sheet_name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    return xlsx_book([(sheet_name, header, rows)])


def xlsx_book(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook of one sheet per (name, header, rows), in that order."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    def text_cells(sheet: WriteOnlyWorksheet, row: Iterable[Any]) -> list[Any]:
        # openpyxl writes a text starting with "=" as a formula; a text cell with Excel's
        # quote prefix is shown as typed and stays text when someone edits it.
        cells = []
        for value in row:
            if is_formula_like(value):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cell.quotePrefix = True
                value = cell
            cells.append(value)
        return cells

    workbook = Workbook(write_only=True)
    for sheet_name, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(text_cells(sheet, header))
        for row in rows:
            sheet.append(text_cells(sheet, row))
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
    """A file download (CSV, XLSX, DOCX, else JSON); CSV gets a BOM so Excel reads the Thai
    text as UTF-8."""
    if filename.endswith(".csv"):
        response = HttpResponse("\ufeff" + str(content), content_type="text/csv; charset=utf-8")
    elif filename.endswith(".xlsx"):
        response = HttpResponse(content, content_type=XLSX_TYPE)
    elif filename.endswith(".docx"):
        response = HttpResponse(content, content_type=DOCX_TYPE)
    else:
        response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
