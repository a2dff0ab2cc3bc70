"""The states of a measure, in one table for the model, the schedule and the queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


# A closed measure is never late and is not carried into next year's plan.
CLOSED_STATUSES = frozenset({MeasureStatus.DONE, MeasureStatus.CANCELLED})
