from django.contrib import admin

from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    IndicatorScore,
    Instrument,
    LevelBand,
    Organisation,
)
from assessments.summaries import summaries_refresh
from itaportal.accounts.admin import AuditedAdmin


class InstrumentInline(admin.TabularInline):
    model = Instrument
    extra = 0


class LevelBandInline(admin.TabularInline):
    model = LevelBand
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ("name", "first_year", "last_year", "discrepancy_tolerance")
    inlines = [InstrumentInline, LevelBandInline]

    def changed(self, objects: list[Framework]) -> None:
        summaries_refresh()  # levels, weights: every organisation's years


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(AuditedAdmin):
    list_display = ("code", "name_th", "framework", "weight")
    list_filter = ("framework",)
    inlines = [IndicatorInline]

    def changed(self, objects: list[Instrument]) -> None:
        summaries_refresh()


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "district", "province", "code", "digit_style")
    list_filter = ("kind", "province")
    search_fields = ("name", "province", "district", "code")

    def audit_organisation_id(self, obj: Organisation) -> int | None:  # type: ignore[override]
        return obj.pk


class IndicatorScoreInline(admin.TabularInline):
    model = IndicatorScore
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(AuditedAdmin):
    list_display = ("organisation", "fiscal_year", "published_score", "published_level")
    list_filter = ("fiscal_year",)
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)
    inlines = [IndicatorScoreInline]
    raw_id_fields = ("organisation", "updated_by")

    def changed(self, objects: list[Assessment]) -> None:
        summaries_refresh(organisation_ids={a.organisation_id for a in objects})
