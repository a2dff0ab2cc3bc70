from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.ita import ITEM_CODE_PATTERN
from assessments.models import Organisation
from itaportal import thai
from measures.schedule import Cadence, Timeline
from measures.status import MeasureStatus

CADENCE_CHOICES = [
    (Cadence.NONE.value, _("No regular follow-up")),
    (Cadence.MONTHLY.value, _("Monthly")),
    (Cadence.QUARTERLY.value, _("Quarterly")),
    (Cadence.SEMIANNUAL.value, _("Every six months")),
    (Cadence.ANNUAL.value, _("Once a year")),
]


def validate_indicator_numbers(value: object) -> None:
    """A list of indicator numbers; which ones the plan's framework has, the form checks."""
    if not isinstance(value, list) or not all(isinstance(n, int) and n >= 1 for n in value):
        raise ValidationError(_("Indicators are numbers from 1 up."))


def validate_item_codes(value: object) -> None:
    """A list of item codes (i10, o25); which ones the plan's framework has, the form checks."""
    if not isinstance(value, list) or not all(
        isinstance(code, str) and re.fullmatch(ITEM_CODE_PATTERN, code) for code in value
    ):
        raise ValidationError(_("Items are codes such as i10 or o25."))


class MeasurePlan(models.Model):
    """An organisation's measures for a fiscal year, answering the results the office chose."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="plans", verbose_name=_("organisation")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year of the measures (B.E.)"))
    # Offices answer the latest published results: the year before, or (seeds 001, 002) the
    # plan's own year. Unset on plans made before the choice existed: the year before.
    basis_year = models.PositiveSmallIntegerField(
        _("fiscal year of the results it answers (B.E.)"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["organisation", "-fiscal_year"]
        verbose_name = _("measures plan")
        verbose_name_plural = _("measures plans")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "fiscal_year"], name="one_plan_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.fiscal_year}"

    @property
    def based_on_year(self) -> int:
        return self.basis_year if self.basis_year is not None else self.fiscal_year - 1


class InstrumentAnalysis(models.Model):
    """What the plan says of one instrument: what should go well, what must be fixed."""

    plan = models.ForeignKey(
        MeasurePlan, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("plan")
    )
    instrument = models.CharField(_("instrument"), max_length=10)
    expected_strengths = models.TextField(_("what is expected to go well"), blank=True)
    issues = models.TextField(_("issues to fix"), blank=True)

    class Meta:
        ordering = ["plan", "pk"]  # created in the framework's order: IIT, EIT, OIT
        verbose_name = _("instrument analysis")
        verbose_name_plural = _("instrument analyses")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "instrument"], name="one_analysis_per_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.instrument}"


class Measure(models.Model):
    Status = MeasureStatus

    plan = models.ForeignKey(
        MeasurePlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    title = models.CharField(_("measure or project"), max_length=300)
    indicators = models.JSONField(
        _("indicators"), default=list, validators=[validate_indicator_numbers]
    )
    # Codes rather than foreign keys to assessments.Item: a framework's items are edited and
    # copied year by year, and a measure names what its year's framework calls them.
    items = models.JSONField(_("items"), default=list, blank=True, validators=[validate_item_codes])
    method = models.TextField(_("method and steps"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owners in the portal"),
        blank=True,
        related_name="owned_measures",
    )
    other_people = models.TextField(
        _("other responsible people"), blank=True, help_text=_("One name or position per line.")
    )
    start_month = models.DateField(_("start month"), null=True, blank=True)
    end_month = models.DateField(_("end month"), null=True, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    cadence = models.CharField(
        _("follow-up cadence"), max_length=20, choices=CADENCE_CHOICES, default=Cadence.NONE.value
    )
    expected_result = models.TextField(_("expected result / indicator of success"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    version = models.PositiveIntegerField(default=1, editable=False, verbose_name=_("version"))
    # Its copy in next year's plan, set by copy-forward together with the status CARRIED_FORWARD.
    carried_to = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_from",
        verbose_name=_("carried forward to"),
    )
    # The day it turns overdue (measures.schedule.overdue_from), kept by measures.summaries so
    # that pages count overdue measures in the database; None while it cannot be (done).
    overdue_from = models.DateField(null=True, editable=False, verbose_name=_("overdue from"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                name="measure_months_both_or_neither",
                condition=Q(start_month__isnull=True, end_month__isnull=True)
                | Q(start_month__isnull=False, end_month__isnull=False),
            ),
            models.CheckConstraint(
                name="measure_months_in_order",
                condition=Q(start_month__isnull=True) | Q(start_month__lte=models.F("end_month")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def timeline(self) -> Timeline:
        return Timeline(self.plan.fiscal_year, self.start_month, self.end_month)

    @property
    def timeline_text(self) -> str:
        return self.timeline.text(self.plan.organisation.uses_thai_digits)

    @property
    def items_text(self) -> str:
        """The items it answers as pages and documents print them: "ข้อ i๑๐, ข้อ o๒๕"."""
        digits = self.plan.organisation.uses_thai_digits
        return ", ".join(
            _("item %(code)s") % {"code": thai.digits(code, digits)} for code in self.items
        )

    @property
    def other_people_list(self) -> list[str]:
        return [line.strip() for line in self.other_people.splitlines() if line.strip()]


EVIDENCE_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png", ".docx", ".xlsx")


def evidence_path(instance: Progress, filename: str) -> str:
    organisation_id = instance.measure.plan.organisation_id
    return f"evidence/{organisation_id}/{instance.measure_id}/{Path(filename).name}"


class Progress(models.Model):
    """A follow-up record: what was done and what came of it."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="progress", verbose_name=_("measure")
    )
    date = models.DateField(_("date"))
    done = models.TextField(_("what was done"))
    outcome = models.TextField(_("outcome"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=500)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_path, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(auto_now_add=True, verbose_name=_("recorded at"))

    class Meta:
        ordering = ["measure", "date", "pk"]
        verbose_name = _("progress record")
        verbose_name_plural = _("progress records")

    def __str__(self) -> str:
        return f"{self.measure} {self.date}"


class SuggestedMeasure(models.Model):
    """The catalogue of measures to suggest per indicator (fixtures/measure_catalogue.json)."""

    title = models.CharField(_("measure or project"), max_length=300, unique=True)
    indicators = models.JSONField(
        _("indicators"), default=list, validators=[validate_indicator_numbers]
    )
    method = models.TextField(_("method and steps"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    cadence = models.CharField(
        _("follow-up cadence"), max_length=20, choices=CADENCE_CHOICES, default=Cadence.NONE.value
    )
    expected_result = models.TextField(_("expected result / indicator of success"), blank=True)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("suggested measure")
        verbose_name_plural = _("suggested measures")

    def __str__(self) -> str:
        return self.title
