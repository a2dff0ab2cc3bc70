from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import Role, User

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
