from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.forms import PlanningYearField
from assessments.models import Framework, Organisation
from itaportal import thai
from itaportal.accounts.models import User
from itaportal.forms import ThaiDateField, dates_in_digits
from measures.models import (
    EVIDENCE_EXTENSIONS,
    InstrumentAnalysis,
    Measure,
    MeasurePlan,
    Progress,
)
from measures.schedule import Timeline, months_of_fiscal_year, timeline_errors
from measures.services import MEASURE_FIELDS, MeasureData, ProgressData, latest_results_year
from measures.status import CHOSEN_STATUSES, MeasureStatus

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What each accepted file type starts with, so a renamed executable is not taken for a PDF.
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
}


def _type_of(upload: Any) -> str | None:
    """The extension whose signature the file starts with; DOCX and XLSX, both ZIPs, cannot be
    told apart this way."""
    head = upload.read(8)
    upload.seek(0)
    return next(
        (ext for ext in (".pdf", ".png", ".jpg") if head.startswith(EVIDENCE_SIGNATURES[ext])),
        None,
    )


def evidence_file_checked(upload: Any) -> Any:
    """The portal's rule for evidence files (follow-up, OIT checklist): PDF, JPG, PNG, DOCX or
    XLSX by name and by content, at most EVIDENCE_MAX_BYTES; a Thai ValidationError otherwise."""
    name = upload.name.lower()
    suffix = next((ext for ext in EVIDENCE_EXTENSIONS if name.endswith(ext)), None)
    if suffix is None and "." not in name.lstrip("."):
        # A name without an extension (a phone's "scan"): the content says which type it
        # is, and the stored file gets that extension so that it opens when downloaded.
        suffix = _type_of(upload)
        if suffix is not None:
            upload.name += suffix
    if suffix is None:
        raise ValidationError(_("Attach a PDF, JPG, PNG, DOCX or XLSX file."))
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(EVIDENCE_SIGNATURES[suffix]):
        raise ValidationError(_("The file's content does not match its type."))
    return upload


def basis_year_field(organisation: Organisation, up_to: int | None) -> forms.TypedChoiceField:
    """Which of the organisation's entered results a plan answers (up to the plan's year)."""
    years = organisation.assessments.order_by("-fiscal_year").values_list("fiscal_year", flat=True)
    if up_to is not None:
        years = years.filter(fiscal_year__lte=up_to)
    digits = organisation.uses_thai_digits
    return forms.TypedChoiceField(
        label=_("Results the plan answers"),
        help_text=_("By default the latest results entered, up to the plan's own year."),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("the latest results"))]
        + [(y, _("FY %(year)s") % {"year": thai.year_be(y, digits)}) for y in years],
    )


class PlanCreateForm(forms.Form):
    fiscal_year = PlanningYearField(label=_("Fiscal year of the measures (B.E.)"))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["basis_year"] = basis_year_field(organisation, None)

    def clean_fiscal_year(self) -> int:
        year: int = self.cleaned_data["fiscal_year"]
        if MeasurePlan.objects.filter(organisation=self.organisation, fiscal_year=year).exists():
            raise ValidationError(_("A plan for this year already exists."))
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, basis = data.get("fiscal_year"), data.get("basis_year")
        if year is not None and basis is not None and basis > year:
            self.add_error(
                "basis_year", _("A plan answers results of its own year or of an earlier one.")
            )
        elif (
            year is not None
            and basis is None
            and latest_results_year(self.organisation, up_to=year) is None
        ):
            # A plan answers results: without any it has no indicators to answer.
            self.add_error(
                "fiscal_year",
                _(
                    "No results are entered for fiscal year %(year)s or before, so the plan "
                    "would have nothing to answer. Enter the results of the assessment first."
                )
                % {"year": thai.year_be(year, self.organisation.uses_thai_digits)},
            )
        return data


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


