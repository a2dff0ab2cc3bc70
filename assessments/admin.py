from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from assessments import ita
from assessments.forms import OrganisationEmblemForm
from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    Instrument,
    InstrumentPart,
    Item,
    ItemCrosswalk,
    ItemScore,
    LevelBand,
    Organisation,
    parse_floors,
)
from assessments.services import framework_copy
from assessments.summaries import summaries_refresh
from itaportal import thai
from itaportal.accounts.admin import AuditedAdmin
from itaportal.accounts.audit import client_ip


def _kept_forms(formset: BaseInlineFormSet) -> list[forms.ModelForm]:
    """The inline's rows that will be saved: valid, filled in, not marked for deletion."""
    return [
        form
        for form in formset.forms
        if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class InstrumentFormSet(BaseInlineFormSet):
    """A framework's instruments: their weights make the whole overall, no more and no less."""

    def clean(self) -> None:
        super().clean()
        weights = [form.cleaned_data.get("weight") or ita.ZERO for form in _kept_forms(self)]
        total = ita.weights_total(weights)
        if weights and total != ita.ONE:
            raise ValidationError(
                _("The instruments' weights add up to %(total)s; they must add up to 1.")
                % {"total": thai.digits(f"{total.normalize():f}")}
            )


def posted_instrument_codes(formset: BaseInlineFormSet) -> set[str] | None:
    """The instrument codes the same admin page posts beside the bands, or None when it posts
    none (the framework's stored instruments count then)."""
    data, prefix = formset.data, "instruments"
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", ""))
    except ValueError:
        return None
    return {
        data.get(f"{prefix}-{i}-code", "").strip()
        for i in range(total)
        if not data.get(f"{prefix}-{i}-DELETE") and data.get(f"{prefix}-{i}-code", "").strip()
    }


class LevelBandForm(forms.ModelForm):
    class Meta:
        model = LevelBand
        fields = ("code", "min_score", "passing", "aliases", "floors", "uncertain")

    def clean_floors(self) -> str:
        text: str = self.cleaned_data.get("floors", "")
        try:
            parse_floors(text)
        except ValueError as exc:
            raise ValidationError(
                _(
                    "“%(part)s” is not a floor. Write each as an instrument's code and a score "
                    "from 0 to 100, e.g. “IIT 95, EIT 95, OIT 95”."
                )
                % {"part": exc}
            ) from None
        return text


class LevelBandFormSet(BaseInlineFormSet):
    """A framework's bands: every overall has a rating, no two bands could claim the same year,
    and a floor names an instrument the framework has."""

    def clean(self) -> None:
        super().clean()
        kept = _kept_forms(self)
        if not kept or any(form.errors for form in self.forms):
            return
        bands = [
            ita.Band(
                code=form.cleaned_data["code"],
                min_score=form.cleaned_data["min_score"],
                passing=form.cleaned_data.get("passing", False),
                floors=tuple(parse_floors(form.cleaned_data.get("floors", "")).items()),
            )
            for form in kept
        ]
        problems = []
        codes = posted_instrument_codes(self)
        if codes is None:
            codes = {i.code for i in Instrument.objects.filter(framework=self.instance)}
        missing = ita.unknown_floors(codes, bands)
        if missing:
            problems.append(
                _("A floor names an instrument this framework does not have: %(codes)s.")
                % {"codes": ", ".join(missing)}
            )
        for a, b in ita.band_overlaps(bands):
            problems.append(
                _(
                    "The levels “%(a)s” and “%(b)s” start at the same score and neither asks "
                    "more of the instruments: a year could be both."
                )
                % {"a": a.code, "b": b.code}
            )
        gap = ita.band_gap(bands)
        if gap is not None:
            problems.append(
                _(
                    "Scores below %(score)s have no level: the lowest level without instrument "
                    "floors must start at 0."
                )
                % {"score": thai.number(min(gap, ita.HUNDRED))}
            )
        if problems:
            raise ValidationError(problems)


class InstrumentInline(admin.TabularInline):
    model = Instrument
    formset = InstrumentFormSet
    extra = 0
    fields = (
        "code",
        "name_th",
        "name_en",
        "weight",
        "order",
        "all_or_nothing",
        "score_from_items",
    )


class LevelBandInline(admin.TabularInline):
    model = LevelBand
    form = LevelBandForm
    formset = LevelBandFormSet
    extra = 0


@admin.display(description=_("uncertain"))
def uncertain_note(obj: Framework | Item | ItemCrosswalk | LevelBand) -> str:
    return f"⚠ {obj.uncertain}" if obj.uncertain else "–"


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ("name", "first_year", "last_year", "kinds", uncertain_note)
    inlines = [InstrumentInline, LevelBandInline]
    actions = ["copy_for_next_year"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("uncertain_warning",) if obj is not None and obj.uncertain else ()

    @admin.display(description=_("Not confirmed"))
    def uncertain_warning(self, obj: Framework) -> str:
        return f"⚠ {obj.uncertain}"

    @admin.action(description=_("Copy for the next fiscal year"))
    def copy_for_next_year(self, request: HttpRequest, queryset: QuerySet[Framework]) -> None:
        for framework in queryset:
            try:
                copy = framework_copy(
                    framework=framework,
                    first_year=framework.last_year + 1,
                    user=request.user,  # type: ignore[arg-type]
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Copied as “%(name)s”; edit its items and bands.") % {"name": copy.name},
                )

    def changed(self, objects: list[Framework]) -> None:
        summaries_refresh()  # levels, weights: every organisation's years


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class InstrumentPartInline(admin.TabularInline):
    model = InstrumentPart
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(AuditedAdmin):
    list_display = ("code", "name_th", "framework", "weight")
    list_filter = ("framework",)
    inlines = [InstrumentPartInline, IndicatorInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Code, weight and framework are the framework's: changed on its page, where the
        # weights and floors are checked together.
        return ("framework", "code", "weight") if obj is not None else ()


@admin.register(Item)
class ItemAdmin(AuditedAdmin):
    list_display = ("code", "title", "indicator", "framework", "evidence_year", uncertain_note)
    list_filter = ("indicator__instrument__framework", "indicator__instrument__code")
    search_fields = ("code", "title")
    list_select_related = ("indicator__instrument__framework",)

    @admin.display(description=_("ITA framework"))
    def framework(self, obj: Item) -> str:
        return str(obj.indicator.instrument.framework)

    def changed(self, objects: list[Instrument]) -> None:
        summaries_refresh()


@admin.register(ItemCrosswalk)
class ItemCrosswalkAdmin(AuditedAdmin):
    """Which item of a later framework an item became: how a new year's OIT checklist starts
    from the last one (reports.oit.carry)."""

    list_display = ("item", "item_framework", "successor", "successor_framework", uncertain_note)
    list_filter = ("item__indicator__instrument__framework",)
    search_fields = ("item__code", "successor__code")
    list_select_related = (
        "item__indicator__instrument__framework",
        "successor__indicator__instrument__framework",
    )
    raw_id_fields = ("item", "successor")

    @admin.display(description=_("ITA framework"))
    def item_framework(self, obj: ItemCrosswalk) -> str:
        return str(obj.item.indicator.instrument.framework)

    @admin.display(description=_("successor's framework"))
    def successor_framework(self, obj: ItemCrosswalk) -> str:
        return str(obj.successor.indicator.instrument.framework)


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    form = OrganisationEmblemForm
    list_display = ("name", "kind", "district", "province", "code", "digit_style")
    list_filter = ("kind", "province")
    search_fields = ("name", "province", "district", "code")

    def audit_organisation_id(self, obj: Organisation) -> int | None:  # type: ignore[override]
        return obj.pk


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0


class ItemScoreInline(admin.TabularInline):
    model = ItemScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(AuditedAdmin):
    list_display = ("organisation", "fiscal_year", "published_score", "published_level", "demo")
    list_filter = ("fiscal_year", "is_demo")
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)
    readonly_fields = ("demo",)
    inlines = [IndicatorScoreInline, ItemScoreInline]
    raw_id_fields = ("organisation", "updated_by")

    @admin.display(description=_("demo data"), ordering="is_demo")
    def demo(self, assessment: Assessment) -> str:
        """In words: Django's yes/no icon is described to screen readers as "True"/"False"."""
        return str(_("Demo data")) if assessment.is_demo else "–"

    def changed(self, objects: list[Assessment]) -> None:
        summaries_refresh(organisation_ids={a.organisation_id for a in objects})
