from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from itaportal.accounts.models import AuditEvent, Role, User
from itaportal.accounts.services import MEMBER_FIELDS
from itaportal.forms import ThaiDateField, dates_in_digits

ORGANISATION_ROLES = [(value, label) for value, label in Role.choices if value != Role.SUPERVISOR]


class MemberForm(forms.ModelForm):
    """What an organisation admin may set for the people of their own organisation."""

    role = forms.ChoiceField(label=_("role"), choices=ORGANISATION_ROLES)

    class Meta:
        model = User
        fields = list(MEMBER_FIELDS)
        # Django's own help texts are English and its Thai catalogue lacks them.
        help_texts = {
            "username": _("What they log in with: at most 150 letters, digits or @ . + - _."),
            "email": _(
                "Optional. With an e-mail the portal sends them links to set a password; "
                "without one, give them a one-time link from their page."
            ),
            "is_active": _(
                "Untick rather than delete: they can no longer log in and their work stays."
            ),
        }

    def __init__(self, *args: Any, acting_user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acting_user = acting_user

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


class PasswordSetForm(SetPasswordForm):
    """Django's set-password form (its checks unchanged) in the portal's Thai words."""

    error_messages = {"password_mismatch": _("The two passwords differ.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("The new password again")
        self.fields["new_password2"].help_text = _("Type it again to be sure of it.")


class AuditFilterForm(forms.Form):
    """What an auditor narrows the trail to: a person, a kind of object, an action, a period."""

    person = forms.TypedChoiceField(label=_("person"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("object kind"), required=False)
    action = forms.ChoiceField(
        label=_("action"),
        required=False,
        choices=[("", _("all")), *AuditEvent.Action.choices],
    )
    since = ThaiDateField(label=_("from date"), required=False)
    until = ThaiDateField(label=_("to date"), required=False)

    def __init__(
        self,
        *args: Any,
        people: Iterable[User],
        kinds: Iterable[tuple[str, str]],
        thai_digits: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        dates_in_digits(self, thai_digits=thai_digits)
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ChoiceField)
        person_field.choices = [
            ("", _("everyone")),
            *((p.pk, p.get_full_name() or p.get_username()) for p in people),
        ]
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [("", _("all")), *kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(_("The first day comes after the last one."))
        return data