def _month_label(month: dt.date, thai_digits: bool) -> str:
    name = thai.SHORT_MONTHS[month.month - 1]
    return thai.digits(f"{name} {thai.be_year(month.year)}", thai_digits)


class MeasureForm(forms.ModelForm):
    indicators = forms.TypedMultipleChoiceField(
        label=_("Indicators it addresses"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one indicator.")},
    )
    items = forms.MultipleChoiceField(
        label=_("Items it answers"),
        help_text=_("The items of the year's framework this measure works on, if any."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.ChoiceField(label=_("From"), required=False)
    end = forms.ChoiceField(label=_("To"), required=False)
    owners = PeopleField(
        label=_("Owners in the portal"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Measure
        fields = [
            "title",
            "indicators",
            "items",
            "method",
            "responsible_unit",
            "owners",
            "other_people",
            "follow_up",
            "cadence",
            "expected_result",
            "status",
        ]
        widgets = {
            "method": forms.Textarea(attrs={"rows": 4}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "other_people": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        plan: MeasurePlan,
        indicator_names: dict[int, str],
        items_framework: Framework | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        thai_digits = plan.organisation.uses_thai_digits
        fields = self.fields
        cast(forms.ChoiceField, fields["indicators"]).choices = [
            (n, f"{thai.digits(n, thai_digits)}. {name}".rstrip(". "))
            for n, name in indicator_names.items()
        ]
        self._set_items(items_framework, thai_digits)
        months = [("", _("whole fiscal year"))] + [
            (m.strftime("%Y-%m"), _month_label(m, thai_digits))
            for m in months_of_fiscal_year(plan.fiscal_year)
        ]
        cast(forms.ChoiceField, fields["start"]).choices = months
        cast(forms.ChoiceField, fields["end"]).choices = months
        owners = cast(forms.ModelMultipleChoiceField, fields["owners"])
        owners.queryset = User.objects.filter(
            organisation=plan.organisation, is_active=True
        ).order_by("first_name", "username")
        if self.instance.status != MeasureStatus.CARRIED_FORWARD:
            cast(forms.ChoiceField, fields["status"]).choices = [
                (status.value, status.label) for status in CHOSEN_STATUSES
            ]
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            if self.instance.start_month:
                self.initial["start"] = self.instance.start_month.strftime("%Y-%m")
                self.initial["end"] = self.instance.end_month.strftime("%Y-%m")

    def _set_items(self, framework: Framework | None, thai_digits: bool) -> None:
        """The framework's items as choices grouped by indicator; a code it lacks is refused
        by name."""
        # Not tied to the measure's indicators: which indicator an IIT or EIT item belongs to is
        # unsure in most years (seed 001 answers its indicator 4 with i10-i12).
        self.item_order: list[str] = []
        groups = []
        for inst in framework.instruments.all() if framework else ():
            for ind in inst.indicators.all():
                items = list(ind.items.all())
                if not items:
                    continue
                groups.append(
                    (
                        f"{thai.digits(ind.number, thai_digits)}. {ind.name_th}",
                        [
                            (
                                item.code,
                                f"{thai.digits(item.code, thai_digits)} {item.title}".strip(),
                            )
                            for item in items
                        ],
                    )
                )
                self.item_order.extend(item.code for item in items)
        field = cast(forms.MultipleChoiceField, self.fields["items"])
        field.choices = groups
        year = thai.year_be(framework.first_year, thai_digits) if framework else ""
        field.error_messages["invalid_choice"] = _(
            "The framework of fiscal year %(year)s has no item %(value)s."
        ) % {"year": year, "value": "%(value)s"}

    @staticmethod
    def _month(value: str) -> dt.date | None:
        return dt.datetime.strptime(value, "%Y-%m").date() if value else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = self._month(data.get("start", "")), self._month(data.get("end", ""))
        errors = timeline_errors(Timeline(self.plan.fiscal_year, start, end))
        if "half_open" in errors:
            self.add_error(
                "end", _("Choose both months, or leave both empty for the whole fiscal year.")
            )
        if "reversed" in errors:
            self.add_error("end", _("The end month comes before the start month."))
        data["start_month"], data["end_month"] = start, end
        return data

    @property
    def measure_data(self) -> MeasureData:
        data = {field: self.cleaned_data[field] for field in MEASURE_FIELDS}
        data["indicators"] = sorted(set(data["indicators"]))
        data["items"] = sorted(set(data["items"]), key=self.item_order.index)
        return MeasureData(**data)


class ProgressForm(forms.Form):
    date = ThaiDateField(label=_("Date"))
    done = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(
        label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500)
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, JPG, PNG, DOCX or XLSX, at most 10 MB."),
    )

    def __init__(
        self,
        *args: Any,
        measure: Measure,
        today: dt.date,
        progress: Progress | None = None,
        **kwargs: Any,
    ) -> None:
        """`progress`: the entry being edited, whose values the form starts from; a file it
        keeps can be removed, or replaced by a new one."""
        if progress is not None:
            kwargs.setdefault(
                "initial",
                {
                    "date": progress.date,
                    "done": progress.done,
                    "outcome": progress.outcome,
                    "evidence_url": progress.evidence_url,
                },
            )
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.today = today
        dates_in_digits(self, thai_digits=measure.plan.organisation.uses_thai_digits)
        self.fields["evidence_file"].widget = forms.FileInput(
            attrs={"accept": ",".join(EVIDENCE_EXTENSIONS)}
        )
        if progress is not None and progress.evidence_file:
            self.fields["evidence_file"].help_text = _(
                "A new file replaces the one kept. PDF, JPG, PNG, DOCX or XLSX, at most 10 MB."
            )
            self.fields["remove_file"] = forms.BooleanField(
                label=_("Remove the file kept (%(name)s)")
                % {"name": Path(progress.evidence_file.name or "").name},
                required=False,
            )

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError(_("The date is in the future."))
        return day

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        return evidence_file_checked(upload) if upload else upload

    @property
    def progress_data(self) -> ProgressData:
        data = self.cleaned_data
        return ProgressData(
            date=data["date"],
            done=data["done"],
            outcome=data.get("outcome", ""),
            evidence_url=data.get("evidence_url", ""),
            evidence_file=data.get("evidence_file"),
            remove_file=data.get("remove_file", False),
        )


class AnalysisForm(forms.Form):
    """Per instrument: what is expected to go well, the issues to fix. An instrument whose
    analysis was never written starts from `drafts` (the figures' words, planning.analysis_draft),
    and so does every instrument of the results when the plan has no analysis rows at all."""

    def __init__(
        self,
        *args: Any,
        plan: MeasurePlan,
        analyses: list[InstrumentAnalysis],
        drafts: dict[str, tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        saved = {
            a.instrument: (a.expected_strengths, a.issues)
            for a in analyses
            if a.expected_strengths or a.issues
        }
        self.codes = [a.instrument for a in analyses] or list(drafts)
        self.drafted = [
            code for code in self.codes if code not in saved and any(drafts.get(code, ()))
        ]
        self.fields["basis_year"] = basis_year_field(plan.organisation, plan.fiscal_year)
        self.fields["basis_year"].initial = plan.based_on_year
        for code in self.codes:
            strengths, issues = saved.get(code) or drafts.get(code, ("", ""))
            self.fields[f"{code}_strengths"] = forms.CharField(
                label=_("%(code)s: what is expected to go well") % {"code": code},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                initial=strengths,
            )
            self.fields[f"{code}_issues"] = forms.CharField(
                label=_("%(code)s: issues to fix") % {"code": code},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                initial=issues,
            )

    @property
    def texts(self) -> dict[str, tuple[str, str]]:
        return {
            code: (self.cleaned_data[f"{code}_strengths"], self.cleaned_data[f"{code}_issues"])
            for code in self.codes
        }
