"""How numbers and dates are written and read for Thai readers: Thai or Arabic digits, the
Buddhist era. The one place that knows the Thai digits and the B.E. offset; it imports no app."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pythainlp.util import thai_strftime

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)
_TO_ARABIC = str.maketrans(THAI_DIGITS, "0123456789")

# B.E. = A.D. + 543 (the calendar year; the fiscal year is measures.schedule's).
BE_OFFSET = 543
# A four-digit year from this on was typed in the Buddhist era (2400 B.E. is 1857 A.D.).
FIRST_BE_YEAR_TYPED = 2400

SHORT_MONTHS = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


def digits(text: object, thai: bool = True) -> str:
    """Write the digits of `text` in Thai (๐-๙) when `thai`, else leave them Arabic."""
    return str(text).translate(_TO_THAI) if thai else str(text)


def arabic(text: str) -> str:
    """`text` with its Thai digits written as Arabic ones."""
    return text.translate(_TO_ARABIC)


# What keeps its digits in typed text: addresses (URLs, e-mail) and codes that mix Latin
# letters and digits (hashes, verification codes, "ISO9001", item "o32").
_KEEP_DIGITS = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
    r"|(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]+(?![A-Za-z0-9])"
)


def typed_digits(text: object, thai: bool = True, keep: re.Pattern[str] = _KEEP_DIGITS) -> str:
    """Text people typed, its digits in the organisation's style (Thai ๑๒๓ or Arabic 123), for
    printing: it stays stored as typed. URLs, e-mail addresses and codes (`keep`) are left
    alone."""
    value = str(text)
    out, start = [], 0
    for kept in keep.finditer(value):
        out.append(_in_style(value[start : kept.start()], thai))
        out.append(kept.group())
        start = kept.end()
    out.append(_in_style(value[start:], thai))
    return "".join(out)


# ไม้ยมก after a Thai letter, written with or without a space before it.
_YAMOK = re.compile(r"(?<=[\u0e01-\u0e4e])[ \t]?\u0e46")


def yamok_spaced(text: str) -> str:
    """ไม้ยมก as the Royal Institute writes it, a space before (ต่าง ๆ): a no-break space, so that
    ๆ never begins a line ("ต่างๆ" let a line end "ต่าง" and the next begin "ๆ เช่น")."""
    return _YAMOK.sub("\u00a0\u0e46", text)


def _in_style(text: str, thai: bool) -> str:
    return digits(text) if thai else arabic(text)


def be_year(year: int) -> int:
    """The Buddhist-era number of a Common-Era year."""
    return year + BE_OFFSET


def ad_year(year: int) -> int:
    """The Common-Era number of a Buddhist-era year."""
    return year - BE_OFFSET


def parse_number(text: str) -> Decimal:
    """Read a number typed with Thai (๘๓.๗๑) or Arabic (83.71) digits, spaces around allowed.

    Raises ValueError for anything else (a thousands separator, a letter, two points, an exponent).
    """
    cleaned = arabic(str(text).strip())
    if not cleaned or not all(ch.isascii() and (ch.isdigit() or ch in ".-+") for ch in cleaned):
        raise ValueError(text)
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_year(text: str) -> int:
    """A Buddhist-era year typed with Thai or Arabic digits; ValueError for anything else."""
    value = parse_number(text)
    if not 0 < value < 10000 or value != value.to_integral_value():
        raise ValueError(text)
    return int(value)


FULL_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
# A month's name as typed, its dots and spaces left out ("พ.ย.", "พย", "พฤศจิกายน") → 1-12.
_MONTH_NAMES = {
    name.replace(".", ""): number
    for names in (SHORT_MONTHS, FULL_MONTHS)
    for number, name in enumerate(names, start=1)
}
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", re.ASCII)
_NAMED_DATE = re.compile(r"(\d{1,2}) ?([\u0E00-\u0E7F. ]+?) ?(?:พ\.? ?ศ\.?)? ?(\d{4})", re.ASCII)


def parse_date(text: str) -> dt.date:
    """A date as a Thai office types one, with Thai or Arabic digits: "๑๕ พ.ย. ๒๕๖๙",
    "15 พฤศจิกายน 2569" (พ.ศ. before the year allowed), "15/11/2569" (day first, never
    month first), or year-month-day "2569-11-15". A year from 2400 is Buddhist era, below it
    Common Era ("15/11/2026"). ValueError for anything else, including a day the Common-Era year
    lacks (29 February of B.E. 2569 is 2026, not a leap year)."""
    cleaned = " ".join(arabic(str(text)).split())
    if match := _ISO_DATE.fullmatch(cleaned):
        year, month, day = (int(part) for part in match.groups())
    elif match := _NUMERIC_DATE.fullmatch(cleaned):
        day, month, year = (int(part) for part in match.groups())
    elif match := _NAMED_DATE.fullmatch(cleaned):
        name = "".join(match.group(2).replace(".", "").split())
        if name not in _MONTH_NAMES:
            raise ValueError(text)
        day, month, year = int(match.group(1)), _MONTH_NAMES[name], int(match.group(3))
    else:
        raise ValueError(text)
    if year >= FIRST_BE_YEAR_TYPED:
        year = ad_year(year)
    return dt.date(year, month, day)


def parse_iso_date(text: str) -> dt.date:
    """Year-month-day only (the commands' `--date`, INTERFACES.md), in either era and either
    digits: "5/4/2023" is refused rather than read day first."""
    if not _ISO_DATE.fullmatch(" ".join(arabic(str(text)).split())):
        raise ValueError(text)
    return parse_date(text)


def number(value: Decimal | int | None, thai: bool = True, places: int = 2) -> str:
    """A score as people read it: 2 decimals (half up), thousands unseparated, "–" when unknown."""
    if value is None:
        return "–"
    if isinstance(value, Decimal):  # half up, as NACC publishes (ita.round2 for 2 places)
        text = f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):.{places}f}"
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


def date_be_short(value: dt.date, thai: bool = True) -> str:
    """'๑๕ พ.ย. ๒๕๖๙': how a date box shows its date, and one of the ways parse_date reads."""
    return digits(f"{value.day} {SHORT_MONTHS[value.month - 1]} {be_year(value.year)}", thai)


def year_be(year: int, thai: bool = True) -> str:
    return digits(year, thai)


# --- a page's digits for an organisation that writes Arabic ones --------------------------
# BCP 47's tag for Thai written with Thai digits: an element so marked keeps them (the hint
# "เลขไทย (๘๓.๗๑) หรือเลขอารบิก (83.71)" shows both kinds on purpose). So does one marked
# translate="no": data shown as stored (the audit trail's values before and after a change).
THAI_NUMBERING = "th-u-nu-thai"
_THAI_DIGIT = re.compile("[๐-๙]")
# A page's pieces that are not its text: comments, code and what people are typing (script,
# style and textarea whole), and tags.
_HTML_TOKEN = re.compile(
    r"<!--.*?-->|<(script|style|textarea)\b[^>]*>.*?</\1\s*>|<[^>]*>", re.S | re.I
)
_READ_ATTRIBUTE = re.compile(
    r"""(\s(?:placeholder|title|aria-label|alt)\s*=\s*)("[^"]*"|'[^']*')""", re.I
)
_KEPT_START = re.compile(
    rf"<([a-z][a-z0-9-]*)\b[^>]*\b(?:lang\s*=\s*[\"']?{THAI_NUMBERING}|translate\s*=\s*[\"']?no)\b",
    re.I,
)
_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def _opened(start: re.Match[str], token: str) -> tuple[str, int] | None:
    """The element a start tag opens, to follow until it closes (None: it holds nothing)."""
    name = start.group(1).lower()
    return None if name in _VOID or token.endswith("/>") else (name, 1)


