from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import helpers as admin_helpers
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import ManyToManyField, Model, QuerySet
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from itaportal import thai
from itaportal.accounts.audit import admin_values, audit, client_ip
from itaportal.accounts.models import AuditEvent, User
from itaportal.accounts.trail import change_text, changes_of, kind_label
from itaportal.forms import ThaiDateField, ThaiDateInput, ThaiDateTimeField, ThaiDateTimeInput


def boolean_icon_in_words(value: bool | None) -> SafeString:
    """Django's yes/no icon, described in the person's language: Django's own describes it with
    the Python value ("True", "False") on every list and read-only field of the admin."""
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    words = {
        True: pgettext_lazy("yes or no", "Yes"),
        False: pgettext_lazy("yes or no", "No"),
        None: pgettext_lazy("yes or no", "Unknown"),
    }[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), words)


def display_for_field_in_be(
    value: Any, field: models.Field, empty_value_display: str, avoid_link: bool = False
) -> Any:
    """Django's display of a stored value on the admin's lists and read-only fields, with dates
    in the Buddhist era ("๑๐ มกราคม ๒๕๖๕", "… ๑๔:๓๐ น."): Django's formats can only write the
    Common-Era year."""
    if value is not None and isinstance(field, models.DateTimeField):
        moment = timezone.localtime(value)
        return f"{thai.date_be(moment)} {thai.digits(moment.strftime('%H:%M'))} น."
    if value is not None and isinstance(field, models.DateField):
        return thai.date_be(value)
    return django_display_for_field(value, field, empty_value_display, avoid_link)


# Django's lists and read-only fields call these by the names they imported.
django_display_for_field = admin_utils.display_for_field
admin_list._boolean_icon = boolean_icon_in_words  # type: ignore[attr-defined]
admin_list.display_for_field = display_for_field_in_be  # type: ignore[attr-defined]
admin_helpers.display_for_field = display_for_field_in_be  # type: ignore[attr-defined]


# Dates in the admin as in the portal ("๑๕ พ.ย. ๒๕๖๙" and the portal's calendar), not Django's
# Common-Era calendar; inlines with a date (a measure's follow-up) name it too.
THAI_DATES: dict[type[models.Field], dict[str, Any]] = {
    models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput},
    models.DateTimeField: {"form_class": ThaiDateTimeField, "widget": ThaiDateTimeInput},
}


def _stored_values(obj: Model) -> dict[str, Any]:
    """What the database holds for `obj`, before the form's values are saved over it."""
    return admin_values(type(obj)._default_manager.get(pk=obj.pk))


class AuditedAdmin(admin.ModelAdmin):
    """What a superuser changes in the admin goes to the audit trail as the portal's own changes
    do: the changed fields before and after, in the admin's transaction."""

    formfield_overrides = THAI_DATES

    def audit_organisation_id(self, obj: Model) -> int | None:
        return getattr(obj, "organisation_id", None)

    def save_model(
        self, request: HttpRequest, obj: Model, form: forms.ModelForm, change: bool
    ) -> None:
        before = _stored_values(obj) if change else None
        super().save_model(request, obj, form, change)
        after = admin_values(obj)
        if before is not None:
            changed = [name for name in after if before.get(name) != after[name]]
            if not changed:
                return
            before = {name: before[name] for name in changed}
            after = {name: after[name] for name in changed}
        self._audit(
            request,
            obj,
            AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            before,
            after,
        )

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        """The rows of an inline (an assessment's scores, an order's members) are audited too."""
        before = {
            inline.instance.pk: _stored_values(inline.instance)
            for inline in formset.initial_forms
            if inline.instance.pk
        }
        super().save_formset(request, form, formset, change)
        parent = self.audit_organisation_id(form.instance)
        for obj in formset.new_objects:
            self._audit(request, obj, AuditEvent.Action.CREATE, None, admin_values(obj), parent)
        for obj, _fields in formset.changed_objects:
            old, new = before.get(obj.pk, {}), admin_values(obj)
            changed = [name for name in new if old.get(name) != new[name]]
            if changed:
                self._audit(
                    request,
                    obj,
                    AuditEvent.Action.UPDATE,
                    {name: old.get(name) for name in changed},
                    {name: new[name] for name in changed},
                    parent,
                )
        for obj in formset.deleted_objects:
            self._audit(request, obj, AuditEvent.Action.DELETE, before.get(obj.pk), None, parent)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        self._audit(request, obj, AuditEvent.Action.DELETE, admin_values(obj), None)
        super().delete_model(request, obj)
        self.changed([obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        objects = list(queryset)
        for obj in objects:
            self._audit(request, obj, AuditEvent.Action.DELETE, admin_values(obj), None)
        super().delete_queryset(request, queryset)
        self.changed(objects)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        self.changed([form.instance])

    def changed(self, objects: list[Any]) -> None:
        """Saved (with their inlines) or deleted, in the admin's transaction: where the portal
        keeps figures derived from them, the app's admin writes them again here."""

    def _audit(
        self,
        request: HttpRequest,
        obj: Model,
        action: AuditEvent.Action,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
        organisation_id: int | None = None,
    ) -> None:
        audit(
            action=action,
            user=request.user if isinstance(request.user, User) else None,
            organisation_id=self.audit_organisation_id(obj) or organisation_id,
            obj=obj,
            summary=str(obj),
            before=before,
            after=after,
            ip=client_ip(request),
        )


# Django stores a permission's name in English ("Can add measure"); the admin names it in Thai.
PERMISSION_ACTIONS = {
    "add": _("may add %(model)s"),
    "change": _("may change %(model)s"),
    "delete": _("may delete %(model)s"),
    "view": _("may view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """ "บัญชีผู้ใช้ | เพิ่ม ผู้ใช้": the app and the right in Thai, whatever Django stored."""
    model = permission.content_type.model_class()
    action = PERMISSION_ACTIONS.get(permission.codename.split("_", 1)[0])
    if model is None or action is None:
        return str(permission)
    app = apps.get_app_config(model._meta.app_label).verbose_name
    return f"{app} | {action % {'model': model._meta.verbose_name}}"


class ThaiPermissionsMixin:
    """The permission lists of the user and group forms, in Thai, of the models the admin shows
    (axes' tables, sessions, the memo's own rows stay out: nobody is given rights on them)."""

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest | None = None, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if db_field.name in ("permissions", "user_permissions"):
            listed = [m._meta.label_lower.split(".") for m in admin.site._registry]
            kwargs["queryset"] = (
                Permission.objects.filter(
                    content_type__in=[
                        ContentType.objects.get_by_natural_key(app, model) for app, model in listed
                    ]
                )
                .select_related("content_type")
                .order_by("content_type__app_label", "content_type__model", "codename")
            )
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ThaiPermissionsMixin, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(ThaiPermissionsMixin, AuditedAdmin, BaseUserAdmin):
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
                    "line_id",
                    "language",
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
