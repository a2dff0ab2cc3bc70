"""The forms of the supervisor's review: a note on an item, and the pre-audit mark."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from itaportal import thai

# A note is a paragraph or two, as NACC's clarification round asks: longer text is refused.
NOTE_LENGTH = 5000


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        strip=True,
        error_messages={"required": _("Write the note first: an empty note is not saved.")},
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if len(text) > NOTE_LENGTH:
            raise forms.ValidationError(
                _("A note holds at most %(limit)s characters; this one has %(length)s.")
                % {"limit": thai.digits(NOTE_LENGTH), "length": thai.digits(len(text))}
            )
        return text


class PreAuditForm(forms.Form):
    passed = forms.TypedChoiceField(
        choices=[("1", _("Passed the pre-audit")), ("0", _("Withdraw the pre-audit"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Say whether the item passed the pre-audit."),
            "invalid_choice": _("Say whether the item passed the pre-audit."),
        },
    )
