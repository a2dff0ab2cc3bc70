"""Asking for a batch: which documents of which year for which organisations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.forms import FiscalYearField
from assessments.models import Organisation
from reports.documents.models import DocumentKind


class BatchForm(forms.Form):
    """Which documents of which year for which of the organisations the user may see."""

    fiscal_year = FiscalYearField(
        label=_("Fiscal year of the measures (B.E.)"),
        help_text=_("The analysis printed is that of the year before, which the measures answer."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Documents"),
        widget=forms.CheckboxSelectMultiple,
        choices=DocumentKind.choices,
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
