"""A text form field laid out as Bootstrap 5 lays one out (label, box, errors, help text), built
in Python for the forms with many fields: the score form holds one box per indicator and per
item (sixty and more), and rendering each through crispy-forms' templates cost about 2.5 ms a
field, most of that page's time."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _attributes(attrs: dict[str, object]) -> SafeString:
    """name="value" pairs in the given order (flatatt sorts them); True alone, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(' {}="{}"', name, value)
                if value is not True
                else format_html(" {}", name),
            )
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


@register.simple_tag
def text_field(field: BoundField) -> SafeString:
    """<div class="mb-3">: label (with * when required), the input, its errors and help."""
    widget = field.field.widget
    invalid = bool(field.errors)
    # Django's own order (type, name, value, then the rest), which people and tests read.
    attrs: dict[str, object] = {
        "type": getattr(widget, "input_type", "text"),
        "name": field.html_name,
    }
    value = field.value()
    if value not in (None, ""):
        attrs["value"] = widget.format_value(value)
    attrs |= {
        **field.build_widget_attrs(widget.attrs),
        "class": "form-control is-invalid" if invalid else "form-control",
        "id": field.auto_id,
    }
    if invalid:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}_error"
    elif field.help_text:
        attrs["aria-describedby"] = f"{field.auto_id}_helptext"
    if widget.is_hidden:
        return format_html("<input{}>", _attributes(attrs))
    required = SafeString('<span class="asteriskField">*</span>') if field.field.required else ""
    errors = (
        format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join("", "<strong>{}</strong> ", ((e,) for e in field.errors)),
        )
        if invalid
        else ""
    )
    help_text = (
        format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}{}</label>'
        "<input{}>{}{}</div>",
        field.auto_id,
        field.auto_id,
        field.label,
        required,
        _attributes(attrs),
        errors,
        help_text,
    )
