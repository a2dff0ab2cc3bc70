"""The states of a measure, in one table for the model, the schedule and the queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")
    # Copied into next year's plan (Measure.carried_to), where it goes on and is followed up.
    CARRIED_FORWARD = "carried_forward", _("Carried forward")


# A closed measure is never late and is not carried into next year's plan (again).
CLOSED_STATUSES = frozenset(
    {MeasureStatus.DONE, MeasureStatus.CANCELLED, MeasureStatus.CARRIED_FORWARD}
)
# What people choose on the measure form: only copy-forward carries a measure forward.
CHOSEN_STATUSES = tuple(s for s in MeasureStatus if s != MeasureStatus.CARRIED_FORWARD)
