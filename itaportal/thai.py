"""How numbers and dates are written for Thai readers: Thai or Arabic digits, Buddhist-era years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pythainlp.util import thai_strftime

from assessments.ita import THAI_DIGITS, round2

_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

BE_OFFSET = 543

SHORT_MONTHS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


def digits(text: object, thai: bool = True) -> str:
    """Write the digits of `text` in Thai (๐-๙) when `thai`, else leave them Arabic."""
    return str(text).translate(_TO_THAI) if thai else str(text)


def number(value: Decimal | int | None, thai: bool = True, places: int = 2) -> str:
    """A score as people read it: 2 decimals (half up), thousands unseparated, "–" when unknown."""
    if value is None:
        return "–"
    if places == 2 and isinstance(value, Decimal):
        text = f"{round2(value):.2f}"
    else:
        text = f"{value:.{places}f}"
    return digits(text, thai)


def signed(value: Decimal | None, thai: bool = True) -> str:
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + number(abs(value), thai)


def date_be(value: dt.date | dt.datetime | None, thai: bool = True) -> str:
    """'๑๑ กุมภาพันธ์ ๒๕๖๘': day, full Thai month, Buddhist-era year."""
    if value is None:
        return ""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    return digits(thai_strftime(value, "%-d %B %Y"), thai)


def year_be(year: int, thai: bool = True) -> str:
    return digits(year, thai)
