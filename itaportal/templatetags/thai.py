"""Filters that write numbers and dates the way an organisation prints them.

Each takes the organisation (or a bool) as argument: `{{ score|num:org }}`, `{{ day|be_date:org }}`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import timezone

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
def be_date(value: dt.date | dt.datetime | None, org: object = True) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return thai.date_be(value, _thai(org))
