from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from assessments.forms import FiscalYearField
from assessments.models import Organisation

from .memos import CONTENT_FIELDS
from .models import KIND_NAMES, OVERALL, Committee, CommitteeMember, Memo
from .overview import OrganisationRow

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


SORTS = {
    "name": (_("Name"), False),
    "score": (_("Score, highest first"), True),
    "-score": (_("Score, lowest first"), False),
    "change": (_("Change, most improved first"), True),
    "-change": (_("Change, most fallen first"), False),
    "urgent": (_("Most urgent indicators"), True),
    "uncovered": (_("Most indicators without a measure"), True),
    "overdue": (_("Most overdue measures"), True),
}


class OverviewFilterForm(forms.Form):
    """Narrows and orders the overview's rows; choices come from the rows themselves."""

    q = forms.CharField(label=_("Name contains"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Province"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    level = forms.ChoiceField(label=_("Level"), required=False)
    attention = forms.BooleanField(
        label=_("Only those with uncovered indicators or overdue measures"), required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(key, label) for key, (label, _desc) in SORTS.items()],
    )

    def __init__(
        self, *args: Any, rows: list[OrganisationRow], provinces: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone: list[tuple[str, Any]] = [("", _("All"))]
        kinds = {row.kind for row in rows}
        choices: dict[str, list[tuple[str, Any]]] = {
            "province": [(p, p) for p in provinces],
            "district": [(d, d) for d in sorted({row.district for row in rows if row.district})],
            "kind": [
                (value, label) for value, label in Organisation.Kind.choices if value in kinds
            ],
            "level": [(level, level) for level in sorted({row.level for row in rows if row.level})],
        }
        if not provinces:
            del self.fields["province"]
            del choices["province"]
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everyone + options

    def apply(self, rows: list[OrganisationRow]) -> list[OrganisationRow]:
        """The rows that pass every valid filter, ordered; an invalid filter is left out."""
        if not self.is_bound:
            return sorted(rows, key=lambda r: r.name)
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if q := data.get("q", "").strip():
            rows = [r for r in rows if q in r.name]
        for name in ("province", "district", "kind", "level"):
            if value := data.get(name):
                rows = [r for r in rows if getattr(r, name) == value]
        if data.get("attention"):
            rows = [r for r in rows if r.needs_attention]
        return sort_rows(rows, data.get("sort") or "name")


def sort_rows(rows: list[OrganisationRow], sort: str) -> list[OrganisationRow]:
    """Order by the chosen figure; organisations without it come last, then by name."""
    if sort == "name":
        return sorted(rows, key=lambda r: r.name)
    attribute = sort.lstrip("-")
    descending = SORTS[sort][1]
    known: list[OrganisationRow] = []
    unknown: list[OrganisationRow] = []
    for row in rows:
        has_figure = row.latest_year is not None and getattr(row, attribute) is not None
        (known if has_figure else unknown).append(row)
    known.sort(key=lambda r: r.name)
    known.sort(key=lambda r: getattr(r, attribute), reverse=descending)
    return known + sorted(unknown, key=lambda r: r.name)


class BatchForm(forms.Form):
    """Which documents of which year for which of the organisations the user may see."""

    fiscal_year = FiscalYearField(
        label=_("Fiscal year of the measures (B.E.)"),
        help_text=_("The analysis printed is that of the year before, which the measures answer."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Documents"),
        widget=forms.CheckboxSelectMultiple,
        choices=list(KIND_NAMES.items()),
    )
    province = forms.ChoiceField(label=_("Province"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        choose_province: bool,
        choose_area: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everyone: list[tuple[str, Any]] = [("", _("All"))]
        places = organisations.order_by().values_list("province", "district").distinct()
        choices: dict[str, list[tuple[str, Any]]] = {
            "province": [(p, p) for p in sorted({p for p, _d in places})],
            "district": [(d, d) for d in sorted({d for _p, d in places if d})],
            "kind": list(Organisation.Kind.choices),
        }
        if not choose_province:
            del self.fields["province"]
            del choices["province"]
        if not choose_area:  # one organisation's own people: nothing to narrow
            for name in ("district", "kind"):
                del self.fields[name]
                del choices[name]
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = everyone + options

    def organisations(self, organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
        for name in ("province", "district", "kind"):
            if value := self.cleaned_data.get(name):
                organisations = organisations.filter(**{name: value})
        return organisations

    def scope(self) -> str:
        parts = [
            str(dict(self.fields[name].choices).get(self.cleaned_data[name], ""))  # type: ignore[attr-defined]
            for name in ("province", "district", "kind")
            if self.cleaned_data.get(name)
        ]
        return ", ".join(parts)
