"""A form field laid out as Bootstrap 5 lays one out (label, control, errors, help text), built in
Python for the pages people open all day: the score form holds one box per indicator and per item
(sixty and more) and the overview seven filters, and rendering each through crispy-forms'
templates cost about 2.5 ms a field, most of those pages' time. Text boxes, drop-downs and tick
boxes; any other widget is drawn by Django itself."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import forms, template
from django.forms import BoundField
from django.forms.widgets import Input
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()

REQUIRED = SafeString('<span class="asteriskField">*</span>')


def _attributes(attrs: dict[str, object]) -> SafeString:
    """name="value" pairs in the given order (flatatt sorts them); True alone, False and None
    left out. Plain string work with the standard library's escape: format_html per pair was
    most of a field's cost."""
    return SafeString(
        "".join(
            f" {name}" if value is True else f' {name}="{escape(str(value), quote=True)}"'
            for name, value in attrs.items()
            if value is not False and value is not None
        )
    )


def _control_attributes(field: BoundField, css: str) -> dict[str, object]:
    invalid = bool(field.errors)
    attrs: dict[str, object] = {
        **field.build_widget_attrs(field.field.widget.attrs),
        "class": f"{css} is-invalid" if invalid else css,
        "id": field.auto_id,
    }
    if invalid:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    return attrs


def _errors_and_help(field: BoundField) -> SafeString:
    """The errors as crispy-forms' Bootstrap 5 pack writes them: one box (id_…_error), each
    error in it numbered (error_1_id_…)."""
    if not field.errors and not field.help_text:
        return SafeString("")  # most fields: nothing to write, and format_html costs
    errors = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1)),
            ),
        )
        if field.errors
        else ""
    )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    return format_html("{}{}", errors, help_text)


def _options(choices: Iterable[tuple[Any, Any]], selected: set[str]) -> SafeString:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, SafeString(" selected") if str(value) in selected else "", label)
            for value, label in choices
        ),
    )


def _control(field: BoundField) -> SafeString:
    """The input or select itself (Django draws any other widget)."""
    widget = field.field.widget
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.SelectMultiple):
        choices = list(getattr(field.field, "choices", []))
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return SafeString(field.as_widget(attrs={"class": "form-select"}))  # grouped
        value = field.value()
        selected = {"" if value is None else str(value)}
        return format_html(
            '<select name="{}"{}>{}</select>',
            field.html_name,
            _attributes(_control_attributes(field, "form-select")),
            _options(choices, selected),
        )
    if isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        # Django's own order (type, name, value, then the rest), which people and tests read.
        attrs: dict[str, object] = {"type": widget.input_type, "name": field.html_name}
        value = field.value()
        if value not in (None, ""):
            attrs["value"] = widget.format_value(value)
        attrs |= _control_attributes(field, "form-control")
        return SafeString(f"<input{_attributes(attrs)}>")
    return SafeString(field.as_widget(attrs={"class": "form-control"}))


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    """<div class="mb-3">: label (with * when required), the control, its errors and help."""
    widget = field.field.widget
    if widget.is_hidden:
        return _control(field)
    if isinstance(widget, forms.CheckboxInput):
        attrs: dict[str, object] = {"type": "checkbox", "name": field.html_name}
        attrs |= _control_attributes(field, "form-check-input")
        attrs["checked"] = bool(widget.check_test(field.value()))
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check"><input{}>'
            '<label for="{}" class="form-check-label">{}{}</label>{}</div></div>',
            field.auto_id,
            _attributes(attrs),
            field.auto_id,
            field.label,
            REQUIRED if field.field.required else "",
            _errors_and_help(field),
        )
    # An f-string rather than format_html: the same escaping, at a fraction of the cost for a
    # form of sixty fields and more.
    auto_id = escape(str(field.auto_id), quote=True)
    return SafeString(
        f'<div id="div_{auto_id}" class="mb-3"><label for="{auto_id}" class="form-label">'
        f"{conditional_escape(field.label)}{REQUIRED if field.field.required else ''}</label>"
        f"{_control(field)}{_errors_and_help(field)}</div>"
    )


@register.simple_tag
def cell_control(field: BoundField) -> SafeString:
    """A control alone, as in a row of a table of forms, with its errors under it: the control
    keeps its widget's classes, and one with an error is marked as form_field marks it (red
    border, aria-describedby its message)."""
    if not field.errors:
        return SafeString(field.as_widget())
    css = field.field.widget.attrs.get("class", "")
    error_id = f"{field.auto_id}_error"
    control = field.as_widget(
        attrs={"class": f"{css} is-invalid".strip(), "aria-describedby": error_id}
    )
    return format_html(
        '{}<div id="{}" class="invalid-feedback d-block">{}</div>',
        SafeString(control),
        error_id,
        format_html_join(" ", "{}", ((error,) for error in field.errors)),
    )
