"""itaportal/forms.py: the one date box, as a person sees it filled in and as it answers what they
type (the forms it reads are tests/test_thai.py's)."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template

from itaportal.forms import ThaiDateField, dates_in_digits

EXAMPLE = "กรุณากรอกวันที่ เช่น ๑๕ พ.ย. ๒๕๖๙ หรือ 15/11/2569"
# Its digits are examples of both kinds, which a page keeps whatever digits it is written in.
MARKED = '<span lang="th-u-nu-thai">{}</span>'


class Sample(forms.Form):
    day = ThaiDateField(label="วันที่")
    until = ThaiDateField(label="ถึงวันที่", required=False)


def drawn(form: forms.Form, name: str = "day") -> str:
    """The field as the portal's pages draw it (the form_field tag) and as Django does (admin)."""
    tag = Template("{% load fields %}{% form_field field %}").render(Context({"field": form[name]}))
    return tag + str(form[name])


def test_it_shows_a_stored_date_in_the_buddhist_era_with_thai_digits() -> None:
    html = drawn(Sample(initial={"day": dt.date(2026, 11, 15)}))
    assert html.count('value="๑๕ พ.ย. ๒๕๖๙"') == 2
    assert 'type="date"' not in html and 'type="text"' in html
    assert "data-date-picker" in html and 'data-digits="thai"' in html
    assert 'placeholder="๑๕ พ.ย. ๒๕๖๙"' in html
    assert 'data-picker-label="เปิดปฏิทิน"' in html


def test_it_shows_arabic_digits_for_an_organisation_that_writes_them() -> None:
    form = Sample(initial={"day": dt.date(2025, 2, 28)})
    dates_in_digits(form, thai_digits=False)
    html = drawn(form)
    assert html.count('value="28 ก.พ. 2568"') == 2
    assert 'data-digits="arabic"' in html and 'placeholder="15 พ.ย. 2569"' in html
    assert 'value="28 ก.พ. 2568"' not in drawn(Sample(initial={"day": dt.date(2025, 2, 28)}))


def test_another_form_keeps_thai_digits() -> None:
    dates_in_digits(Sample(), thai_digits=False)
    assert 'data-digits="thai"' in drawn(Sample(initial={"day": dt.date(2025, 2, 28)}))


@pytest.mark.parametrize(
    "typed", ["๑๕ พ.ย. ๒๕๖๙", "15 พ.ย. 2569", "15 พฤศจิกายน 2569", "15/11/2569", "2026-11-15"]
)
def test_it_reads_a_typed_date(typed: str) -> None:
    form = Sample({"day": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": dt.date(2026, 11, 15), "until": None}


@pytest.mark.parametrize("typed", ["29 ก.พ. 2569", "2569-02-29", "11/15/2026", "พรุ่งนี้", "15 พ.ย."])
def test_it_refuses_a_bad_date_in_thai_with_an_example_and_keeps_what_was_typed(
    typed: str,
) -> None:
    form = Sample({"day": typed})
    assert not form.is_valid()
    assert form.errors["day"] == [MARKED.format(EXAMPLE)]
    assert f'value="{typed}"' in drawn(form)


def test_its_example_follows_the_organisations_digits() -> None:
    form = Sample({"day": "31/04/2569"})
    dates_in_digits(form, thai_digits=False)
    assert not form.is_valid()
    assert form.errors["day"] == [MARKED.format("กรุณากรอกวันที่ เช่น 15 พ.ย. 2569 หรือ 15/11/2569")]


def test_an_empty_optional_date_is_none_and_a_required_one_is_asked_for() -> None:
    form = Sample({"day": "  ", "until": ""})
    assert not form.is_valid()
    assert form.errors["day"] == ["ฟิลด์นี้จำเป็น"]
    assert "until" not in form.errors
