from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import User


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
