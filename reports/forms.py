from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from assessments.forms import FiscalYearField
from assessments.models import Organisation

from .memos import CONTENT_FIELDS
from .models import OVERALL, Committee, CommitteeMember, Memo

EMBLEM_MAX_BYTES = 2 * 1024 * 1024


class AnalysisTextsForm(forms.Form):
    """The overall paragraph and one per indicator, prefilled with what is saved or drafted."""

    def __init__(
        self, *args: Any, texts: dict[int, str], names: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for number in sorted(texts):
            label = _("Overall") if number == OVERALL else f"{number}. {names.get(number, '')}"
            self.fields[f"text_{number}"] = forms.CharField(
                label=label,
                required=False,
                max_length=4000,
                initial=texts[number],
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    @property
    def texts(self) -> dict[int, str]:
        return {int(name.removeprefix("text_")): value for name, value in self.cleaned_data.items()}


class CommitteeForm(forms.ModelForm):
    fiscal_year = FiscalYearField(label=_("Fiscal year (B.E.)"))
    issued_on = forms.DateField(
        label=_("Ordered on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Committee
        fields = [
            "fiscal_year",
            "subject",
            "issued_on",
            "reasons",
            "duties_steering",
            "duties_working",
            "signer_name",
            "signer_position",
        ]
        widgets = {
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "duties_steering": forms.Textarea(attrs={"rows": 4}),
            "duties_working": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_fiscal_year(self) -> int:
        year: int = self.cleaned_data["fiscal_year"]
        if not 2563 <= year <= 2600:
            raise ValidationError(_("Enter a fiscal year from 2563 on."))
        return year


MemberFormSet = inlineformset_factory(
    Committee,
    CommitteeMember,
    fields=["group", "name", "position", "role"],
    widgets={
        "group": forms.Select(attrs={"class": "form-select form-select-sm"}),
        "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        "position": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
        "role": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    },
    extra=3,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class EmblemForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["emblem"]

    def clean_emblem(self) -> Any:
        emblem = self.cleaned_data.get("emblem")
        if emblem and getattr(emblem, "size", 0) > EMBLEM_MAX_BYTES:
            raise ValidationError(_("The image is larger than 2 MB."))
        content_type = getattr(emblem, "content_type", None)
        if emblem and content_type and content_type not in ("image/png", "image/jpeg"):
            raise ValidationError(_("Upload the emblem as PNG or JPEG."))
        return emblem


class MemoForm(forms.ModelForm):
    """The memo's text and which of the organisation's documents go with it."""

    attached = forms.MultipleChoiceField(
        label=_("Attached documents"), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Memo
        fields = [field for field in CONTENT_FIELDS if field != "attachments"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("background", "facts", "considerations", "proposal")
        }

    def __init__(self, *args: Any, documents: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attached"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = documents
        if self.instance.pk or "attachments" in self.initial:
            items = self.initial.get("attachments", self.instance.attachments)
            self.initial["attached"] = [f"{a['kind']}:{a['year']}" for a in items]

    @property
    def memo_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["attachments"] = [
            {"kind": value.split(":")[0], "year": int(value.split(":")[1])}
            for value in self.cleaned_data["attached"]
        ]
        return data


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
    action = forms.ChoiceField(
        choices=[
            ("forward", _("Forward")),
            ("return", _("Return to the drafter")),
            ("approve", _("Approve (เห็นชอบ)")),
            ("reject", _("Do not approve (ไม่เห็นชอบ)")),
        ]
    )
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
