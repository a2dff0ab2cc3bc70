"""The audit trail as a Thai auditor reads it: names, the object in words, the fields' Thai labels.

An entry keeps the changed model's label and {field name: value}; here the model (found through
the app registry, so that this floor imports no app) gives each field's verbose_name and choices.
A value that is not a field is named by the model's `audit_label(name)` when it has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from itaportal import thai
from itaportal.accounts.models import AuditEvent

EMPTY = "–"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class Entry:
    """One line of the trail, every part of it already written in Thai."""

    at: str
    who: str
    position: str
    action: str
    kind: str
    what: str
    address: str
    changes: list[Change]


def model_of(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except LookupError:
        return None


def kind_label(object_type: str) -> str:
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _label(model: type[models.Model] | None, name: str, thai_digits: bool) -> str:
    field = _field(model, name)
    if field is not None:
        if field.auto_created and field.is_relation:  # a reverse relation: its model names it
            return str(field.related_model._meta.verbose_name_plural)
        return str(field.verbose_name)
    hook = getattr(model, "audit_label", None)
    label = hook(name) if hook is not None else None
    return thai.digits(label, thai_digits) if label else name


def _value(field: Any, value: Any, thai_digits: bool) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list):
        return ", ".join(_value(field, item, thai_digits) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_value(None, v, thai_digits)}" for k, v in value.items())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        moment = dt.datetime.fromisoformat(str(value))
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        return f"{thai.date_be(moment, thai_digits)} {thai.digits(f'{moment:%H:%M}', thai_digits)}"
    if isinstance(field, models.DateField):
        return thai.date_be(dt.date.fromisoformat(str(value)), thai_digits)
    if isinstance(field, models.FileField):
        return PurePosixPath(str(value)).name
    if isinstance(value, int | float) or isinstance(
        field, models.DecimalField | models.IntegerField | models.JSONField
    ):
        return thai.digits(value, thai_digits)
    if field is None and _looks_numeric(str(value)):
        return thai.digits(value, thai_digits)
    return str(value)


def _looks_numeric(text: str) -> bool:
    try:
        thai.parse_number(text)
    except ValueError:
        return False
    return True


def changes_of(event: AuditEvent, thai_digits: bool) -> list[Change]:
    """Field by field: everything a new or deleted object held, only what differs in a change."""
    model = model_of(event.object_type)
    before, after = event.before or {}, event.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    names = [*before, *(name for name in after if name not in before)]
    both = bool(event.before) and bool(event.after)
    return [
        Change(
            label=_label(model, name, thai_digits),
            before=_value(_field(model, name), before.get(name), thai_digits)
            if name in before
            else "",
            after=_value(_field(model, name), after.get(name), thai_digits)
            if name in after
            else "",
        )
        for name in names
        if not both or before.get(name) != after.get(name)
    ]


def entries(events: Iterable[AuditEvent], *, thai_digits: bool) -> list[Entry]:
    """The events as lines of the trail (their users selected with them)."""
    lines = []
    for event in events:
        person = event.user
        lines.append(
            Entry(
                at=f"{thai.date_be(timezone.localtime(event.at), thai_digits)} "
                + thai.digits(f"{timezone.localtime(event.at):%H:%M}", thai_digits),
                who=(person.get_full_name() or person.get_username())
                if person is not None
                else event.username,
                position=person.position if person is not None else "",
                action=event.get_action_display(),
                kind=kind_label(event.object_type) if event.object_type else "",
                what=thai.digits(event.summary, thai_digits)
                if event.object_type
                else event.summary,
                address=event.ip or "",
                changes=changes_of(event, thai_digits),
            )
        )
    return lines


def change_text(changes: Iterable[Change]) -> str:
    """The changes as lines of text, for a spreadsheet cell or the admin."""
    return "\n".join(f"{c.label}: {c.before or EMPTY} → {c.after or EMPTY}" for c in changes)
