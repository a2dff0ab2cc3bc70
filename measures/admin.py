from django.contrib import admin

from itaportal.accounts.admin import THAI_DATES, AuditedAdmin
from measures.models import (
    InstrumentAnalysis,
    Measure,
    MeasurePlan,
    Progress,
    SuggestedMeasure,
)
from measures.summaries import plan_summaries_refresh


class InstrumentAnalysisInline(admin.StackedInline):
    model = InstrumentAnalysis
    extra = 0


@admin.register(MeasurePlan)
class MeasurePlanAdmin(AuditedAdmin):
    list_display = ("organisation", "fiscal_year")
    list_filter = ("fiscal_year",)
    search_fields = ("organisation__name",)
    list_select_related = ("organisation",)
    inlines = [InstrumentAnalysisInline]

    def changed(self, objects: list[MeasurePlan]) -> None:
        plan_summaries_refresh(organisation_ids={p.organisation_id for p in objects})


class ProgressInline(admin.TabularInline):
    model = Progress
    extra = 0
    formfield_overrides = THAI_DATES


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ("title", "plan", "status", "start_month", "end_month")
    list_filter = ("status", "plan__fiscal_year")
    search_fields = ("title", "plan__organisation__name")
    list_select_related = ("plan__organisation",)
    raw_id_fields = ("plan",)
    filter_horizontal = ("owners",)
    inlines = [ProgressInline]

    def changed(self, objects: list[Measure]) -> None:
        plan_summaries_refresh(organisation_ids={m.plan.organisation_id for m in objects})


@admin.register(SuggestedMeasure)
class SuggestedMeasureAdmin(AuditedAdmin):
    list_display = ("title", "indicators", "responsible_unit", "cadence", "active")
    list_filter = ("active", "cadence")
    search_fields = ("title", "method")
