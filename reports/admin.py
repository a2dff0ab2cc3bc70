from django.contrib import admin
from django.http import HttpRequest

from itaportal.accounts.admin import AuditedAdmin
from reports.documents.models import AnalysisText, Committee, CommitteeMember, DocumentText
from reports.memos.models import (
    FrozenAttachment,
    Memo,
    MemoEvent,
    MemoStep,
    MemoVersion,
)
from reports.numbering import NumberRegister


class CommitteeMemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ("organisation", "number", "number_year", "subject", "issued_on")
    list_select_related = ("organisation",)
    inlines = [CommitteeMemberInline]


@admin.register(AnalysisText)
class AnalysisTextAdmin(AuditedAdmin):
    list_display = ("assessment", "number", "updated_at", "updated_by")
    raw_id_fields = ("assessment",)


@admin.register(DocumentText)
class DocumentTextAdmin(AuditedAdmin):
    list_display = ("organisation", "kind", "fiscal_year", "section", "updated_at", "updated_by")
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation",)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class StepInline(ReadOnlyInline):
    model = MemoStep


class VersionInline(ReadOnlyInline):
    model = MemoVersion


class EventInline(ReadOnlyInline):
    model = MemoEvent


class AttachmentInline(ReadOnlyInline):
    model = FrozenAttachment


@admin.register(Memo)
class MemoAdmin(AuditedAdmin):
    """Memos are read here; they change only through the portal's chain, which audits them."""

    list_display = ("reference", "subject", "organisation", "status", "dated")
    list_filter = ("status",)
    list_select_related = ("organisation",)
    search_fields = ("reference", "subject", "organisation__name")
    inlines = [StepInline, VersionInline, AttachmentInline, EventInline]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(NumberRegister)
class NumberRegisterAdmin(AuditedAdmin):
    list_display = ("organisation", "series", "year", "last_number")
    list_filter = ("series",)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
