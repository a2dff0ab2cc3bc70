from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.audit import client_ip
from itaportal.accounts.models import Role, User
from itaportal.accounts.throttle import is_locked


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a username and address pair while it is locked."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if username and is_locked(username, client_ip(self.request)):
            raise ValidationError(
                _(
                    "Too many failed attempts for this username from your computer. "
                    "Wait 15 minutes, or ask your organisation's admin to reset the password."
                ),
                code="locked",
            )
        return super().clean()


ORGANISATION_ROLES = [(value, label) for value, label in Role.choices if value != Role.SUPERVISOR]


class MemberForm(forms.ModelForm):
    """What an organisation admin may set for the people of their own organisation."""

    role = forms.ChoiceField(label=_("role"), choices=ORGANISATION_ROLES)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "position", "role", "is_active"]

    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user
        self.fields["email"].required = True

    def clean_is_active(self) -> bool:
        active: bool = self.cleaned_data["is_active"]
        if self.instance.pk == self.acting_user.pk and not active:
            raise ValidationError(_("You cannot deactivate your own account."))
        return active

    def clean_role(self) -> str:
        role: str = self.cleaned_data["role"]
        if self.instance.pk == self.acting_user.pk and role != Role.ORG_ADMIN:
            raise ValidationError(_("You cannot take away your own admin role."))
        return role
