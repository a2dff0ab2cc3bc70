from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import AuditEvent, User
from itaportal.accounts.trail import change_text, changes_of, kind_label


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "organisation", "role", "is_active")
    list_filter = ("role", "is_active", "organisation__province")
    list_select_related = ("organisation",)
    search_fields = ("username", "first_name", "last_name", "organisation__name")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (
            _("Organisation and role"),
            {
                "fields": (
                    "organisation",
                    "role",
                    "position",
                    "supervised_province",
                    "supervised_district",
                )
            },
        ),
    )


class ObjectKindFilter(admin.SimpleListFilter):
    """The kinds of object by their Thai names, not their model labels."""

    title = _("object kind")
    parameter_name = "kind"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        kinds = AuditEvent.objects.exclude(object_type="").values_list("object_type", flat=True)
        return [(kind, kind_label(kind)) for kind in sorted(set(kinds))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.filter(object_type=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The whole country's audit trail for superusers: read only, even for them."""

    list_display = ("at", "organisation", "who", "action", "kind", "summary", "ip")
    list_filter = ("action", ObjectKindFilter, "organisation__province")
    list_select_related = ("organisation", "user")
    search_fields = ("summary", "username", "user__first_name", "user__last_name", "ip")
    date_hierarchy = "at"
    fields = ("at", "organisation", "who", "action", "kind", "summary", "ip", "changes")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("Who"), ordering="username")
    def who(self, event: AuditEvent) -> str:
        if event.user is None:
            return event.username
        name = event.user.get_full_name() or event.user.get_username()
        return f"{name} ({event.user.position})" if event.user.position else name

    @admin.display(description=_("object kind"), ordering="object_type")
    def kind(self, event: AuditEvent) -> str:
        return kind_label(event.object_type) if event.object_type else ""

    @admin.display(description=_("Before → after"))
    def changes(self, event: AuditEvent) -> str:
        thai_digits = event.organisation.uses_thai_digits if event.organisation else True
        return change_text(changes_of(event, thai_digits))
