"""Fold the deleted measures' own audit table into the one audit trail (accounts.AuditEvent).

Every entry is kept: one that measure_delete() also wrote to the audit trail (same organisation,
title and minute) is there already; any other becomes an audit event with its original time.
The snapshot keeps the measure's fields; its follow-up becomes lines of text.
"""

import datetime as dt

from django.db import migrations

from itaportal import thai

SAME_DELETION = dt.timedelta(minutes=1)


def _progress_line(item, thai_digits):
    try:
        day = thai.date_be(dt.date.fromisoformat(str(item.get("date"))), thai_digits)
    except ValueError:
        day = str(item.get("date", ""))
    outcome = item.get("outcome") or ""
    return f"{day}: {item.get('done', '')}" + (f" ({outcome})" if outcome else "")


def _values(snapshot, thai_digits):
    values = {k: v for k, v in snapshot.items() if k not in ("plan_year", "progress")}
    values["progress"] = [
        _progress_line(item, thai_digits) if isinstance(item, dict) else str(item)
        for item in snapshot.get("progress") or []
    ]
    return values


def fold(apps, schema_editor):
    MeasureAuditEntry = apps.get_model("measures", "MeasureAuditEntry")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    for entry in MeasureAuditEntry.objects.select_related("organisation", "user").order_by("pk"):
        thai_digits = entry.organisation.digit_style == "thai"
        before = _values(entry.snapshot, thai_digits)
        twin = AuditEvent.objects.filter(
            organisation_id=entry.organisation_id,
            action="delete",
            summary=entry.measure_title[:300],
            at__range=(entry.at - SAME_DELETION, entry.at + SAME_DELETION),
        ).first()
        if twin is not None:
            twin.object_type = "measures.measure"
            twin.before = before
            twin.save(update_fields=["object_type", "before"])
            continue
        event = AuditEvent.objects.create(
            organisation_id=entry.organisation_id,
            user_id=entry.user_id,
            username=entry.user.username if entry.user else "",
            action="delete",
            object_type="measures.measure",
            summary=entry.measure_title[:300],
            before=before,
        )
        AuditEvent.objects.filter(pk=event.pk).update(at=entry.at)


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0002_load_catalogue"),
        ("accounts", "0004_audit_trail_labels"),
    ]

    operations = [
        migrations.RunPython(fold, migrations.RunPython.noop),
        migrations.DeleteModel(name="MeasureAuditEntry"),
    ]
