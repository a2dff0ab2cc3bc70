"""Forms of a memo: its text, its route, and a step's action."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from itaportal import thai
from itaportal.accounts.models import User
from reports.memos.models import (
    MAX_STEPS_LIMIT,
    REVIEW_ROLE_CHOICES,
    ActingTitle,
    ApprovalPolicy,
    Memo,
    MemoAction,
)
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

    def __init__(
        self,
        *args: Any,
        documents: list[tuple[str, str]],
        units: Sequence[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The organisation's units (its settings page) offered as the ส่วนราชการ line.
        self.unit_lines = list(units)
        if self.unit_lines:
            self.fields["unit"].widget.attrs["list"] = "unit-lines"
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


class RouteForm(forms.Form):
    """The chain, in order: each reviewer, then the person who decides (the last one filled),
    as many rows as the organisation's approval policy allows. The policy itself is applied by
    reports.memos.services.route_check."""

    def __init__(
        self, *args: Any, people: list[User], rows: int, thai_digits: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (
                str(p.pk),
                f"{p.get_full_name() or p.get_username()} ({p.position or p.get_role_display()})",
            )
            for p in people
        ]
        self.people = {str(p.pk): p for p in people}
        self.rows = rows
        for i in range(rows):
            self.fields[f"user_{i}"] = forms.ChoiceField(
                label=_("Step %(n)s") % {"n": thai.digits(i + 1, thai_digits)},
                choices=choices,
                required=False,
                error_messages={
                    "invalid_choice": _(
                        "Step %(n)s: choose a person of this organisation from the list."
                    )
                    % {"n": thai.digits(i + 1, thai_digits)}
                },
            )
            self.fields[f"acting_{i}"] = forms.CharField(
                label=_("Acting as (if any)"),
                help_text=_(
                    "For a reviewer only: the person who decides signs as the approval policy says."
                )
                if i == rows - 1
                else "",
                required=False,
                max_length=300,
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        route = []
        for i in range(self.rows):
            user_id = self.cleaned_data.get(f"user_{i}")
            if user_id:
                route.append((self.people[user_id], self.cleaned_data.get(f"acting_{i}", "")))
        if not route and not self.errors:
            raise ValidationError(_("Choose at least the person who decides."))
        self.cleaned_data["route"] = route
        return self.cleaned_data


class RecallForm(forms.Form):
    """Nothing to fill: the button says it all."""


class ActForm(forms.Form):
    action = forms.TypedChoiceField(choices=MemoAction.choices, coerce=MemoAction)
    opinion = forms.CharField(
        label=_("Opinion"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CountField(forms.IntegerField):
    """A whole number typed in Thai or Arabic digits."""

    widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def to_python(self, value: Any) -> int | None:
        return super().to_python(thai.arabic(value.strip()) if isinstance(value, str) else value)


class ApprovalPolicyForm(forms.ModelForm):
    """Which roles may review and how long a route may be."""

    max_steps = CountField(
        label=_("Most people in a route"),
        min_value=1,
        max_value=MAX_STEPS_LIMIT,
        help_text=_("Reviewers and the person who decides, counted together."),
    )

    review_roles = forms.MultipleChoiceField(
        label=_("Roles that may review"),
        choices=REVIEW_ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The executive, and the people named below, decide."),
    )

    class Meta:
        model = ApprovalPolicy
        fields = ["review_roles", "max_steps"]


def _person_label(person: User) -> str:
    name = person.get_full_name() or person.get_username()
    return f"{name} ({person.position or person.get_role_display()})"


class ActingDeciderForm(forms.Form):
    """One person who decides in the executive's place, and the words they sign with."""

    user = forms.ModelChoiceField(
        label=_("person"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
        error_messages={"invalid_choice": _("Choose a person of this organisation from the list.")},
    )
    title = forms.TypedChoiceField(
        label=_("acting as"),
        choices=[("", "—"), *ActingTitle.choices],
        coerce=ActingTitle,
        required=False,
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[p.pk for p in people]).order_by("first_name")
        field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        super().clean()
        user, title = self.cleaned_data.get("user"), self.cleaned_data.get("title")
        if user and not title:
            self.add_error("title", _("Choose how this person signs in the executive's place."))
        if title and not user:
            self.add_error("user", _("Choose the person, or leave the row empty."))
        return self.cleaned_data


class BaseActingFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            user = form.cleaned_data.get("user")
            if user is None:
                continue
            if user.pk in seen:
                raise ValidationError(
                    _("%(name)s is named more than once.")
                    % {"name": user.get_full_name() or user.get_username()}
                )
            seen.add(user.pk)

    @property
    def acting(self) -> list[tuple[User, ActingTitle]]:
        return [
            (form.cleaned_data["user"], form.cleaned_data["title"])
            for form in self.forms
            if form.cleaned_data.get("user")
        ]


ACTING_ROWS_MAX = 20
ActingFormSet = forms.formset_factory(
    ActingDeciderForm,
    formset=BaseActingFormSet,
    extra=2,
    max_num=ACTING_ROWS_MAX,
    validate_max=True,
    absolute_max=ACTING_ROWS_MAX,
)


def acting_formset(
    data: Any | None, *, policy: ApprovalPolicy, people: list[User]
) -> BaseActingFormSet:
    initial = [{"user": a.user_id, "title": a.title} for a in policy.acting()]
    formset = ActingFormSet(data, initial=initial, prefix="acting", form_kwargs={"people": people})
    assert isinstance(formset, BaseActingFormSet)
    return formset