def _still_open(element: tuple[str, int], token: str) -> tuple[str, int] | None:
    """The element after `token`: one deeper for a tag of its name, one shallower for its end
    tag, None once it has closed."""
    name, depth = element
    if re.match(rf"<{name}\b", token, re.I):
        depth += 1
    elif re.match(rf"</{name}\s*>", token, re.I):
        depth -= 1
    return (name, depth) if depth else None


def arabic_html(html: str) -> str:
    """A page as an organisation that writes Arabic digits reads it: the Thai digits of its text
    and of the attributes people read (placeholder, title, aria-label, alt) written as Arabic
    ones: fixed texts ("ทุก ๖ เดือน"), the catalogue's, and texts typed in Thai digits.

    Left as they are: what people are typing (input values, textareas), scripts and styles,
    links and other attributes, and elements marked lang="th-u-nu-thai" or translate="no"."""
    if not _THAI_DIGIT.search(html):
        return html
    out: list[str] = []
    kept: tuple[str, int] | None = None  # the marked element's tag and how deep in it we are
    position = 0
    for match in _HTML_TOKEN.finditer(html):
        text, token = html[position : match.start()], match.group()
        position = match.end()
        if kept is not None:
            out += [text, token]
            kept = _still_open(kept, token)
            continue
        out.append(arabic(text))
        if match.group(1) or token.startswith("<!--"):
            out.append(token)
        elif start := _KEPT_START.match(token):
            out.append(token)
            kept = _opened(start, token)
        else:
            out.append(_READ_ATTRIBUTE.sub(lambda a: a.group(1) + arabic(a.group(2)), token))
    tail = html[position:]
    out.append(tail if kept is not None else arabic(tail))
    return "".join(out)


