"""The one date box of the portal and its admin: it shows a date as "๑๕ พ.ย. ๒๕๖๙" (in the
organisation's digits where the form knows them) and reads what thai.parse_date reads; the
calendar beside it is js/datepicker.js, which the box works without."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import to_current_timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from itaportal import thai

# The day the box's placeholder and its error message show as an example.
EXAMPLE_DAY = dt.date(2026, 11, 15)


def examples(message: str | Promise) -> SafeString:
    """A message whose digits are examples of both kinds ("83.71 หรือ ๘๓.๗๑"), marked to keep
    them as they are whatever digits the page is written in (itaportal.thai.arabic_html and
    thai_digit_messages)."""
    return format_html('<span lang="{}">{}</span>', thai.THAI_NUMBERING, message)


class ThaiDateInput(forms.TextInput):
    """A text box, not type="date" (which a browser writes mm/dd/yyyy, Common Era); the
    data-date-picker attribute asks js/datepicker.js for a calendar button beside it."""

    class Media:
        css = {"all": ["css/datepicker.css"]}
        js = ["js/datepicker.js"]

    def __init__(self, attrs: dict[str, Any] | None = None, thai_digits: bool = True) -> None:
        super().__init__(
            {
                "autocomplete": "off",
                "data-date-picker": "",
                "data-picker-label": _("Open the calendar"),
                **(attrs or {}),
            }
        )
        self.use_digits(thai_digits)

    def use_digits(self, thai_digits: bool) -> None:
        """Show dates, the example and the calendar in Thai (๑๕) or Arabic (15) digits."""
        self.thai_digits = thai_digits
        self.attrs["data-digits"] = "thai" if thai_digits else "arabic"
        self.attrs["placeholder"] = thai.date_be_short(EXAMPLE_DAY, thai_digits)

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, dt.date):  # what is stored; typed text is shown back as typed
            return thai.date_be_short(value, self.thai_digits)
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed the ways thai.parse_date reads: Buddhist or Common Era, Thai or Arabic
    digits, a Thai month's name or day/month/year; a day that does not exist is refused."""

    widget = ThaiDateInput
    default_error_messages = {"invalid": _("Enter a date such as %(short)s or %(numeric)s.")}

    def to_python(self, value: Any) -> dt.date | None:  # type: ignore[override]
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if value in self.empty_values or not str(value).strip():
            return None
        try:
            return thai.parse_date(str(value))
        except ValueError:
            thai_digits = getattr(self.widget, "thai_digits", True)
            example = {
                "short": thai.date_be_short(EXAMPLE_DAY, thai_digits),
                "numeric": f"{EXAMPLE_DAY:%d/%m}/{thai.be_year(EXAMPLE_DAY.year)}",
            }
            raise ValidationError(
                examples(self.error_messages["invalid"] % example), code="invalid"
            ) from None


def dates_in_digits(form: forms.BaseForm, *, thai_digits: bool) -> None:
    """Show every date box of `form` in the organisation's digits."""
    for field in form.fields.values():
        if isinstance(field.widget, ThaiDateInput):
            field.widget.use_digits(thai_digits)


class ThaiDateTimeInput(forms.MultiWidget):
    """A moment as the date box and a time box ("๑๕ พ.ย. ๒๕๖๙", "14:30"): the admin's
    last-login and joined dates of a person."""

    supports_microseconds = False

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__((ThaiDateInput(attrs), forms.TimeInput(attrs, format="%H:%M")))

    def decompress(self, value: Any) -> list[Any]:
        if value:
            value = to_current_timezone(value)
            return [value.date(), value.time()]
        return [None, None]


class ThaiDateTimeField(forms.SplitDateTimeField):
    """A moment whose day is read as ThaiDateField reads one."""

    widget = ThaiDateTimeInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields = (ThaiDateField(required=False), self.fields[1])
