"""Forms of a memo: its text, its route, and a step's action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from reports.memos.models import Memo, MemoAction
from reports.memos.services import CONTENT_FIELDS, MemoContent

# A section of a memo (background, facts, considerations, proposal) is a few paragraphs: the
# seeds' longest is under 500 characters; the fuzz tests send 13,000. The bound keeps the
# printed memo well within the workers' timeout (483,000 characters took 58 s of its 60).
MEMO_SECTION_MAX_CHARS = 20_000
MEMO_SECTIONS = ("background", "facts", "considerations", "proposal")


class MemoForm(forms.ModelForm):
    """The memo's text and which of the organisation's documents go with it."""

    attached = forms.MultipleChoiceField(
        label=_("Attached documents"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Memo
        fields = [field for field in CONTENT_FIELDS if field != "attachments"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in MEMO_SECTIONS}

    def __init__(self, *args: Any, documents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in MEMO_SECTIONS:
            section = self.fields[name]
            section.validators.append(MaxLengthValidator(MEMO_SECTION_MAX_CHARS))
            section.widget.attrs["maxlength"] = str(MEMO_SECTION_MAX_CHARS)
        field = self.fields["attached"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = documents
        if self.instance.pk or "attachments" in self.initial:
            items = self.initial.get("attachments", self.instance.attachments)
            self.initial["attached"] = [f"{a['kind']}:{a['year']}" for a in items]

    @property
    def memo_data(self) -> MemoContent:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["attachments"] = [
            {"kind": value.split(":")[0], "year": int(value.split(":")[1])}
            for value in self.cleaned_data["attached"]
        ]
        return MemoContent(**data)


ROUTE_ROWS = 4


class RouteForm(forms.Form):
    """The chain, in order: each reviewer, then the person who decides (the last one filled)."""

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (
                str(p.pk),
                f"{p.get_full_name() or p.get_username()} ({p.position or p.get_role_display()})",
            )
            for p in people
        ]
        self.people = {str(p.pk): p for p in people}
        for i in range(ROUTE_ROWS):
            self.fields[f"user_{i}"] = forms.ChoiceField(
                label=_("Step %(n)s") % {"n": i + 1}, choices=choices, required=False
            )
            self.fields[f"acting_{i}"] = forms.CharField(
                label=_("Acting as (if any)"), required=False, max_length=300
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        route = []
        for i in range(ROUTE_ROWS):
            user_id = self.cleaned_data.get(f"user_{i}")
            if user_id:
                route.append((self.people[user_id], self.cleaned_data.get(f"acting_{i}", "")))
        if not route:
            raise ValidationError(_("Choose at least the person who decides."))
        self.cleaned_data["route"] = route
        return self.cleaned_data


class ActForm(forms.Form):
    action = forms.TypedChoiceField(choices=MemoAction.choices, coerce=MemoAction)
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