# The elements that carry messages: Bootstrap's alerts (the messages framework's and the pages'
# "nothing was saved"), a field's errors (invalid-feedback: crispy-forms' and the portal's),
# Django's own error lists (errorlist, and the admin's errornote) and what says role="alert".
_MESSAGE_START = re.compile(
    r"<([a-z][a-z0-9-]*)\b[^>]*(?:(?<![\w-])class\s*=\s*[\"'][^\"']*"
    r"(?<![\w-])(?:alert|invalid-feedback|errorlist|errornote)(?![\w-])"
    r"|(?<![\w-])role\s*=\s*[\"']?alert\b)",
    re.I,
)
_MESSAGE_MARKS = ("alert", "invalid-feedback", "errorlist", "errornote")
# In a message's text, what keeps its digits: character references (&#39;), file names, the
# import format's column names (ind_1), IP addresses, codes in groups (a memo's verification
# code, EDF1-2345-WA8H) and what typed text keeps (URLs, e-mail addresses, codes such as o12).
KEEP_IN_MESSAGES = re.compile(
    r"&#?\w+;|[\w.-]+\.(?:pdf|docx|xlsx|csv|zip|png|jpe?g)\b|\b[a-z]+(?:_[a-z0-9]+)+\b"
    r"|\b\d{1,3}(?:\.\d{1,3}){3}\b"
    r"|(?<![\w-])(?=[A-Za-z0-9-]*[0-9])(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+"
    r"(?![\w-])|" + _KEEP_DIGITS.pattern,
    re.I,
)


def may_hold_messages(page: bytes) -> bool:
    """Whether a page may hold a message (thai_digit_messages): a cheap test before decoding."""
    return any(mark.encode() in page for mark in _MESSAGE_MARKS)


def _thai_message(html: str, start: re.Match[str]) -> tuple[str, int]:
    """The message element that `start` opens, its text's digits in Thai, and where it ends."""
    out: list[str] = []
    message: tuple[str, int] | None = None  # the message element and how deep in it we are
    kept: tuple[str, int] | None = None  # an element in it marked to keep its digits
    position = start.start()
    for match in _HTML_TOKEN.finditer(html, position):
        text, token = html[position : match.start()], match.group()
        position = match.end()
        out += [text if kept else typed_digits(text, keep=KEEP_IN_MESSAGES), token]
        if match.group(1) or token.startswith("<!--"):
            if message is None:  # not an element that holds a message
                break
            continue
        if message is None:  # the message's own start tag
            message = _opened(start, token)
            kept = message if _KEPT_START.match(token) else None
        else:
            if kept is not None:
                kept = _still_open(kept, token)
            elif inner := _KEPT_START.match(token):
                kept = _opened(inner, token)
            message = _still_open(message, token)
        if message is None:
            break
    return "".join(out), position


def thai_digit_messages(html: str) -> str:
    """A page as an organisation that writes Thai digits reads it: the Arabic digits of its
    messages written as Thai ones. The templates write the page's own numbers in Thai already;
    messages carry numbers they do not write: Django's ("ไม่เกิน 20000 ตัวอักษร"), and what a
    person typed ("ปีงบประมาณ 2565 มีข้อมูลแล้ว"), which the documents print in Thai digits too.

    Left as they are: tags and attributes, URLs, e-mail addresses, file names and codes, and
    elements marked lang="th-u-nu-thai" or translate="no" (examples of both kinds of digits).
    Only the messages are read, not the whole page: most pages have none."""
    out: list[str] = []
    position = 0  # what is before it is written
    while (mark := _next_mark(html, position)) >= 0:
        tag = html.rfind("<", position, mark)  # the tag the mark is in, if it is in one
        start = _MESSAGE_START.match(html, tag) if tag >= 0 and ">" not in html[tag:mark] else None
        if start is None:
            out.append(html[position : mark + 1])
            position = mark + 1
            continue
        message, end = _thai_message(html, start)
        out += [html[position:tag], message]
        position = end
    if not out:
        return html
    out.append(html[position:])
    return "".join(out)


def _next_mark(html: str, start: int) -> int:
    """Where the next of _MESSAGE_MARKS is, or -1. str.find: _MESSAGE_START searched over a
    whole score form took ten times the rewrite itself."""
    found = [at for mark in _MESSAGE_MARKS if (at := html.find(mark, start)) >= 0]
    return min(found, default=-1)
