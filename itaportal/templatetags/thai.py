"""Filters that write numbers and dates the way an organisation prints them.

Each takes the organisation (or a person: their organisation's style; or a bool) as argument:
`{{ score|num:org }}`, `{{ day|be_date:user }}`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from itaportal import thai

register = template.Library()


def _thai(arg: object) -> bool:
    if isinstance(arg, bool):
        return arg
    return bool(getattr(arg, "uses_thai_digits", True))


def _known(value: object) -> Decimal | int | None:
    """Templates hand over "" for a missing attribute: that is an unknown number too."""
    return value if isinstance(value, Decimal | int) else None


@register.filter
def num(value: Decimal | int | None, org: object = True) -> str:
    return thai.number(_known(value), _thai(org))


@register.filter
def signed(value: Decimal | None, org: object = True) -> str:
    known = _known(value)
    return thai.signed(Decimal(known) if known is not None else None, _thai(org))


@register.filter
def digits(value: object, org: object = True) -> str:
    return thai.digits(value, _thai(org))


@register.filter
def typed(value: object, org: object = True) -> str:
    """Text people typed, its digits in the organisation's style (URLs and codes kept), ไม้ยมก
    spaced as the Royal Institute writes it."""
    return thai.yamok_spaced(thai.typed_digits("" if value is None else value, _thai(org)))


@register.filter
def be_date(value: dt.date | dt.datetime | None, org: object = True) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return thai.date_be(value, _thai(org))


def _cells(line: str) -> list[str] | None:
    """A typed table row: cells separated by tabs (pasted from Word or Excel) or " | "."""
    if "\t" in line:
        return [cell.strip() for cell in line.split("\t")]
    if " | " in line:
        return [cell.strip() for cell in line.split(" | ")]
    return None


@register.filter
def blocks(value: object, org: object = True) -> list[tuple[str, object]]:
    """Typed text as ("p", line) paragraphs and ("table", rows) tables, digits in the
    organisation's style, ไม้ยมก spaced (as `typed`): lines with tabs or " | " between cells,
    one after another, are a table (a memo's sample sizes, a meeting's attendance)."""
    text = thai.yamok_spaced(thai.typed_digits("" if value is None else value, _thai(org)))
    out: list[tuple[str, object]] = []
    for line in text.splitlines():
        cells = _cells(line)
        if cells is not None:
            if out and out[-1][0] == "table":
                rows = out[-1][1]
                assert isinstance(rows, list)
                rows.append(cells)
            else:
                out.append(("table", [cells]))
        elif line.strip():
            out.append(("p", line.strip()))
    for i, (kind, rows) in enumerate(out):  # every row as wide as the widest
        if kind == "table" and isinstance(rows, list):
            width = max(len(r) for r in rows)
            out[i] = (kind, [r + [""] * (width - len(r)) for r in rows])
    return out


# The characters, at the least, that a title's last line keeps (about a third of a line).
TITLE_TAIL = 20


def _width(text: str) -> int:
    """Characters that take room on the line: Thai vowels and tone marks above and below
    take none of their own."""
    return sum(1 for ch in text if not ("\u0e31" <= ch <= "\u0e4e") or ch in "ำะาเแโใไๅๆ")


@register.filter
def balanced(value: object, org: object = True) -> SafeString:
    """A title whose last line never holds a lone word ("๒๕๖๘"): its last words, at least
    TITLE_TAIL characters of them, are kept on one line. Escaped; digits in the
    organisation's style."""
    text = " ".join(thai.typed_digits("" if value is None else value, _thai(org)).split())
    cut = next(
        (
            i
            for i in range(len(text) - 1, 0, -1)
            if text[i] == " " and _width(text[i:]) > TITLE_TAIL
        ),
        None,
    )
    # No space near the end (one long word): nothing to keep together that would still fit.
    if cut is None or _width(text[cut:]) > 2 * TITLE_TAIL:
        return mark_safe(conditional_escape(text))
    head, tail = conditional_escape(text[:cut]), conditional_escape(text[cut + 1 :])
    return mark_safe(f'{head} <span class="nowrap">{tail}</span>')
