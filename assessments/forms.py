from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments import ita
from assessments.emblem import EmblemFormField
from assessments.models import Assessment, Framework, Organisation, Unit
from assessments.selectors import FrameworkCatalogue
from assessments.services import UnitData
from itaportal import thai
from itaportal.forms import examples


class DigitStyleSelect(forms.Select):
    """The choice of Thai digits shows them, whatever digits the page is written in."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"] == Organisation.DigitStyle.THAI:
            option["attrs"]["lang"] = thai.THAI_NUMBERING
        return option


class ThaiDecimalField(forms.DecimalField):
    """A number typed with Thai or Arabic digits; the browser gets a text box, not type=number,
    because a number box refuses ๘๓.๗๑."""

    default_error_messages = {
        "invalid": _("Enter a number, e.g. 83.71 or ๘๓.๗๑."),
        "max_value": _("Enter a score from 0 to 100."),
        "min_value": _("Enter a score from 0 to 100."),
        "max_decimal_places": _("Use at most 2 decimal places."),
        "max_digits": _("Enter a score from 0 to 100."),
        "max_whole_digits": _("Enter a score from 0 to 100."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("max_value", Decimal(100))
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return thai.parse_number(str(value))
        except ValueError:
            raise ValidationError(
                examples(self.error_messages["invalid"]), code="invalid"
            ) from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        for key in ("min", "max", "step"):
            attrs.pop(key, None)  # a text box: digits in Thai must pass the browser untouched
        return attrs


class FiscalYearField(forms.IntegerField):
    default_error_messages = {"invalid": _("Enter a Buddhist-era year, e.g. 2565 or ๒๕๖๕.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return thai.parse_year(str(value))
        except ValueError:
            raise ValidationError(
                examples(self.error_messages["invalid"]), code="invalid"
            ) from None


class PlanningYearField(FiscalYearField):
    """The fiscal year of a plan or an order: from 2563, the first year the portal plans for."""

    FIRST, LAST = 2563, 2600

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not self.FIRST <= value <= self.LAST:
            raise ValidationError(_("Enter a fiscal year from 2563 on."), code="out_of_range")


class LevelChoiceField(forms.ChoiceField):
    """A published level picked from the year's labels; spaces are collapsed before the check,
    as they are in the labels offered (a level sent as " b " is "b")."""

    def to_python(self, value: Any) -> str:
        return " ".join(super().to_python(value).split())


@dataclass(frozen=True)
class ItemGroup:
    indicator: int
    summary: str
    fields: list[forms.BoundField]


@dataclass(frozen=True)
class ScoreSection:
    """One instrument of the score form: its indicators' boxes and its items' boxes."""

    legend: str
    indicators: list[forms.BoundField]
    items: list[ItemGroup]


class ScoresForm(forms.Form):
    """One year's indicator scores (as many as its framework has), the published result and the
    planning settings."""

    fiscal_year = FiscalYearField(label=_("Fiscal year (B.E.)"))
    published_score = ThaiDecimalField(label=_("Published overall score"), required=False)
    published_level = forms.CharField(label=_("Published level"), max_length=50, required=False)
    maintain_from = ThaiDecimalField(label=_("Maintain from (score)"))
    raise_from = ThaiDecimalField(label=_("Raise from (score)"))
    target = ThaiDecimalField(label=_("Target for next year"))
    # The year as it was when the form was opened: its updated_at, and its scores (to tell
    # the person what someone else changed meanwhile).
    version = forms.CharField(widget=forms.HiddenInput, required=False)
    loaded = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        catalogue: FrameworkCatalogue,
        instance: Assessment | None = None,
        fiscal_year: int | None = None,
        **kwargs: Any,
    ) -> None:
        """`fiscal_year`: the year a new year's form is opened for (its framework's items)."""
        self.organisation = organisation
        self.catalogue = catalogue
        self.instance = instance
        if instance is not None:
            kwargs.setdefault("initial", self._initial_from(instance))
        elif catalogue.latest is not None:
            defaults = catalogue.latest.default_thresholds()
            kwargs.setdefault(
                "initial",
                {
                    "maintain_from": defaults.maintain_from,
                    "raise_from": defaults.raise_from,
                    "target": defaults.target,
                    **({"fiscal_year": fiscal_year} if fiscal_year else {}),
                },
            )
        super().__init__(*args, **kwargs)
        year = instance.fiscal_year if instance is not None else self._year_entered(fiscal_year)
        framework = catalogue.for_year(year, organisation.kind) if year else None
        if framework is None and instance is None:
            framework = catalogue.latest
        self.names = framework.indicator_names() if framework else {}
        for number, name in self.names.items():
            shown = thai.digits(number, organisation.uses_thai_digits)
            self.fields[f"ind_{number}"] = ThaiDecimalField(
                label=f"{shown}. {name}", required=False
            )
        self.item_rules = {
            item.code: item for item in (catalogue.rules(framework).items if framework else ())
        }
        for item in framework.items() if framework else []:
            shown = thai.digits(item.code, organisation.uses_thai_digits)
            self.fields[f"item_{item.code}"] = ThaiDecimalField(
                label=f"{shown} {item.title}".strip(), required=False
            )
        if instance is not None:
            self.fields["fiscal_year"].disabled = True
        self._offer_levels(framework)
        self.sections = self._sections(framework)

    def _offer_levels(self, framework: Framework | None) -> None:
        """The published level as a choice of the year's level labels, highest first, or none.
        A value the labels lack (an alias an import stored, a label since renamed) is offered
        too, so that saving the form keeps it; clean() still checks it against the year."""
        labels = [band.code for band in framework.bands.all()] if framework else []
        kept = (
            self.data.get("published_level")
            if self.is_bound
            else self.initial.get("published_level")
        )
        kept = " ".join(str(kept or "").split())
        if kept and kept not in labels:
            labels.append(kept)
        self.fields["published_level"] = LevelChoiceField(
            label=self.fields["published_level"].label,
            required=False,
            choices=[("", _("– not published –")), *((label, label) for label in labels)],
        )

    def _year_entered(self, asked: int | None) -> int | None:
        """The year a new year's items are shown for: the one posted, else the one asked."""
        if self.is_bound:
            try:
                return thai.parse_year(str(self.data.get("fiscal_year", "")))
            except ValueError:
                return None
        return asked

    @staticmethod
    def _initial_from(assessment: Assessment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "fiscal_year": assessment.fiscal_year,
            "published_score": assessment.published_score,
            "published_level": assessment.published_level,
            "maintain_from": assessment.maintain_from,
            "raise_from": assessment.raise_from,
            "target": assessment.target,
        }
        scores = assessment.score_map()
        initial.update({f"ind_{n}": v for n, v in scores.items()})
        initial.update({f"item_{code}": v for code, v in assessment.item_map().items()})
        initial["version"] = assessment.updated_at.isoformat()
        initial["loaded"] = ";".join(f"{n}={v}" for n, v in sorted(scores.items()))
        return initial

    @property
    def expected_version(self) -> dt.datetime | None:
        """When the year was last saved before this form was opened; None for a new year."""
        version = self.cleaned_data.get("version")
        if self.instance is None or not version:  # a new year, or a script that posts no version
            return None
        try:
            return dt.datetime.fromisoformat(version)
        except ValueError:  # a damaged form: treated as stale
            return dt.datetime.min.replace(tzinfo=dt.UTC)

    @property
    def loaded_scores(self) -> dict[int, Decimal]:
        loaded: dict[int, Decimal] = {}
        for item in (self.data.get("loaded") or "").split(";"):
            number, _sep, value = item.partition("=")
            try:
                loaded[int(number)] = Decimal(value)
            except (ValueError, ArithmeticError):
                continue
        return loaded

    def _sections(self, framework: Any) -> list[ScoreSection]:
        """The framework's instruments, each with its indicators' boxes and, folded away by
        indicator, its items' boxes: what the template lays out."""
        if framework is None:
            return []
        digits = self.organisation.uses_thai_digits
        sections = []
        for inst in framework.instruments.all():
            indicators = list(inst.indicators.all())
            sections.append(
                ScoreSection(
                    legend=f"{inst.code} · {inst.name_th}",
                    indicators=[self[f"ind_{ind.number}"] for ind in indicators],
                    items=[
                        ItemGroup(
                            indicator=ind.number,
                            summary=_("Items of indicator %(n)s (optional)")
                            % {"n": thai.digits(ind.number, digits)},
                            fields=[self[f"item_{item.code}"] for item in items],
                        )
                        for ind in indicators
                        if (items := list(ind.items.all()))
                    ],
                )
            )
        return sections

    def clean_fiscal_year(self) -> int:
        year: int = self.cleaned_data["fiscal_year"]
        if self.instance is not None:
            return self.instance.fiscal_year
        if self.catalogue.for_year(year, self.organisation.kind) is None:
            years = self.catalogue.years
            raise ValidationError(
                _(
                    "No ITA framework covers fiscal year %(year)s; "
                    "the portal knows %(first)s-%(last)s."
                ),
                params={"year": year, "first": years.start, "last": years.stop - 1},
            )
        if Assessment.objects.filter(organisation=self.organisation, fiscal_year=year).exists():
            raise ValidationError(
                _("Fiscal year %(year)s is already recorded; edit it instead."),
                params={"year": year},
            )
        return year

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        year = data.get("fiscal_year")
        rules = self.catalogue.rules_for_year(year, self.organisation.kind) if year else None
        if rules is not None:
            for number in self.names:
                if data.get(f"ind_{number}") is not None and number not in rules.indicator_numbers:
                    self.add_error(
                        f"ind_{number}", _("This year's framework has no such indicator.")
                    )
            level = data.get("published_level", "").strip()
            if level and ita.band_named(rules, level) is None:
                known = ", ".join(band.code for band in rules.bands)
                self.add_error(
                    "published_level",
                    _("Unknown level for this year. Levels: %(levels)s") % {"levels": known},
                )
        for code in self.item_rules:
            value = data.get(f"item_{code}")
            item = rules.item(code) if rules is not None else None
            if value is None or rules is None:
                continue
            if item is None:
                self.add_error(f"item_{code}", _("This year's framework has no such item."))
            elif not ita.item_score_allowed(item, value):
                self.add_error(f"item_{code}", _("This item scores only 0 or 100."))
        maintain, raise_ = data.get("maintain_from"), data.get("raise_from")
        if maintain is not None and raise_ is not None and raise_ > maintain:
            self.add_error(
                "raise_from", _("The raise threshold cannot be above the maintain threshold.")
            )
        return data

    @property
    def scores(self) -> dict[int, Decimal | None]:
        return {n: self.cleaned_data.get(f"ind_{n}") for n in self.names}

    @property
    def items(self) -> dict[str, Decimal | None]:
        return {code: self.cleaned_data.get(f"item_{code}") for code in self.item_rules}

    @property
    def thresholds(self) -> ita.Thresholds:
        return ita.Thresholds(
            maintain_from=self.cleaned_data["maintain_from"],
            raise_from=self.cleaned_data["raise_from"],
            target=self.cleaned_data["target"],
        )


class ScoresUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Results file (CSV or XLSX)"),
        help_text=_(
            "Columns: org_name, province, fiscal_year, ind_1, ind_2 … (the year's indicators), "
            "item codes such as i1 or o12, published_score, …"
        ),
    )
    dry_run = forms.BooleanField(label=_("Check only, do not save"), required=False, initial=False)

    def __init__(self, *args: Any, max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is larger than %(mb)d MB."), params={"mb": self.max_bytes // 2**20}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class OrganisationEmblemForm(forms.ModelForm):
    """A form of the organisation with its emblem (the settings page, the documents page, the
    admin): the emblem's refusals write numbers in the organisation's digits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        emblem = self.fields.get("emblem")
        if isinstance(emblem, EmblemFormField):
            emblem.thai_digits = self.instance.uses_thai_digits


class OrganisationSettingsForm(OrganisationEmblemForm):
    """What the organisation's admin sets for its documents (assessments.services.SETTINGS_FIELDS
    less the units, which UnitFormSet holds)."""

    class Meta:
        model = Organisation
        fields = ["letter_code", "executive_title", "executive_name", "digit_style", "emblem"]
        widgets = {"digit_style": DigitStyleSelect}


class UnitForm(forms.Form):
    name = forms.CharField(
        label=Unit._meta.get_field("name").verbose_name,
        max_length=Unit._meta.get_field("name").max_length,
        required=False,
    )
    phone = forms.CharField(
        label=Unit._meta.get_field("phone").verbose_name,
        max_length=Unit._meta.get_field("phone").max_length,
        required=False,
        validators=Unit._meta.get_field("phone").validators,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("phone") and not cleaned.get("name"):
            self.add_error("name", _("Name the unit this telephone number belongs to."))
        return cleaned


class BaseUnitFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        names = [name.casefold() for name in (unit.name for unit in self.units)]
        if len(names) != len(set(names)):
            raise ValidationError(_("Each unit is named once."))

    @property
    def units(self) -> list[UnitData]:
        """The units in the order of the rows; an empty row is left out."""
        return [
            UnitData(form.cleaned_data["name"].strip(), form.cleaned_data["phone"].strip())
            for form in self.forms
            if form.cleaned_data.get("name", "").strip()
        ]


UNIT_ROWS_EMPTY = 3
UnitFormSet = forms.formset_factory(
    UnitForm, formset=BaseUnitFormSet, extra=UNIT_ROWS_EMPTY, max_num=50, validate_max=True
)


def unit_formset(data: Any, *, organisation: Organisation) -> BaseUnitFormSet:
    """The rows show the stored units; what is sent is read as it is, every row (a row the same
    as what was shown would otherwise count as unchanged, and be left out, when the request's
    count of initial rows is not the page's)."""
    initial = None
    if data is None:
        initial = [{"name": u.name, "phone": u.phone} for u in organisation.units.all()]
    formset = UnitFormSet(data, initial=initial, prefix="units")
    assert isinstance(formset, BaseUnitFormSet)
    return formset
