"""Reading a results file (CSV or XLSX, ../shared/domain/INTERFACES.md "import_scores").

Parsing is separate from writing: `parse_scores_file` either returns every row clean or raises
`ImportRejected` listing every bad row, so nothing is written unless the whole file is good.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import secrets
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from assessments import ita
from itaportal import thai

REQUIRED_COLUMNS = ("org_name", "province", "fiscal_year")
# ind_1, ind_2, … (as many as the year's framework has) and item codes (i1, e4, o12, …).
INDICATOR_COLUMN = re.compile(r"^ind_([0-9]+)$")
ITEM_COLUMN = re.compile(ita.ITEM_CODE_PATTERN)
OPTIONAL_COLUMNS = ("district", "org_code", "published_score", "published_level")
FIELD_LIMITS = {"org_name": 200, "province": 100, "district": 100, "org_code": 20}
# Unicode's control characters (category Cc), as one pattern: a national file has half a million
# characters to look at.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A national file repeats the same few thousand score texts; a Decimal is immutable, so a parsed
# one can be shared (a failure raises again each time: errors are not cached).
_parse_number = functools.lru_cache(maxsize=16384)(thai.parse_number)

# Bounds of an XLSX file, checked on the ZIP's directory before anything is inflated (a 3 MB
# file of repeated cells inflates to a gigabyte) and while rows are read. The national results
# file (7,850 rows, 43 columns) inflates to 14 MB of sheet XML, 16 times its compressed size,
# and reads in about 10 s; a gunicorn worker is killed at 60 s.
XLSX_MAX_MEMBERS = 100
XLSX_MAX_INFLATED_BYTES = 64 * 2**20
XLSX_MAX_RATIO = 100  # inflated / compressed, for a member over XLSX_RATIO_FROM_BYTES
XLSX_RATIO_FROM_BYTES = 2**20
XLSX_MAX_ROWS = 100_000
XLSX_MAX_COLUMNS = 200
XLSX_MAX_SECONDS = 30


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line}
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"


class ImportRejected(Exception):
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class ScoreRow:
    line: int
    org_name: str
    province: str
    district: str
    org_code: str
    fiscal_year: int
    scores: dict[int, Decimal] = field(default_factory=dict)
    items: dict[str, Decimal] = field(default_factory=dict)
    published_score: Decimal | None = None
    published_level: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.org_name, self.province)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # openpyxl gives floats; their shortest repr is what the user typed (83.71, not 83.709…)
        return repr(value) if not value.is_integer() else str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            [RowError(0, "", _("The file is not UTF-8 text. Save it as CSV UTF-8 and try again."))]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise ImportRejected(
            [RowError(reader.line_num, "", _("The CSV file is malformed: %(e)s") % {"e": exc})]
        ) from exc


def _rejected(message: str, line: int = 0) -> ImportRejected:
    return ImportRejected([RowError(line, "", message)])


def _unreadable_xlsx() -> ImportRejected:
    return _rejected(_("The Excel file cannot be read; it may be damaged or incomplete."))


def _check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX whose ZIP directory promises too much: too many members, too many bytes
    once inflated, or a compression no spreadsheet reaches. Python's zipfile never inflates a
    member beyond the size the directory declares, so these figures bind what openpyxl reads."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    # NotImplementedError: a member that claims a ZIP version zipfile does not read
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        ValueError,
        EOFError,
        NotImplementedError,
    ) as exc:
        raise _unreadable_xlsx() from exc
    if len(members) > XLSX_MAX_MEMBERS:
        raise _rejected(
            _("The Excel file holds %(n)s parts; a results file needs at most %(max)s.")
            % {"n": thai.digits(len(members)), "max": thai.digits(XLSX_MAX_MEMBERS)}
        )
    inflated = sum(member.file_size for member in members)
    if inflated > XLSX_MAX_INFLATED_BYTES:
        raise _rejected(
            _(
                "The Excel file expands to %(mb)s MB when opened; a results file may expand "
                "to at most %(max)s MB. Save only the results sheet and try again."
            )
            % {
                "mb": thai.digits(f"{-(-inflated // 2**20):,}"),  # rounded up
                "max": thai.digits(XLSX_MAX_INFLATED_BYTES // 2**20),
            }
        )
    for member in members:
        if member.file_size > XLSX_RATIO_FROM_BYTES and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise _rejected(_("The Excel file is compressed far more than a spreadsheet can be."))


def _read_xlsx(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_xlsx_archive(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl fails on a damaged file in many ways (zlib, XML, EOF…)
        raise _unreadable_xlsx() from exc
    too_many_rows = _("The file has more than %(max)s rows.") % {
        "max": thai.digits(f"{XLSX_MAX_ROWS:,}")
    }
    too_many_columns = _("The file has more than %(max)s columns.") % {
        "max": thai.digits(XLSX_MAX_COLUMNS)
    }
    try:
        sheet = workbook.worksheets[0]
        # The sheet's own claim of its size, when it makes one, refuses a large file at once.
        if (sheet.max_row or 0) > XLSX_MAX_ROWS:
            raise _rejected(too_many_rows)
        if (sheet.max_column or 0) > XLSX_MAX_COLUMNS:
            raise _rejected(too_many_columns)
        deadline = time.monotonic() + XLSX_MAX_SECONDS
        # As wide as the sheet says, or one column past the limit when it does not say, to tell
        # a wider file from one that fits; a sheet that skips to row 1,000,000 is counted
        # through its empty rows and stopped.
        width = sheet.max_column or XLSX_MAX_COLUMNS + 1
        rows = sheet.iter_rows(values_only=True, max_col=width)
        for number, row in enumerate(rows, start=1):
            if number > XLSX_MAX_ROWS:
                raise _rejected(too_many_rows)
            if len(row) > XLSX_MAX_COLUMNS and row[XLSX_MAX_COLUMNS] is not None:
                raise _rejected(too_many_columns, number)
            if time.monotonic() > deadline:
                raise _rejected(
                    _("Reading the file took longer than %(s)s seconds; split it and try again.")
                    % {"s": thai.digits(XLSX_MAX_SECONDS)},
                    number,
                )
            if row.count(None) == len(row):  # a blank row, counted at C speed
                yield number, []
                continue
            yield number, [_cell_text(v) for v in row[:XLSX_MAX_COLUMNS]]
    except ImportRejected:
        raise
    except Exception as exc:  # openpyxl fails on a damaged file in many ways (zlib, XML, EOF…)
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()


def read_table(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The file's data rows as (line number, {column: text}), blank rows skipped."""
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK"
    rows = list(_read_xlsx(data) if is_xlsx else _read_csv(data))
    if not rows:
        raise ImportRejected([RowError(0, "", _("The file is empty."))])
    header = rows[0][1]
    columns = [h.strip().lstrip("\ufeff").lower() for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ImportRejected(
            [
                RowError(
                    1,
                    "",
                    _("Required columns are missing: %(cols)s") % {"cols": ", ".join(missing)},
                )
            ]
        )
    table = []
    for line, values in rows[1:]:
        if not any(v.strip() for v in values):
            continue
        record = {
            col: (values[i].strip() if i < len(values) else "") for i, col in enumerate(columns)
        }
        table.append((line, record))
    if not table:
        raise ImportRejected([RowError(0, "", _("The file has a header but no results."))])
    return table


def _score(text: str, line: int, column: str, errors: list[RowError]) -> Decimal | None:
    if not text:
        return None
    try:
        value = _parse_number(text)
    except ValueError:
        errors.append(RowError(line, column, _("“%(v)s” is not a number.") % {"v": text}))
        return None
    if not ita.ZERO <= value <= ita.HUNDRED:
        errors.append(RowError(line, column, _("%(v)s is outside 0-100.") % {"v": text}))
        return None
    if value != value.quantize(ita.CENT):
        errors.append(RowError(line, column, _("Use at most 2 decimal places.")))
        return None
    return value


def _item_errors(
    rules: ita.Rules, fiscal_year: int, items: dict[str, Decimal], line: int
) -> list[RowError]:
    errors = []
    for code, value in items.items():
        item = rules.item(code)
        if item is None:
            errors.append(
                RowError(
                    line,
                    code,
                    _("The framework of fiscal year %(y)d has no item %(code)s.")
                    % {"y": fiscal_year, "code": code},
                )
            )
        elif not ita.item_score_allowed(item, value):
            errors.append(
                RowError(line, code, _("Item %(code)s scores only 0 or 100.") % {"code": code})
            )
    return errors


def _is_level(
    rules: ita.Rules, fiscal_year: int, level: str, known: dict[tuple[int, str], bool]
) -> bool:
    if (fiscal_year, level) not in known:
        known[(fiscal_year, level)] = ita.band_named(rules, level) is not None
    return known[(fiscal_year, level)]


def parse_scores_file(
    filename: str, data: bytes, rules_for: Callable[[int, str, str], ita.Rules | None]
) -> list[ScoreRow]:
    """Every row of the file, validated; raises ImportRejected with every bad row otherwise.
    `rules_for(year, organisation name, province)` gives the framework a row is checked
    against (FrameworkCatalogue.rules_for_organisation: by the organisation's kind)."""
    errors: list[RowError] = []
    parsed: list[ScoreRow] = []
    seen: dict[tuple[str, str, int], int] = {}
    known_levels: dict[tuple[int, str], bool] = {}  # (year, level): a file repeats a few levels
    for line, record in read_table(filename, data):
        row_errors: list[RowError] = []
        org_name = " ".join(record.get("org_name", "").split())
        province = " ".join(record.get("province", "").split()).removeprefix("จังหวัด").strip()
        district = " ".join(record.get("district", "").split()).removeprefix("อำเภอ").strip()
        for column in (*FIELD_LIMITS, "published_level"):
            if CONTROL_CHARACTERS.search(record.get(column, "")):
                row_errors.append(
                    RowError(line, column, _("Contains control characters; retype the text."))
                )
        for column, limit in FIELD_LIMITS.items():
            if len(record.get(column, "")) > limit:
                row_errors.append(
                    RowError(line, column, _("Longer than %(n)d characters.") % {"n": limit})
                )
        if not org_name:
            row_errors.append(RowError(line, "org_name", _("The organisation's name is empty.")))
        if not province:
            row_errors.append(RowError(line, "province", _("The province is empty.")))
        year_text = record.get("fiscal_year", "")
        fiscal_year = 0
        rules = None
        try:
            fiscal_year = thai.parse_year(year_text)
        except ValueError:
            row_errors.append(
                RowError(line, "fiscal_year", _("“%(v)s” is not a year.") % {"v": year_text})
            )
        else:
            rules = rules_for(fiscal_year, org_name, province)
            if rules is None:
                row_errors.append(
                    RowError(
                        line,
                        "fiscal_year",
                        _("No ITA framework covers fiscal year %(y)d (B.E.).") % {"y": fiscal_year},
                    )
                )
        scores: dict[int, Decimal] = {}
        items: dict[str, Decimal] = {}
        for column, text in record.items():
            indicator = INDICATOR_COLUMN.match(column)
            if not text or not (indicator or ITEM_COLUMN.match(column)):
                continue
            value = _score(text, line, column, row_errors)
            if value is None:
                continue
            if indicator:
                scores[int(indicator.group(1))] = value
            else:
                items[column] = value
        if rules is not None:
            known = rules.indicator_numbers
            for number in scores:
                if number not in known:
                    row_errors.append(
                        RowError(
                            line,
                            f"ind_{number}",
                            _("Fiscal year %(y)d has no indicator %(n)d.")
                            % {"y": fiscal_year, "n": number},
                        )
                    )
            row_errors.extend(_item_errors(rules, fiscal_year, items, line))
        published = _score(record.get("published_score", ""), line, "published_score", row_errors)
        level = " ".join(record.get("published_level", "").split())
        if level and rules is not None and not _is_level(rules, fiscal_year, level, known_levels):
            row_errors.append(
                RowError(
                    line,
                    "published_level",
                    _("“%(v)s” is not a level of fiscal year %(y)d.")
                    % {"v": level, "y": fiscal_year},
                )
            )
        if org_name and province and fiscal_year:
            key = (org_name, province, fiscal_year)
            if key in seen:
                row_errors.append(
                    RowError(
                        line,
                        "fiscal_year",
                        _("Repeats line %(other)d (same organisation and year).")
                        % {"other": seen[key]},
                    )
                )
            seen.setdefault(key, line)
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.append(
            ScoreRow(
                line=line,
                org_name=org_name,
                province=province,
                district=district,
                org_code=record.get("org_code", "").strip(),
                fiscal_year=fiscal_year,
                scores=scores,
                items=items,
                published_score=published,
                published_level=level,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return parsed


def template_columns(
    *,
    fiscal_year: int,
    indicators: dict[int, str],
    items: list[tuple[str, str]],
    levels: list[str],
    thai_digits: bool = True,
) -> list[tuple[str, str]]:
    """The columns of a results file for one year's framework, in the order a template lists
    them, each with what it holds in Thai: (column, explanation)."""

    def n(value: object) -> str:
        return thai.digits(value, thai_digits)

    return [
        ("org_name", _("Required. The organisation's full name, e.g. เทศบาลตำบลบางเก่า.")),
        ("province", _("Required. The province, without “จังหวัด”.")),
        ("district", _("Optional. The district, without “อำเภอ”.")),
        ("org_code", _("Optional. The local-government code, where known.")),
        (
            "fiscal_year",
            _("Required. The fiscal year (B.E.), e.g. %(y)s.") % {"y": n(fiscal_year)},
        ),
        *(
            (
                f"ind_{number}",
                _("Indicator %(n)s: %(name)s. A score 0-100; empty if unknown.")
                % {"n": n(number), "name": name},
            )
            for number, name in sorted(indicators.items())
        ),
        *(
            (
                code,
                _("Item %(code)s: %(title)s. A score 0-100; empty if unknown.")
                % {"code": code, "title": title},
            )
            for code, title in items
        ),
        ("published_score", _("The overall score NACC published, 0-100; empty if unknown.")),
        (
            "published_level",
            _("The level NACC published, one of: %(levels)s; empty if unknown.")
            % {"levels": ", ".join(levels)},
        ),
    ]


# An upload waiting for its preview to be confirmed, kept in the storage under a random token
# (never a name the uploader chose) and read back only by the session that previewed it.
PENDING_FOLDER = "imports-pending"


def pending_upload_keep(data: bytes) -> str:
    """Keep an uploaded file until its preview is confirmed; the token that names it."""
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{PENDING_FOLDER}/{token}", ContentFile(data))
    return token


def pending_upload_read(token: str) -> bytes | None:
    """The kept file, or None when the token is not one (or the file is gone)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{32}", token):
        return None
    try:
        with default_storage.open(f"{PENDING_FOLDER}/{token}", "rb") as kept:
            data: bytes = kept.read()
    except FileNotFoundError:
        return None
    return data


def pending_upload_drop(token: str) -> None:
    if re.fullmatch(r"[A-Za-z0-9_-]{32}", token):
        default_storage.delete(f"{PENDING_FOLDER}/{token}")
